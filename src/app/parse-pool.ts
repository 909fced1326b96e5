// Parsing files on worker threads: remark dominates a cold sync, and every core can parse.
// Falls back to the calling thread for small batches, or when the worker script is not compiled
// JavaScript (e.g. under the TypeScript test runner). Results come back in input order.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { WorkplanConfig } from '../model/config.js';
import { prepareFile, type PreparedFile } from './prepare-file.js';
import type { SourceKind } from './source-files.js';
import type { PreparedCache } from './prepared-cache.js';

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
}

const WORKER_URL = new URL('./parse-worker.js', import.meta.url);

/** Prepares every file, in parallel when it pays; cached results are reused and new ones stored. */
export async function prepareFiles(files: FileToPrepare[], config: WorkplanConfig, options: PrepareOptions = {}): Promise<PreparedFile[]> {
  const cache = options.cache;
  if (!cache) return prepareUncached(files, config, options);
  const results: Array<PreparedFile | undefined> = await Promise.all(files.map((f) => cache.get(f)));
  const missing = files.filter((_, i) => results[i] === undefined);
  const fresh = await prepareUncached(missing, config, options);
  await Promise.all(fresh.map((p) => cache.set(p)));
  let k = 0;
  return results.map((r) => r ?? fresh[k++]!);
}

async function prepareUncached(files: FileToPrepare[], config: WorkplanConfig, options: PrepareOptions): Promise<PreparedFile[]> {
  const totalBytes = files.reduce((n, f) => n + f.bytes.byteLength, 0);
  const workerPath = fileURLToPath(WORKER_URL);
  const wanted = options.workers ?? Math.min(availableParallelism(), 8);
  const useWorkers =
    wanted > 1 && files.length > 1 && totalBytes >= (options.minBytesForWorkers ?? 2 * 1024 * 1024) && existsSync(workerPath);
  if (!useWorkers) {
    const out: PreparedFile[] = [];
    for (const f of files) {
      out.push(prepareFile(f, config));
      options.onProgress?.(out.length, files.length);
    }
    return out;
  }
  return prepareOnWorkers(files, config, Math.min(wanted, files.length), workerPath, options.onProgress);
}

async function prepareOnWorkers(
  files: FileToPrepare[],
  config: WorkplanConfig,
  count: number,
  workerPath: string,
  onProgress?: (done: number, total: number) => void,
): Promise<PreparedFile[]> {
  const results: PreparedFile[] = new Array(files.length);
  let next = 0;
  let done = 0;
  // Small batches keep every worker busy to the end without a message per file.
  const batch = Math.max(1, Math.min(32, Math.floor(files.length / (count * 8))));
  const workers = Array.from({ length: count }, () => new Worker(workerPath, { workerData: { config } }));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= files.length) return resolve();
              const start = next;
              const slice = files.slice(start, (next = Math.min(files.length, next + batch)));
              worker.postMessage({ start, files: slice });
            };
            worker.on('message', (msg: { start: number; results: PreparedFile[] }) => {
              msg.results.forEach((r, i) => (results[msg.start + i] = r));
              done += msg.results.length;
              onProgress?.(done, files.length);
              send();
            });
            worker.once('error', reject);
            worker.once('exit', (code) => {
              if (next < files.length || code !== 0) reject(new Error(`parse worker exited with code ${code}`));
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
