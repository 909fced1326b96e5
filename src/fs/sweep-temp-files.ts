// Removes the leftovers of killed write-backs in one directory: temp files
// (`.<name>.<pid>.<random>.tmp`) whose process is dead, and abandoned lock files. Adapter.
// A temp file of a live process is never touched (its writer may be about to rename it).
// Pids are only meaningful on this host: on a filesystem shared between hosts, pass `minAgeMs`
// so that a live writer on another host (which takes milliseconds) is never swept.
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { removeStaleLock } from './file-lock.js';
import { isProcessAlive } from './process-liveness.js';
import { isLockFileName, parseTempFileName } from './sibling-files.js';

export interface SweepOptions {
  /** Only remove temp files at least this old. Default 0 (a dead pid suffices). */
  minAgeMs?: number;
  /** A lock file older than this is abandoned even if its pid seems alive. Default 30 s. */
  staleLockMs?: number;
}

/** Removes stale write-back temp and lock files in `dir`; returns the removed names. Missing dir → []. */
export async function sweepStaleTempFiles(dir: string, options: SweepOptions = {}): Promise<string[]> {
  const minAgeMs = options.minAgeMs ?? 0;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const removed: string[] = [];
  for (const name of names) {
    const full = path.join(dir, name);
    const temp = parseTempFileName(name);
    if (temp) {
      if (temp.pid === process.pid || isProcessAlive(temp.pid)) continue;
      if (minAgeMs > 0) {
        const info = await stat(full).catch(() => undefined);
        if (!info || Date.now() - info.mtimeMs < minAgeMs) continue;
      }
      await rm(full, { force: true });
      removed.push(name);
    } else if (isLockFileName(name)) {
      // `.<basename>.lock` belongs to target `<basename>`.
      const target = path.join(dir, name.slice(1, -'.lock'.length));
      if (await removeStaleLock(target, options.staleLockMs)) removed.push(name);
    }
  }
  return removed.sort();
}
