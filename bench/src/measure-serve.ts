// `npm run bench -- --case serve`: the load on `workplan serve` (issue #17, adr/0012). A shared
// Postgres mirror of R repositories × N workplans (the bench corpus, one seed per repository so the
// mirror ids differ), a server over it (the PlanReader of `workplan serve` on Postgres), and for each
// list endpoint, in one run:
// - the endpoint under autocannon (C connections, D seconds) against `workplan serve` running as its own
//   process, as a user runs it (the load generator must not share the server's event loop): every
//   response's latency recorded;
// - the raw SQL the endpoint's page comes from (the same statement and parameters, straight on a `pg`
//   pool: no HTTP, no validation, no JSON, no Prisma), with the same concurrency for the same time.
// Targets: p95 of each endpoint ≤ 50 ms, and ≤ 3× the p95 of its raw SQL (a ratio from one run).
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { cpus, release, tmpdir, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { CLEANUP_EVENT_KIND } from '#lib/app/cleanup.js';
import { readBlockedWorkstreamIds } from '#lib/app/query-plans.js';
import { main as cli } from '#lib/cli/main.js';
import { createRecordingOutput } from '#lib/cli/output.js';
import { readDomainCounts, readRepositoryRows } from '#lib/db/domain-queries.js';
import { listAdrRows } from '#lib/db/adr-queries.js';
import { listEventRows } from '#lib/db/event-queries.js';
import type { SqlExecutor } from '#lib/db/sql-executor.js';
import { listTaskRows } from '#lib/db/task-queries.js';
import { listWorkstreamRows } from '#lib/db/workstream-queries.js';
import { CLOSED_WORKSTREAM_STATUSES, DEFAULT_CONFIG, OPEN_TASK_STATUSES } from '#lib/model/config.js';
import { EVENT_KINDS } from '#lib/model/plan-query.js';
import { postgresStores } from './bench-stores.js';
import { generateCorpus } from './corpus.js';
import { writeCorpus } from './corpus-files.js';

export interface ServeBenchOptions {
  adminUrl: string;
  repositories: number;
  size: number;
  seed: number;
  connections: number;
  durationSeconds: number;
  outDir: string;
  log: (line: string) => void;
}

export interface EndpointResult {
  path: string;
  requests: number;
  p50: number;
  p95: number;
  rawQueries: number;
  rawP50: number;
  rawP95: number;
  ratio: number;
  pass: boolean;
}

const CLI = fileURLToPath(new URL('../../bin/workplan.js', import.meta.url));
const P95_LIMIT_MS = 50;
const RATIO_LIMIT = 3;

/** Runs the serve load case; returns 0 when every endpoint meets both targets. */
export async function runServeBench(options: ServeBenchOptions): Promise<number> {
  const work = await mkdtemp(join(tmpdir(), 'wps-bench-serve-'));
  const stores = postgresStores(options.adminUrl);
  let pool: pg.Pool | undefined;
  let stop: (() => Promise<void>) | undefined;
  try {
    const mirror = await stores.create(work);
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: mirror.url! };
    const roots = await buildSharedMirror(work, env, options);
    const server = await startServeProcess(roots[0]!, { ...env, WORKPLAN_REPOSITORY_SLUG: 'bench-repo-1' });
    stop = server.stop;
    const raw = (pool = new pg.Pool({ connectionString: mirror.url!, max: options.connections }));
    const db: SqlExecutor = {
      $queryRawUnsafe: async (q, ...v) => (await raw.query(q, v)).rows as never,
      $executeRawUnsafe: async (q, ...v) => (await raw.query(q, v)).rowCount ?? 0,
    };
    const results: EndpointResult[] = [];
    for (const endpoint of await endpoints(db)) {
      options.log(`serve bench: ${endpoint.path} …`);
      const http = await loadEndpoint(`${server.url}${endpoint.path}`, options);
      const raw = await loadQuery(endpoint.raw, options);
      const p95 = percentile(http, 0.95);
      const rawP95 = percentile(raw, 0.95);
      const ratio = p95 / rawP95;
      results.push({
        path: endpoint.path,
        requests: http.length,
        p50: percentile(http, 0.5),
        p95,
        rawQueries: raw.length,
        rawP50: percentile(raw, 0.5),
        rawP95,
        ratio,
        pass: p95 <= P95_LIMIT_MS && ratio <= RATIO_LIMIT,
      });
    }
    const report = renderServeReport(results, options);
    options.log(report);
    await writeServeResults(results, report, options);
    return results.every((r) => r.pass) ? 0 : 1;
  } finally {
    await stop?.();
    await pool?.end().catch(() => undefined);
    await stores.dispose();
    await rm(work, { recursive: true, force: true });
  }
}

/** `workplan serve --port 0` (the built CLI) over the repository at `root`; resolves once it listens. */
async function startServeProcess(root: string, env: NodeJS.ProcessEnv): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--root', root], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const take = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const found = /serving (http:\/\/[^/\s]+)\//.exec(output);
      if (found) resolve(found[1]!);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('exit', (code) => reject(new Error(`workplan serve exited (${code}): ${output}`)));
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** R repositories of the corpus (seed + i), each synced cold into the one Postgres mirror by `workplan sync`. */
async function buildSharedMirror(work: string, env: NodeJS.ProcessEnv, options: ServeBenchOptions): Promise<string[]> {
  const roots: string[] = [];
  for (let i = 1; i <= options.repositories; i++) {
    const root = join(work, `repo-${i}`);
    await writeCorpus(root, generateCorpus({ size: options.size, seed: options.seed + i }));
    const started = performance.now();
    const out = createRecordingOutput();
    const code = await cli(['sync', '--quiet', '--root', root], {
      cwd: root,
      env: { ...env, WORKPLAN_REPOSITORY_SLUG: `bench-repo-${i}` },
      out,
    });
    if (code !== 0) throw new Error(`sync of repository ${i} failed (${code}): ${out.stderr.join('\n')}`);
    options.log(
      `serve bench: repository ${i}/${options.repositories} synced (${options.size} workplans, ${Math.round(performance.now() - started)} ms)`,
    );
    roots.push(root);
  }
  return roots;
}

