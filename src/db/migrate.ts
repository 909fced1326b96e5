// Applies prisma/migrations/* to a store exactly as `prisma migrate deploy` would (same
// `_prisma_migrations` rows, same checksums), through the wasm schema engine, and reports status.
//
// Safety: one migrator at a time per Postgres database (the session advisory lock 72707369, the one
// `prisma migrate deploy` takes, held on the migration connection; an embedded store is already
// exclusive to its process); each migration runs as one transaction (see migration-connection.ts), so
// a failure leaves the schema as the previous migration left it; running again is a no-op when
// nothing is pending. Checking that nothing is pending costs one query: the wasm engine (~100 ms to
// load) is only started when there is work to do.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

import { SyncError } from '../model/errors.js';
import { redactMessage } from './connection-url.js';
import { toUnreachableError } from './database-errors.js';
import type { MigrationConnection, MigrationTarget } from './migration-connection.js';

// The migration connection (its drivers) and the wasm schema engine are loaded only when a status is
// read or a migration runs: the check on every open (needsMigration) needs neither.
const openMigrationConnection = async (target: MigrationTarget) =>
  (await import('./migration-connection.js')).openMigrationConnection(target);

export type { MigrationTarget } from './migration-connection.js';

/** The migrations shipped with this package: `../../prisma/migrations` from both src/db and dist/db. */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations/', import.meta.url));

/** The advisory lock key `prisma migrate` uses; sharing it serialises us with the Prisma CLI too. */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

/** A migration directory on disk. */
export interface MigrationFile {
  /** The directory name, e.g. `20260101000000_init`. */
  name: string;
  /** The content of its migration.sql. */
  sql: string;
  /** sha256 of migration.sql, hex, as Prisma records it in `_prisma_migrations.checksum`. */
  checksum: string;
}

/** Where the database stands relative to a migrations directory. */
export interface MigrationStatus {
  /** Successfully applied migrations, oldest first. */
  applied: Array<{ name: string; finishedAt: Date; checksum: string }>;
  /** In the directory, not applied yet (failed ones excluded), in order. */
  pending: string[];
  /** Started and not finished, nor rolled back: they failed (their transaction was rolled back). */
  failed: string[];
  /** Applied, but migration.sql has changed since. */
  modified: string[];
  /** Applied to the database, but unknown to this directory (the database is newer than this package). */
  unknown: string[];
}

/** What can be migrated: anything with a migration target (a Store), or a target itself. */
export type Migratable = { readonly migrationTarget: MigrationTarget } | MigrationTarget;

export interface MigrateOptions {
  /** How long to wait for another process's migration, in ms (default 60 s). */
  lockWaitMs?: number;
  /** Called once if we have to wait for another migrator. */
  onWait?: (message: string) => void;
  /** Receives the schema engine's log lines (JSON), for debugging. */
  onEngineLog?: (line: string) => void;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
  started_at: Date | string;
  logs: string | null;
}

