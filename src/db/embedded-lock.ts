// An exclusive, cross-process lock on an embedded (PGlite) data directory. PGlite is a single-user
// Postgres: two processes opening one data directory corrupt it, so exactly one may hold it.
//
// The lock is a file `<dataDir>.lock` created with O_EXCL, holding the owner's pid, hostname, process
// start time and command. A second process waits (polling) up to `waitMs`, announces the wait once,
// then fails with LOCK_UNAVAILABLE. A lock whose owner is gone (same host, pid dead or reused) is
// stale and is broken under a short-lived breaker lock, so two processes cannot both break it and both
// win. Locks held by this process are removed synchronously on exit, whatever the exit path.
import { closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { SyncError } from '../model/errors.js';
import { isProcessAlive, readProcessStart } from '../fs/process-liveness.js';

/** What a lock file records about its holder. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** Linux: the process start time in clock ticks since boot (/proc/<pid>/stat field 22), to detect pid reuse. */
  processStart: string | null;
  /** ISO time the lock was taken. */
  acquiredAt: string;
  /** What the holder is, e.g. "workplan watch". */
  command: string;
}

/** A held lock; `release()` is idempotent. */
export interface EmbeddedLock {
  readonly path: string;
  release(): void;
}

export interface AcquireLockOptions {
  /** How long to wait for another holder, in ms (default 30 s). */
  waitMs?: number;
  /** Called once, when the lock is held by someone else and we start waiting. */
  onWait?: (message: string) => void;
  /** Describes this process to a waiter (default: the command line, e.g. "workplan watch"). */
  command?: string;
  /** Poll interval in ms (default 100). */
  pollMs?: number;
}

const DEFAULT_WAIT_MS = 30_000;
/** A breaker lock older than this belongs to a process that died while breaking. */
const BREAKER_STALE_MS = 10_000;

const held = new Map<string, string>();
let exitHookInstalled = false;

/** The lock file guarding an embedded data directory. */
export function lockPathFor(dataDir: string): string {
  return `${dataDir.replace(/[\\/]+$/, '')}.lock`;
}

/** Takes the exclusive lock on `dataDir`, waiting for another holder up to `waitMs`. */
export async function acquireEmbeddedLock(dataDir: string, options: AcquireLockOptions = {}): Promise<EmbeddedLock> {
  const path = lockPathFor(dataDir);
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const pollMs = options.pollMs ?? 100;
  const deadline = Date.now() + waitMs;
  const me = describeSelf(options.command);
  const content = `${JSON.stringify(me, null, 2)}\n`;
  let announced = false;

  for (;;) {
    if (tryCreate(path, content)) return hold(path, content);
    const owner = readOwner(path);
    if (owner === 'missing') continue; // released between our attempts: retry at once
    if (owner !== 'unreadable' && isStale(owner, path)) {
      breakStaleLock(path, owner);
      continue;
    }
    if (owner === 'unreadable' && ageMs(path) > BREAKER_STALE_MS) {
      // A holder that died between create and write leaves an empty file; nobody can judge it otherwise.
      breakStaleLock(path, owner);
      continue;
    }
    if (!announced) {
      announced = true;
      options.onWait?.(formatLockWait(dataDir, owner, waitMs));
    }
    if (Date.now() >= deadline) throw lockWaitTimeout(dataDir, owner, waitMs);
    await sleep(Math.min(pollMs, Math.max(1, deadline - Date.now())));
  }
}

/** Reads the owner recorded in a lock file, for messages and tests. */
export function readLockOwner(dataDir: string): LockOwner | undefined {
  const owner = readOwner(lockPathFor(dataDir));
  return typeof owner === 'string' ? undefined : owner;
}

/**
 * The process holding the lock on `dataDir` now: undefined when the lock is free, being written, or
 * stale (its owner is gone: the next acquirer breaks it).
 */
export function readLiveLockOwner(dataDir: string): LockOwner | undefined {
  const path = lockPathFor(dataDir);
  const owner = readOwner(path);
  return typeof owner === 'string' || isStale(owner, path) ? undefined : owner;
}

/** The one line a waiter prints when it starts waiting for `owner`. */
export function formatLockWait(dataDir: string, owner: LockOwner | 'unreadable', waitMs: number): string {
  return `Waiting for ${describeLockOwner(owner)}, which holds the embedded store at ${dataDir} (up to ${formatWaitTime(waitMs)}) …`;
}

const timeouts = new WeakSet<Error>();

/** The error of a waiter that gave up after `waitMs` (LOCK_UNAVAILABLE; see isLockWaitTimeout). */
export function lockWaitTimeout(dataDir: string, owner: LockOwner | 'unreadable', waitMs: number): SyncError {
  const error = new SyncError(
    'LOCK_UNAVAILABLE',
    `The embedded store at ${dataDir} is in use by ${describeLockOwner(owner)}; gave up after ${formatWaitTime(waitMs)}. Nothing was changed.`,
    {
      hint:
        'Stop that process (or wait for it to finish) and retry. To run several processes at once, ' +
        'point DATABASE_URL at a Postgres server.',
    },
  );
  timeouts.add(error);
  return error;
}

