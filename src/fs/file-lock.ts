// A short-lived per-file lock between write-backs of this tool: a `.<basename>.lock` file next
// to the target, created atomically with its content ({pid, host, token}), held only around "re-read, compare, rename" (a few
// milliseconds). It serialises our own writers so that of two concurrent write-backs of one
// file exactly one wins and the other sees a WRITE_CONFLICT; editors that do not know the lock
// are covered by the compare-and-swap alone (see atomic-write.ts for the remaining window).
// A lock left by a killed process is broken when its pid is dead (same host) or it is older than
// `staleMs`. Adapter (node:fs, process).
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { SyncError } from '../model/errors.js';
import { isProcessAlive } from './process-liveness.js';
import { lockPathFor, tempPathFor } from './sibling-files.js';

export interface FileLockOptions {
  /** How long to wait for another writer's lock before LOCK_UNAVAILABLE. Default 5 s. */
  timeoutMs?: number;
  /** A lock older than this is considered abandoned. Default 30 s (a lock is held for milliseconds). */
  staleMs?: number;
}

export interface FileLock {
  readonly path: string;
  /** Removes the lock if it is still ours. Never throws. */
  release(): Promise<void>;
}

interface LockContent {
  pid: number;
  host: string;
  token: string;
}

function parseLock(text: string): LockContent | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockContent>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string') {
      return { pid: value.pid, host: value.host, token: value.token };
    }
  } catch {
    // An empty or half-written lock (its writer was killed between create and write).
  }
  return undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether the lock at `lockPath` is abandoned: its process is dead, or it is older than `staleMs`. */
async function isStale(lockPath: string, staleMs: number): Promise<{ stale: boolean; text: string } | undefined> {
  let text: string;
  let mtimeMs: number;
  try {
    [text, { mtimeMs }] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
  } catch {
    return undefined; // gone already
  }
  const content = parseLock(text);
  const old = Date.now() - mtimeMs > staleMs;
  if (old) return { stale: true, text };
  if (!content) {
    // Unparseable: only possible with the no-hard-link fallback (a writer killed between create
    // and write, or one still writing). Give a live writer a moment before judging.
    return { stale: Date.now() - mtimeMs > 1000, text };
  }
  const dead = content.host === hostname() && content.pid !== process.pid && !isProcessAlive(content.pid);
  return { stale: dead, text };
}

/**
 * Breaks an abandoned lock. It is first renamed to a private name, so two breakers never both
 * succeed; if what was renamed is not the lock judged stale (a new owner got in between), it is
 * linked back.
 */
async function breakStaleLock(lockPath: string, staleMs: number): Promise<boolean> {
  const judged = await isStale(lockPath, staleMs);
  if (!judged?.stale) return false;
  const aside = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}.broken`;
  try {
    await rename(lockPath, aside);
  } catch {
    return false;
  }
  try {
    const taken = await readFile(aside, 'utf8');
    if (taken !== judged.text) {
      await link(aside, lockPath).catch(() => undefined);
      return false;
    }
    return true;
  } finally {
    await unlink(aside).catch(() => undefined);
  }
}

/** Removes an abandoned lock for `target`, if there is one. Returns true when it removed one. */
export async function removeStaleLock(target: string, staleMs = 30_000): Promise<boolean> {
  return breakStaleLock(lockPathFor(target), staleMs);
}

/**
 * Creates the lock file with its content in one step: the content is written to a temp file
 * (named like a write-back temp file, so a sweep removes it if we are killed) and hard-linked to
 * the lock name, which fails if the lock exists. A lock file is therefore never seen empty.
 * Where hard links are not supported, falls back to an O_EXCL create followed by the write.
 */
async function tryCreateLock(lockPath: string, text: string): Promise<boolean> {
  const temp = tempPathFor(lockPath, process.pid, randomBytes(6).toString('hex'));
  try {
    await writeFile(temp, text, { flag: 'wx' });
    try {
      await link(temp, lockPath);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  try {
    const handle = await open(lockPath, 'wx');
    try {
      await handle.writeFile(text);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Takes the write lock of `target`, waiting up to `timeoutMs`; throws LOCK_UNAVAILABLE after that. */
export async function acquireFileLock(target: string, options: FileLockOptions = {}): Promise<FileLock> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const staleMs = options.staleMs ?? 30_000;
  const lockPath = lockPathFor(target);
  const content: LockContent = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex') };
  const text = JSON.stringify(content);
  const deadline = Date.now() + timeoutMs;
  let wait = 2;
  for (;;) {
    if (await tryCreateLock(lockPath, text)) {
      return {
        path: lockPath,
        release: async () => {
          try {
            // Only our own lock: if it was broken as stale and retaken, it is someone else's now.
            if ((await readFile(lockPath, 'utf8')) === text) await unlink(lockPath);
          } catch {
            // Already gone.
          }
        },
      };
    }
    if (await breakStaleLock(lockPath, staleMs)) continue;
    if (Date.now() >= deadline) {
      throw new SyncError(
        'LOCK_UNAVAILABLE',
        `Another write-back has held the lock ${lockPath} for more than ${timeoutMs} ms; nothing was written.`,
        { hint: 'Retry. If no other workplan process is running, remove the lock file.' },
      );
    }
    await sleep(wait + Math.floor(Math.random() * wait));
    wait = Math.min(wait * 2, 50);
  }
}
