// The pre-commit hook's use case, `workplan sync --staged`: judge what will be COMMITTED, not the
// working tree, then mirror it.
// 1. The staged workplan and ADR paths (adds, edits, deletes; a rename is a delete plus an add).
// 2. Validation against the staged snapshot (check-staged.ts: the staged blobs parsed in full, every
//    other source file of the index by its cached cross-file summary, so rules such as duplicate ids see
//    what the commit will contain without reading or parsing unchanged files). Errors block the commit,
//    nothing else happens.
// 3. Files that need ids assigned: only when the working-tree file equals the staged one (else stop,
//    saying what to do, before anything is touched); those are synced from the working tree with
//    write-back, then exactly those files are staged again.
// 4. The sync: staged bytes (an in-memory source), only the staged paths, through the running watch
//    daemon when it owns the embedded store, else by opening the mirror. Within a time budget
//    (hook.timeoutMs); an unreachable mirror, a store held too long or a spent budget follow
//    hook.onDatabaseUnreachable ('warn': the commit proceeds; 'block').
// Never prints; never changes the working tree, the index or the stash beyond staging the files it
// wrote ids into.
//
// Start-up counts (the hook runs on every commit): the parser, the mirror's drivers (Prisma, pg,
// PGlite) and the sync are loaded only once a staged workplan or ADR needs them.
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkplanConfig } from '../model/config.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { hasErrors } from '../model/diagnostic.js';
import { SyncError, isSyncError } from '../model/errors.js';
import { withTimeout } from '../model/with-timeout.js';
import { ensureStateDir } from '../fs/state-dir.js';
import { readStagedChanges, readUnstagedPaths, stagePaths, type StagedChange } from '../git/staged.js';
import { daemonSocketPath } from '../watch/daemon-socket.js';
import { requestDaemonSync } from '../watch/daemon-client.js';
import type { PreparedFile } from '../reconcile/prepare-file.js';
import type { RepositoryIdentity } from '../db/repository-row.js';
import { classifySourcePath } from '../model/source-path.js';
import { memorySource } from '../fs/source-files.js';
import type { SyncResult } from '../reconcile/sync-result.js';
import { cacheDirFor, embeddedDirFor } from './workspace.js';
import { openPreparedCache, type PreparedCache } from '../cache/prepared-cache.js';
import { differsOnlyByAssignedIds } from './assigned-id-lines.js';
import { resolveDatabaseUrl } from '../db/connection-url.js';

// Loaded on first use (see above).
const runSync: typeof import('./sync.js').runSync = async (options) => (await import('./sync.js')).runSync(options);

export interface StagedSyncOptions {
  root: string;
  config: WorkplanConfig;
  repository: RepositoryIdentity;
  /** The environment git runs with (carries GIT_INDEX_FILE under `git commit -a` / `git commit <path>`). */
  env: NodeJS.ProcessEnv;
  /** Overrides config.hook.timeoutMs. */
  timeoutMs?: number;
  /** Reaches the mirror; default: the running watch daemon, else the store itself. */
  syncMirror?: StagedMirrorSync;
  onWait?: (message: string) => void;
  newId?: () => string;
  now?: () => Date;
}

/** Runs one sync of the given bytes against the mirror, before `deadline` (epoch ms). */
export type StagedMirrorSync = (request: {
  /** The bytes of the staged paths that exist. */
  files: Map<string, Uint8Array>;
  /** Every source path of the staged snapshot (for the sync's guards: a root left empty, …). */
  listing: string[];
  /** The staged paths, deleted ones included: the only paths the sync reads, creates or removes. */
  paths: string[];
  writeBack: boolean;
  deadline: number;
  /** Parse results of the staged files (the hook has just parsed them): pass it on to runSync. */
  cache?: PreparedCache;
}) => Promise<{ result: SyncResult; daemonPid?: number }>;

export interface StagedSyncTimings {
  /** Everything, from the first git call to the last. */
  totalMs: number;
  /** Reading the index and validating. */
  validateMs: number;
  /** Reaching the mirror and syncing (0 when not attempted). */
  syncMs: number;
}

export type StagedSyncOutcome = {
  /** The staged source files (workplans and ADRs). */
  staged: StagedChange[];
  diagnostics: Diagnostic[];
  timings: StagedSyncTimings;
} & (
  | { status: 'nothing-staged' }
  /** Validation failed: the commit must be blocked. */
  | { status: 'invalid' }
  /** Ids must be written into files that also have unstaged changes: the commit must be blocked. */
  | { status: 'needs-clean-files'; paths: string[] }
  | {
      status: 'synced';
      result: SyncResult;
      daemonPid?: number;
      /** Files the sync wrote ids into and staged. */
      restaged: string[];
      /** Files whose ids could not be written (they changed meanwhile); the next sync writes them. */
      notWritten: Array<{ path: string; message: string }>;
    }
  /** The mirror could not be reached in time: policy hook.onDatabaseUnreachable decides. */
  | { status: 'mirror-unavailable'; error: SyncError; policy: 'warn' | 'block'; timedOut: boolean }
  /** The sync refused (mass removal): the mirror was not changed; the commit is not blocked. */
  | { status: 'refused'; error: SyncError }
);