/** True for the error of a wait that ran out (not, e.g., a lock file that could not be created). */
export function isLockWaitTimeout(error: unknown): boolean {
  return error instanceof Error && timeouts.has(error);
}

function tryCreate(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new SyncError('LOCK_UNAVAILABLE', `Could not create the lock file ${path}: ${(error as Error).message}`, {
      hint: 'Check that the directory exists and is writable.',
      cause: error,
    });
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

function hold(path: string, content: string): EmbeddedLock {
  held.set(path, content);
  installExitHook();
  return {
    path,
    release() {
      if (held.get(path) !== content) return;
      held.delete(path);
      removeIfOurs(path, content);
    },
  };
}

/** Removes the lock file only if it is still the one we wrote. */
function removeIfOurs(path: string, content: string): void {
  try {
    if (readFileSync(path, 'utf8') === content) unlinkSync(path);
  } catch {
    // Already gone: nothing to release.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Synchronous, so it runs on process.exit() and after signal handlers that exit.
  process.on('exit', () => {
    for (const [path, content] of held) removeIfOurs(path, content);
    held.clear();
  });
}

function readOwner(path: string): LockOwner | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    return 'unreadable';
  }
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid !== 'number' || typeof value.hostname !== 'string') return 'unreadable';
    return {
      pid: value.pid,
      hostname: value.hostname,
      processStart: typeof value.processStart === 'string' ? value.processStart : null,
      acquiredAt: typeof value.acquiredAt === 'string' ? value.acquiredAt : '',
      command: typeof value.command === 'string' ? value.command : '',
    };
  } catch {
    return 'unreadable';
  }
}

/** A lock is stale when its owner ran on this host and is no longer running. */
function isStale(owner: LockOwner, path: string): boolean {
  if (owner.hostname !== hostname()) return false; // cannot see another host's processes: trust it
  // Our own pid but not our lock: a previous process with the same pid (containers reuse low pids).
  if (owner.pid === process.pid) return !held.has(path);
  if (!isProcessAlive(owner.pid)) return true;
  const start = readProcessStart(owner.pid);
  return owner.processStart !== null && start !== null && start !== owner.processStart;
}

/**
 * Breaks a stale lock. A breaker file serialises breakers; under it we re-check that the lock is still
 * the stale one we judged, so a fresh lock taken meanwhile by someone else is never removed.
 */
function breakStaleLock(path: string, judged: LockOwner | 'unreadable'): void {
  const breaker = `${path}.break`;
  if (!tryCreate(breaker, `${process.pid}\n`)) {
    if (ageMs(breaker) > BREAKER_STALE_MS) {
      try {
        unlinkSync(breaker);
      } catch {
        // another process removed it first
      }
    }
    return; // someone else is breaking it: the caller retries
  }
  try {
    const current = readOwner(path);
    const same =
      judged === 'unreadable'
        ? current === 'unreadable'
        : typeof current !== 'string' && current.pid === judged.pid && current.acquiredAt === judged.acquiredAt;
    if (same) {
      // Rename first: unlinking by name could remove a file created after our read.
      const aside = `${path}.stale-${process.pid}-${Date.now()}`;
      renameSync(path, aside);
      unlinkSync(aside);
    }
  } catch {
    // the lock vanished meanwhile: the caller retries
  } finally {
    try {
      unlinkSync(breaker);
    } catch {
      // already removed as stale by another process
    }
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function describeSelf(command: string | undefined): LockOwner {
  return {
    pid: process.pid,
    hostname: hostname(),
    processStart: readProcessStart(process.pid),
    acquiredAt: new Date().toISOString(),
    command: command ?? defaultCommand(),
  };
}

function defaultCommand(): string {
  const script = process.argv[1] ? basename(process.argv[1]).replace(/\.(c|m)?js$/, '') : 'node';
  const sub = process.argv[2] && !process.argv[2].startsWith('-') ? ` ${process.argv[2]}` : '';
  return `${script}${sub}`;
}

/** "process 123 (workplan watch), since …", for messages. */
export function describeLockOwner(owner: LockOwner | 'unreadable'): string {
  if (owner === 'unreadable') return 'another process (its lock file is being written or is unreadable)';
  const host = owner.hostname === hostname() ? '' : ` on host ${owner.hostname}`;
  const what = owner.command ? ` (${owner.command})` : '';
  const since = owner.acquiredAt ? `, since ${owner.acquiredAt}` : '';
  return `process ${owner.pid}${what}${host}${since}`;
}

/** "30 s", "2.5 s". */
export function formatWaitTime(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
