// The `watch` use case: a daemon that keeps the mirror in step with the working tree.
//
// - At start: one full sync (recovers whatever changed while no daemon ran), then incremental syncs of
//   just the files that changed (runSync with `paths`). Both halves of a rename settle into one batch,
//   so the planner matches the workstream by its id and moves it instead of removing and re-creating.
// - Events are debounced per file (src/watch/settle-queue.ts). When a file settles it is read once;
//   the bytes that were hashed are the bytes synced (an in-memory source), and its write-back is a
//   compare-and-swap against the working tree, so a save racing the sync is never overwritten.
// - Read-ahead: the debounce is idle time, so a file quiet for PREFETCH_QUIET_MS is already read,
//   checked stable and parsed while its debounce runs. When it settles, one stat decides: unchanged
//   since (same size, mtime, ctime, inode, and no event in between) → those bytes and that parse are
//   used, by the judge below and by the sync (an in-memory prepared cache); else it is read afresh.
//   Either way the parse the judge needs is the sync's too: a settled file is parsed once.
// - A settled file whose content hash equals what the mirror holds (which, after a write-back, is the
//   written text's hash) or what the daemon itself just wrote is skipped: no sync is started or logged.
//   This survives a restart: the hashes come from the mirror.
// - A file that is empty, or lost tasks, must stay unchanged for `shrinkSettleMs` before it is synced
//   (a transient truncation never removes tasks); the mirror's own guard (MASS_REMOVAL_REFUSED) is
//   reported once and the file waits for its next change.
// - The database going away (DB_UNREACHABLE, a dropped connection) is reported once; the daemon retries
//   with capped exponential backoff and, when it is back, runs one full sync (catch-up).
// - Every job — its own syncs, syncs run for other processes (the daemon socket), the scheduled
//   cleanup — runs through one serial queue: one writer.
// - stop(): stops watching, lets the current job finish, closes the store.
// Reports everything as WatchEvents; never prints.
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkplanConfig } from '../model/config.js';
import { hashBytes } from '../model/content-hash.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { SyncError, isSyncError } from '../model/errors.js';
import { readSourceFile } from '../fs/read-source.js';
import { readMirrorIndex } from '../db/mirror-read.js';
import { backoffDelayMs, type BackoffOptions } from '../watch/backoff.js';
import { isConnectionLoss } from '../db/connection-loss.js';
import { nextCronTime, type CronSchedule } from '../watch/cron.js';
import {
  decodeFiles,
  encodeSyncResult,
  type CallRequest,
  type DaemonRequest,
  type DaemonResponse,
  type SyncRequest,
} from '../watch/daemon-protocol.js';
import { serveDaemonSocket, type DaemonServer } from '../watch/daemon-socket.js';
import { watchSourceFiles, type FileWatcher } from '../watch/file-watcher.js';
import { SerialQueue } from '../watch/serial-queue.js';
import { SettleQueue, type SettledPath } from '../watch/settle-queue.js';
import { prepareFile, type PreparedFile } from '../reconcile/prepare-file.js';
import type { PreparedCache } from '../cache/prepared-cache.js';
import { findRepositoryId, type RepositoryIdentity } from '../db/repository-row.js';
import { memorySource, workingTreeSource } from '../fs/source-files.js';
import { classifySourcePath } from '../model/source-path.js';
import type { SourceProvider } from '../model/source-file.js';
import { runSync, type MirrorDatabase } from './sync.js';
import type { SyncResult, SyncTrigger, WriteBackResult } from '../reconcile/sync-result.js';
import { executePlanCall, validatePlanCall } from './plan-calls.js';
import { createPlanContext } from './plan-context.js';

/** An open mirror the daemon holds for its lifetime. */
export interface MirrorHandle {
  mirror: MirrorDatabase;
  /** For log lines, e.g. "embedded /repo/.workplan/db" (never a password). */
  describe: string;
  close(): Promise<void>;
}

/** What a scheduled job gets: the daemon's mirror, between two syncs. */
export interface ScheduledJobContext {
  root: string;
  config: WorkplanConfig;
  repository: RepositoryIdentity;
  mirror: MirrorDatabase;
  now: () => Date;
  newId: () => string;
}

export interface WatchSchedule {
  cron: CronSchedule;
  /** A name for log lines, e.g. "cleanup". */
  job: string;
  run(context: ScheduledJobContext): Promise<{ summary: string }>;
}

