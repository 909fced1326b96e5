// Worker threads that run one module's default export over batches of items, on tinypool. An
// adapter: it knows threads and files, not what the work is. Results come back in input order.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';

/** Threads kept for several calls (starting one costs ~0.2 s); they start on the first call. */
export interface WorkerPool<In, Out> {
  /** Runs every item, in small batches so that each thread stays busy to the end; results in input order. */
  map(items: readonly In[], onProgress?: (done: number, total: number) => void): Promise<Out[]>;
  close(): Promise<void>;
}

export interface WorkerPoolOptions {
  /** The compiled worker module; its default export takes an array of items and returns their results. */
  script: URL;
  threads: number;
  /** Handed to every thread (read there with `Tinypool.workerData`). */
  workerData?: unknown;
  /** V8 heap limits of each thread (a small young generation keeps the parser threads' heaps small). */
  resourceLimits?: { maxYoungGenerationSizeMb?: number; maxOldGenerationSizeMb?: number };
}

/** Threads worth starting by default: the machine's cores, at most 8. */
export function defaultThreadCount(): number {
  return Math.min(availableParallelism(), 8);
}

/** False under the TypeScript test runner, where the worker module is not compiled JavaScript. */
export function workerScriptExists(script: URL): boolean {
  return existsSync(fileURLToPath(script));
}

/** A pool of `threads` threads running `script`; nothing starts until the first `map`. */
export function openWorkerPool<In, Out>(options: WorkerPoolOptions): WorkerPool<In, Out> {
  let pool: Tinypool | undefined;
  // A thread that died leaves the pool unusable: the batch it held is lost (as it was before tinypool).
  let broken: unknown;
  return {
    async map(items, onProgress) {
      if (broken !== undefined) throw broken;
      pool ??= new Tinypool({
        filename: fileURLToPath(options.script),
        minThreads: options.threads,
        // As many threads as asked, kept until close (an idle timeout applies only above minThreads).
        maxThreads: options.threads,
        workerData: options.workerData,
        ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
      });
      const running = pool;
      const size = Math.max(1, Math.min(32, Math.floor(items.length / (options.threads * 8))));
      const results: Out[] = new Array(items.length);
      let done = 0;
      const batches: Promise<void>[] = [];
      for (let start = 0; start < items.length; start += size) {
        const batch = items.slice(start, start + size);
        batches.push(
          running.run(batch).then((out: Out[]) => {
            out.forEach((r, i) => (results[start + i] = r));
            done += out.length;
            onProgress?.(done, items.length);
          }),
        );
      }
      try {
        await Promise.all(batches);
      } catch (error) {
        broken = error;
        throw error;
      }
      return results;
    },
    async close() {
      const running = pool;
      pool = undefined;
      await running?.destroy();
    },
  };
}
