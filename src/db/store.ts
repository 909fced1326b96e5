// Opens the mirror database: Postgres when a URL is given, else the embedded PGlite store in a local
// directory (exclusive to one process; see embedded-lock.ts). Applies pending migrations on open.
// The one place that constructs PrismaClient. Never prints: waiting is reported through `onWait`.
// The drivers (Prisma, pg, PGlite: a third of a second to load) are imported when a store is opened,
// not with this module, so commands that never reach the mirror do not pay for them.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, isAbsolute, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';

import type { PGlite } from '@electric-sql/pglite';

import type { PrismaClient } from '../generated/prisma/client.js';
import { SyncError } from '../model/errors.js';
import { parseDatabaseUrl } from './connection-url.js';
import { pgDirectSql, pgliteDirectSql, type DirectSql } from './direct-sql.js';
import { closeOnSignals } from './close-on-signals.js';
import { copyEmbeddedDataDir, createEmbeddedDataDir, isNewDataDir } from './create-embedded-dir.js';
import { findEmbeddedTemplate, makeEmbeddedTemplate, templateCaches, templateKey, type TemplateCache } from './embedded-template.js';
import { checkEmbeddedDir, isEmbeddedDirOpenToOthers, restrictEmbeddedDirModes } from './embedded-dir-guard.js';
import { toUnreachableError } from './database-errors.js';
import { acquireEmbeddedLock } from './embedded-lock.js';
import { DEFAULT_MIGRATIONS_DIR, migrateDatabase, needsMigration, readMigrationFiles, type QueryFn } from './migrate.js';
import { ensureSchemaMatches, isSchemaKnownRight, recordSchemaFingerprint } from './schema-check.js';
import type { MigrationTarget } from './migration-connection.js';

/**
 * Prisma's query plan cache keys a raw statement by its parameters: a caller sending large raw payloads
 * through `Store.prisma` would have up to 1,000 of them kept alive. (The engine's own SQL does not go
 * through Prisma at all: direct-sql.ts.)
 */
const CLIENT_OPTIONS = { queryPlanCacheMaxSize: 0 } as const;

export type StoreKind = 'postgres' | 'embedded';

/**
 * An open mirror database. Always close it: an embedded store left open keeps the process from
 * exiting and blocks other processes (see withStore and closeOnSignals).
 */
export interface Store {
  readonly kind: StoreKind;
  readonly prisma: PrismaClient;
  /** For messages: the redacted URL, or the embedded directory. */
  readonly describe: string;
  /** How migrate.ts reaches this database (not enumerable: it holds the URL with its password). */
  readonly migrationTarget: MigrationTarget;
  /** The engine's own raw SQL, straight to the driver (direct-sql.ts; not enumerable). */
  readonly sql: DirectSql;
  /** Disconnects and, for the embedded store, releases its lock. Idempotent. */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** A postgresql:// URL; when absent (or empty), the embedded store is used. */
  databaseUrl?: string;
  /** Where databaseUrl came from, for messages: the environment variable's name (default DATABASE_URL). */
  databaseUrlSource?: string;
  /** Absolute path of the embedded store's data directory (created if missing). */
  embeddedDir: string;
  /** The repository root: the embedded store must lie inside it, symlinks resolved (embedded-dir-guard.ts). */
  root?: string;
  /** How long to wait for another process holding the embedded store or migrating, in ms (default 30 s). */
  waitForLockMs?: number;
  /** Called (once per wait) when we have to wait for another process. */
  onWait?: (message: string) => void;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
  /** Defaults to the migrations shipped with the package. */
  migrationsDir?: string;
  /** Postgres connect timeout in ms (default 5 s). */
  connectTimeoutMs?: number;
  /** How this process describes itself to a process waiting for the embedded store, e.g. "workplan watch". */
  command?: string;
  /** Called as slow steps start (creating the embedded store, applying migrations), for a progress line. */
  onProgress?: (message: string) => void;
  /**
   * Construct `Store.prisma` (default true). The engine's own SQL goes to the driver (direct-sql.ts):
   * the commands open without it, and skip loading Prisma's client (a tenth of a no-op sync's start-up).
   * Reading `prisma` of a store opened without it throws.
   */
  prismaClient?: boolean;
  /**
   * A new embedded store is a copy of the migrated template (default true; embedded-template.ts,
   * adr/0013), made once per installation. Only with the shipped migrations.
   */
  embeddedTemplate?: boolean;
  /** Where templates are looked for and made (default: the package's cache, then the user's). */
  templateCaches?: readonly TemplateCache[];
}

