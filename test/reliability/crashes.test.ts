// Crashes (shared/RELIABILITY.md, "The database" and "File writes"): a sync SIGKILLed at random
// moments — while the store opens, inside the transaction, right before COMMIT, during the
// write-back — on both stores. Afterwards the mirror is wholly old or wholly new (whole-mirror
// digest equal to one of the two expected ones), every file is wholly old or wholly new, the
// embedded store opens, and the next sync converges to exactly what a clean single sync gives.
//
// The sync runs in a child process over a transpiled build (support/cli-build.ts,
// support/sync-child.mjs) with deterministic ids, so the clean run's rows and files are known
// byte for byte. Every iteration starts from the same snapshot of the mirror (version A synced)
// and the same files (version B, which updates, creates, removes and writes ids into 12 files).
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { mirrorDatabaseFor } from '../../src/app/open-mirror.js';
import type { MirrorDatabase } from '../../src/app/sync.js';
import { openStore, type Store } from '../../src/db/store.js';
import { describeEachDatabase, withAdminClient, withDatabase, TEST_DATABASE_URL } from '../support/databases.js';
import { createTempRepo, syncRepo, type TempRepo } from '../support/sync-harness.js';
import { buildCli, spawnNode, type CliBuild } from './support/cli-build.js';
import { corpusA, corpusB, readRepoFiles, writeRepoFiles } from './support/corpus.js';
import { countNote, scenarioFigures } from './support/figures.js';
import { budgetMs, iterations } from './support/level.js';
import { diffDigests, digestMirror, storeQuery, type MirrorDigest, SYNC_BOOKKEEPING } from './support/mirror-digest.js';

const SEED = 'c0ffee00';
const SLUG = 'reliability-crash';
const figures = scenarioFigures('crashes');

type KillPoint = 'startup' | 'anywhere' | 'in-transaction' | 'before-commit' | 'write-back';
// The short run aims at the transaction and the write-back first.
const KILL_POINTS: KillPoint[] = ['in-transaction', 'write-back', 'before-commit', 'anywhere', 'startup'];

let build: CliBuild;
beforeAll(async () => {
  build = await buildCli();
}, 120_000);
afterAll(async () => {
  await build?.dispose();
});

