// The databases a benchmark run uses, each fresh and owned by the run: embedded PGlite directories
// copied from one migrated template, and scratch Postgres databases `wps_bench_<random>` created on
// the admin URL's server and dropped (WITH FORCE) at the end, whatever happened.
import { randomBytes } from 'node:crypto';
import { cp, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import pg from 'pg';

import { openStore, type Store, type StoreKind } from '#lib/db/store.js';

export const DEFAULT_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/test';

/** An empty, migrated mirror database. */
export interface BenchMirror {
  kind: StoreKind;
  /** Postgres: the scratch database's URL. */
  url?: string;
  /** Embedded: the data directory (inside the corpus root, where the CLI looks: .workplan/db). */
  embeddedDir?: string;
}

export interface BenchStores {
  kind: StoreKind;
  /** A fresh mirror for a corpus copy at `root`. */
  create(root: string): Promise<BenchMirror>;
  /** Removes every database this object created. */
  dispose(): Promise<void>;
}

/** Opens a store on a bench mirror (migrations are already applied). */
export function openBenchStore(mirror: BenchMirror): Promise<Store> {
  return openStore({
    ...(mirror.url ? { databaseUrl: mirror.url } : {}),
    embeddedDir: mirror.embeddedDir ?? '/nonexistent',
    waitForLockMs: 60_000,
    command: 'workplan bench',
  });
}

/** The environment a child process (CLI, hook, daemon) needs to use `mirror`. */
export function envFor(mirror: BenchMirror, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...base };
  delete env.DATABASE_URL;
  if (mirror.url) env.DATABASE_URL = mirror.url;
  return env;
}

/** Embedded stores: each a copy of a template directory initialised and migrated once. */
export async function embeddedStores(workDir: string): Promise<BenchStores & { initMs: number }> {
  const template = join(workDir, 'pglite-template');
  const started = performance.now();
  const store = await openStore({ embeddedDir: template, waitForLockMs: 60_000 });
  await store.close();
  const initMs = performance.now() - started;
  return {
    kind: 'embedded',
    initMs,
    async create(root) {
      const embeddedDir = join(root, '.workplan', 'db');
      await mkdir(dirname(embeddedDir), { recursive: true });
      await cp(template, embeddedDir, { recursive: true });
      return { kind: 'embedded', embeddedDir };
    },
    async dispose() {
      // The directories live under the run's work directory, removed with it.
    },
  };
}

/** Why `url` cannot be reached, or undefined when it can. */
export async function probePostgres(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Postgres stores: scratch databases on the admin URL's server, migrated on creation. */
export function postgresStores(adminUrl: string): BenchStores {
  const created: string[] = [];
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  return {
    kind: 'postgres',
    async create() {
      const name = `wps_bench_${randomBytes(6).toString('hex')}`;
      await admin((c) => c.query(`CREATE DATABASE ${name}`));
      created.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const mirror: BenchMirror = { kind: 'postgres', url: url.toString() };
      const store = await openBenchStore(mirror); // applies the migrations
      await store.close();
      return mirror;
    },
    async dispose() {
      if (created.length === 0) return;
      await admin(async (c) => {
        for (const name of created.splice(0)) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    },
  };
}
