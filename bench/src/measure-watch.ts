// Watch latency: from a file saved (just before the write) to the daemon's sync of it committed
// (WatchSyncEvent.finishedAt: after the mirror transaction and any write-back). The daemon runs in
// this process on an already-synced corpus; each repetition flips one task's status and waits for
// the sync event that names the file. The edit is computed on a scratch copy of the file first (it
// parses the file to find the spans), so the clock starts at the write, not at the benchmark's parse.
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { mirrorDatabaseFor } from '#lib/app/open-mirror.js';
import { startWatch, type WatchEvent, type WatchSyncEvent } from '#lib/app/watch.js';
import { openWorkspace } from '#lib/app/workspace.js';
import { openBenchStore, type BenchMirror } from './bench-stores.js';
import { flipTaskStatus, type FlipTarget } from './flip-task-status.js';
import { median } from './stats.js';

export interface WatchLatencyResult {
  debounceMs: number;
  /** Save → committed, per repetition. */
  samples: number[];
  median: number;
  /** The daemon's own view: first file-system event → committed. */
  eventToCommitMedian: number;
  /** The sync itself (runSync inside the daemon). */
  syncMedian: number;
  /** Save (the write) → the watcher's first event for the file. */
  detectMedian: number;
  /** The file's last event → the daemon's sync started (debounce, batching, reading and judging the file). */
  settleMedian: number;
  /** Daemon start-up including its initial full sync. */
  startMs: number;
}

export async function measureWatchLatency(options: {
  root: string;
  mirror: BenchMirror;
  target: FlipTarget;
  repetitions: number;
  debounceMs?: number;
  log: (line: string) => void;
}): Promise<WatchLatencyResult> {
  const ws = await openWorkspace(options.root, options.root);
  if (!ws.config) throw new Error('corpus configuration has errors');
  const config = ws.config;
  const debounceMs = options.debounceMs ?? 200;
  const waiters = new Set<(event: WatchSyncEvent) => void>();
  const problems: string[] = [];
  const onEvent = (event: WatchEvent) => {
    if (event.kind === 'sync') for (const w of waiters) w(event);
    if (event.kind === 'error' || event.kind === 'refused' || event.kind === 'unreachable')
      problems.push(`${event.kind}: ${event.message}`);
  };
  const t0 = performance.now();
  const daemon = await startWatch({
    root: options.root,
    config,
    repository: ws.repository,
    debounceMs,
    openMirror: async () => {
      const store = await openBenchStore(options.mirror);
      return { mirror: mirrorDatabaseFor(store), describe: store.describe, close: () => store.close() };
    },
    onEvent,
    newId: randomUUID,
  });
  const startMs = performance.now() - t0;
  const samples: number[] = [];
  const eventToCommit: number[] = [];
  const syncs: number[] = [];
  const detects: number[] = [];
  const settles: number[] = [];
  const file = join(options.root, options.target.path);
  let scratch: string | undefined;
  try {
    scratch = await mkdtemp(join(tmpdir(), 'wps-bench-watch-'));
    const scratchFile = join(scratch, options.target.path);
    await mkdir(dirname(scratchFile), { recursive: true });
    await daemon.idle();
    for (let i = 0; i < options.repetitions; i++) {
      await copyFile(file, scratchFile);
      await flipTaskStatus(scratch, options.target, config);
      const edited = await readFile(scratchFile);
      const synced = new Promise<WatchSyncEvent>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no sync of ${options.target.path} within 30 s${problems.length ? ` (${problems.join('; ')})` : ''}`));
        }, 30_000);
        const waiter = (event: WatchSyncEvent) => {
          if (event.trigger !== 'watch' || !event.changes.some((c) => c.path === options.target.path)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(event);
        };
        waiters.add(waiter);
      });
      const savedAt = Date.now();
      await writeFile(file, edited);
      const event = await synced;
      if (event.outcome !== 'applied') throw new Error(`the watched sync did not apply the change (outcome ${event.outcome})`);
      samples.push(event.finishedAt - savedAt);
      const change = event.changes.find((c) => c.path === options.target.path)!;
      eventToCommit.push(event.finishedAt - change.firstEventAt);
      syncs.push(event.durationMs);
      detects.push(change.firstEventAt - savedAt);
      settles.push(event.startedAt - change.lastEventAt);
      await daemon.idle();
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await daemon.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
  return {
    debounceMs,
    samples,
    median: median(samples),
    eventToCommitMedian: median(eventToCommit),
    syncMedian: median(syncs),
    detectMedian: median(detects),
    settleMedian: median(settles),
    startMs,
  };
}