/** Reads the migration directories (those holding a migration.sql), sorted by name as Prisma does. */
export async function readMigrationFiles(migrationsDir: string = DEFAULT_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  let entries;
  try {
    entries = await readdir(migrationsDir, { withFileTypes: true });
  } catch (error) {
    throw new SyncError('MIGRATION_FAILED', `Cannot read the migrations directory ${migrationsDir}: ${(error as Error).message}`, {
      hint: 'The package installation looks incomplete; reinstall workplan-sync.',
      cause: error,
    });
  }
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    let sql: string;
    try {
      sql = await readFile(join(migrationsDir, name, 'migration.sql'), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    files.push({ name, sql, checksum: createHash('sha256').update(sql, 'utf8').digest('hex') });
  }
  return files;
}

/** Compares the database's `_prisma_migrations` with a migrations directory. One query. */
export async function readMigrationStatus(target: Migratable, migrationsDir: string = DEFAULT_MIGRATIONS_DIR): Promise<MigrationStatus> {
  const files = await readMigrationFiles(migrationsDir);
  const connection = await openMigrationConnection(targetOf(target));
  try {
    return computeStatus(files, await readMigrationRows(connection));
  } catch (error) {
    const t = targetOf(target);
    throw t.kind === 'postgres'
      ? toUnreachableError(error, t.databaseUrl.redacted, t.databaseUrl)
      : toUnreachableError(error, 'the embedded store');
  } finally {
    await connection.close().catch(() => {});
  }
}

/** Whether anything is pending or failed: the cheap check `openStore` runs on every open. */
export async function needsMigration(query: QueryFn, migrationsDir: string = DEFAULT_MIGRATIONS_DIR): Promise<boolean> {
  const [files, rows] = await Promise.all([readMigrationFiles(migrationsDir), readRows(query)]);
  const status = computeStatus(files, rows);
  return status.pending.length > 0 || status.failed.length > 0;
}

/** A raw query on some connection. */
export type QueryFn = <Row>(sql: string, params?: unknown[]) => Promise<Row[]>;

let inProcess: Promise<unknown> = Promise.resolve();

/** Runs `fn` when no other use of the wasm schema engine runs in this process (the engine is shared). */
export function runSchemaEngineExclusively<T>(fn: () => Promise<T>): Promise<T> {
  const run = inProcess.then(fn);
  inProcess = run.catch(() => {});
  return run;
}

/**
 * Applies every pending migration, in order; returns the names applied (empty when up to date).
 * A failure throws SyncError MIGRATION_FAILED naming the migration; that migration was rolled back.
 */
export function migrateDatabase(
  target: Migratable,
  migrationsDir: string = DEFAULT_MIGRATIONS_DIR,
  options: MigrateOptions = {},
): Promise<{ applied: string[] }> {
  // One migration at a time in this process too: the wasm engine is shared.
  return runSchemaEngineExclusively(() => migrateExclusively(targetOf(target), migrationsDir, options));
}

async function migrateExclusively(target: MigrationTarget, migrationsDir: string, options: MigrateOptions): Promise<{ applied: string[] }> {
  const files = await readMigrationFiles(migrationsDir);
  const connection = await openMigrationConnection(target).catch((error: unknown) => {
    throw toMigrationError(error, undefined, target);
  });
  let current: string | undefined;
  try {
    if (target.kind === 'postgres') await takeMigrationLock(connection, options);
    // Re-read under the lock: another process may have just applied everything.
    let status = computeStatus(files, await readMigrationRows(connection));
    if (status.pending.length === 0 && status.failed.length === 0) return { applied: [] };

    const { NO_EXTERNAL_ENTITIES, startSchemaEngine } = await import('./schema-engine.js');
    const engine = await startSchemaEngine(connection.factory, { log: options.onEngineLog });
    try {
      // A failed record means its transaction was rolled back (migration-connection.ts): nothing of it
      // remains, so it is safe to retry. `prisma migrate deploy` would refuse (P3009) until resolved.
      for (const name of status.failed) {
        await engine.markMigrationRolledBack({ migrationName: name });
      }
      status = computeStatus(files, await readMigrationRows(connection));
      current = status.pending[0];
      const { appliedMigrationNames } = await engine.applyMigrations({
        migrationsList: {
          baseDir: migrationsDir,
          lockfile: { path: 'migration_lock.toml', content: await readLockfile(migrationsDir) },
          shadowDbInitScript: '',
          migrationDirectories: files.map((file) => ({
            path: file.name,
            migrationFile: { path: 'migration.sql', content: { tag: 'ok' as const, value: file.sql } },
          })),
        },
        filters: NO_EXTERNAL_ENTITIES,
      });
      return { applied: appliedMigrationNames };
    } catch (error) {
      // Name the migration that failed: the one left unfinished in the table, else the first pending one.
      const after = await readMigrationRows(connection).catch(() => undefined);
      const failed = after ? computeStatus(files, after).failed[0] : undefined;
      throw toMigrationError(connection.lastScriptError ?? error, failed ?? current, target);
    } finally {
      engine.free();
    }
  } catch (error) {
    throw toMigrationError(error, current, target);
  } finally {
    await connection.close().catch(() => {});
  }
}

async function takeMigrationLock(connection: MigrationConnection, options: MigrateOptions): Promise<void> {
  const waitMs = options.lockWaitMs ?? 60_000;
  const deadline = Date.now() + waitMs;
  let announced = false;
  for (;;) {
    const [row] = await connection.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [PRISMA_MIGRATE_LOCK_KEY]);
    if (row?.locked) return;
    if (!announced) {
      announced = true;
      options.onWait?.('Waiting for another process to finish migrating the database …');
    }
    if (Date.now() >= deadline) {
      throw new SyncError(
        'LOCK_UNAVAILABLE',
        `Another process has been migrating the database for over ${Math.round(waitMs / 1000)} s; gave up. The database was not changed.`,
        { hint: 'Retry when it has finished; if it is stuck, end its connection (pg_terminate_backend).' },
      );
    }
    await sleep(Math.min(200, Math.max(1, deadline - Date.now())));
  }
}

