// Database faults (shared/RELIABILITY.md, "The database"): Postgres going away in the middle of a
// sync, a hung network, slow queries, and a migration that fails halfway. Never touches the shared
// server: a TCP proxy (support/pg-proxy.ts) in front of it is cut, stalled or slowed instead.
// Expected: a clear typed error with its own exit code (5 unreachable, 6 migration), no password in
// any message, nothing half-applied (the whole-mirror digest is the old or the new one), and the
// next sync converges to exactly what a clean single sync gives.
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, reportFailure } from '../../src/cli/main.js';
import { createRecordingOutput, type Output } from '../../src/cli/output.js';
import { exitCodeFor } from '../../src/cli/exit-codes.js';
import { DEFAULT_MIGRATIONS_DIR } from '../../src/db/migrate.js';
import { openStore } from '../../src/db/store.js';
import { isSyncError, type SyncError } from '../../src/model/errors.js';
import { describeEachDatabase, postgresUnavailable, TEST_DATABASE_URL, withAdminClient, withDatabase } from '../support/databases.js';
import { createTempRepo, syncRepo, type TempRepo } from '../support/sync-harness.js';
import { corpusA, corpusB, readRepoFiles, writeRepoFiles } from './support/corpus.js';
import { countNote, scenarioFigures } from './support/figures.js';
import { budgetMs, iterations } from './support/level.js';
import { diffDigests, digestMirror, storeQuery, withPgQuery, type MirrorDigest, SYNC_BOOKKEEPING } from './support/mirror-digest.js';
import { startPgProxy, type PgProxy } from './support/pg-proxy.js';

const figures = scenarioFigures('database-faults');
const SECRET = 'Fault-Inj3ction-pw';
const SLUG = 'reliability-db-faults';
const CONVERGENCE = SYNC_BOOKKEEPING;