export interface WatchOptions {
  root: string;
  config: WorkplanConfig;
  repository: RepositoryIdentity;
  /** Opens the mirror; called at start, and again while the database is unreachable. */
  openMirror: () => Promise<MirrorHandle>;
  /** Quiet time after a file's last event before it is synced, ms (default 200). */
  debounceMs?: number;
  /** Longest a settled file waits for other files to settle, ms (default 2 000). */
  maxBatchWaitMs?: number;
  /** How long an empty file, or one with fewer tasks than the mirror, must stay unchanged, ms (default 1 000). */
  shrinkSettleMs?: number;
  /** Retry delays while the database is unreachable (default 500 ms doubling up to 30 s). */
  retry?: BackoffOptions;
  schedule?: WatchSchedule;
  /** Serve sync requests of other processes on this socket (daemon-socket.ts); none when absent. */
  socketPath?: string;
  /** Poll the file system instead of native events. */
  usePolling?: boolean;
  onEvent?: (event: WatchEvent) => void;
  newId?: () => string;
  now?: () => Date;
}

export type SyncEventTrigger = 'start' | 'watch' | 'catch-up' | 'cli' | 'hook';

/** One sync the daemon ran. Times are epoch ms. */
export interface WatchSyncEvent {
  kind: 'sync';
  at: number;
  trigger: SyncEventTrigger;
  /** The paths synced, or 'all' for a full sync. */
  paths: string[] | 'all';
  /** For watch-triggered syncs: when each file's events happened (latency = finishedAt - firstEventAt). */
  changes: SettledPath[];
  outcome: SyncResult['outcome'];
  counts: SyncResult['plan']['counts'];
  files: SyncResult['files'];
  diagnostics: Diagnostic[];
  writeBacks: WriteBackResult[];
  startedAt: number;
  /** When runSync returned: the mirror transaction committed and ids were written back. */
  finishedAt: number;
  durationMs: number;
}

export type WatchEvent =
  | { kind: 'started'; at: number; pid: number; root: string; debounceMs: number; schedule?: string; socket?: string }
  | { kind: 'ready'; at: number; store: string; nextScheduledAt?: string }
  | WatchSyncEvent
  | { kind: 'suppressed'; at: number; paths: string[]; reason: 'own-write' | 'unchanged' }
  | { kind: 'deferred'; at: number; path: string; reason: 'unstable' | 'empty' | 'fewer-tasks' | 'locked'; retryInMs: number }
  | { kind: 'refused'; at: number; paths: string[]; code: string; message: string; hint?: string }
  | { kind: 'unreachable'; at: number; message: string; retryInMs: number }
  | { kind: 'reconnected'; at: number; downMs: number }
  | {
      kind: 'scheduled';
      at: number;
      job: string;
      outcome: 'ok' | 'failed' | 'skipped';
      summary?: string;
      message?: string;
      durationMs: number;
      next?: string;
    }
  | { kind: 'error'; at: number; message: string; code?: string; paths?: string[] }
  /** A query or edit another process handed to the daemon (src/app/plan-calls.ts). */
  | { kind: 'call'; at: number; name: string; trigger: string; outcome: 'ok' | 'failed'; code?: string; durationMs: number }
  | { kind: 'stopping'; at: number }
  | { kind: 'stopped'; at: number };

/** A running daemon. */
export interface WatchDaemon {
  /** Stops watching, lets the current job finish, closes the store. Idempotent. */
  stop(): Promise<void>;
  /** Runs a sync for another process, serialised with the daemon's own (the socket's handler). */
  requestSync(request: Omit<SyncRequest, 'op' | 'version' | 'root'>): Promise<SyncResult>;
  /** Runs a query or edit for another process with the daemon's mirror, serialised with its syncs. */
  requestCall(request: Omit<CallRequest, 'op' | 'version' | 'root'>): Promise<unknown>;
  /** Resolves when no file is settling and no job is queued (tests, benchmarks). */
  idle(): Promise<void>;
  /** True while the database is unreachable. */
  readonly unreachable: boolean;
}

interface KnownFile {
  hash: string;
  taskCount: number;
}

const MISSING = 'missing';

/**
 * How long a settling file must be quiet before it is read ahead. chokidar drops a path's further
 * `change` events for 50 ms after one it reports, so a read earlier than that could miss a write
 * without any event to tell; after it, every write is either in the read or followed by an event.
 */
const PREFETCH_QUIET_MS = 60;
/**
 * Time left before the file settles that a read ahead needs (reading and parsing a large workplan
 * takes ~50 ms). With a shorter debounce there is no read ahead: a parse blocking the event loop just
 * before the settle timer could delay the next save's event past it and split one save into two syncs.
 */
const PREFETCH_BUDGET_MS = 100;
/** Read ahead only while this few paths settle: a checkout-sized burst is read when it settles, as one batch. */
const PREFETCH_MAX_PATHS = 4;

