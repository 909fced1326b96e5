// A sync of known paths (the watch daemon's, the hook's) lists those paths alone: its cost follows the
// change, not the number of files. The whole tree is listed only when a guard needs it: a root that a
// removal may have left with no file at all.
import { beforeAll, expect, it } from 'vitest';
import { workingTreeSource } from '../../src/fs/source-files.js';
import type { SourceProvider } from '../../src/model/source-file.js';
import { describeEachDatabase } from '../support/databases.js';
import { queryRows, readSampleFiles, SAMPLE, type TempRepo, tempRepos } from '../support/sync-harness.js';

const SEED_PATH = SAMPLE.seedPath;
const CLEAN_PATH = SAMPLE.cleanPath;
const ADR_PATH = SAMPLE.adrPath;

let files: Record<string, string>;
beforeAll(async () => {
  files = await readSampleFiles();
});

/** The working tree, counting whole listings and the paths listed one by one. */
function countingSource(root: string): { source: SourceProvider; walks: () => number; listedPaths: string[][] } {
  const inner = workingTreeSource(root);
  let walks = 0;
  const listedPaths: string[][] = [];
  return {
    walks: () => walks,
    listedPaths,
    source: {
      ...inner,
      list: (config) => {
        walks++;
        return inner.list(config);
      },
      listPaths: (paths, config) => {
        listedPaths.push([...paths]);
        return inner.listPaths!(paths, config);
      },
    },
  };
}

const liveWorkstreams = async (store: Parameters<TempRepo['sync']>[0], slug: string) =>
  (
    await queryRows<{ file_path: string }>(
      store,
      `SELECT w.file_path FROM workstreams w JOIN repositories r ON r.id = w.repository_id WHERE r.slug = $1 AND w.removed_at IS NULL ORDER BY 1`,
      slug,
    )
  ).map((r) => r.file_path);

describeEachDatabase('sync of known paths', (db) => {
  const newRepo = tempRepos();

  it('syncs an edited file without listing the tree, and lists it to judge a removal', async () => {
    const store = await db.openStore();
    const r = await newRepo(files);
    await r.sync(store);
    await r.sync(store); // the ids written back by the first sync, synced

    const counted = countingSource(r.root);
    const seed = await r.read(SEED_PATH);
    await r.write(SEED_PATH, seed.replace('name VARCHAR(200) NOT NULL', 'name VARCHAR(250) NOT NULL'));
    const edited = await r.sync(store, { source: counted.source, paths: [SEED_PATH] });
    expect(edited.plan.counts.updated).toBeGreaterThan(0);
    expect(counted.walks()).toBe(0);
    expect(counted.listedPaths).toEqual([[SEED_PATH]]);

    // A removal must know whether its root still holds any file: that takes the whole listing.
    await r.remove(CLEAN_PATH);
    const removed = await r.sync(store, { source: counted.source, paths: [CLEAN_PATH] });
    expect(removed.plan.counts.removed).toBeGreaterThan(0);
    expect(counted.walks()).toBe(1);
    expect(await liveWorkstreams(store, r.slug)).toEqual([SEED_PATH]);
  });

  it('refuses to remove the last file of a root unless allowed, as the full sync does', async () => {
    const store = await db.openStore();
    const r = await newRepo({ [SEED_PATH]: files[SEED_PATH]!, [ADR_PATH]: files[ADR_PATH]! });
    await r.sync(store);
    await r.remove(SEED_PATH);
    const counted = countingSource(r.root);
    await expect(r.sync(store, { source: counted.source, paths: [SEED_PATH] })).rejects.toMatchObject({ code: 'MASS_REMOVAL_REFUSED' });
    expect(await liveWorkstreams(store, r.slug)).toEqual([SEED_PATH]);
    await r.sync(store, { source: counted.source, paths: [SEED_PATH], allowMassRemoval: true });
    expect(await liveWorkstreams(store, r.slug)).toEqual([]);
  });

  it('leaves the rows of a path it cannot judge (a symlink to nowhere) alone', async () => {
    const store = await db.openStore();
    const r = await newRepo(files);
    await r.sync(store);
    const { symlink, rm } = await import('node:fs/promises');
    const { join } = await import('node:path');
    await rm(join(r.root, CLEAN_PATH));
    await symlink('nowhere.md', join(r.root, CLEAN_PATH));
    const counted = countingSource(r.root);
    const result = await r.sync(store, { source: counted.source, paths: [CLEAN_PATH] });
    expect(result.plan.counts.removed).toBe(0);
    expect(await liveWorkstreams(store, r.slug)).toEqual([CLEAN_PATH, SEED_PATH].sort());
  });
});
