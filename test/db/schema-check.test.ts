// A mirror whose schema was changed by hand is named, not crashed on: opening it lists each
// difference from what the migrations make (SCHEMA_MISMATCH, exit 9) before anything is touched; an
// unchanged one is known by its recorded fingerprint, without the slow comparison.
import { afterAll, expect, it } from 'vitest';
import { describeEachDatabase, type DatabaseTarget } from '../support/databases.js';
import { isSyncError } from '../../src/model/errors.js';
import { openStore, type Store } from '../../src/db/store.js';
import { MIRROR_TABLES, readEngineSummary, readFingerprints, verifySchema } from '../../src/db/schema-check.js';
import type { QueryFn } from '../../src/db/migrate.js';

const queryOf =
  (store: Store): QueryFn =>
  <Row>(sql: string, params: unknown[] = []) =>
    store.sql.db.$queryRawUnsafe<Row[]>(sql, ...params) as Promise<Row[]>;

/** Opens the target's database itself (not the suite's cached store), so it can be closed and reopened. */
const open = (target: DatabaseTarget) =>
  openStore({ ...(target.url ? { databaseUrl: target.url } : {}), embeddedDir: target.embeddedDir, waitForLockMs: 5_000 });

describeEachDatabase('the mirror schema check', (db) => {
  const opened: Store[] = [];
  afterAll(() => Promise.allSettled(opened.map((s) => s.close())));
  const openTracked = async (target: DatabaseTarget) => {
    const store = await open(target);
    opened.push(store);
    return store;
  };

  it('knows exactly the tables the migrations create, and records the fingerprint of a fresh mirror', async () => {
    const target = await db.createDatabase();
    const store = await openTracked(target);
    const tables = await queryOf(store)<{ name: string }>(
      `SELECT relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind = 'r' AND relname <> '_prisma_migrations' ORDER BY relname`,
    );
    expect(tables.map((t) => t.name)).toEqual([...MIRROR_TABLES]);
    const { live, recorded } = await readFingerprints(queryOf(store));
    expect(recorded).toBe(live);
    await store.close();
  });

  it('refuses a mirror changed by hand, listing every difference, and leaves tables that are not its own alone', async () => {
    const target = await db.createDatabase();
    const store = await openTracked(target);
    for (const ddl of [
      'CREATE TABLE my_own_report (x int)',
      'ALTER TABLE tasks DROP COLUMN priority',
      'DROP TABLE events',
      'DROP TRIGGER tasks_flag_drift ON tasks',
      'ALTER TABLE adrs DISABLE TRIGGER adrs_flag_drift',
    ]) {
      await store.sql.db.$executeRawUnsafe(ddl);
    }
    await store.close();
    const refused = await open(target).then(
      (s) => {
        opened.push(s);
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(isSyncError(refused, 'SCHEMA_MISMATCH')).toBe(true);
    const lines = String((refused as Error).message)
      .split('\n')
      .slice(1)
      .map((l) => l.replace(/^\s+- /, ''));
    expect(lines.sort()).toEqual([
      "adrs: trigger adrs_flag_drift differs from the migrations' (it is disabled)",
      'removed table events',
      'tasks: removed column `priority`',
      'tasks: trigger tasks_flag_drift is missing',
    ]);
  });

  it('a mirror whose fingerprint was never recorded (an older version made it) is compared once, then known', async () => {
    const target = await db.createDatabase();
    const store = await openTracked(target);
    await store.sql.db.$executeRawUnsafe('CREATE TABLE my_own_report (x int)');
    await store.sql.db.$executeRawUnsafe('DELETE FROM schema_state');
    expect((await readFingerprints(queryOf(store))).recorded).toBeUndefined();
    // The full comparison finds no difference (the foreign table is not one) and records the fingerprint.
    await verifySchema(store.migrationTarget, queryOf(store), store.describe);
    await store.close();
    const reopened = await openTracked(target);
    const { live, recorded } = await readFingerprints(queryOf(reopened));
    expect(recorded).toBe(live);
    await reopened.close();
  });
});

it('reads the schema engine summary as one line per difference, without repeating a removed table', () => {
  const stdout =
    '\n[-] Removed tables\n  - events\n\n[*] Changed the `events` table\n  [-] Removed foreign key on columns (repository_id)\n\n[*] Changed the `tasks` table\n  [-] Removed column `priority`\n  [+] Added index on columns (title)\n';
  expect(readEngineSummary(stdout)).toEqual([
    'removed table events',
    'tasks: removed column `priority`',
    'tasks: added index on columns (title)',
  ]);
  expect(readEngineSummary('No difference detected.\n')).toEqual([]);
});