/** What identifies one version of a file on disk (any write or replacement changes one of them). */
interface FileVersion {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

/** A settled file as read for the judge: its bytes, and its parse when one was needed. */
type JudgedRead =
  | { kind: 'ok'; bytes: Uint8Array; hash: string; size: number; prepared?: PreparedFile }
  | { kind: 'missing' }
  | { kind: 'unstable' }
  | { kind: 'other' };

/** A file read (and parsed) while it settled; valid while no event on it came in after `generation`. */
interface Prefetch {
  generation: number;
  version: FileVersion;
  read: Extract<JudgedRead, { kind: 'ok' }>;
}

/**
 * Starts the daemon: watcher, initial full sync, socket, schedule. Resolves once it is ready (the full
 * sync attempted). Throws when the store cannot be opened for another reason than an unreachable
 * database (e.g. LOCK_UNAVAILABLE: another process holds the embedded store).
 */
export async function startWatch(options: WatchOptions): Promise<WatchDaemon> {
  const { root, config, repository } = options;
  const debounceMs = options.debounceMs ?? 200;
  const shrinkSettleMs = options.shrinkSettleMs ?? 1_000;
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? randomUUID;
  const emit = (event: WatchEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // a logger's failure must not stop the daemon
    }
  };
  const queue = new SerialQueue();
  const worktree = workingTreeSource(root);

  let handle: MirrorHandle | undefined;
  let stopping = false;
  let stopped: Promise<void> | undefined;
  let watcher: FileWatcher | undefined;
  let server: DaemonServer | undefined;
  let scheduleTimer: NodeJS.Timeout | undefined;
  let nextScheduledAt: Date | undefined;
  let down: { since: number; attempt: number; timer: NodeJS.Timeout | undefined } | undefined;
  /** What the mirror holds per path (live rows), refreshed after every sync. */
  let known = new Map<string, KnownFile>();
  /** Hashes of files the daemon itself wrote (write-back). */
  const ownWrites = new Map<string, string>();
  /** Hash of a file's last sync attempt that did not reach the mirror (errors, refused): not retried until it changes. */
  const seen = new Map<string, string>();
  /** Settled changes waiting for the queue. */
  const pending = new Map<string, SettledPath>();
  let processScheduled = false;
  /** Per path, the number of its last file-system event (a read ahead is valid only for the same number). */
  const generations = new Map<string, number>();
  let eventCount = 0;
  /** Reads ahead, by path (pending or done). */
  const prefetches = new Map<string, { generation: number; result: Promise<Prefetch | undefined> }>();
  /**
   * Parses of the files being synced, handed to runSync so it does not parse a file again. Each is
   * taken once: the sync may mutate what it gets (a duplicate id clears `desired`).
   */
  const preparedForSync = new Map<string, PreparedFile>();
  const syncCache: PreparedCache = {
    get: async (file) => {
      const p = preparedForSync.get(file.path);
      if (!p || p.hash !== file.hash || p.kind !== file.kind) return undefined;
      preparedForSync.delete(file.path);
      return p;
    },
    set: async () => undefined,
  };

  const settle = new SettleQueue({
    debounceMs,
    maxWaitMs: options.maxBatchWaitMs ?? 2_000,
    // Not when polling: a poll reports a write up to its interval late, so "quiet" proves less.
    ...(options.usePolling || debounceMs < PREFETCH_QUIET_MS + PREFETCH_BUDGET_MS
      ? {}
      : { early: { quietMs: PREFETCH_QUIET_MS, onQuiet: (path: string) => startPrefetch(path) } }),
    onFlush: (batch) => {
      for (const item of batch) {
        const previous = pending.get(item.path);
        pending.set(item.path, previous ? { ...item, firstEventAt: Math.min(previous.firstEventAt, item.firstEventAt) } : item);
      }
      scheduleProcessing();
    },
  });

  const scheduleProcessing = () => {
    if (processScheduled || stopping) return;
    processScheduled = true;
    void queue.run(processPending).catch((error) => emitError(error));
  };

  const emitError = (error: unknown, paths?: string[]) =>
    emit({
      kind: 'error',
      at: Date.now(),
      message: describeError(error),
      ...(isSyncError(error) ? { code: error.code } : {}),
      ...(paths ? { paths } : {}),
    });

  const syncOptions = (mirror: MirrorDatabase) => ({ root, config, repository, mirror, newId, now });

  /**
   * Reloads what the mirror holds for this repository (content hash and live task count per file): all
   * of it, or only `paths` after an incremental sync of them (which touches no other file's rows).
   */
  const refreshKnown = async (paths?: string[]) => {
    if (!handle) return;
    const id = await findRepositoryId(handle.mirror.db, repository);
    const index = id ? await readMirrorIndex(handle.mirror.db, id, paths) : [];
    const next = paths ? known : new Map<string, KnownFile>();
    for (const p of paths ?? []) next.delete(p);
    for (const e of index) if (!e.removed) next.set(e.filePath, { hash: e.contentHash, taskCount: e.taskCount });
    known = next;
  };

