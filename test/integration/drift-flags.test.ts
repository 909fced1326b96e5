// Drift is found through the mirror's `drift_suspected` flags (set by triggers on any write outside the
// engine), so a sync re-reads only the files whose rows were touched. These tests pin both halves: every
// kind of outside write is caught, and the engine's own writes are not.
import { beforeAll, expect, it } from 'vitest';
import { migrateDatabase } from '../../src/db/migrate.js';
import type { Store } from '../../src/db/store.js';
import { describeEachDatabase } from '../support/databases.js';
import { queryRows, readSampleFiles, SAMPLE, tempRepos } from '../support/sync-harness.js';

const SEED_PATH = SAMPLE.seedPath;
const SEED_WS = '2271eb55-62ca-4bcc-8d9f-f9aacd6922d6';
const CLEAN_PATH = SAMPLE.cleanPath;
const ADR_PATH = SAMPLE.adrPath;

let files: Record<string, string>;
beforeAll(async () => {
  files = await readSampleFiles();
});

async function flagged(store: Store, slug: string): Promise<string[]> {
  const rows = await queryRows<{ path: string }>(
    store,
    `SELECT file_path AS path FROM workstreams w JOIN repositories r ON r.id = w.repository_id WHERE r.slug = $1 AND w.drift_suspected
     UNION ALL
     SELECT file_path FROM adrs a JOIN repositories r ON r.id = a.repository_id WHERE r.slug = $1 AND a.drift_suspected
     ORDER BY 1`,
    slug,
  );
  return rows.map((r) => r.path);
}