function seededIds(): () => string {
  let n = 0;
  return () => `dbfa0000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;
}

/** `url` with a password added (the test server does not need one; it must never be printed). */
function withPassword(url: string): string {
  const u = new URL(url);
  u.password = SECRET;
  return u.toString();
}

describe.runIf(postgresUnavailable === undefined)('Postgres faults through a proxy', () => {
  let proxy: PgProxy;
  let repo: TempRepo;
  let scratch: string;
  const snapshot = `wps_fault_snap_${randomBytes(4).toString('hex')}`;
  const work = `wps_fault_work_${randomBytes(4).toString('hex')}`;
  const workUrl = withDatabase(TEST_DATABASE_URL, work);
  let old: MirrorDigest;
  let clean: MirrorDigest;
  let cleanConverged: MirrorDigest;
  let cleanFiles: Map<string, Buffer>;
  let cleanBytes = 0;
  const filesB = corpusB();

  const restore = async () => {
    await proxy.restore();
    proxy.delayMs = 0;
    proxy.cutAfterBytes = undefined;
    proxy.resume();
    await withAdminClient(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${work} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${work} TEMPLATE ${snapshot}`);
    });
    await writeRepoFiles(repo.root, filesB);
  };
  const openThroughProxy = () => openStore({ databaseUrl: withPassword(proxy.urlFor(workUrl)), embeddedDir: path.join(scratch, 'unused') });
  const digestDirect = (options = {}) => withPgQuery(workUrl, (q) => digestMirror(q, options));

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'wps-dbfault-'));
    proxy = await startPgProxy(Number(new URL(TEST_DATABASE_URL).port || 5432), new URL(TEST_DATABASE_URL).hostname);
    repo = await createTempRepo(corpusA(), SLUG);
    await withAdminClient((c) => c.query(`CREATE DATABASE ${snapshot}`));
    const snapUrl = withDatabase(TEST_DATABASE_URL, snapshot);
    const store = await openStore({ databaseUrl: snapUrl, embeddedDir: path.join(scratch, 'unused') });
    try {
      await syncRepo(repo.root, SLUG, store, { workers: 0 });
      old = await digestMirror(storeQuery(store));
    } finally {
      await store.close();
    }
    // The clean run, through the proxy: its byte count bounds where a cut can land.
    await restore();
    const s = await openThroughProxy();
    try {
      proxy.resetBytes();
      const result = await syncRepo(repo.root, SLUG, s, { newId: seededIds(), workers: 0 });
      expect(result.outcome).toBe('applied');
      cleanBytes = proxy.bytes;
    } finally {
      await s.close();
    }
    clean = await digestDirect();
    cleanConverged = await digestDirect(CONVERGENCE);
    cleanFiles = await readRepoFiles(repo.root);
    expect(clean.digest).not.toBe(old.digest);
  }, 120_000);

  afterAll(async () => {
    await proxy?.close();
    await withAdminClient(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${work} WITH (FORCE)`);
      await c.query(`DROP DATABASE IF EXISTS ${snapshot} WITH (FORCE)`);
    });
    await repo?.dispose();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }, 60_000);

  /** Checks the aftermath of a fault: whole files, a whole mirror, then convergence through the restored proxy. */
  async function expectWholeThenConverges(label: string): Promise<'old' | 'new'> {
    const files = await readRepoFiles(repo.root);
    for (const [p, bytes] of files) {
      const ok = bytes.equals(Buffer.from(filesB[p] ?? '')) || bytes.equals(cleanFiles.get(p) ?? Buffer.alloc(0));
      if (!ok) figures.bytesLost += bytes.length || 1;
      expect(ok, `${label}: ${p} is neither old nor new`).toBe(true);
    }
    const now = await digestDirect();
    const state = now.digest === old.digest ? 'old' : now.digest === clean.digest ? 'new' : undefined;
    if (!state) figures.rowsLost += 1;
    expect(state, `${label}: half-applied mirror:\n${diffDigests(now, clean)}`).toBeDefined();
    await proxy.restore();
    proxy.delayMs = 0;
    proxy.resume();
    const store = await openThroughProxy();
    try {
      await syncRepo(repo.root, SLUG, store, { newId: seededIds(), workers: 0 });
    } finally {
      await store.close();
    }
    const converged = await digestDirect(CONVERGENCE);
    if (converged.digest !== cleanConverged.digest) figures.rowsLost += 1;
    expect(converged.digest, `${label}: after the next sync:\n${diffDigests(converged, cleanConverged)}`).toBe(cleanConverged.digest);
    const after = await readRepoFiles(repo.root);
    for (const [p, bytes] of cleanFiles) expect(after.get(p)?.equals(bytes), `${label}: ${p} after the next sync`).toBe(true);
    return state!;
  }

  function expectUnreachable(error: unknown, label: string): void {
    expect(isSyncError(error, 'DB_UNREACHABLE'), `${label}: ${String((error as Error)?.stack ?? error)}`).toBe(true);
    const e = error as SyncError;
    expect(exitCodeFor(e.code)).toBe(5);
    const visible = [e.message, e.hint ?? '', String((e.cause as Error | undefined)?.message ?? ''), e.stack ?? ''].join('\n');
    expect(visible).not.toContain(SECRET);
    expect(e.message.split('\n')).toHaveLength(1);
  }

  const runs = iterations(8, 200);
  it(
    `the server going away at a random point of the protocol stream (${runs} cuts): DB_UNREACHABLE, whole mirror, then convergence`,
    async () => {
      for (let i = 0; i < runs; i++) {
        await restore();
        const store = await openThroughProxy();
        proxy.resetBytes();
        proxy.cutAfterBytes = 1 + Math.floor(Math.random() * cleanBytes);
        let error: unknown;
        try {
          await syncRepo(repo.root, SLUG, store, { newId: seededIds(), workers: 0 });
        } catch (e) {
          error = e;
        } finally {
          await store.close().catch(() => undefined);
        }
        figures.cases++;
        if (proxy.wasCut) figures.faults++;
        if (error) expectUnreachable(error, `cut #${i}`);
        const state = await expectWholeThenConverges(`cut #${i} after ${proxy.bytes} bytes`);
        countNote(figures, error ? `cut: DB_UNREACHABLE, mirror ${state}` : `cut after the sync's last byte, mirror ${state}`);
      }
    },
    budgetMs(120_000, 1_800_000),
  );

  it('a network that hangs for 2 s and then recovers: the sync waits and completes', async () => {
    await restore();
    const store = await openThroughProxy();
    try {
      const result = await syncRepo(repo.root, SLUG, store, {
        newId: seededIds(),
        workers: 0,
        onProgress: (p) => {
          if (p.kind === 'applying') {
            proxy.stall();
            setTimeout(() => proxy.resume(), 2_000);
          }
        },
      });
      expect(result.outcome).toBe('applied');
    } finally {
      await store.close();
    }
    figures.cases++;
    figures.faults++;
    countNote(figures, 'stalls survived');
    expect((await digestDirect()).digest).toBe(clean.digest);
  }, 60_000);

  it('a network that hangs and then breaks: DB_UNREACHABLE, nothing half-applied', async () => {
    await restore();
    const store = await openThroughProxy();
    let error: unknown;
    try {
      await syncRepo(repo.root, SLUG, store, {
        newId: seededIds(),
        workers: 0,
        onProgress: (p) => {
          if (p.kind === 'applying') {
            proxy.stall();
            setTimeout(() => void proxy.cut(), 1_000);
          }
        },
      });
    } catch (e) {
      error = e;
    } finally {
      await store.close().catch(() => undefined);
    }
    figures.cases++;
    figures.faults++;
    expectUnreachable(error, 'stall then cut');
    expect(await expectWholeThenConverges('stall then cut')).toBe('old');
  }, 60_000);

  it('slow queries (every packet delayed): the sync completes and equals a clean one', async () => {
    await restore();
    const store = await openThroughProxy();
    proxy.delayMs = 15;
    try {
      const result = await syncRepo(repo.root, SLUG, store, { newId: seededIds(), workers: 0 });
      expect(result.outcome).toBe('applied');
    } finally {
      proxy.delayMs = 0;
      await store.close();
    }
    figures.cases++;
    figures.faults++;
    countNote(figures, 'slow-network syncs completed');
    expect((await digestDirect()).digest).toBe(clean.digest);
  }, 60_000);

  it('`workplan sync`: exit 5 when the server goes away mid-sync or is unreachable, no password printed, exit 0 once it is back', async () => {
    await restore();
    const env = { DATABASE_URL: withPassword(proxy.urlFor(workUrl)), WORKPLAN_REPOSITORY_SLUG: SLUG };
    const run = async (out: Output & { stdout: string[]; stderr: string[] }) => {
      const code = await main(['sync', '--root', repo.root], { cwd: repo.root, env, out });
      return { code, text: [...out.stdout, ...out.stderr].join('\n') };
    };
    // Mid-sync: "writing the mirror…" is reported from inside the transaction.
    const cutting = createRecordingOutput();
    cutting.progress = (line) => {
      if (line.startsWith('writing the mirror')) void proxy.cut();
    };
    const mid = await run(cutting);
    expect(mid.code, mid.text).toBe(5);
    expect(mid.text).toMatch(/DB_UNREACHABLE: Lost the connection to the database/);
    expect(mid.text).not.toContain(SECRET);
    expect(mid.text).not.toMatch(/internal error|\n\s+at /);
    const afterCut = await digestDirect();
    expect(afterCut.digest, diffDigests(afterCut, old)).toBe(old.digest);
    // Unreachable from the start (the proxy no longer listens).
    const refused = await run(createRecordingOutput());
    expect(refused.code, refused.text).toBe(5);
    expect(refused.text).toMatch(/DB_UNREACHABLE: Cannot connect .*refused/);
    expect(refused.text).not.toContain(SECRET);
    figures.cases += 2;
    figures.faults += 2;
    await proxy.restore();
    const back = await run(createRecordingOutput());
    expect(back.code, back.text).toBe(0);
    countNote(figures, 'CLI exit 5 (mid-sync, refused), then 0');
  }, 60_000);
});