  const recordResult = async (result: SyncResult, paths?: string[]) => {
    for (const [path, hash] of result.writtenHashes) ownWrites.set(path, hash);
    try {
      await refreshKnown(paths);
    } catch (error) {
      if (isConnectionLoss(error)) enterDown(error);
      else emitError(error);
    }
  };

  const syncEvent = (
    trigger: SyncEventTrigger,
    paths: string[] | 'all',
    changes: SettledPath[],
    result: SyncResult,
    startedAt: number,
    finishedAt: number,
  ): WatchSyncEvent => {
    return {
      kind: 'sync',
      at: Date.now(),
      trigger,
      paths,
      changes,
      outcome: result.outcome,
      counts: result.plan.counts,
      files: result.files,
      diagnostics: result.diagnostics,
      writeBacks: result.writeBacks,
      startedAt,
      finishedAt,
      durationMs: finishedAt - startedAt,
    };
  };

  // ---- the database going away -------------------------------------------------------------------
  const enterDown = (error: unknown) => {
    if (stopping) return;
    if (!down) {
      down = { since: Date.now(), attempt: 0, timer: undefined };
      const retryInMs = backoffDelayMs(0, options.retry);
      emit({ kind: 'unreachable', at: Date.now(), message: `mirror unreachable; retrying… (${describeError(error)})`, retryInMs });
      armRetry();
    }
  };

  const armRetry = () => {
    if (!down || stopping) return;
    const delay = backoffDelayMs(down.attempt, options.retry);
    down.timer = setTimeout(() => {
      void queue.run(recover).catch((error) => emitError(error));
    }, delay);
  };

  const recover = async () => {
    if (!down || stopping) return;
    const since = down.since;
    try {
      if (!handle) handle = await options.openMirror();
      // Catch up: everything that changed while the mirror was away (and anything missed) at once.
      pending.clear();
      prefetches.clear();
      await fullSync('catch-up', { onDown: 'throw' });
      down = undefined;
      emit({ kind: 'reconnected', at: Date.now(), downMs: Date.now() - since });
    } catch (error) {
      if (!down) return;
      if (isConnectionLoss(error) || !handle) {
        if (!isConnectionLoss(error) && down.attempt === 0) emitError(error);
        down.attempt++;
        armRetry();
        return;
      }
      // Reachable again, but the catch-up itself failed (e.g. refused): it was reported; carry on.
      down = undefined;
      emit({ kind: 'reconnected', at: Date.now(), downMs: Date.now() - since });
    }
  };

  // ---- full sync ------------------------------------------------------------------------------------
  const fullSync = async (trigger: SyncEventTrigger, mode: { onDown: 'throw' | 'enter' }) => {
    if (!handle) throw new SyncError('DB_UNREACHABLE', 'The mirror is not open.');
    const startedAt = Date.now();
    let result: SyncResult;
    try {
      result = await runSync({ ...syncOptions(handle.mirror), source: worktree, trigger: 'watch', writeBack: true });
    } catch (error) {
      if (isConnectionLoss(error)) {
        if (mode.onDown === 'throw') throw error;
        enterDown(error);
        return;
      }
      reportSyncFailure(error, 'all');
      if (mode.onDown === 'throw') throw error;
      return;
    }
    const finishedAt = Date.now();
    seen.clear();
    await recordResult(result);
    emit(syncEvent(trigger, 'all', [], result, startedAt, finishedAt));
  };

  const reportSyncFailure = (error: unknown, paths: string[] | 'all') => {
    if (isSyncError(error, 'MASS_REMOVAL_REFUSED')) {
      emit({
        kind: 'refused',
        at: Date.now(),
        paths: paths === 'all' ? [] : paths,
        code: error.code,
        message: error.message,
        ...(error.hint ? { hint: `${error.hint} (the daemon waits for the file's next change)` } : {}),
      });
    } else {
      emitError(error, paths === 'all' ? undefined : paths);
    }
  };

