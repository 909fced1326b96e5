// What `workplan serve` reads the plans through: the calls of src/app/plan-calls.ts (the same use
// cases as `workplan list | show | set`), run one of two ways (adr/0012):
// - over a mirror this process opened (a shared Postgres mirror that other processes keep): queries run
//   concurrently on the store's connection pool, with one context for all reads;
// - through the watch daemon running in this process (`workplan watch --serve`, and `serve` on the
//   embedded store, which has one owner): each call is serialised with the daemon's syncs.
// A reader never syncs before reading unless asked: the mirror is kept by a watch, not by requests.
import { readMirrorVersion } from '../db/event-queries.js';
import type { SqlExecutor } from '../db/sql-executor.js';
import type { WorkplanConfig } from '../model/config.js';
import { SyncError } from '../model/errors.js';
import { openMirror, type OpenMirror } from './open-mirror.js';
import {
  executePlanCall,
  isWritingCall,
  validatePlanCall,
  type PlanCallInput,
  type PlanCallName,
  type PlanCallOutput,
} from './plan-calls.js';
import { createPlanContext, type PlanContext } from './plan-context.js';
import { readBlockedWorkstreamIds } from './query-plans.js';
import type { RepositoryIdentity } from '../db/repository-row.js';
import type { WatchDaemon } from './watch.js';

export interface PlanReaderWorkspace {
  root: string;
  config: WorkplanConfig;
  repository: RepositoryIdentity;
}

/** Runs plan calls for a server. */
export interface PlanReader extends PlanReaderWorkspace {
  /** Whether writing calls are refused. */
  readonly readOnly: boolean;
  /** For log lines: where the mirror is (never a password). */
  readonly describe: string;
  /** Runs a call (validated against the repository's configuration). */
  call<N extends PlanCallName>(name: N, input: PlanCallInput<N>): Promise<PlanCallOutput<N>>;
  /** Releases what the reader opened (not a daemon it was given). Idempotent. */
  close(): Promise<void>;
}

export interface PlanReaderOptions {
  readOnly: boolean;
  newId: () => string;
  now: () => Date;
}

/** A reader over the mirror `env` names (Postgres, or an embedded store no daemon holds); it owns the store. */
export async function openMirrorReader(
  workspace: PlanReaderWorkspace,
  env: NodeJS.ProcessEnv,
  options: PlanReaderOptions & { onWait?: (message: string) => void },
): Promise<PlanReader> {
  const opened: OpenMirror = await openMirror(workspace, env, options.onWait ? { onWait: options.onWait } : {});
  const blockedIds = memoiseByMirrorVersion(readBlockedWorkstreamIds);
  const contextFor = async () => ({
    ...(await createPlanContext({
      ...workspace,
      trigger: 'http',
      readOnly: options.readOnly,
      mirror: opened.mirror,
      newId: options.newId,
      now: options.now,
    })),
    blockedIds,
  });
  // Reads share one context (they never touch files); an edit gets a fresh one (the stat cache must be current).
  let readContext: Promise<PlanContext> | undefined;
  let closed = false;
  return {
    ...workspace,
    readOnly: options.readOnly,
    describe: opened.store.describe,
    async call(name, input) {
      if (closed) throw new SyncError('INTERNAL', 'The reader is closed.');
      const call = validatePlanCall(workspace.config, name, input);
      refuseWriteIfReadOnly(name, options.readOnly);
      const ctx = isWritingCall(name) ? await contextFor() : await (readContext ??= contextFor());
      return (await executePlanCall(ctx, call)) as PlanCallOutput<typeof name>;
    },
    async close() {
      if (closed) return;
      closed = true;
      await opened.close();
    },
  };
}

/** A reader that hands every call to the watch daemon running in this process. */
export function daemonReader(
  workspace: PlanReaderWorkspace,
  daemon: WatchDaemon,
  describe: string,
  options: { readOnly: boolean },
): PlanReader {
  return {
    ...workspace,
    readOnly: options.readOnly,
    describe,
    async call(name, input) {
      validatePlanCall(workspace.config, name, input);
      refuseWriteIfReadOnly(name, options.readOnly);
      return (await daemon.requestCall({ name, input, trigger: 'http', readOnly: options.readOnly })) as PlanCallOutput<typeof name>;
    },
    close: async () => undefined,
  };
}

/**
 * `read(db)` computed once per mirror version (db/event-queries.ts): every change a reader can see
 * (a sync that applied something, a cleanup) makes a new version, so the memo is never stale for them.
 */
function memoiseByMirrorVersion<T>(read: (db: SqlExecutor) => Promise<T>): (db: SqlExecutor) => Promise<T> {
  let memo: { token: string; value: Promise<T> } | undefined;
  return async (db) => {
    const token = await readMirrorVersion(db);
    if (memo?.token !== token) {
      const value = read(db);
      memo = { token, value };
      value.catch(() => (memo = undefined));
    }
    return memo.value;
  };
}

function refuseWriteIfReadOnly(name: PlanCallName, readOnly: boolean): void {
  if (readOnly && isWritingCall(name))
    throw new SyncError(
      'INVALID_INPUT',
      `${name} changes files, and this server is read-only (start it with --allow-writes). Nothing was changed.`,
    );
}