const DEFAULT_WAIT_MS = 30_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

let quickStart = false;

/**
 * PGlite's Postgres runs in this process, so its shared buffers are this process's memory, and they
 * stay resident once touched. Against its default of 128 MB, 16 MB cut the cold sync's peak RSS from
 * 920 to 823 MB at 10,000 workplans and from 652 to 536 MB at 1,000, with cold, no-op, one-file and
 * write-phase times unchanged: the pages it reads again are in the OS page cache. (bench, 2026-11-26)
 */
export const EMBEDDED_SHARED_BUFFERS = '16MB';

/**
 * Tunes this process for one short use of the mirror, such as the pre-commit hook's sync of a few
 * files. Process-wide; call it before the first store opens.
 * - WebAssembly (PGlite's Postgres, Prisma's query compiler: ~14 MB) is compiled by V8's baseline
 *   compiler only. The optimising tier, started in the background for every hot function, costs more
 *   CPU than a sub-second run can win back, competes for the cores, and holds the process at exit
 *   until its compiles finish: it doubled the CPU time of a one-file hook run (2.2 → 1.1 s).
 */
export function preferQuickStart(): void {
  if (quickStart) return;
  quickStart = true;
  setFlagsFromString('--liftoff-only');
}

/** Opens the store the options select, migrated to the current schema. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const url = options.databaseUrl?.trim();
  return url ? openPostgresStore(url, options) : openEmbeddedStore(options);
}

/**
 * Opens a store, runs `fn`, and always closes it, also on SIGINT/SIGTERM. Prefer this to a bare
 * openStore: an embedded store that is not closed keeps the process alive (PGlite re-arms internal
 * timers forever) and leaves its data directory to crash recovery.
 */
export async function withStore<T>(options: OpenStoreOptions, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(options);
  const unregister = closeOnSignals(store);
  try {
    return await fn(store);
  } finally {
    unregister();
    await store.close();
  }
}

async function openPostgresStore(rawUrl: string, options: OpenStoreOptions): Promise<Store> {
  const databaseUrl = parseDatabaseUrl(rawUrl, options.databaseUrlSource);
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const describe = `postgres ${databaseUrl.redacted}`;
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: databaseUrl.connectionString,
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: 'workplan-sync',
  });
  pool.on('error', () => {
    // A pooled idle connection broke (server restart): the next query reconnects or reports it.
  });
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw toUnreachableError(error, databaseUrl.redacted, databaseUrl);
  }
  const prisma = options.prismaClient === false ? undefined : await createPostgresClient(pool);
  const migrationTarget: MigrationTarget = { kind: 'postgres', databaseUrl, connectTimeoutMs };
  const store = makeStore('postgres', prisma, describe, migrationTarget, pgDirectSql(pool, pg.types), async () => {
    await prisma?.$disconnect().catch(() => {});
    await pool.end();
  });
  const query: QueryFn = async <Row>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as Row[];
  await migrateOnOpen(store, query, options);
  return store;
}