  // ---- incremental syncs ------------------------------------------------------------------------------
  const processPending = async () => {
    processScheduled = false;
    if (stopping) return;
    if (down || !handle) return; // the catch-up full sync will cover these
    const batch = [...pending.values()];
    pending.clear();
    if (batch.length === 0) return;

    const bytes = new Map<string, Uint8Array>();
    const hashes = new Map<string, string>();
    const toSync: SettledPath[] = [];
    const own: string[] = [];
    const unchanged: string[] = [];
    for (const item of batch) {
      const verdict = await judge(item);
      switch (verdict.kind) {
        case 'defer':
          settle.defer(item, verdict.retryInMs);
          emit({ kind: 'deferred', at: Date.now(), path: item.path, reason: verdict.reason, retryInMs: verdict.retryInMs });
          break;
        case 'own-write':
          own.push(item.path);
          break;
        case 'unchanged':
          unchanged.push(item.path);
          break;
        case 'sync':
          if (verdict.bytes) bytes.set(item.path, verdict.bytes);
          if (verdict.prepared) preparedForSync.set(item.path, verdict.prepared);
          hashes.set(item.path, verdict.hash);
          toSync.push(item);
          break;
      }
    }
    if (own.length > 0) emit({ kind: 'suppressed', at: Date.now(), paths: own, reason: 'own-write' });
    if (unchanged.length > 0) emit({ kind: 'suppressed', at: Date.now(), paths: unchanged, reason: 'unchanged' });
    if (toSync.length === 0) return;
    try {
      await syncPaths(toSync, bytes, hashes);
    } finally {
      for (const item of toSync) preparedForSync.delete(item.path);
    }
  };

  type Verdict =
    | { kind: 'sync'; bytes?: Uint8Array; hash: string; prepared?: PreparedFile }
    | { kind: 'own-write' | 'unchanged' }
    | { kind: 'defer'; reason: 'unstable' | 'empty' | 'fewer-tasks'; retryInMs: number };

  /** Reads a settled file and decides: sync it, skip it (our own write, or unchanged), or wait. */
  const judge = async (item: SettledPath): Promise<Verdict> => {
    const path = item.path;
    const kind = classifySourcePath(path, config);
    const read = await readSettled(path);
    if (read.kind === 'missing') {
      if (seen.has(path) && seen.get(path) !== MISSING) seen.delete(path);
      if (!known.has(path) || seen.get(path) === MISSING) return { kind: 'unchanged' };
      return { kind: 'sync', hash: MISSING };
    }
    if (read.kind === 'other') return { kind: 'sync', hash: '' }; // e.g. unreadable, or a symlink leaving the root: the sync reports it
    if (read.kind === 'unstable') return { kind: 'defer', reason: 'unstable', retryInMs: debounceMs };
    const hash = read.hash;
    // A failure is remembered only while the file stays as it failed: once it is seen otherwise (valid
    // again, say after `git stash`), the same bad content coming back (`git stash pop`) is reported again.
    if (seen.has(path) && seen.get(path) !== hash) seen.delete(path);
    if (isKnownContent(path, hash)) return { kind: ownWrites.get(path) === hash ? 'own-write' : 'unchanged' };
    let prepared = read.prepared;
    const quietFor = Date.now() - item.lastEventAt;
    if (quietFor < shrinkSettleMs) {
      if (read.size === 0) return { kind: 'defer', reason: 'empty', retryInMs: shrinkSettleMs - quietFor };
      const knownTasks = known.get(path)?.taskCount ?? 0;
      if (kind === 'workplan' && knownTasks > 0) {
        prepared ??= prepareFile({ path, kind, bytes: read.bytes, hash }, config);
        if (countTasks(prepared) < knownTasks) return { kind: 'defer', reason: 'fewer-tasks', retryInMs: shrinkSettleMs - quietFor };
      }
    }
    return { kind: 'sync', bytes: read.bytes, hash, ...(prepared ? { prepared } : {}) };
  };

  /** Content the daemon need not sync: its own write-back, what the mirror holds, or a failure already reported. */
  const isKnownContent = (path: string, hash: string) =>
    ownWrites.get(path) === hash || known.get(path)?.hash === hash || seen.get(path) === hash;

  /** The file's live tasks, as the parser counts them; undecodable or unparsable counts as "not fewer". */
  const countTasks = (prepared: PreparedFile): number =>
    prepared.kind === 'workplan' && prepared.summary ? prepared.summary.tasks.length : Number.POSITIVE_INFINITY;

  /**
   * A settled file's bytes: its read-ahead when the file is still that version (one stat), else a
   * fresh read, stable only if a stat right after it agrees.
   */
  const readSettled = async (path: string): Promise<JudgedRead> => {
    const ahead = prefetches.get(path);
    prefetches.delete(path);
    if (ahead && ahead.generation === generations.get(path)) {
      const done = await ahead.result;
      if (done && done.generation === generations.get(path) && sameVersion(await statVersion(path), done.version)) return done.read;
    }
    let read;
    try {
      read = await readSourceFile(root, path, config.sync.maxFileBytes);
    } catch {
      return { kind: 'other' };
    }
    if (read.kind === 'missing') return { kind: 'missing' };
    if (read.kind !== 'ok') return { kind: 'other' };
    // Still being written? (size or mtime moved while we read it)
    const after = await statVersion(path);
    if (!after || after.size !== read.size || after.mtimeMs !== read.mtimeMs) return { kind: 'unstable' };
    return { kind: 'ok', bytes: read.bytes, hash: read.hash, size: read.size };
  };

