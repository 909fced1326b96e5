// Issue #18, target 6: one repository's work in a mirror shared by an organisation. On one scratch
// Postgres database: sync the corpus, time a one-file sync, `status` and `list` of that repository
// alone; then add copies of the repository under other ids (clone-repository.ts: set-based SQL, not N
// syncs) and time the same again. The ratio shared / alone is the target; both are measured in one
// run on the same database, the same files and the same warm caches.
import { randomUUID } from 'node:crypto';

import pg from 'pg';

import { mirrorDatabaseFor } from '#lib/app/open-mirror.js';
import { openPlanSession, type PlanSession } from '#lib/app/plan-session.js';
import { workingTreeSource } from '#lib/fs/source-files.js';
import { readMirrorStatus } from '#lib/db/mirror-status.js';
import { runSync, type SyncOptions } from '#lib/app/sync.js';
import { openPreparedCache } from '#lib/cache/prepared-cache.js';
import { openFileHashCache } from '#lib/cache/file-hash-cache.js';
import { cacheDirFor, openWorkspace } from '#lib/app/workspace.js';
import { findRepositoryId } from '#lib/db/repository-row.js';
import { envFor, openBenchStore, type BenchMirror } from './bench-stores.js';
import { cloneRepository, type CloneResult } from './clone-repository.js';
import { chooseFlipTarget, flipTaskStatus } from './flip-task-status.js';
import { median } from './stats.js';

export interface SharedMirrorTimes {
  /** Medians, ms. */
  oneFile: number;
  status: number;
  listTasks: number;
  listWorkstreams: number;
  samples: { oneFile: number[]; status: number[]; listTasks: number[]; listWorkstreams: number[] };
}

export interface SharedMirrorResult {
  repositories: number;
  alone: SharedMirrorTimes;
  shared: SharedMirrorTimes;
  clone: CloneResult;
}

export interface SharedMirrorOptions {
  root: string;
  mirror: BenchMirror;
  workplanPaths: string[];
  /** Repositories in the shared mirror, this one included. */
  repositories: number;
  repetitions: number;
  log: (line: string) => void;
}

export async function measureSharedMirror(options: SharedMirrorOptions): Promise<SharedMirrorResult> {
  if (!options.mirror.url) throw new Error('the shared mirror is measured on Postgres only');
  const ws = await openWorkspace(options.root, options.root);
  if (!ws.config) throw new Error('corpus configuration has errors');
  const config = ws.config;
  const store = await openBenchStore(options.mirror);
  const opened = await openPlanSession({
    cwd: options.root,
    root: options.root,
    env: envFor(options.mirror, process.env),
    lingerMs: 600_000,
    readOnly: true,
  });
  if (opened.kind !== 'ready') throw new Error('corpus configuration has errors');
  const session = opened.session;
  try {
    const mirror = mirrorDatabaseFor(store);
    const base: SyncOptions = {
      root: options.root,
      config,
      repository: ws.repository,
      source: workingTreeSource(options.root, { hashes: await openFileHashCache(options.root, cacheDirFor(options.root)) }),
      mirror,
      trigger: 'cli',
      newId: randomUUID,
      now: () => new Date(),
      cache: openPreparedCache(cacheDirFor(options.root), config),
    };
    options.log('shared mirror: cold sync of the repository …');
    const cold = await runSync(base);
    if (cold.outcome !== 'applied') throw new Error(`shared mirror: the cold sync did not apply (outcome ${cold.outcome})`);
    const target = await chooseFlipTarget(options.root, options.workplanPaths, config);
    const times = async (): Promise<SharedMirrorTimes> => {
      const samples = { oneFile: [] as number[], status: [] as number[], listTasks: [] as number[], listWorkstreams: [] as number[] };
      for (let i = 0; i < options.repetitions; i++) {
        await flipTaskStatus(options.root, target, config);
        samples.oneFile.push(
          await timed(async () => {
            const r = await runSync(base);
            if (r.outcome !== 'applied' || r.plan.counts.updated < 1)
              throw new Error(`shared mirror: a one-file sync did not update the task (${r.outcome})`);
          }),
        );
        samples.status.push(await timed(() => readMirrorStatus(mirror.db, ws.repository)));
        samples.listTasks.push(await timed(() => listPage(session, 'list-tasks')));
        samples.listWorkstreams.push(await timed(() => listPage(session, 'list-workstreams')));
      }
      return {
        oneFile: median(samples.oneFile),
        status: median(samples.status),
        listTasks: median(samples.listTasks),
        listWorkstreams: median(samples.listWorkstreams),
        samples,
      };
    };
    options.log(`shared mirror: the repository alone (${options.repetitions} repetitions) …`);
    const alone = await times();
    const repositoryId = await findRepositoryId(mirror.db, ws.repository);
    if (!repositoryId) throw new Error('shared mirror: the synced repository has no row');
    options.log(`shared mirror: copying it ${options.repositories - 1} times (set-based SQL) …`);
    const clone = await withClient(options.mirror.url, (c) => cloneRepository(c, repositoryId, options.repositories - 1, 'bench-org'));
    options.log(
      `shared mirror: ${clone.rows.tasks} tasks in ${clone.rows.repositories} repositories, built in ${(clone.ms / 1000).toFixed(1)} s`,
    );
    options.log(`shared mirror: the repository among ${options.repositories} …`);
    const shared = await times();
    return { repositories: options.repositories, alone, shared, clone };
  } finally {
    await session.close();
    await store.close();
  }
}

async function listPage(session: PlanSession, call: 'list-tasks' | 'list-workstreams'): Promise<void> {
  const page = await session.call(call, { sync: false });
  if (page.items.length === 0) throw new Error(`shared mirror: ${call} returned nothing`);
  for (const item of page.items)
    if (item.repository !== session.repository.slug) throw new Error(`shared mirror: ${call} listed another repository's row`);
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
