// A full sync with the working tree's stat cache reads only the files that changed: its cost follows
// the change, not the repository (benchmark target "one-file"), and it never misses an edit.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { openFileHashCache } from '../../src/cache/file-hash-cache.js';
import { workingTreeSource } from '../../src/fs/source-files.js';
import type { SourceProvider } from '../../src/model/source-file.js';
import { describeEachDatabase } from '../support/databases.js';
import { queryRows, readSampleFiles, SAMPLE, tempRepos } from '../support/sync-harness.js';

const SEED_PATH = SAMPLE.seedPath;
const CLEAN_PATH = SAMPLE.cleanPath;
const ADR_PATH = SAMPLE.adrPath;

let files: Record<string, string>;
beforeAll(async () => {
  files = await readSampleFiles();
});

/** The working tree with a stat cache whose clock runs ahead (the files look old enough to trust), counting reads. */
async function countingSource(root: string): Promise<{ source: SourceProvider; reads: string[] }> {
  const hashes = await openFileHashCache(root, join(root, '.workplan', 'cache'), () => Date.now() + 60_000);
  const inner = workingTreeSource(root, { hashes });
  const reads: string[] = [];
  return {
    reads,
    source: {
      ...inner,
      read: (path, kind, config) => {
        reads.push(path);
        return inner.read(path, kind, config);
      },
    },
  };
}

describeEachDatabase('sync with the stat cache', (db) => {
  const newRepo = tempRepos();

  it('reads nothing when nothing changed, and only the edited file after an edit', async () => {
    const store = await db.openStore();
    const r = await newRepo(files);
    const counted = await countingSource(r.root);
    const sync = () => r.sync(store, { source: counted.source, newId: randomUUID });

    const first = await sync();
    expect(counted.reads.sort()).toEqual(Object.keys(files).sort());
    // Files the sync wrote ids into are read once more (a file just written is never trusted by its stat).
    const written = [...first.writtenHashes.keys()];
    expect(written).toEqual([CLEAN_PATH]);
    counted.reads.length = 0;
    expect((await sync()).outcome).toBe('noop');
    expect(counted.reads).toEqual(written);

    counted.reads.length = 0;
    expect((await sync()).outcome).toBe('noop');
    expect(counted.reads).toEqual([]);

    await r.write(SEED_PATH, files[SEED_PATH]!.replace('name VARCHAR(200) NOT NULL', 'name VARCHAR(250) NOT NULL'));
    const edited = await sync();
    expect(counted.reads).toEqual([SEED_PATH]);
    expect(edited.plan.counts.updated).toBeGreaterThan(0);

    // Drift behind an unchanged file: that file is read (and only it), though its stat is known.
    counted.reads.length = 0;
    await store.prisma.$executeRawUnsafe(`UPDATE adrs SET status = 'deprecated' WHERE file_path = $1`, ADR_PATH);
    const restored = await sync();
    expect(counted.reads).toEqual([ADR_PATH]);
    expect(restored.plan.counts.drifted).toBe(1);
    const [adr] = await queryRows<{ status: string }>(store, `SELECT status FROM adrs WHERE file_path = $1`, ADR_PATH);
    expect(adr?.status).not.toBe('deprecated');
  });
});