  /** Reads a settling file ahead (and parses it unless the judge will skip it), during its debounce. */
  const startPrefetch = (path: string) => {
    if (stopping || down || settle.size > PREFETCH_MAX_PATHS) return;
    const kind = classifySourcePath(path, config);
    if (!kind) return;
    const generation = generations.get(path) ?? 0;
    const result = (async (): Promise<Prefetch | undefined> => {
      const read = await readSourceFile(root, path, config.sync.maxFileBytes).catch(() => undefined);
      if (read?.kind !== 'ok') return undefined;
      const version = await statVersion(path);
      if (!version || version.size !== read.size || version.mtimeMs !== read.mtimeMs) return undefined;
      if (generations.get(path) !== generation) return undefined; // changed meanwhile: not worth parsing
      const prepared = isKnownContent(path, read.hash)
        ? undefined
        : prepareFile({ path, kind, bytes: read.bytes, hash: read.hash }, config);
      return {
        generation,
        version,
        read: { kind: 'ok', bytes: read.bytes, hash: read.hash, size: read.size, ...(prepared ? { prepared } : {}) },
      };
    })().catch(() => undefined);
    prefetches.set(path, { generation, result });
  };

  const statVersion = async (path: string): Promise<FileVersion | undefined> => {
    const s = await stat(join(root, path)).catch(() => undefined);
    return s?.isFile() ? { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino } : undefined;
  };

  /**
   * The bytes that were judged for the batch's paths; the working tree for anything else. The sync
   * lists the batch's paths alone, and the whole tree only when its guard for a root left with no
   * files needs it.
   */
  const batchSource = (bytes: Map<string, Uint8Array>): SourceProvider => ({
    list: (cfg) => worktree.list(cfg),
    ...(worktree.listPaths ? { listPaths: worktree.listPaths.bind(worktree) } : {}),
    async read(path, kind, cfg) {
      const b = bytes.get(path);
      if (b) return { path, kind, bytes: b, hash: hashBytes(b) };
      return worktree.read(path, kind, cfg);
    },
  });

  const syncPaths = async (items: SettledPath[], bytes: Map<string, Uint8Array>, hashes: Map<string, string>): Promise<void> => {
    if (!handle) return;
    const paths = items.map((i) => i.path);
    const startedAt = Date.now();
    let result: SyncResult;
    try {
      result = await runSync({
        ...syncOptions(handle.mirror),
        source: batchSource(bytes),
        paths,
        trigger: 'watch',
        writeBack: true,
        cache: syncCache,
      });
    } catch (error) {
      if (isConnectionLoss(error)) {
        enterDown(error);
        return;
      }
      if (isSyncError(error, 'MASS_REMOVAL_REFUSED') && items.length > 1) {
        // Find the file(s) the guard is about: sync each on its own.
        for (const item of items) await syncPaths([item], bytes, hashes);
        return;
      }
      if (isSyncError(error, 'LOCK_UNAVAILABLE')) {
        for (const item of items) {
          settle.defer(item, 1_000);
          emit({ kind: 'deferred', at: Date.now(), path: item.path, reason: 'locked', retryInMs: 1_000 });
        }
        return;
      }
      for (const p of paths) seen.set(p, hashes.get(p) ?? '');
      reportSyncFailure(error, paths);
      return;
    }
    const finishedAt = Date.now();
    for (const p of paths) ownWrites.delete(p);
    await recordResult(result, paths);
    // A file the mirror still does not hold (it has errors): do not retry it until it changes.
    for (const p of paths) {
      const h = hashes.get(p) ?? '';
      const k = known.get(p);
      if ((h === MISSING && !k) || (k && (k.hash === h || result.writtenHashes.get(p) === k.hash))) seen.delete(p);
      else seen.set(p, h);
    }
    emit(syncEvent('watch', paths, items, result, startedAt, finishedAt));
  };

