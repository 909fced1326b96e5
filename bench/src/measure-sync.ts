// The library measurements on one store, in this process: cold sync into an empty mirror, no-op
// syncs, the raw-SQL write reference on the same database, and one-file syncs. The store is always
// closed (an open PGlite keeps the process alive).
import { randomUUID } from 'node:crypto';

import { mirrorDatabaseFor } from '#lib/app/open-mirror.js';
import { workingTreeSource } from '#lib/fs/source-files.js';
import { runSync, type SyncOptions } from '#lib/app/sync.js';
import type { SyncResult } from '#lib/reconcile/sync-result.js';
import { openPreparedCache } from '#lib/cache/prepared-cache.js';
import { openFileHashCache } from '#lib/cache/file-hash-cache.js';
import { cacheDirFor, openWorkspace } from '#lib/app/workspace.js';
import type { Store } from '#lib/db/store.js';
import type { Plan } from '#lib/reconcile/plan.js';
import { hasErrors } from '#lib/model/diagnostic.js';
import { openBenchStore, type BenchMirror } from './bench-stores.js';
import { chooseFlipTarget, flipTaskStatus, type FlipTarget } from './flip-task-status.js';
import { instrumentSync, type SyncBreakdown } from './instrument.js';
import {
  createRawSchema,
  dropRawSchema,
  joinPlanParts,
  pgConnection,
  pgliteConnection,
  runRawUpsert,
  type RawConnection,
  type RawUpsertResult,
} from './raw-upsert.js';
import { median } from './stats.js';

export interface TimedSync {
  /** Wall time of runSync in this process. */
  ms: number;
  durationMs: number;
  writeMs: number;
  outcome: SyncResult['outcome'];
  counts: SyncResult['plan']['counts'];
  files: SyncResult['files'];
  breakdown: SyncBreakdown;
}

export interface LibraryMeasurements {
  cold: TimedSync;
  noop: TimedSync & { samples: number[] };
  oneFile: {
    median: number;
    min: number;
    max: number;
    samples: number[];
    target: FlipTarget;
    /** Per phase, the median over the repetitions. */
    breakdown: Record<string, number>;
    /** The statements of the repetition whose time was the median. */
    statements: SyncBreakdown['statements'];
  };
  /** The same change synced by its path (`paths: [file]`), as the watch daemon and the hook sync. */
  oneFilePath: { median: number; min: number; max: number; samples: number[] };
  raw: (RawUpsertResult & { engineRows: Record<string, number> }) | { error: string };
}

export interface LibraryOptions {
  root: string;
  mirror: BenchMirror;
  workplanPaths: string[];
  repetitions: number;
  noopRepetitions: number;
  log: (line: string) => void;
  skipRaw?: boolean;
  /** Runs right before the cold sync and right after it (the parse-only reference brackets it). */
  aroundCold?: () => Promise<void>;
}