function targetOf(target: Migratable): MigrationTarget {
  return 'migrationTarget' in target ? target.migrationTarget : target;
}

async function readLockfile(migrationsDir: string): Promise<string | null> {
  try {
    return await readFile(join(migrationsDir, 'migration_lock.toml'), 'utf8');
  } catch {
    return null;
  }
}

function readMigrationRows(connection: MigrationConnection): Promise<MigrationRow[]> {
  return readRows(connection.query.bind(connection));
}

async function readRows(query: QueryFn): Promise<MigrationRow[]> {
  const [exists] = await query<{ present: boolean }>("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present");
  if (!exists?.present) return [];
  return query<MigrationRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at, started_at, logs FROM _prisma_migrations ORDER BY started_at, migration_name',
  );
}

function computeStatus(files: MigrationFile[], rows: MigrationRow[]): MigrationStatus {
  const live = rows.filter((row) => row.rolled_back_at === null);
  const applied = live.filter((row) => row.finished_at !== null);
  const appliedNames = new Set(applied.map((row) => row.migration_name));
  const failed = [...new Set(live.filter((row) => row.finished_at === null).map((row) => row.migration_name))].filter(
    (name) => !appliedNames.has(name),
  );
  const byName = new Map(files.map((file) => [file.name, file]));
  return {
    applied: applied.map((row) => ({
      name: row.migration_name,
      finishedAt: new Date(row.finished_at as Date | string),
      checksum: row.checksum,
    })),
    pending: files.map((file) => file.name).filter((name) => !appliedNames.has(name) && !failed.includes(name)),
    failed,
    modified: applied
      .filter((row) => {
        const file = byName.get(row.migration_name);
        return file !== undefined && !checksumMatches(file.sql, row.checksum);
      })
      .map((row) => row.migration_name),
    unknown: applied.map((row) => row.migration_name).filter((name) => !byName.has(name)),
  };
}

/** Prisma accepts a checksum of the script with either line ending. */
function checksumMatches(sql: string, checksum: string): boolean {
  const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
  return sha(sql) === checksum || sha(sql.replace(/\r\n/g, '\n')) === checksum || sha(sql.replace(/\r?\n/g, '\r\n')) === checksum;
}

function toMigrationError(error: unknown, migration: string | undefined, target: Migratable): SyncError {
  if (error instanceof SyncError) return error;
  const t = targetOf(target);
  const raw = error instanceof Error ? error.message : String(error);
  const message = t.kind === 'postgres' ? redactMessage(raw, t.databaseUrl) : raw;
  const firstLine = message.split('\n').find((line) => line.trim() !== '') ?? message;
  const what = migration ? `Migration ${migration} failed` : 'Migrating the database failed';
  return new SyncError(
    'MIGRATION_FAILED',
    `${what}: ${firstLine.trim()}. ${migration ? 'It was rolled back; earlier migrations stay applied.' : 'No migration was applied.'}`,
    {
      hint: 'Fix the cause (often missing privileges or a conflicting object in the database) and run again; failed migrations are retried.',
      cause: new Error(message),
    },
  );
}