  // ---- syncs for other processes ---------------------------------------------------------------------
  const requestSync: WatchDaemon['requestSync'] = (request) =>
    queue.run(async () => {
      if (stopping) {
        throw new SyncError('LOCK_UNAVAILABLE', 'The watch daemon is shutting down; nothing was synced.', {
          hint: 'Run the command again once it has stopped.',
        });
      }
      if (down || !handle) {
        throw new SyncError(
          'DB_UNREACHABLE',
          'The watch daemon cannot reach the mirror at the moment (it keeps retrying); nothing was synced.',
        );
      }
      const files = request.files ? decodeFiles(request.files) : undefined;
      // An in-memory source lists only its own files: without `paths` every other file would look deleted.
      const paths = request.paths ?? (files ? [...files.keys()] : undefined);
      const startedAt = Date.now();
      try {
        const result = await runSync({
          ...syncOptions(handle.mirror),
          source: files ? memorySource(files, request.listing ?? [...files.keys()]) : worktree,
          trigger: request.trigger as SyncTrigger,
          ...(paths ? { paths } : {}),
          writeBack: request.writeBack ?? !files,
          dryRun: request.dryRun ?? false,
          allowMassRemoval: request.allowMassRemoval ?? false,
        });
        const finishedAt = Date.now();
        if (!result.dryRun) await recordResult(result);
        emit(syncEvent(request.trigger, paths ?? 'all', [], result, startedAt, finishedAt));
        return result;
      } catch (error) {
        if (isConnectionLoss(error)) {
          enterDown(error);
          throw isSyncError(error)
            ? error
            : new SyncError('DB_UNREACHABLE', 'The mirror became unreachable during the sync; it was rolled back.');
        }
        throw error;
      }
    });

  // ---- queries and edits for other processes ------------------------------------------------------------
  const requestCall: WatchDaemon['requestCall'] = (request) =>
    queue.run(async () => {
      if (stopping)
        throw new SyncError('LOCK_UNAVAILABLE', 'The watch daemon is shutting down; nothing was done.', {
          hint: 'Run the command again once it has stopped.',
        });
      if (down || !handle)
        throw new SyncError(
          'DB_UNREACHABLE',
          'The watch daemon cannot reach the mirror at the moment (it keeps retrying); nothing was done.',
        );
      const startedAt = Date.now();
      const report = (outcome: 'ok' | 'failed', error?: unknown) =>
        emit({
          kind: 'call',
          at: Date.now(),
          name: request.name,
          trigger: request.trigger,
          outcome,
          ...(isSyncError(error) ? { code: error.code } : {}),
          durationMs: Date.now() - startedAt,
        });
      try {
        const call = validatePlanCall(config, request.name, request.input);
        const ctx = await createPlanContext({
          root,
          config,
          repository,
          trigger: request.trigger,
          readOnly: request.readOnly ?? false,
          mirror: handle.mirror,
          newId,
          now,
        });
        const value = await executePlanCall(ctx, call);
        report('ok');
        return value;
      } catch (error) {
        report('failed', error);
        if (isConnectionLoss(error)) enterDown(error);
        throw error;
      } finally {
        // The call may have synced files (and written some): learn their hashes, so their events are recognised.
        await refreshKnown().catch((error: unknown) => (isConnectionLoss(error) ? enterDown(error) : undefined));
      }
    });

  const handleRequest = async (request: DaemonRequest): Promise<DaemonResponse> => {
    const fail = (code: string, message: string, hint: string | null = null): DaemonResponse => ({
      ok: false,
      pid: process.pid,
      error: { code, message, hint },
    });
    if (request.op === 'ping') return { ok: true, pid: process.pid, root };
    if (request.op !== 'sync' && request.op !== 'call')
      return fail('INVALID_INPUT', `Unknown request "${String((request as { op?: unknown }).op)}".`);
    if (request.root !== root) return fail('INVALID_INPUT', `This daemon watches ${root}, not ${request.root}.`);
    if (request.op === 'call') {
      try {
        return { ok: true, pid: process.pid, root, value: await requestCall(request) };
      } catch (error) {
        if (isSyncError(error)) return fail(error.code, error.message, error.hint ?? null);
        return fail('INTERNAL', error instanceof Error ? error.message : String(error));
      }
    }
    try {
      const result = await requestSync(request);
      return { ok: true, pid: process.pid, root, result: encodeSyncResult(result) };
    } catch (error) {
      if (isSyncError(error)) return fail(error.code, error.message, error.hint ?? null);
      return fail('INTERNAL', error instanceof Error ? error.message : String(error));
    }
  };