/** Each list endpoint's default page (every repository, 100 items) and the raw SQL of that page. */
async function endpoints(db: SqlExecutor): Promise<Array<{ path: string; raw: () => Promise<unknown> }>> {
  const v = DEFAULT_CONFIG.vocabularies;
  const blockedIds = await readBlockedWorkstreamIds(db);
  const page = { scope: 'all' as const, sort: 'id', order: 'asc' as const, limit: 100, offset: 0 };
  return [
    {
      path: '/api/workstreams',
      raw: () => listWorkstreamRows(db, { ...page, blockedIds, openStatuses: OPEN_TASK_STATUSES, statusOrder: v.workstreamStatus.values }),
    },
    {
      path: '/api/tasks',
      raw: () =>
        listTaskRows(db, {
          ...page,
          blockedIds,
          openStatuses: OPEN_TASK_STATUSES,
          closedWorkstreamStatuses: CLOSED_WORKSTREAM_STATUSES,
          priorityOrder: v.priority.values,
          statusOrder: v.taskStatus.values,
        }),
    },
    {
      path: '/api/tasks?status=todo&priority=high',
      raw: () =>
        listTaskRows(db, {
          ...page,
          statuses: ['todo'],
          priorities: ['high'],
          blockedIds,
          openStatuses: OPEN_TASK_STATUSES,
          closedWorkstreamStatuses: CLOSED_WORKSTREAM_STATUSES,
          priorityOrder: v.priority.values,
          statusOrder: v.taskStatus.values,
        }),
    },
    { path: '/api/adrs', raw: () => listAdrRows(db, { ...page, statusOrder: v.adrStatus.values }) },
    { path: '/api/domains', raw: () => readDomainCounts(db, 'all', blockedIds, OPEN_TASK_STATUSES, CLOSED_WORKSTREAM_STATUSES) },
    { path: '/api/repositories', raw: () => readRepositoryRows(db, 'all', OPEN_TASK_STATUSES) },
    {
      path: '/api/events',
      raw: () => listEventRows(db, { scope: 'all', kinds: EVENT_KINDS, cleanupEventKind: CLEANUP_EVENT_KIND, limit: 100, offset: 0 }),
    },
  ];
}

/** Every response's latency (ms) of `url` under autocannon; a non-200 answer fails the run. (A slow page must
 * still be measured, not cut off: autocannon's default 10 s request timeout is raised.) */
async function loadEndpoint(url: string, options: ServeBenchOptions): Promise<number[]> {
  const latencies: number[] = [];
  let failures = 0;
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon({ url, connections: options.connections, duration: options.durationSeconds, timeout: 120 }, (error) =>
      error ? reject(error) : resolve(),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode !== 200) failures++;
      latencies.push(responseTime);
    });
  });
  if (failures > 0) throw new Error(`${url}: ${failures} answers were not 200`);
  return latencies;
}

/** Every call's latency (ms) of `query`, C at a time for D seconds. */
async function loadQuery(query: () => Promise<unknown>, options: ServeBenchOptions): Promise<number[]> {
  const latencies: number[] = [];
  const until = performance.now() + options.durationSeconds * 1_000;
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < until) {
        const started = performance.now();
        await query();
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

function renderServeReport(results: EndpointResult[], options: ServeBenchOptions): string {
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const lines = [
    `### workplan serve under load — ${options.repositories} repositories × ${options.size.toLocaleString('en')} workplans (shared Postgres mirror)`,
    '',
    `${options.connections} connections, ${options.durationSeconds} s per endpoint; raw SQL: the page's statement on a pg pool, same concurrency and time. Targets: p95 ≤ ${P95_LIMIT_MS} ms and ≤ ${RATIO_LIMIT}× raw SQL.`,
    '',
    '| endpoint | requests | p50 | p95 | raw SQL p50 | raw SQL p95 | p95 ratio | target |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...results.map(
      (r) =>
        `| \`GET ${r.path}\` | ${r.requests} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.rawP50)} | ${ms(r.rawP95)} | ${r.ratio.toFixed(2)}× | ${r.pass ? 'PASS' : 'MISS'} |`,
    ),
  ];
  return lines.join('\n');
}

async function writeServeResults(results: EndpointResult[], report: string, options: ServeBenchOptions): Promise<void> {
  await mkdir(options.outDir, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  const machine = {
    os: `${type()} ${release()}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryBytes: totalmem(),
    node: process.version,
  };
  const base = join(options.outDir, `${date}-serve-${options.repositories}x${options.size}`);
  const { adminUrl: _url, log: _log, outDir: _out, ...settings } = options;
  await writeFile(
    `${base}.json`,
    `${JSON.stringify({ case: 'serve', date, machine, settings, targets: { p95Ms: P95_LIMIT_MS, ratio: RATIO_LIMIT }, results }, null, 2)}\n`,
  );
  await writeFile(`${base}.md`, `${report}\n`);
}