/** The newId a child with WPS_ID_SEED=SEED uses, for in-process syncs that must match it. */
function seededIds(): () => string {
  let n = 0;
  return () => `${SEED}-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;
}

const random = (max: number) => Math.floor(Math.random() * Math.max(1, max));
const CONVERGENCE = SYNC_BOOKKEEPING;

describeEachDatabase('a sync killed with SIGKILL', (db) => {
  let repo: TempRepo;
  let scratch: string;
  const databases: string[] = [];
  /** Restores the mirror to the snapshot (version A synced); returns how children and the parent reach it. */
  let restore: () => Promise<{ env: NodeJS.ProcessEnv; open: () => Promise<Store> }>;
  let old: MirrorDigest;
  let cleanNew: MirrorDigest;
  let cleanNewConverged: MirrorDigest;
  let cleanFiles: Map<string, Buffer>;
  const filesB = corpusB();
  const timing = { opened: 0, applying: 0, txEnd: 0, committed: 0, result: 0, done: 0 };

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'wps-crash-'));
    repo = await createTempRepo(corpusA(), SLUG);
    const store = await db.openStore();
    await syncRepo(repo.root, SLUG, store, { workers: 0 });
    old = await digestMirror(storeQuery(store));
    await store.close();

    if (db.kind === 'embedded') {
      const snapshot = path.join(scratch, 'snapshot');
      await cp(db.embeddedDir, snapshot, { recursive: true });
      // Inside the repository, where the embedded store must live (the child opens it as `workplan sync` does).
      const work = path.join(repo.root, '.workplan', 'crash-work');
      restore = async () => {
        await rm(work, { recursive: true, force: true });
        await rm(`${work}.lock`, { force: true });
        await cp(snapshot, work, { recursive: true });
        return {
          env: { WPS_EMBEDDED_DIR: work, DATABASE_URL: '' },
          open: () => openStore({ embeddedDir: work, waitForLockMs: 30_000 }),
        };
      };
    } else {
      const snapshot = `wps_crash_snap_${randomBytes(4).toString('hex')}`;
      const work = `wps_crash_work_${randomBytes(4).toString('hex')}`;
      databases.push(snapshot, work);
      const source = new URL(db.url!).pathname.slice(1);
      await withAdminClient((c) => c.query(`CREATE DATABASE ${snapshot} TEMPLATE ${source}`));
      const url = withDatabase(TEST_DATABASE_URL, work);
      restore = async () => {
        await withAdminClient(async (c) => {
          await c.query(`DROP DATABASE IF EXISTS ${work} WITH (FORCE)`);
          await c.query(`CREATE DATABASE ${work} TEMPLATE ${snapshot}`);
        });
        return { env: { DATABASE_URL: url }, open: () => openStore({ databaseUrl: url, embeddedDir: path.join(scratch, 'unused') }) };
      };
    }

    // The clean run: version B synced once, uninterrupted, by the same child.
    const target = await restore();
    await writeRepoFiles(repo.root, filesB);
    const started = Date.now();
    const child = spawnNode(build.syncChild, [repo.root], { WPS_BUILD: build.dir, WPS_ID_SEED: SEED, WPS_SLUG: SLUG, ...target.env });
    const at = (marker: string, key: keyof typeof timing) =>
      child.waitFor(marker).then(
        () => (timing[key] = Date.now() - started),
        () => undefined,
      );
    await Promise.all([
      at('opened', 'opened'),
      at('applying', 'applying'),
      at('tx-end', 'txEnd'),
      at('committed', 'committed'),
      at('result', 'result'),
      at('done', 'done'),
    ]);
    const exit = await child.exited;
    expect(exit.code, child.stdout() + child.stderr()).toBe(0);
    expect(child.stdout()).toMatch(/"outcome":"applied"/);
    cleanFiles = await readRepoFiles(repo.root);
    const store2 = await target.open();
    try {
      cleanNew = await digestMirror(storeQuery(store2));
      cleanNewConverged = await digestMirror(storeQuery(store2), CONVERGENCE);
    } finally {
      await store2.close();
    }
    expect(cleanNew.digest).not.toBe(old.digest);
    // Version B writes ids into every workplan but the deleted one.
    expect([...cleanFiles].filter(([p, bytes]) => !bytes.equals(Buffer.from(filesB[p]!))).length).toBe(12);
  }, 300_000);

  afterAll(async () => {
    if (databases.length > 0) {
      await withAdminClient(async (c) => {
        for (const name of databases) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    }
    await repo?.dispose();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }, 60_000);

  const runs = iterations(db.kind === 'embedded' ? 2 : 4, 100);
  it(
    `leaves the mirror wholly old or wholly new and every file whole, then converges (${runs} kills)`,
    async () => {
      const seen: Record<string, number> = {};
      for (let i = 0; i < runs; i++) {
        const points = process.env.WPS_CRASH_POINTS ? (process.env.WPS_CRASH_POINTS.split(',') as KillPoint[]) : KILL_POINTS;
        const point = points[i % points.length]!;
        const target = await restore();
        await writeRepoFiles(repo.root, filesB);
        const child = spawnNode(build.syncChild, [repo.root], {
          WPS_BUILD: build.dir,
          WPS_ID_SEED: SEED,
          WPS_SLUG: SLUG,
          ...(point === 'before-commit' ? { WPS_STALL_BEFORE_COMMIT_MS: '2000' } : {}),
          ...target.env,
        });
        const swallow = () => undefined;
        switch (point) {
          case 'startup':
            await new Promise((r) => setTimeout(r, random(timing.opened)));
            break;
          case 'anywhere':
            await child.waitFor('opened').catch(swallow);
            await new Promise((r) => setTimeout(r, random(timing.done - timing.opened)));
            break;
          case 'in-transaction':
            await child.waitFor('applying').catch(swallow);
            await new Promise((r) => setTimeout(r, random(timing.txEnd - timing.applying)));
            break;
          case 'before-commit':
            await child.waitFor('tx-end').catch(swallow);
            await new Promise((r) => setTimeout(r, random(50)));
            break;
          case 'write-back':
            await child.waitFor('committed').catch(swallow);
            await new Promise((r) => setTimeout(r, random(timing.result - timing.committed)));
            break;
        }
        child.kill('SIGKILL');
        const exit = await child.exited;
        figures.cases++;
        if (exit.signal === 'SIGKILL') {
          figures.faults++;
          const markers = child
            .stdout()
            .split('\n')
            .filter((l) => /^(opened|tx-begin|applying|tx-end|committed|done)$/.test(l));
          const stage = markers[markers.length - 1] ?? 'before-open';
          seen[stage] = (seen[stage] ?? 0) + 1;
          countNote(figures, `killed after "${stage}"`);
        } else {
          countNote(figures, 'finished before the kill');
        }

        // Every file is wholly old (version B) or wholly new (B with its ids); nothing else appeared
        // but write-back temp files (swept by the next sync).
        const files = await readRepoFiles(repo.root);
        for (const [p, bytes] of files) {
          if (path.basename(p).startsWith('.')) {
            countNote(figures, 'temp files left by a killed write-back');
            continue;
          }
          const ok = bytes.equals(Buffer.from(filesB[p] ?? '')) || bytes.equals(cleanFiles.get(p) ?? Buffer.alloc(0));
          if (!ok) figures.bytesLost += Math.max(bytes.length, 1);
          expect(ok, `${point} #${i}: ${p} is neither version B nor B with ids (${bytes.length} bytes)`).toBe(true);
        }
        expect([...files.keys()].filter((p) => !path.basename(p).startsWith('.')).sort()).toEqual(Object.keys(filesB).sort());

        // The store opens (a killed embedded holder leaves a stale lock and a data directory needing recovery).
        const store = await target.open();
        try {
          const now = await digestMirror(storeQuery(store));
          const whole = now.digest === old.digest || now.digest === cleanNew.digest;
          if (!whole) figures.rowsLost += differingRows(now, cleanNew);
          expect(
            whole,
            `${point} #${i}: the mirror is neither the old nor the new one; against the new one:\n${diffDigests(now, cleanNew)}`,
          ).toBe(true);
          countNote(figures, now.digest === old.digest ? 'mirror wholly old' : 'mirror wholly new');

          // The next sync converges: the clean run's rows and files, and no temp file is left.
          const next = await syncRepo(repo.root, SLUG, store, { newId: seededIds(), workers: 0, config: structuredClone(DEFAULT_CONFIG) });
          expect(next.writeBacks.filter((w) => w.outcome !== 'written')).toEqual([]);
          const converged = await digestMirror(storeQuery(store), CONVERGENCE);
          if (converged.digest !== cleanNewConverged.digest) figures.rowsLost += differingRows(converged, cleanNewConverged);
          expect(converged.digest, `${point} #${i}: after the next sync:\n${diffDigests(converged, cleanNewConverged)}`).toBe(
            cleanNewConverged.digest,
          );
          const after = await readRepoFiles(repo.root);
          for (const [p, bytes] of cleanFiles) {
            if (!after.get(p)?.equals(bytes)) figures.bytesLost += bytes.length;
          }
          expect([...after.keys()].sort(), `${point} #${i}: files after the next sync`).toEqual([...cleanFiles.keys()].sort());
          for (const [p, bytes] of cleanFiles) expect(after.get(p)?.equals(bytes), `${point} #${i}: ${p} after the next sync`).toBe(true);
        } finally {
          await store.close();
        }
      }
      // With several kill points, the kills landed in more than one stage of the sync.
      if (runs >= 3 && !process.env.WPS_CRASH_POINTS) expect(Object.keys(seen).length).toBeGreaterThan(1);
    },
    budgetMs(240_000, 3_600_000),
  );

  // The repository's own row is created inside the locked transaction (src/app/sync.ts, runSync): a
  // first sync that dies there leaves no trace, not even an empty `repositories` row.
  it('a first sync that dies inside its transaction leaves no row behind', async () => {
    const store = await db.openStore();
    const slug = `first-sync-${db.kind}`;
    const first = await createTempRepo(corpusA(2, 2, 1), slug);
    try {
      const base = mirrorDatabaseFor(store);
      const dying: MirrorDatabase = {
        db: base.db,
        withRepositoryLock: (key, fn) =>
          base.withRepositoryLock(key, async (tx) => {
            await fn(tx);
            throw new Error('killed inside the transaction');
          }),
      };
      await expect(syncRepo(first.root, slug, store, { mirror: dying, workers: 0 })).rejects.toThrow(/killed inside/);
      figures.cases++;
      figures.faults++;
      countNote(figures, 'first syncs killed inside the transaction');
      const rows = await store.prisma.$queryRawUnsafe<Array<{ slug: string }>>('SELECT slug FROM repositories WHERE slug = $1', slug);
      figures.rowsLost += rows.length;
      expect(rows).toEqual([]);
    } finally {
      await first.dispose();
      await store.close();
    }
  }, 60_000);
});

/** A rough count of rows by which two digests differ (for the figures). */
function differingRows(a: MirrorDigest, b: MirrorDigest): number {
  let n = 0;
  for (const [table, t] of Object.entries(a.tables)) {
    const other = b.tables[table];
    if (!other || other.hash !== t.hash) n += Math.max(1, Math.abs(t.rows - (other?.rows ?? 0)));
  }
  return n;
}