  // ---- schedule -----------------------------------------------------------------------------------------
  /** Arms the timer for the first due time after `after` (default: now). */
  const armSchedule = (after?: Date) => {
    const schedule = options.schedule;
    if (!schedule || stopping) return;
    const from = after && after.getTime() > now().getTime() ? after : now();
    nextScheduledAt = nextCronTime(schedule.cron, from);
    if (!nextScheduledAt) return;
    const due = nextScheduledAt;
    // setTimeout holds at most ~24.8 days: re-arm without running when the due time is further away.
    scheduleTimer = setTimeout(
      () => {
        if (now().getTime() + 1_000 < due.getTime()) return armSchedule();
        void queue.run(() => runScheduled(schedule)).catch((error) => emitError(error));
        // From the due time, not the clock: a timer firing a little early must not run the job twice.
        armSchedule(due);
      },
      Math.min(Math.max(0, due.getTime() - now().getTime()), 2 ** 31 - 1),
    );
  };

  const runScheduled = async (schedule: WatchSchedule) => {
    if (stopping) return;
    const startedAt = Date.now();
    const next = () => (nextScheduledAt ? { next: nextScheduledAt.toISOString() } : {});
    if (down || !handle) {
      emit({
        kind: 'scheduled',
        at: Date.now(),
        job: schedule.job,
        outcome: 'skipped',
        message: 'the mirror is unreachable',
        durationMs: 0,
        ...next(),
      });
      return;
    }
    try {
      const { summary } = await schedule.run({ root, config, repository, mirror: handle.mirror, now, newId });
      emit({ kind: 'scheduled', at: Date.now(), job: schedule.job, outcome: 'ok', summary, durationMs: Date.now() - startedAt, ...next() });
    } catch (error) {
      if (isConnectionLoss(error)) enterDown(error);
      emit({
        kind: 'scheduled',
        at: Date.now(),
        job: schedule.job,
        outcome: 'failed',
        message: describeError(error),
        durationMs: Date.now() - startedAt,
        ...next(),
      });
    }
    // The job wrote files and synced them: learn their hashes so their events are recognised.
    try {
      await refreshKnown();
    } catch (error) {
      if (isConnectionLoss(error)) enterDown(error);
    }
  };

  // ---- lifecycle ----------------------------------------------------------------------------------------
  const stop = () =>
    (stopped ??= (async () => {
      stopping = true;
      emit({ kind: 'stopping', at: Date.now() });
      settle.close();
      if (down?.timer) clearTimeout(down.timer);
      if (scheduleTimer) clearTimeout(scheduleTimer);
      await watcher?.close().catch(() => undefined);
      await server?.close().catch(() => undefined);
      await queue.idle(); // the current sync finishes (or fails and rolls back)
      await handle?.close().catch(() => undefined);
      handle = undefined;
      emit({ kind: 'stopped', at: Date.now() });
    })());

  emit({
    kind: 'started',
    at: Date.now(),
    pid: process.pid,
    root,
    debounceMs,
    ...(options.schedule ? { schedule: options.schedule.cron.expression } : {}),
    ...(options.socketPath ? { socket: options.socketPath } : {}),
  });

  try {
    // Watch first, so nothing that changes during the initial full sync is missed.
    watcher = await watchSourceFiles({
      root,
      config,
      usePolling: options.usePolling ?? false,
      onChange: (path, _kind, at) => {
        generations.set(path, ++eventCount);
        settle.touch(path, at);
      },
      onError: (error) => emitError(error),
    });
    try {
      handle = await options.openMirror();
    } catch (error) {
      if (!isConnectionLoss(error)) throw error;
      enterDown(error);
    }
    if (handle) await queue.run(() => fullSync('start', { onDown: 'enter' }));
    if (options.socketPath) {
      try {
        server = await serveDaemonSocket(options.socketPath, handleRequest);
      } catch (error) {
        emitError(
          new Error(
            `Could not listen on ${options.socketPath} (${(error as Error).message}); other workplan commands will wait for the store instead.`,
          ),
        );
      }
    }
    armSchedule();
  } catch (error) {
    await stop();
    throw error;
  }
  emit({
    kind: 'ready',
    at: Date.now(),
    store: handle?.describe ?? 'unreachable',
    ...(nextScheduledAt ? { nextScheduledAt: nextScheduledAt.toISOString() } : {}),
  });

  return {
    stop,
    requestSync,
    requestCall,
    get unreachable() {
      return down !== undefined;
    },
    async idle() {
      for (;;) {
        await queue.idle();
        if (settle.size === 0 && pending.size === 0 && queue.size === 0) return;
        await new Promise((r) => setTimeout(r, Math.max(10, debounceMs / 4)));
      }
    },
  };
}

/** One line for a log: our own messages whole; a driver's multi-line text by its last (telling) line. */
function describeError(error: unknown): string {
  if (isSyncError(error)) return error.message;
  const text = error instanceof Error ? error.message : String(error);
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const line = lines.at(-1) ?? 'unknown error';
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}

function sameVersion(a: FileVersion | undefined, b: FileVersion): boolean {
  return a !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}
