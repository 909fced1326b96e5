// Parsing files on worker threads: remark dominates a cold sync, and every core can parse.
// Falls back to the calling thread for small batches, or when the worker script is not compiled
// JavaScript (e.g. under the TypeScript test runner). Results come back in input order. The threads
// themselves are an adapter (src/workers/, on tinypool); this module decides when they pay.
import type { WorkplanConfig } from '../model/config.js';
import { defaultThreadCount, openWorkerPool, workerScriptExists } from '../workers/worker-pool.js';
import type { PreparedFile } from '../reconcile/prepare-file.js';
import type { SourceKind } from '../model/source-file.js';
import type { PreparedCache } from '../cache/prepared-cache.js';

export interface FileToPrepare {
  path: string;
  kind: SourceKind;
  bytes: Uint8Array;
  hash: string;
}

export interface PrepareOptions {
  /** Worker threads to use; 0 or 1 parses on this thread. Default: the machine's cores, above a batch size. */
  workers?: number;
  /** Below this many bytes in total the batch is parsed on this thread (worker start-up costs ~0.2 s). */
  minBytesForWorkers?: number;
  onProgress?: (done: number, total: number) => void;
  /** Reuse results of files parsed before (same path, content, configuration). */
  cache?: PreparedCache;
  /** Worker threads kept across calls (a sync parsing in batches); when given, the files are parsed on them. */
  pool?: ParsePool;
}

/** Parser worker threads kept for several batches of files (starting them costs ~0.2 s each time). */
export interface ParsePool {
  prepare(files: FileToPrepare[], onProgress?: (done: number, total: number) => void): Promise<PreparedFile[]>;
  close(): Promise<void>;
}

const WORKER_URL = new URL('../workers/parse-worker.js', import.meta.url);

/**
 * A parser thread's young generation, in MB (V8's default, 16 MB semi-spaces, lets each thread's heap
 * reach ~54 MB): the syntax trees of one file die young and small, so a smaller nursery costs little
 * time and keeps each thread's heap near ~40 MB (peak RSS of a cold sync, ADR 0016).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 4 } as const;

/** Prepares every file, in parallel when it pays; cached results are reused and new ones stored. */
export async function prepareFiles(files: FileToPrepare[], config: WorkplanConfig, options: PrepareOptions = {}): Promise<PreparedFile[]> {
  const cache = options.cache;
  if (!cache) return prepareUncached(files, config, options);
  const results: Array<PreparedFile | undefined> = await Promise.all(files.map((f) => cache.get(f)));
  const missing = files.filter((_, i) => results[i] === undefined);
  const fresh = await prepareUncached(missing, config, options);
  await storeLimited(fresh, (p) => cache.set(p));
  let k = 0;
  return results.map((r) => r ?? fresh[k++]!);
}

/**
 * A few cache writes at a time: each holds its file's JSON and a buffer of it until written, and a
 * batch of hundreds written at once held them all (+36 MB peak RSS of a cold sync at 1,000; ADR 0016).
 */
const CACHE_WRITES_AT_ONCE = 8;

async function storeLimited(items: PreparedFile[], store: (item: PreparedFile) => Promise<void>): Promise<void> {
  let next = 0;
  const writers = Array.from({ length: Math.min(CACHE_WRITES_AT_ONCE, items.length) }, async () => {
    while (next < items.length) await store(items[next++]!);
  });
  await Promise.all(writers);
}

async function prepareUncached(files: FileToPrepare[], config: WorkplanConfig, options: PrepareOptions): Promise<PreparedFile[]> {
  if (files.length === 0) return [];
  if (options.pool && files.length > 1) return options.pool.prepare(files, options.onProgress);
  const totalBytes = files.reduce((n, f) => n + f.bytes.byteLength, 0);
  const pool = openParsePoolFor(config, files.length, totalBytes, options.workers, options.minBytesForWorkers);
  if (!pool) {
    // The parser (remark, zod: a third of a no-op sync's start-up) loads only when a file is parsed here.
    const { prepareFile } = await import('../reconcile/prepare-file.js');
    const out: PreparedFile[] = [];
    for (const f of files) {
      out.push(prepareFile(f, config));
      options.onProgress?.(out.length, files.length);
    }
    return out;
  }
  try {
    return await pool.prepare(files, options.onProgress);
  } finally {
    await pool.close();
  }
}

const MIN_BYTES_FOR_WORKERS = 2 * 1024 * 1024;

/**
 * Parser threads for `fileCount` files of `totalBytes` in all, when they pay (worker start-up costs
 * ~0.2 s); undefined: parse on the calling thread.
 */
export function openParsePoolFor(
  config: WorkplanConfig,
  fileCount: number,
  totalBytes: number,
  workers?: number,
  minBytes = MIN_BYTES_FOR_WORKERS,
): ParsePool | undefined {
  if (fileCount < 2 || totalBytes < minBytes) return undefined;
  return openParsePool(config, Math.min(workerCount(workers), fileCount));
}

function workerCount(wanted: number | undefined): number {
  const count = wanted ?? defaultThreadCount();
  return count > 1 && workerScriptExists(WORKER_URL) ? count : 0;
}

/**
 * Starts `count` parser threads (lazily, on the first batch); undefined when there is no compiled
 * worker script (under the TypeScript test runner) or fewer than two threads are wanted.
 */
export function openParsePool(config: WorkplanConfig, count: number): ParsePool | undefined {
  if (workerCount(count) < 2) return undefined;
  const pool = openWorkerPool<FileToPrepare, PreparedFile>({
    script: WORKER_URL,
    threads: count,
    workerData: { config },
    resourceLimits: WORKER_LIMITS,
  });
  return { prepare: (files, onProgress) => pool.map(files, onProgress), close: () => pool.close() };
}