describeEachDatabase('drift flags', (db) => {
  const newRepo = tempRepos();
  const repo = () => newRepo(files);

  it("are never set by the engine's own writes (cold sync, id write-back, edits, removals)", async () => {
    const store = await db.openStore();
    const r = await repo();
    expect((await r.sync(store)).outcome).toBe('applied');
    expect(await flagged(store, r.slug)).toEqual([]);
    await r.write(SEED_PATH, files[SEED_PATH]!.replace('name VARCHAR(200) NOT NULL', 'name VARCHAR(250) NOT NULL'));
    await r.remove(CLEAN_PATH);
    expect((await r.sync(store)).plan.counts.updated).toBeGreaterThan(0);
    expect(await flagged(store, r.slug)).toEqual([]);
    const third = await r.sync(store);
    expect([third.outcome, third.files.parsed]).toEqual(['noop', 0]);
  });

  it('an outside update of a task flags its workstream; the next sync re-reads only that file, restores the row and clears the flag', async () => {
    const store = await db.openStore();
    const r = await repo();
    await r.sync(store);
    await store.prisma.$executeRawUnsafe(
      `UPDATE tasks SET status = 'todo' WHERE file_id = 'CUST-WP-0005-T01' AND workstream_id = $1::uuid`,
      SEED_WS,
    );
    expect(await flagged(store, r.slug)).toEqual([SEED_PATH]);

    const result = await r.sync(store);
    expect(result.files.parsed).toBe(1);
    expect(result.plan.drift.map((d) => [d.fileId, d.field, d.mirrorValue, d.fileValue])).toEqual([
      ['CUST-WP-0005-T01', 'status', 'todo', 'done'],
    ]);
    expect(await flagged(store, r.slug)).toEqual([]);
    const next = await r.sync(store);
    expect([next.outcome, next.files.parsed]).toEqual(['noop', 0]);
  });

  it('an outside delete or insert of a task row, or an update of the workstream row, is caught', async () => {
    const store = await db.openStore();
    const r = await repo();
    await r.sync(store);
    const [task] = await queryRows<{ id: string }>(
      store,
      `SELECT id::text AS id FROM tasks WHERE file_id = 'CUST-WP-0005-T02' AND workstream_id = $1::uuid`,
      SEED_WS,
    );
    await store.prisma.$executeRawUnsafe(`DELETE FROM tasks WHERE id = $1::uuid`, task!.id);
    expect(await flagged(store, r.slug)).toEqual([SEED_PATH]);
    await r.sync(store);
    const [back] = await queryRows<{ id: string; status: string }>(
      store,
      `SELECT id::text AS id, status FROM tasks WHERE file_id = 'CUST-WP-0005-T02' AND removed_at IS NULL`,
    );
    expect(back).toEqual({ id: task!.id, status: 'done' }); // recreated with the id the file carries
    expect(await flagged(store, r.slug)).toEqual([]);

    await store.prisma.$executeRawUnsafe(`UPDATE workstreams SET title = 'Renamed in the database' WHERE id = $1::uuid`, SEED_WS);
    expect(await flagged(store, r.slug)).toEqual([SEED_PATH]);
    expect((await r.sync(store)).plan.counts.drifted).toBe(1);
    expect(await flagged(store, r.slug)).toEqual([]);
  });

  it('an outside update of an ADR row is caught and restored', async () => {
    const store = await db.openStore();
    const r = await repo();
    await r.sync(store);
    await store.prisma.$executeRawUnsafe(`UPDATE adrs SET status = 'deprecated' WHERE file_path = $1`, ADR_PATH);
    expect(await flagged(store, r.slug)).toEqual([ADR_PATH]);
    const result = await r.sync(store);
    expect(result.files.parsed).toBe(1);
    expect(result.plan.counts.drifted).toBe(1);
    expect(await flagged(store, r.slug)).toEqual([]);
  });

  it('a change reverted behind the file is re-read once, finds nothing to restore, and is cleared', async () => {
    const store = await db.openStore();
    const r = await repo();
    await r.sync(store);
    await store.prisma.$executeRawUnsafe(`UPDATE tasks SET status = 'todo' WHERE file_id = 'CUST-WP-0005-T03'`);
    await store.prisma.$executeRawUnsafe(`UPDATE tasks SET status = 'done' WHERE file_id = 'CUST-WP-0005-T03'`);
    const result = await r.sync(store);
    expect([result.outcome, result.files.parsed, result.plan.counts.drifted]).toEqual(['noop', 1, 0]);
    expect(await flagged(store, r.slug)).toEqual([]);
    expect((await r.sync(store)).files.parsed).toBe(0);
  });

  it('a dry run reports the drift and leaves the flag set', async () => {
    const store = await db.openStore();
    const r = await repo();
    await r.sync(store);
    await store.prisma.$executeRawUnsafe(`UPDATE tasks SET status = 'todo' WHERE workstream_id = $1::uuid`, SEED_WS);
    expect((await r.sync(store, { dryRun: true })).plan.counts.drifted).toBe(11);
    expect(await flagged(store, r.slug)).toEqual([SEED_PATH]);
  });

  it('the migration that adds the flags marks rows that had already drifted, and only those', async () => {
    const target = await db.createDatabase();
    const store = await target.openStore();
    const r = await repo();
    await r.sync(store);
    // Back to the schema before the flags, with the synced rows in place; drift a row there.
    await store.prisma.$executeRawUnsafe(`DROP TRIGGER workstreams_flag_drift ON workstreams`);
    await store.prisma.$executeRawUnsafe(`DROP TRIGGER adrs_flag_drift ON adrs`);
    await store.prisma.$executeRawUnsafe(`DROP TRIGGER tasks_flag_drift ON tasks`);
    await store.prisma.$executeRawUnsafe(`DROP TRIGGER dependencies_flag_drift ON dependencies`);
    await store.prisma.$executeRawUnsafe(`DROP FUNCTION workplan_flag_drift_self()`);
    await store.prisma.$executeRawUnsafe(`DROP FUNCTION workplan_flag_drift_workstream()`);
    await store.prisma.$executeRawUnsafe(`ALTER TABLE workstreams DROP COLUMN drift_suspected`);
    await store.prisma.$executeRawUnsafe(`ALTER TABLE adrs DROP COLUMN drift_suspected`);
    await store.prisma.$executeRawUnsafe(`DELETE FROM _prisma_migrations WHERE migration_name LIKE '%_drift_flags'`);
    await store.prisma.$executeRawUnsafe(`UPDATE tasks SET status = 'blocked' WHERE file_id = 'CUST-WP-0005-T04'`);
    await store.prisma.$executeRawUnsafe(`UPDATE adrs SET title = 'Changed' WHERE file_path = $1`, ADR_PATH);

    const migrated = await migrateDatabase(store);
    expect(migrated.applied).toHaveLength(1);
    expect(migrated.applied[0]).toMatch(/_drift_flags$/);
    expect(await flagged(store, r.slug)).toEqual([ADR_PATH, SEED_PATH]);
    const result = await r.sync(store);
    expect([result.files.parsed, result.plan.counts.drifted]).toEqual([2, 2]);
    expect(await flagged(store, r.slug)).toEqual([]);
  });
});
