// `npm run bench -- [--size N | --sizes 100,1000] [--store embedded|postgres|both] [--repetitions N]
//                   [--out bench/results] [--corpus-dir DIR] [--seed N] [--profile] [--skip watch,hook,child]`
// Generates a deterministic corpus, measures parse-only / cold / no-op / one-file / write phase /
// watch latency / pre-commit hook / peak RSS per store, prints a Markdown table with PASS/MISS per
// target, and writes bench/results/<date>-<size>.json and bench/results/latest.md.
// Everything it creates (temp directories, scratch databases, open stores) is removed on every exit
// path; any failed measurement that is not optional makes the exit code non-zero.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { cpus, release, tmpdir, totalmem, type } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import type { StoreKind } from '#lib/db/store.js';
import { DEFAULT_POSTGRES_URL, embeddedStores, postgresStores, probePostgres, type BenchStores } from './bench-stores.js';
import { DEFAULT_SEED, generateCorpus, type CorpusShape } from './corpus.js';
import { writeCorpus } from './corpus-files.js';
import { formatMs } from './format.js';
import { warmUp } from './measure-parse-only.js';
import { measureStore, type Skip } from './measure-store.js';
import { renderReport, writeResults } from './report.js';
import type { Machine, NotAvailable, RunResults, SizeResult, StoreResult } from './results.js';
import { evaluateTargets } from './targets.js';
import { evaluateStartupTargets } from './targets-startup.js';
import { measureFirstRun } from './measure-first-run.js';
import { measureMddb } from './peer-mddb.js';
import { measureStartupStore, type StartupStoreResult } from './measure-startup-store.js';

const USAGE = `Usage: npm run bench -- [options]
  --case serve           the load on \`workplan serve\` instead (bench/src/measure-serve.ts): a shared Postgres
                         mirror of --repos R (default 10) × --size N workplans, --connections C (default 8),
                         --duration S seconds per endpoint (default 10)
  --size N               corpus size in workplans (default 1000); ADRs are N/5
  --sizes A,B,…          several sizes in one run (cross-size targets need 100/1000/10000)
  --store KIND           embedded | postgres | both (default: embedded, plus postgres when reachable)
  --repetitions N        one-file sync repetitions (default 20, at least 20 for the target)
  --out DIR              results directory (default bench/results)
  --corpus-dir DIR       work directory to use and keep (e.g. bench/corpus, git-ignored); default a temp dir
  --seed N               corpus seed (default ${DEFAULT_SEED})
  --shape KIND           standard (default: every workplan shaped like the seed, N/5 ADRs) or varied
                         (long prose, many small tasks, big closure reviews, N/2 longer ADRs)
  --profile              also CPU-profile the cold \`workplan sync\` process and summarise it
  --compare-workers      also run the cold sync with parsing on the main thread (workers: 0)
  --skip LIST            skip optional measurements: child, watch, hook, raw, startup, first-run, check, shared
  --org N                repositories in the shared-mirror measurement (default 100; Postgres only)
  --peer mddb            also install MarkdownDB into a cache folder and index the same corpus with it
  --only startup         only the first-run and start-up targets (cold sync process, no-op processes, hook)
Postgres: DATABASE_URL, else ${DEFAULT_POSTGRES_URL}; scratch databases wps_bench_<random> are dropped after.`;