async function openEmbeddedStore(options: OpenStoreOptions): Promise<Store> {
  const dataDir = options.embeddedDir;
  if (!isAbsolute(dataDir)) {
    throw new SyncError('INVALID_INPUT', `The embedded store directory must be an absolute path, got ${JSON.stringify(dataDir)}.`);
  }
  await checkEmbeddedDir(dataDir, options.root);
  await mkdir(dirname(dataDir), { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const lock = await acquireEmbeddedLock(dataDir, {
    waitMs: options.waitForLockMs ?? DEFAULT_WAIT_MS,
    onWait: options.onWait,
    command: options.command,
  });
  let pglite: PGlite | undefined;
  try {
    const startParams = [...PGlite.defaultStartParams, '-c', `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`];
    if (await isNewDataDir(dataDir)) {
      const template = await embeddedTemplateFor(options);
      options.onProgress?.(`creating the embedded store in ${dataDir} (first use)…`);
      // From the template, else initdb in a child process (initdb's memory must not stay in this one).
      if (template) await copyEmbeddedDataDir(template, dataDir);
      else await createEmbeddedDataDir(dataDir, startParams);
    } else if (await isEmbeddedDirOpenToOthers(dataDir)) {
      await restrictEmbeddedDirModes(dataDir, { all: true }); // made before stores were private
    }
    pglite = new PGlite(dataDir, { startParams });
    await pglite.waitReady;
  } catch (error) {
    await pglite?.close().catch(() => {});
    lock.release();
    throw toUnreachableError(error, `embedded ${dataDir}`);
  }
  const db = pglite;
  const prisma = options.prismaClient === false ? undefined : await createEmbeddedClient(db);
  const store = makeStore('embedded', prisma, `embedded ${dataDir}`, { kind: 'embedded', pglite: db }, pgliteDirectSql(db), async () => {
    try {
      await prisma?.$disconnect().catch(() => {});
      if (!db.closed) await db.close();
    } finally {
      lock.release();
    }
  });
  const query: QueryFn = async <Row>(sql: string, params: unknown[] = []) => (await db.query<Row>(sql, params)).rows;
  await migrateOnOpen(store, query, options);
  return store;
}

/**
 * The migrated template a new store with these options is copied from: found, or made now (once per
 * installation; `npm run build` makes it ahead). Undefined when templates do not apply (other
 * migrations, no migration, turned off) or none could be made: the store is then created in place.
 */
async function embeddedTemplateFor(options: OpenStoreOptions): Promise<string | undefined> {
  if (options.embeddedTemplate === false || options.migrate === false) return undefined;
  if (options.migrationsDir !== undefined && resolve(options.migrationsDir) !== resolve(DEFAULT_MIGRATIONS_DIR)) return undefined;
  return prepareEmbeddedTemplate({
    ...(options.templateCaches ? { caches: options.templateCaches } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

/**
 * Finds or makes the migrated template for the shipped migrations; returns its data directory, or
 * undefined when none could be made (stores are then created in place, where a failure is reported
 * properly). It is made in a child process, so that neither initdb's nor the migration's memory stays
 * in this one; without the compiled child (under the TypeScript test runner) it is not made here.
 */
export async function prepareEmbeddedTemplate(
  options: { caches?: readonly TemplateCache[]; onProgress?: (message: string) => void } = {},
): Promise<string | undefined> {
  const key = templateKey(await readMigrationFiles(DEFAULT_MIGRATIONS_DIR));
  const caches = options.caches ?? templateCaches();
  const found = await findEmbeddedTemplate(key, caches);
  if (found || !existsSync(fileURLToPath(TEMPLATE_CHILD_URL))) return found;
  options.onProgress?.('making the embedded store template (once per installation)…');
  const made = await runTemplateChild(caches).catch(() => false);
  return made ? findEmbeddedTemplate(key, caches) : undefined;
}

const TEMPLATE_CHILD_URL = new URL('./embedded-template-child.js', import.meta.url);

/** Makes the template in this process (the child's work, and the build's). */
export async function makeEmbeddedTemplateHere(caches: readonly TemplateCache[]): Promise<string | undefined> {
  const key = templateKey(await readMigrationFiles(DEFAULT_MIGRATIONS_DIR));
  return (
    (await findEmbeddedTemplate(key, caches)) ??
    makeEmbeddedTemplate(key, caches, async (dataDir) => {
      // Created in place (initdb in a child) and migrated, as a store without a template is.
      const store = await openStore({
        embeddedDir: dataDir,
        embeddedTemplate: false,
        prismaClient: false,
        command: 'workplan (store template)',
      });
      await store.close();
    })
  );
}

function runTemplateChild(caches: readonly TemplateCache[]): Promise<boolean> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--liftoff-only', fileURLToPath(TEMPLATE_CHILD_URL)], {
      env: { ...process.env, WPS_TEMPLATE_CACHES: JSON.stringify(caches) },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    child.on('error', reject);
    child.on('exit', (code) => resolvePromise(code === 0));
  });
}

async function createPostgresClient(pool: import('pg').Pool): Promise<PrismaClient> {
  const [{ PrismaPg }, { PrismaClient }, { asAdapterPool }] = await Promise.all([
    import('@prisma/adapter-pg'),
    import('../generated/prisma/client.js'),
    import('./migration-connection.js'),
  ]);
  return new PrismaClient({ adapter: new PrismaPg(asAdapterPool(pool)), ...CLIENT_OPTIONS });
}

async function createEmbeddedClient(db: PGlite): Promise<PrismaClient> {
  const [{ PrismaPGlite }, { PrismaClient }] = await Promise.all([
    import('pglite-prisma-adapter'),
    import('../generated/prisma/client.js'),
  ]);
  return new PrismaClient({ adapter: new PrismaPGlite(db), ...CLIENT_OPTIONS });
}

function makeStore(
  kind: StoreKind,
  prisma: PrismaClient | undefined,
  describe: string,
  migrationTarget: MigrationTarget,
  sql: DirectSql,
  doClose: () => Promise<void>,
): Store {
  let closing: Promise<void> | undefined;
  const store = {
    kind,
    get prisma(): PrismaClient {
      if (prisma) return prisma;
      throw new SyncError('INTERNAL', 'This store was opened without the Prisma client (openStore({ prismaClient: false })).');
    },
    describe,
    close: () => (closing ??= doClose()),
  } as Store;
  Object.defineProperty(store, 'migrationTarget', { value: migrationTarget, enumerable: false });
  Object.defineProperty(store, 'sql', { value: sql, enumerable: false });
  return store;
}

/**
 * Two queries when up to date (pending migrations, then the schema's fingerprint: schema-check.ts);
 * the schema engine only when a migration is pending or the schema is not known to be right.
 * Closes the store on failure: a schema changed by hand is SCHEMA_MISMATCH, before anything is touched.
 */
async function migrateOnOpen(store: Store, query: QueryFn, options: OpenStoreOptions): Promise<void> {
  if (options.migrate === false) return;
  const migrationsDir = options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  try {
    if (await needsMigration(query, migrationsDir)) {
      options.onProgress?.(`applying the mirror's migrations to ${store.describe}…`);
      // A fresh database, or one known to be right, is right once migrated: no full comparison.
      const knownRight = await isSchemaKnownRight(query);
      await migrateDatabase(store, migrationsDir, {
        lockWaitMs: options.waitForLockMs ?? DEFAULT_WAIT_MS,
        onWait: options.onWait,
      });
      // Else the full comparison, unless a process that migrated it meanwhile recorded it.
      if (knownRight) await recordSchemaFingerprint(query);
      else await ensureSchemaMatches(store.migrationTarget, query, store.describe, migrationsDir);
    } else {
      await ensureSchemaMatches(store.migrationTarget, query, store.describe, migrationsDir);
    }
  } catch (error) {
    await store.close().catch(() => {});
    if (error instanceof SyncError) throw error;
    const target = store.migrationTarget;
    throw toUnreachableError(error, store.describe, target.kind === 'postgres' ? target.databaseUrl : undefined);
  }
}
