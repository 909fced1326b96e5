import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, expect, it } from 'vitest';

import { DEFAULT_MIGRATIONS_DIR, migrateDatabase, readMigrationFiles, readMigrationStatus } from '../../src/db/migrate.js';
import type { Store } from '../../src/db/store.js';
import { isSyncError } from '../../src/model/errors.js';
import { describeEachDatabase } from '../support/databases.js';
import { startHolder } from './children/spawn-child.js';

/** Raw SQL through the store's own connection. */
async function rows<T>(store: Store, sql: string): Promise<T[]> {
  return store.prisma.$queryRawUnsafe<T[]>(sql);
}

async function tableExists(store: Store, table: string): Promise<boolean> {
  const [row] = await rows<{ present: boolean }>(store, `SELECT to_regclass('${table}') IS NOT NULL AS present`);
  return row?.present === true;
}

let shipped: string[];
let scratch: string;
beforeAll(async () => {
  shipped = (await readMigrationFiles()).map((file) => file.name);
  scratch = await mkdtemp(join(tmpdir(), 'wps-migrations-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** A copy of the shipped migrations plus extra ones. */
async function migrationsWith(label: string, extra: Record<string, string>): Promise<string> {
  const dir = join(scratch, label);
  await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    await mkdir(join(dir, name), { recursive: true });
    await writeFile(join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

// Semicolons inside a literal and a function body: a naive split on ";" would break this.
const EXTRA_OK = `CREATE TABLE "wps_extra" ("id" INTEGER NOT NULL, "note" TEXT NOT NULL DEFAULT 'a;b');
CREATE FUNCTION wps_extra_note() RETURNS text AS $$ SELECT 'x; y'::text $$ LANGUAGE sql;
`;
const EXTRA_FAILING = `CREATE TABLE "wps_partial" ("id" INTEGER NOT NULL);
INSERT INTO "wps_partial" VALUES (1);
SELECT 1 / 0;
`;

it('ships at least the initial migration and a postgresql migration_lock.toml', async () => {
  expect(shipped.length).toBeGreaterThan(0);
  expect(shipped[0]).toMatch(/^\d{14}_init$/);
  expect(await readFile(join(DEFAULT_MIGRATIONS_DIR, 'migration_lock.toml'), 'utf8')).toMatch(/provider = "postgresql"/);
  expect((await readdir(DEFAULT_MIGRATIONS_DIR)).sort()).toEqual([...shipped, 'migration_lock.toml'].sort());
});

describeEachDatabase('migrateDatabase', (db) => {
  it('applies every migration and records it as prisma migrate deploy does', async () => {
    const target = await db.createDatabase();
    const store = await target.openStore({ migrate: false });
    expect(await tableExists(store, 'workstreams')).toBe(false);

    const result = await migrateDatabase(store);
    expect(result.applied).toEqual(shipped);

    const recorded = await rows<{
      id: string;
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
      applied_steps_count: number;
      logs: string | null;
    }>(
      store,
      'SELECT id, migration_name, checksum, finished_at, rolled_back_at, applied_steps_count, logs FROM _prisma_migrations ORDER BY started_at',
    );
    const files = await readMigrationFiles();
    expect(recorded.map((row) => row.migration_name)).toEqual(shipped);
    for (const [index, row] of recorded.entries()) {
      const sql = await readFile(join(DEFAULT_MIGRATIONS_DIR, shipped[index] ?? '', 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.checksum).toBe(files[index]?.checksum);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.logs).toBeNull();
    }
    for (const table of ['domains', 'repositories', 'workstreams', 'phases', 'tasks', 'dependencies', 'adrs', 'sync_runs', 'events']) {
      expect(await tableExists(store, table)).toBe(true);
    }
  });

  it('is a no-op when run again', async () => {
    const store = await db.openStore(); // openStore migrates
    const before = await rows<{ n: bigint }>(store, 'SELECT count(*) AS n FROM _prisma_migrations');
    expect(await migrateDatabase(store)).toEqual({ applied: [] });
    expect(await migrateDatabase(store)).toEqual({ applied: [] });
    const after = await rows<{ n: bigint }>(store, 'SELECT count(*) AS n FROM _prisma_migrations');
    expect(Number(after[0]?.n)).toBe(Number(before[0]?.n));
    expect(Number(after[0]?.n)).toBe(shipped.length);
    await store.close();
  });

  it('reports applied and pending migrations, then applies the pending one', async () => {
    const target = await db.createDatabase();
    const store = await target.openStore();
    const dir = await migrationsWith('pending', { '29990101000000_extra': EXTRA_OK });

    const status = await readMigrationStatus(store, dir);
    expect(status.applied.map((m) => m.name)).toEqual(shipped);
    expect(status.applied.every((m) => m.finishedAt instanceof Date && !Number.isNaN(m.finishedAt.getTime()))).toBe(true);
    expect(status.pending).toEqual(['29990101000000_extra']);
    expect(status.failed).toEqual([]);
    expect(status.modified).toEqual([]);
    expect(status.unknown).toEqual([]);

    expect(await migrateDatabase(store, dir)).toEqual({ applied: ['29990101000000_extra'] });
    const [note] = await rows<{ note: string }>(store, 'SELECT wps_extra_note() AS note');
    expect(note?.note).toBe('x; y');
    const after = await readMigrationStatus(store, dir);
    expect(after.pending).toEqual([]);
    expect(after.applied.map((m) => m.name)).toEqual([...shipped, '29990101000000_extra']);

    // Against the shipped directory, the extra migration is unknown (the database is "newer").
    expect((await readMigrationStatus(store)).unknown).toEqual(['29990101000000_extra']);
  });

  it('reports a failed migration by name, keeps none of its changes, and retries it once fixed', async () => {
    const target = await db.createDatabase();
    const store = await target.openStore();
    const name = '29990101000000_breaks';
    const failing = await migrationsWith('failing', { [name]: EXTRA_FAILING });

    const error = await migrateDatabase(store, failing).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSyncError(error, 'MIGRATION_FAILED')).toBe(true);
    expect((error as Error).message).toContain(name);
    expect((error as Error).message).toMatch(/division by zero/);
    expect(await tableExists(store, 'wps_partial')).toBe(false);

    const status = await readMigrationStatus(store, failing);
    expect(status.failed).toEqual([name]);
    expect(status.pending).toEqual([]);
    expect(status.applied.map((m) => m.name)).toEqual(shipped);

    const fixed = await migrationsWith('fixed', { [name]: 'CREATE TABLE "wps_partial" ("id" INTEGER NOT NULL);\n' });
    expect(await migrateDatabase(store, fixed)).toEqual({ applied: [name] });
    expect(await tableExists(store, 'wps_partial')).toBe(true);
    const final = await readMigrationStatus(store, fixed);
    expect(final.failed).toEqual([]);
    expect(final.applied.map((m) => m.name)).toEqual([...shipped, name]);
  });

  it('applies pending migrations when a store is opened, and reopening leaves them alone', async () => {
    const target = await db.createDatabase();
    const first = await target.openStore();
    expect((await readMigrationStatus(first)).pending).toEqual([]);
    const [before] = await rows<{ finished: Date }>(first, 'SELECT max(finished_at) AS finished FROM _prisma_migrations');
    await first.close();
    const second = await target.openStore();
    const [after] = await rows<{ finished: Date }>(second, 'SELECT max(finished_at) AS finished FROM _prisma_migrations');
    expect(after?.finished).toEqual(before?.finished);
    expect(await second.prisma.domain.count()).toBe(0);
  });

  it.runIf(db.kind === 'postgres')('serialises migrators in concurrent processes: each migration is applied once', async () => {
    const target = await db.createDatabase();
    const url = target.url ?? '';
    const children = await Promise.all([1, 2, 3].map(() => startHolder(['open-and-exit', url])));
    expect(await Promise.all(children.map((child) => child.exited))).toEqual([0, 0, 0]);
    const store = await target.openStore({ migrate: false });
    const recorded = await rows<{ migration_name: string; finished_at: Date | null }>(
      store,
      'SELECT migration_name, finished_at FROM _prisma_migrations',
    );
    expect(recorded.map((r) => r.migration_name)).toEqual(shipped);
    expect(recorded.every((r) => r.finished_at !== null)).toBe(true);
  });
});