const cleanups: Array<() => Promise<void>> = [];
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn().catch((e: unknown) => console.error(`cleanup: ${String(e)}`));
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up …`);
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        size: { type: 'string' },
        sizes: { type: 'string' },
        store: { type: 'string' },
        repetitions: { type: 'string' },
        out: { type: 'string' },
        'corpus-dir': { type: 'string' },
        seed: { type: 'string' },
        shape: { type: 'string' },
        profile: { type: 'boolean' },
        'compare-workers': { type: 'boolean' },
        skip: { type: 'string' },
        case: { type: 'string' },
        repos: { type: 'string' },
        connections: { type: 'string' },
        duration: { type: 'string' },
        peer: { type: 'string' },
        only: { type: 'string' },
        org: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (error) {
    console.error(`bench: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const v = parsed.values;
  if (v.help) {
    console.log(USAGE);
    return 0;
  }
  const int = (s: string | undefined, fallback: number, name: string) => {
    if (s === undefined) return fallback;
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got ${JSON.stringify(s)}`);
    return n;
  };
  const sizes = v.sizes ? v.sizes.split(',').map((s) => int(s.trim(), 0, 'sizes')) : [int(v.size, 1000, 'size')];
  const repetitions = int(v.repetitions, 20, 'repetitions');
  const seed = v.seed === undefined ? DEFAULT_SEED : int(v.seed, DEFAULT_SEED, 'seed');
  const shape = (v.shape ?? 'standard') as CorpusShape;
  if (shape !== 'standard' && shape !== 'varied')
    throw new UsageError(`--shape must be standard or varied, got ${JSON.stringify(v.shape)}`);
  const skip = new Set(
    (v.skip ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean) as Skip[],
  );
  for (const s of skip)
    if (!['child', 'watch', 'hook', 'raw', 'startup', 'first-run', 'check', 'shared'].includes(s))
      throw new UsageError(`--skip: unknown measurement "${s}"`);
  if (v.only !== undefined && v.only !== 'startup') throw new UsageError(`--only: only startup is known, got ${JSON.stringify(v.only)}`);
  if (v.peer !== undefined && v.peer !== 'mddb') throw new UsageError(`--peer: only mddb is known, got ${JSON.stringify(v.peer)}`);
  const outDir = resolve(v.out ?? 'bench/results');
  const sharedRepositories = int(v.org, 100, 'org');
  if (v.case !== undefined) {
    if (v.case !== 'serve') throw new UsageError(`--case must be serve, got ${JSON.stringify(v.case)}`);
    const { runServeBench } = await import('./measure-serve.js');
    return runServeBench({
      adminUrl: process.env.DATABASE_URL || DEFAULT_POSTGRES_URL,
      repositories: int(v.repos, 10, 'repos'),
      size: sizes[0]!,
      seed,
      connections: int(v.connections, 8, 'connections'),
      durationSeconds: int(v.duration, 10, 'duration'),
      outDir,
      log: (line) => console.error(line),
    });
  }

  // Stores: explicit, or embedded plus Postgres when reachable.
  const adminUrl = process.env.DATABASE_URL || DEFAULT_POSTGRES_URL;
  const storeArg = v.store ?? 'auto';
  if (!['embedded', 'postgres', 'both', 'auto'].includes(storeArg)) throw new UsageError(`--store must be embedded, postgres or both`);
  const notes: string[] = [];
  const kinds: StoreKind[] = [];
  if (storeArg !== 'postgres') kinds.push('embedded');
  if (storeArg !== 'embedded') {
    const unreachable = await probePostgres(adminUrl);
    if (unreachable === undefined) kinds.push('postgres');
    else if (storeArg === 'auto') notes.push(`Postgres not measured: ${redact(adminUrl)} is unreachable (${unreachable}).`);
    else throw new Error(`Postgres at ${redact(adminUrl)} is unreachable: ${unreachable}`);
  }

  // Children (CLI, hook, daemon) and the library agree on the repository's name in the mirror.
  process.env.WORKPLAN_REPOSITORY_SLUG = 'bench-corpus';
  const workDir = v['corpus-dir'] ? await claimWorkDir(resolve(v['corpus-dir'])) : await mkdtemp(join(tmpdir(), 'wps-bench-'));
  if (!v['corpus-dir']) cleanups.push(() => rm(workDir, { recursive: true, force: true }));
  const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
  log(`work directory ${workDir}; stores: ${kinds.join(', ')}; sizes: ${sizes.join(', ')}`);

  const stores = new Map<StoreKind, BenchStores>();
  if (kinds.includes('embedded')) {
    const e = await embeddedStores(workDir);
    log(`embedded template initialised and migrated in ${formatMs(e.initMs)}`);
    stores.set('embedded', e);
  }
  if (kinds.includes('postgres')) {
    const p = postgresStores(adminUrl);
    cleanups.push(() => p.dispose());
    stores.set('postgres', p);
  }

  const startedAt = new Date();
  // Optional measurements that are unavailable are n/a; ones that fail make the exit code non-zero.
  const failures: string[] = [];
  const failed = (what: string, error: unknown): NotAvailable => {
    const message = error instanceof Error ? error.message : String(error);
    failures.push(`${what}: ${message}`);
    return { na: `failed: ${message}` };
  };
  const sizeResults: SizeResult[] = [];
  let firstRun: RunResults['firstRun'];
  const startupOnly: StartupStoreResult[] = [];
  let peer: RunResults['peer'];
  for (const size of sizes) {
    const t0 = performance.now();
    log(`generating ${size} workplans …`);
    const corpus = generateCorpus({ size, seed, shape });
    const pristine = join(workDir, `corpus-${size}`);
    await writeCorpus(pristine, corpus);
    const paths = corpus.files.map((f) => f.path).sort();
    const workplanPaths = corpus.files
      .filter((f) => f.kind === 'workplan')
      .map((f) => f.path)
      .sort();
    log(`${corpus.files.length} files, ${(corpus.stats.bytes / 1024 / 1024).toFixed(1)} MB`);
    await warmUp(pristine, corpus.files);

    const results: StoreResult[] = [];
    for (const kind of v.only === 'startup' ? kinds : []) {
      log(`— ${kind}, ${size} workplans, start-up only —`);
      startupOnly.push(
        await measureStartupStore({
          kind,
          stores: stores.get(kind)!,
          size,
          pristine,
          workplanPaths,
          workDir,
          skipHook: skip.has('hook'),
          log,
          failed,
        }),
      );
    }
    for (const kind of v.only === 'startup' ? [] : kinds) {
      log(`— ${kind}, ${size} workplans —`);
      results.push(
        await measureStore({
          kind,
          stores: stores.get(kind)!,
          size,
          pristine,
          paths,
          workplanPaths,
          workDir,
          repetitions,
          sharedRepositories,
          skip,
          profile: v.profile ?? false,
          compareWorkers: v['compare-workers'] ?? false,
          log,
          failed,
        }),
      );
    }
    sizeResults.push({
      size,
      seed,
      shape,
      corpus: { ...corpus.stats, files: corpus.files.length },
      stores: results,
      elapsedMs: performance.now() - t0,
    });
    log(`size ${size} done in ${formatMs(performance.now() - t0)}`);
    if (v.peer === 'mddb' && size === (sizes.includes(1000) ? 1000 : sizes[sizes.length - 1])) {
      peer = await measureMddb({ pristine, workDir, log }).catch((error: unknown) => failed('peer mddb', error));
    }
  }
  if (kinds.includes('embedded') && !skip.has('first-run')) {
    log("first run: a new embedded store, a fresh clone's first sync …");
    firstRun = await measureFirstRun({ workDir, repetitions: 3, log }).catch((error: unknown) => failed('first run', error));
  }

  const results: RunResults = {
    version: 1,
    date: startedAt.toISOString().slice(0, 10),
    startedAt: startedAt.toISOString(),
    machine: machine(),
    options: { sizes, stores: kinds, repetitions, seed, shape },
    sizes: sizeResults,
    targets: [
      // `--only startup` measured none of the other targets: they are left out rather than listed as n/a.
      ...(v.only === 'startup' ? [] : evaluateTargets(sizeResults, kinds)),
      ...evaluateStartupTargets(
        sizeResults.find((s) => s.size === 1000) ?? sizeResults[sizeResults.length - 1],
        kinds,
        firstRun,
        peer,
        startupOnly,
      ),
    ],
    notes,
    ...(firstRun ? { firstRun } : {}),
    ...(peer ? { peer } : {}),
    ...(startupOnly.length > 0 ? { startupOnly } : {}),
  };
  const markdown = renderReport(results);
  process.stdout.write(markdown);
  const written = await writeResults(outDir, results, markdown);
  log(`wrote ${written.join(', ')}`);
  if (failures.length > 0) {
    for (const f of failures) console.error(`bench: ${f}`);
    return 1;
  }
  return 0;
}

const MARKER = '.workplan-bench';

/** Empties a --corpus-dir for reuse: only one that is new, empty, or was made by an earlier run (marker file). */
async function claimWorkDir(dir: string): Promise<string> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  if (entries.length > 0 && !entries.includes(MARKER)) {
    throw new UsageError(`--corpus-dir ${dir} is not empty and was not made by the benchmark; refusing to delete it`);
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, MARKER), 'Work directory of `npm run bench`; deleted and rebuilt by the next run.\n');
  return dir;
}

function machine(): Machine {
  const cpu = cpus();
  return {
    os: `${type()} ${release()}`,
    arch: process.arch,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    node: process.version,
    memoryMb: Math.round(totalmem() / 1024 / 1024),
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

class UsageError extends Error {}

let code = 1;
try {
  code = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`bench: ${error.message}\n${USAGE}`);
    code = 2;
  } else {
    console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    code = 1;
  }
} finally {
  await cleanup();
}
// Open handles (a stray timer, a pool) must not keep a finished benchmark alive.
process.exit(code);