/** Runs the in-process measurements; the store is closed before returning (or throwing). */
export async function measureLibrary(options: LibraryOptions): Promise<LibraryMeasurements> {
  const ws = await openWorkspace(options.root, options.root);
  if (!ws.config) throw new Error(`The corpus configuration has errors: ${ws.configDiagnostics.map((d) => d.message).join('; ')}`);
  const config = ws.config;
  const store = await openBenchStore(options.mirror);
  try {
    const mirror = mirrorDatabaseFor(store);
    const base: SyncOptions = {
      root: options.root,
      config,
      repository: ws.repository,
      // As `workplan sync` does: unchanged files are known by their stat, parse results are cached.
      source: workingTreeSource(options.root, { hashes: await openFileHashCache(options.root, cacheDirFor(options.root)) }),
      mirror,
      trigger: 'cli',
      newId: randomUUID,
      now: () => new Date(),
      cache: openPreparedCache(cacheDirFor(options.root), config),
    };

    await options.aroundCold?.();
    options.log('cold sync (library) …');
    // The rows the cold sync wrote, part by part, for the raw-SQL reference of its write phase.
    const coldParts: Plan[] = [];
    const { timed: cold, result: coldResult } = await timedSync({ ...base, onPlanPart: (part) => coldParts.push(part) });
    await options.aroundCold?.();
    if (cold.outcome !== 'applied') throw new Error(`The cold sync did not apply anything (outcome ${cold.outcome}).`);
    const errors = coldResult.diagnostics.filter((d) => d.severity === 'error');
    if (hasErrors(coldResult.diagnostics)) {
      throw new Error(
        `The corpus has errors: ${errors
          .slice(0, 3)
          .map((d) => `${d.path}:${d.span.start.line} ${d.ruleId} ${d.message}`)
          .join('; ')}`,
      );
    }

    options.log('no-op syncs …');
    const noops: TimedSync[] = [];
    for (let i = 0; i < options.noopRepetitions; i++) {
      const { timed } = await timedSync(base);
      if (timed.outcome !== 'noop') throw new Error(`A sync with nothing changed was not a no-op (outcome ${timed.outcome}).`);
      noops.push(timed);
    }
    const noopSamples = noops.map((n) => n.ms);
    const noopMedian = noops.slice().sort((a, b) => a.ms - b.ms)[Math.floor(noops.length / 2)]!;

    let raw: LibraryMeasurements['raw'] = { error: 'skipped' };
    if (!options.skipRaw) {
      options.log('write-phase reference (raw unnest upsert) …');
      raw = await measureRaw(store, options.mirror, joinPlanParts(coldParts), ws.repository).catch((error: unknown) => ({
        error: `failed: ${error instanceof Error ? error.message : String(error)}`,
      }));
    }

    options.log(`one-file syncs (${options.repetitions}) …`);
    coldParts.length = 0;
    const target = await chooseFlipTarget(options.root, options.workplanPaths, config);
    const samples: number[] = [];
    const breakdowns: SyncBreakdown[] = [];
    for (let i = 0; i < options.repetitions; i++) {
      await flipTaskStatus(options.root, target, config);
      const { timed } = await timedSync(base);
      if (timed.outcome !== 'applied' || timed.counts.updated < 1) {
        throw new Error(`A one-file sync did not update the task (outcome ${timed.outcome}, ${timed.counts.updated} updated).`);
      }
      samples.push(timed.ms);
      breakdowns.push(timed.breakdown);
    }
    // The same change synced as the watch daemon and the pre-commit hook sync it: by its path.
    const pathSamples: number[] = [];
    for (let i = 0; i < options.repetitions; i++) {
      await flipTaskStatus(options.root, target, config);
      const { timed } = await timedSync({ ...base, paths: [target.path] });
      if (timed.outcome !== 'applied' || timed.counts.updated < 1) {
        throw new Error(`A one-file sync of its path did not update the task (outcome ${timed.outcome}, ${timed.counts.updated} updated).`);
      }
      pathSamples.push(timed.ms);
    }
    const keys = [
      'listMs',
      'readMs',
      'sqlBeforeTxMs',
      'parseMs',
      'txBeginMs',
      'sqlReadInTxMs',
      'planMs',
      'sqlWriteMs',
      'commitMs',
      'writeBackMs',
      'otherMs',
    ] as const;
    const oneFileBreakdown: Record<string, number> = {};
    for (const k of keys) oneFileBreakdown[k] = median(breakdowns.map((b) => b[k]));

    return {
      cold,
      noop: { ...noopMedian, samples: noopSamples },
      oneFile: {
        median: median(samples),
        min: Math.min(...samples),
        max: Math.max(...samples),
        samples,
        target,
        breakdown: oneFileBreakdown,
        statements: breakdowns.slice().sort((a, b) => a.totalMs - b.totalMs)[Math.floor(breakdowns.length / 2)]!.statements,
      },
      oneFilePath: { median: median(pathSamples), min: Math.min(...pathSamples), max: Math.max(...pathSamples), samples: pathSamples },
      raw,
    };
  } finally {
    await store.close();
  }
}

/** One cold sync into an empty mirror with extra sync options (e.g. `workers: 0`); the store is closed after. */
export async function measureColdOnly(root: string, benchMirror: BenchMirror, extra: Partial<SyncOptions>): Promise<TimedSync> {
  const ws = await openWorkspace(root, root);
  if (!ws.config) throw new Error('corpus configuration has errors');
  const store = await openBenchStore(benchMirror);
  try {
    const { timed } = await timedSync({
      root,
      config: ws.config,
      repository: ws.repository,
      source: workingTreeSource(root, { hashes: await openFileHashCache(root, cacheDirFor(root)) }),
      mirror: mirrorDatabaseFor(store),
      trigger: 'cli',
      newId: randomUUID,
      now: () => new Date(),
      cache: openPreparedCache(cacheDirFor(root), ws.config),
      ...extra,
    });
    if (timed.outcome !== 'applied') throw new Error(`the cold sync did not apply anything (outcome ${timed.outcome})`);
    return timed;
  } finally {
    await store.close();
  }
}

async function timedSync(base: SyncOptions): Promise<{ timed: TimedSync; result: SyncResult }> {
  const inst = instrumentSync(base);
  const started = performance.now();
  const result = await runSync(inst.options);
  const ended = performance.now();
  return {
    result,
    timed: {
      ms: ended - started,
      durationMs: result.durationMs,
      writeMs: result.writeMs,
      outcome: result.outcome,
      counts: result.plan.counts,
      files: result.files,
      breakdown: inst.breakdown(started, ended),
    },
  };
}

/** The raw upsert of the cold sync's rows into bench_raw on the same database; the schema is dropped after. */
async function measureRaw(
  store: Store,
  mirror: BenchMirror,
  coldPlan: ReturnType<typeof joinPlanParts>,
  repository: { slug: string; root: string },
): Promise<RawUpsertResult & { engineRows: Record<string, number> }> {
  let conn: RawConnection;
  const target = store.migrationTarget;
  if (target.kind === 'embedded') conn = pgliteConnection(target.pglite);
  else conn = await pgConnection(mirror.url!);
  try {
    await createRawSchema(conn);
    const result = await runRawUpsert(conn, coldPlan, { id: randomUUID(), slug: repository.slug, root: repository.root });
    const engineRows = await countEngineRows(store);
    await dropRawSchema(conn);
    return { ...result, engineRows };
  } finally {
    await conn.close();
  }
}

async function countEngineRows(store: Store): Promise<Record<string, number>> {
  const tables = ['workstreams', 'phases', 'tasks', 'dependencies', 'closure_reviews', 'closure_entries', 'adrs'];
  const rows = await store.prisma.$queryRawUnsafe<Array<{ t: string; n: number }>>(
    tables.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM public.${t}`).join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}