// A failed migration, on both stores: opening the store with a migrations directory whose newest
// migration changes existing tables and data, then fails. Nothing of it may remain.
describeEachDatabase('a migration that fails halfway', (db) => {
  let repo: TempRepo;
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'wps-migfault-'));
    repo = await createTempRepo(corpusA(4, 3, 2), `${SLUG}-migration`);
  });
  afterAll(async () => {
    await repo?.dispose();
    await rm(scratch, { recursive: true, force: true });
  });

  it('fails with MIGRATION_FAILED (exit 6), leaves every row and table as it was, and the store still opens and syncs', async () => {
    const store = await db.openStore();
    await syncRepo(repo.root, repo.slug, store, { workers: 0 });
    const before = await digestMirror(storeQuery(store));
    const [tables] = await store.prisma.$queryRawUnsafe<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema()`,
    );
    await store.close();

    const broken = path.join(scratch, 'migrations');
    await cp(DEFAULT_MIGRATIONS_DIR, broken, { recursive: true });
    const name = '29990101000000_reliability_breaks';
    await mkdir(path.join(broken, name), { recursive: true });
    await writeFile(
      path.join(broken, name, 'migration.sql'),
      [
        'ALTER TABLE "tasks" ADD COLUMN "reliability_probe" INTEGER;',
        `UPDATE "tasks" SET "status" = 'cancelled', "title" = 'overwritten by a broken migration';`,
        'DELETE FROM "adrs";',
        'CREATE TABLE "reliability_partial" ("id" INTEGER NOT NULL);',
        'INSERT INTO "reliability_partial" VALUES (1);',
        'SELECT * FROM "no_such_table_reliability";',
        '',
      ].join('\n'),
    );
    const open = () =>
      db.kind === 'postgres'
        ? openStore({ databaseUrl: withPassword(db.url!), embeddedDir: path.join(scratch, 'unused'), migrationsDir: broken })
        : openStore({ embeddedDir: db.embeddedDir, migrationsDir: broken, waitForLockMs: 30_000 });
    const error = await open().then(
      (s) => s.close().then(() => undefined),
      (e: unknown) => e,
    );
    figures.cases++;
    figures.faults++;
    expect(isSyncError(error, 'MIGRATION_FAILED'), String(error)).toBe(true);
    const e = error as SyncError;
    expect(exitCodeFor(e.code)).toBe(6);
    expect(e.message).toContain(name);
    expect(e.message).toMatch(/rolled back/);
    expect([e.message, e.hint, e.stack].join('\n')).not.toContain(SECRET);
    // The CLI's rendering of it: one line, the code, no password, exit 6.
    const out = createRecordingOutput();
    expect(reportFailure(e, { out, values: {}, env: { DATABASE_URL: withPassword(db.url ?? 'postgresql://x@h/d') } })).toBe(6);
    expect(out.stderr.join('\n')).toMatch(/^workplan: MIGRATION_FAILED: Migration 29990101000000_reliability_breaks failed/);
    expect(out.stderr.join('\n')).not.toContain(SECRET);

    // Nothing half-applied: same rows, same columns, no new table.
    const again = await db.openStore({ migrate: false });
    try {
      const after = await digestMirror(storeQuery(again));
      if (after.digest !== before.digest) figures.rowsLost += 1;
      expect(after.digest, diffDigests(after, before)).toBe(before.digest);
      const [now] = await again.prisma.$queryRawUnsafe<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema()`,
      );
      expect(now?.n).toBe(tables?.n);
    } finally {
      await again.close();
    }
    // With the shipped migrations the store opens and a sync has nothing to do.
    const reopened = await db.openStore();
    try {
      expect((await syncRepo(repo.root, repo.slug, reopened, { workers: 0 })).outcome).toBe('noop');
    } finally {
      await reopened.close();
    }
    countNote(figures, 'failed migrations rolled back');
  }, 120_000);
});
