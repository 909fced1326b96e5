// The databases every DB test runs against: always the embedded store (PGlite in a temp dir), plus the
// real Postgres at WORKPLAN_TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test) when
// it is reachable. In CI (CI=true) an unreachable Postgres fails the run: DB tests are never skipped.
//
// Isolation: each suite gets its own database — a fresh `wps_test_<random>` database created from the
// test URL's connection (dropped afterwards), or a fresh PGlite directory — so test files run in
// parallel without colliding. Fresh PGlite directories are copied from an initialised template (initdb
// in PGlite takes seconds; a copy takes a fraction of that).
//
//   describeEachDatabase('migrations', (db) => {
//     it('applies', async () => { const store = await db.openStore(); … });
//   });
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';

import { redactUrl } from '../../src/db/connection-url.js';
import { openStore, type OpenStoreOptions, type Store, type StoreKind } from '../../src/db/store.js';

/** The Postgres the tests may use (its database is only used to create per-suite databases). */
export const TEST_DATABASE_URL = process.env.WORKPLAN_TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/test';

/** Why Postgres is unavailable, or undefined when it is reachable. */
export const postgresUnavailable: string | undefined = await probePostgres(TEST_DATABASE_URL);

if (postgresUnavailable !== undefined && process.env.CI === 'true') {
  throw new Error(
    `CI=true but the test Postgres at ${redactUrl(TEST_DATABASE_URL)} is unreachable (${postgresUnavailable}). ` +
      'Database tests must run against Postgres in CI; set WORKPLAN_TEST_DATABASE_URL or start the service.',
  );
}
if (postgresUnavailable !== undefined) {
  console.warn(
    `[databases] Postgres at ${redactUrl(TEST_DATABASE_URL)} is unreachable (${postgresUnavailable}); ` +
      'database tests run on the embedded store only.',
  );
}

/** A database of one kind, fresh for its suite. Properties are valid inside tests and hooks. */
export interface DatabaseTarget {
  readonly kind: StoreKind;
  /** Postgres: this database's URL. Embedded: undefined. */
  readonly url: string | undefined;
  /** Embedded: this database's data directory. Postgres: a scratch directory (the store ignores it). */
  readonly embeddedDir: string;
  /**
   * Opens a store on this database (migrations applied unless `migrate: false`); closed after the suite.
   * Embedded: returns the store already open on this directory, if any.
   */
  openStore(overrides?: Partial<OpenStoreOptions>): Promise<Store>;
  /** Another empty database of the same kind, removed after the suite. */
  createDatabase(): Promise<DatabaseTarget>;
}

/** The kinds of database this run covers. */
export function databaseTargets(): StoreKind[] {
  return postgresUnavailable === undefined ? ['embedded', 'postgres'] : ['embedded'];
}

/** Declares `describe(name [kind])` for each target, with a fresh database per suite. */
export function describeEachDatabase(name: string, fn: (target: DatabaseTarget) => void): void {
  for (const kind of databaseTargets()) {
    describe(`${name} [${kind}]`, () => {
      const suite = new SuiteDatabases(kind);
      let main: DatabaseTarget | undefined;
      beforeAll(async () => {
        main = await suite.create();
      });
      afterAll(() => suite.dispose());
      const current = (): DatabaseTarget => {
        if (!main) throw new Error('The suite database is only available inside tests and hooks.');
        return main;
      };
      fn({
        kind,
        get url() {
          return current().url;
        },
        get embeddedDir() {
          return current().embeddedDir;
        },
        openStore: (overrides) => current().openStore(overrides),
        createDatabase: () => suite.create(),
      });
    });
  }
}

/** Creates databases for one suite and removes them (closing their stores first) at the end. */
export class SuiteDatabases {
  private readonly stores = new Set<Store>();
  private readonly databases: string[] = [];
  private readonly dirs: string[] = [];

  constructor(readonly kind: StoreKind) {}

  async create(): Promise<DatabaseTarget> {
    const scratch = await mkdtemp(join(tmpdir(), 'wps-test-'));
    this.dirs.push(scratch);
    let url: string | undefined;
    const embeddedDir = join(scratch, 'embedded');
    if (this.kind === 'postgres') {
      const name = `wps_test_${randomBytes(6).toString('hex')}`;
      await withAdminClient((client) => client.query(`CREATE DATABASE ${name}`));
      this.databases.push(name);
      url = withDatabase(TEST_DATABASE_URL, name);
    } else {
      await copyEmptyPGliteDir(embeddedDir);
    }
    // An embedded directory admits one open store per process (embedded-lock.ts): while one is open,
    // openStore hands out that same store (its options are ignored).
    let openEmbedded: Store | undefined;
    const target: DatabaseTarget = {
      kind: this.kind,
      url,
      embeddedDir,
      openStore: async (overrides = {}) => {
        if (this.kind === 'embedded' && openEmbedded && overrides.embeddedDir === undefined) return openEmbedded;
        const store = await openStore({
          databaseUrl: url,
          embeddedDir,
          waitForLockMs: 5_000,
          ...overrides,
        });
        this.stores.add(store);
        if (this.kind === 'embedded' && overrides.embeddedDir === undefined) {
          openEmbedded = store;
          const close = store.close.bind(store);
          Object.defineProperty(store, 'close', {
            value: () => {
              if (openEmbedded === store) openEmbedded = undefined;
              return close();
            },
          });
        }
        return store;
      },
      createDatabase: () => this.create(),
    };
    return target;
  }

  async dispose(): Promise<void> {
    await Promise.allSettled([...this.stores].map((store) => store.close()));
    this.stores.clear();
    if (this.databases.length > 0) {
      await withAdminClient(async (client) => {
        for (const name of this.databases.splice(0)) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    }
    await Promise.all(this.dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

/** Runs `fn` with a client on the test database (for CREATE/DROP DATABASE and inspection). */
export async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>, url = TEST_DATABASE_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** `url` pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function probePostgres(url: string): Promise<string | undefined> {
  try {
    await withAdminClient((client) => client.query('SELECT 1'), url);
    return undefined;
  } catch (error) {
    return (error as Error).message || String(error);
  }
}

/** Copies an initialised, empty PGlite data directory (built once per machine and PGlite version). */
export async function copyEmptyPGliteDir(destination: string): Promise<void> {
  const template = await emptyPGliteTemplate();
  await mkdir(dirname(destination), { recursive: true });
  await cp(template, destination, { recursive: true });
}

let templatePromise: Promise<string> | undefined;

function emptyPGliteTemplate(): Promise<string> {
  templatePromise ??= (async () => {
    const require = createRequire(import.meta.url);
    // The package's "exports" hide package.json; its entry point is dist/index.*.
    const packageJson = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
    const pkg = JSON.parse(await readFile(packageJson, 'utf8')) as { version: string };
    const template = join(tmpdir(), `wps-pglite-template-${pkg.version}`);
    if (await exists(join(template, 'PG_VERSION'))) return template;
    // Build aside and rename into place: concurrent test workers race safely, the loser discards its copy.
    const building = `${template}.build-${process.pid}-${randomBytes(4).toString('hex')}`;
    const db = new PGlite(building);
    await db.waitReady;
    await db.close();
    try {
      await rename(building, template);
    } catch {
      await rm(building, { recursive: true, force: true });
    }
    return template;
  })();
  return templatePromise;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