/** `workplan sync --staged`. Throws only for unexpected failures (git missing, a bug). */
export async function runStagedSync(options: StagedSyncOptions): Promise<StagedSyncOutcome> {
  const started = Date.now();
  const { root, config, env } = options;
  const timeoutMs = options.timeoutMs ?? config.hook.timeoutMs;
  let deadline = started + timeoutMs;
  // Loading code does not count against the budget (it bounds checking and waiting for the mirror),
  // as when every module was loaded at start-up: now only commits that stage a workplan or ADR load
  // the parser and the mirror's code at all.
  const loadCode = async <T>(load: () => Promise<T>): Promise<T> => {
    const before = Date.now();
    try {
      return await load();
    } finally {
      deadline += Date.now() - before;
    }
  };
  const timings = (validateEnd: number, syncMs = 0): StagedSyncTimings => ({
    totalMs: Date.now() - started,
    validateMs: validateEnd - started,
    syncMs,
  });

  // 1. What is staged.
  const staged = (await readStagedChanges(root, env)).filter((c) => classifySourcePath(c.path, config) !== undefined);
  if (staged.length === 0) return { status: 'nothing-staged', staged, diagnostics: [], timings: timings(Date.now()) };

  // 2. Validation of the staged files against the staged snapshot of every source file.
  const { checkStagedSnapshot } = await loadCode(() => import('./check-staged.js'));
  // The parse cache lives in .workplan/, which must ignore itself before anything is written there.
  await ensureStateDir(root).catch(() => undefined);
  const cache = openPreparedCache(cacheDirFor(root), config);
  const check = await checkStagedSnapshot({ root, env, config, staged, cache });
  const diagnostics: Diagnostic[] = [...check.diagnostics];
  if (hasErrors(diagnostics)) return { status: 'invalid', staged, diagnostics, timings: timings(Date.now()) };

  // 3. Files that need ids written: only when the working tree holds exactly the staged content — or
  //    the staged content plus exactly the id lines a sync writes (a running `workplan watch` wrote
  //    them after `git add`): those are staged as they are, which is what this hook would have done.
  const stagedPresent = staged.filter((c) => c.status !== 'D' && check.files.has(c.path)).map((c) => c.path);
  let needIds = stagedPresent.filter((p) => needsIds(check.prepared.get(p)));
  const dirty = needIds.length > 0 ? await readUnstagedPaths(root, env, needIds) : new Set<string>();
  const adopted: string[] = [];
  const adoptedBytes = new Map<string, Uint8Array>();
  for (const p of [...dirty].sort()) {
    const working = await readFile(join(root, p)).catch(() => undefined);
    if (working && differsOnlyByAssignedIds(check.prepared.get(p), check.files.get(p)!, working)) {
      adopted.push(p);
      adoptedBytes.set(p, new Uint8Array(working));
      dirty.delete(p);
    }
  }
  if (dirty.size > 0) {
    return { status: 'needs-clean-files', paths: [...dirty].sort(), staged, diagnostics, timings: timings(Date.now()) };
  }
  if (adopted.length > 0) {
    await stagePaths(root, env, adopted);
    needIds = needIds.filter((p) => !adoptedBytes.has(p));
  }
  const files = new Map<string, Uint8Array>();
  for (const p of stagedPresent) files.set(p, adoptedBytes.get(p) ?? check.files.get(p)!);
  // The working-tree bytes (equal to the staged ones up to git's filters, e.g. autocrlf) are what the
  // write-back's compare-and-swap checks against.
  for (const p of needIds) files.set(p, new Uint8Array(await readFile(join(root, p))));
  const validateEnd = Date.now();

  // 4. The sync. (The mirror's code is loaded first, outside the budget, unless a watch daemon may take it.)
  if (!options.syncMirror && !(await mayHandOffToDaemon(options))) {
    await loadCode(() => Promise.all([import('./open-mirror.js'), import('./sync.js')]));
  }
  const syncMirror = options.syncMirror ?? defaultStagedMirrorSync(options);
  let outcome: { result: SyncResult; daemonPid?: number };
  try {
    outcome = await withTimeout(
      syncMirror({ files, listing: check.listing, paths: staged.map((c) => c.path), writeBack: needIds.length > 0, deadline, cache }),
      deadline - Date.now(),
      () =>
        new SyncError(
          'DB_UNREACHABLE',
          `The mirror did not answer within the hook's time budget (${timeoutMs} ms); the staged files were checked, not synced.`,
          {
            hint: 'Run `workplan sync` later (or raise hook.timeoutMs in workplan.config.json).',
          },
        ),
    );
  } catch (error) {
    const syncMs = Date.now() - validateEnd;
    if (isSyncError(error, 'MASS_REMOVAL_REFUSED'))
      return { status: 'refused', error, staged, diagnostics, timings: timings(validateEnd, syncMs) };
    if (
      isSyncError(error, 'DB_UNREACHABLE') ||
      isSyncError(error, 'LOCK_UNAVAILABLE') ||
      isSyncError(error, 'MIGRATION_FAILED') ||
      isSyncError(error, 'SCHEMA_MISMATCH')
    ) {
      return {
        status: 'mirror-unavailable',
        error,
        policy: config.hook.onDatabaseUnreachable,
        timedOut: Date.now() >= deadline,
        staged,
        diagnostics,
        timings: timings(validateEnd, syncMs),
      };
    }
    throw error;
  }
  const { result } = outcome;
  diagnostics.push(...result.diagnostics.filter((d) => !diagnostics.some((x) => sameDiagnostic(x, d))));
  const restaged = [...new Set([...result.writtenHashes.keys(), ...adopted])].sort();
  await stagePaths(root, env, restaged);
  // What was just staged is known without a parse: the staged text plus the ids written into it.
  for (const p of restaged) {
    const prepared = check.prepared.get(p);
    if (prepared) await cache.recordWriteBack(prepared, await readFile(join(root, p), 'utf8').catch(() => ''));
  }
  const notWritten = result.writeBacks
    .filter((w) => w.outcome !== 'written')
    .map((w) => ({ path: w.path, message: w.message ?? w.outcome }));
  return {
    status: 'synced',
    result,
    ...(outcome.daemonPid !== undefined ? { daemonPid: outcome.daemonPid } : {}),
    restaged,
    notWritten,
    staged,
    diagnostics,
    timings: timings(validateEnd, Date.now() - validateEnd),
  };
}

