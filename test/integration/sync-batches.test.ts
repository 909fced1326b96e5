// A sync of many changed files plans and applies them in parts inside its one transaction (so it never
// holds every file's rows at once). Planned one file per part, every scenario must leave the mirror,
// the files and the reported counts exactly as one plan of all the files does, including the cases
// where a row is claimed in a later part than the one that loaded it (moves), and a refusal after
// parts were applied must leave the mirror as it was.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { describeEachDatabase, type DatabaseTarget } from '../support/databases.js';
import { createTempRepo, type TempRepo } from '../support/sync-harness.js';
import { corpusA, corpusB, readRepoFiles, workplanPath, workplanText, writeRepoFiles, type Files } from '../reliability/support/corpus.js';
import { digestMirror, diffDigests, FILE_HASH_COLUMNS, storeQuery, SYNC_BOOKKEEPING } from '../reliability/support/mirror-digest.js';
import { isSyncError } from '../../src/model/errors.js';
import type { Store } from '../../src/db/store.js';
import type { SyncResult } from '../../src/reconcile/sync-result.js';

const SLUG = 'batched-plan';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

describeEachDatabase('a sync planned in parts', (db) => {
  // The same repository twice: synced in parts of one file, and as one plan.
  const sides: Array<{ name: string; planBatchFiles: number; repo: TempRepo; target: DatabaseTarget; store: Store }> = [];
  beforeAll(async () => {
    for (const [name, planBatchFiles] of [
      ['one file per part', 1],
      ['one plan', 10_000],
    ] as const) {
      const target = await db.createDatabase();
      sides.push({ name, planBatchFiles, repo: await createTempRepo({}, SLUG), target, store: await target.openStore() });
    }
  });
  afterAll(async () => {
    for (const side of sides.splice(0)) {
      await side.store.close();
      await side.repo.dispose();
    }
  });

  const digest = (store: Store) =>
    digestMirror(storeQuery(store), {
      withoutUuids: true,
      withoutTables: SYNC_BOOKKEEPING.withoutTables,
      withoutColumns: [...SYNC_BOOKKEEPING.withoutColumns, ...FILE_HASH_COLUMNS, 'repositories.root'],
    });

  /** Runs `change` on both repositories, syncs both, and checks they agree: mirror, files, counts. */
  const step = async (change: (repo: TempRepo) => Promise<void>, options: { allowMassRemoval?: boolean } = {}) => {
    const results: Array<SyncResult | Error> = [];
    for (const side of sides) {
      await change(side.repo);
      results.push(
        await side.repo.sync(side.store, { planBatchFiles: side.planBatchFiles, workers: 0, ...options }).catch((error: Error) => error),
      );
    }
    const [parts, whole] = results;
    if (whole instanceof Error) {
      expect(parts instanceof Error ? parts.message : parts).toBe(whole.message);
    } else {
      expect(parts instanceof Error ? parts.message : parts!.plan.counts).toEqual(whole!.plan.counts);
      expect((parts as SyncResult).plan.workstreams.map((w) => [w.fields.filePath, w.action, w.revived])).toEqual(
        whole!.plan.workstreams.map((w) => [w.fields.filePath, w.action, w.revived]),
      );
      expect((parts as SyncResult).plan.removedWorkstreams.map((w) => w.filePath).sort()).toEqual(
        whole!.plan.removedWorkstreams.map((w) => w.filePath).sort(),
      );
    }
    const [a, b] = await Promise.all(sides.map((side) => digest(side.store)));
    expect(a!.digest, diffDigests(a!, b!)).toBe(b!.digest);
    const [filesA, filesB] = await Promise.all(sides.map((side) => readTree(side.repo)));
    expect(filesA).toEqual(filesB);
    return results;
  };

  it('creates, updates, removes and writes ids back as one plan does', async () => {
    const [cold] = await step((repo) => writeRepoFiles(repo.root, corpusA(12, 5, 4)));
    expect((cold as SyncResult).plan.counts.created).toBeGreaterThan(60);
    const [next] = await step((repo) => writeRepoFiles(repo.root, corpusB(12, 5, 4)));
    const counts = (next as SyncResult).plan.counts;
    expect(counts).toMatchObject({ removed: 6, idsAssigned: 16 });
  }, 60_000);

  it('moves a workplan to a path planned in a later part (and one to an earlier part) without removing it', async () => {
    const [moved] = await step(async (repo) => {
      await rename(path.join(repo.root, workplanPath(2)), path.join(repo.root, 'workplans/zz-moved-last.md'));
      await rename(path.join(repo.root, workplanPath(9)), path.join(repo.root, 'workplans/00-moved-first.md'));
      // A new workplan takes the freed path (its own id): planned before the moved file's new path.
      await repo.write(workplanPath(2), workplanText(40, { tasks: 2, ids: false }));
    });
    const result = moved as SyncResult;
    expect(result.plan.counts.removed).toBe(0);
    expect(result.plan.workstreams.filter((w) => w.revived)).toEqual([]);
    expect(result.plan.workstreams.map((w) => [w.fields.filePath, w.action]).sort()).toEqual([
      ['workplans/00-moved-first.md', 'update'],
      [workplanPath(2), 'create'],
      ['workplans/zz-moved-last.md', 'update'],
    ]);
  }, 60_000);

  it('refuses a mass removal after earlier parts were applied, and the mirror is as it was', async () => {
    const before = await Promise.all(sides.map((side) => digest(side.store)));
    const [refused] = await step(async (repo) => {
      // Two changed files (the first part is applied before the second is planned), most files gone.
      for (const n of [3, 4])
        await repo.write(workplanPath(n), workplanText(n, { tasks: 5, ids: true, status: () => 'done', dependsOn: n - 1 }));
      for (const n of [1, 5, 6, 7, 8, 10, 11]) await repo.remove(workplanPath(n));
    });
    expect(isSyncError(refused, 'MASS_REMOVAL_REFUSED')).toBe(true);
    const after = await Promise.all(sides.map((side) => digest(side.store)));
    expect(after.map((d) => d.digest)).toEqual(before.map((d) => d.digest));
    const [allowed] = await step(async () => undefined, { allowMassRemoval: true });
    expect((allowed as SyncResult).plan.counts.removed).toBeGreaterThan(7);
  }, 60_000);
});

/** Every file of the repository, uuids masked (each side assigns its own). */
async function readTree(repo: TempRepo): Promise<Files> {
  const files = await readRepoFiles(repo.root);
  return Object.fromEntries([...files].map(([p, bytes]) => [p, bytes.toString('utf8').replace(UUID, '<uuid>')]));
}