/** The default way to the mirror: the watch daemon owning the embedded store, else the store itself. */
export function defaultStagedMirrorSync(options: StagedSyncOptions): StagedMirrorSync {
  return async ({ files, listing, paths, writeBack, deadline, cache }) => {
    const { root, config, repository, env } = options;
    const remaining = () => Math.max(1, deadline - Date.now());
    if (!resolveDatabaseUrl(config, env)) {
      const socket = daemonSocketPath(embeddedDirFor({ root, config }));
      const viaDaemon = await requestDaemonSync(
        socket,
        root,
        { trigger: 'hook', files, listing, paths, writeBack },
        { responseTimeoutMs: remaining() },
      );
      if (viaDaemon) return viaDaemon;
    }
    // No daemon answered; one may still be starting (it holds the store before it listens): keep handing off to it.
    const opening = await (await import('./open-mirror.js')).openMirrorOrHandOff(
      { root, config },
      env,
      (socket) =>
        requestDaemonSync(socket, root, { trigger: 'hook', files, listing, paths, writeBack }, { responseTimeoutMs: remaining() }),
      { waitForLockMs: remaining(), prismaClient: false, ...(options.onWait ? { onWait: options.onWait } : {}) },
    );
    if (opening.kind === 'handed-off') return opening.value;
    const opened = opening.opened;
    try {
      const result = await runSync({
        root,
        config,
        repository,
        source: memorySource(files, listing),
        mirror: opened.mirror,
        trigger: 'hook',
        paths,
        writeBack,
        newId: options.newId ?? randomUUID,
        now: options.now ?? (() => new Date()),
        // The staged files were just parsed by the validation: the sync reuses those results.
        ...(cache ? { cache } : {}),
      });
      return { result };
    } finally {
      await opened.close();
    }
  };
}

/** Whether a watch daemon may run the sync: the embedded store is used and the daemon's socket exists. */
async function mayHandOffToDaemon({ root, config, env }: StagedSyncOptions): Promise<boolean> {
  if (resolveDatabaseUrl(config, env)) return false;
  const socket = daemonSocketPath(embeddedDirFor({ root, config }));
  return (
    socket.startsWith('\\\\') ||
    stat(socket).then(
      () => true,
      () => false,
    )
  );
}

/** Whether a staged workplan (valid) lacks any of the ids the mirror assigns (workstream, task, dependency). */
function needsIds(prepared: PreparedFile | undefined): boolean {
  return prepared?.kind === 'workplan' && prepared.desired !== null && prepared.pendingIds.length > 0;
}

function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return a.path === b.path && a.ruleId === b.ruleId && a.span.start.offset === b.span.start.offset && a.message === b.message;
}
