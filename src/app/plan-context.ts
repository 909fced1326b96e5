// What a query or an edit runs with: the repository (root, configuration, identity), the mirror when
// it needs one, the working tree as its source (with the stat cache, so an unchanged file costs a
// stat), and the caller's clock and id source. Built by the session (plan-session.ts) in the calling
// process, or by the watch daemon when the call is handed to it: the same use cases run either way.
import type { SqlExecutor } from '../db/sql-executor.js';
import type { WorkplanConfig } from '../model/config.js';
import { openFileHashCache } from '../cache/file-hash-cache.js';
import { openPreparedCache, type PreparedCache } from '../cache/prepared-cache.js';
import type { RepositoryIdentity } from '../db/repository-row.js';
import { workingTreeSource } from '../fs/source-files.js';
import type { SourceProvider } from '../model/source-file.js';
import type { MirrorDatabase } from './sync.js';
import type { SyncTrigger } from '../reconcile/sync-result.js';
import { cacheDirFor } from './workspace.js';

export interface PlanContext {
  root: string;
  config: WorkplanConfig;
  repository: RepositoryIdentity;
  /** Recorded with the syncs it runs (`sync_runs.trigger`). */
  trigger: SyncTrigger;
  /** Read-only callers (an MCP server started with --read-only): syncs write no ids into files. */
  readOnly: boolean;
  /** The mirror; absent for work that needs none (dry-run edits). */
  mirror?: MirrorDatabase;
  source: SourceProvider;
  cache?: PreparedCache;
  newId: () => string;
  now: () => Date;
  /** The blocked workstreams' uuids, memoised by a long-lived reader (plan-reader.ts); read afresh when absent. */
  blockedIds?: (db: SqlExecutor) => Promise<string[]>;
}

export interface PlanContextOptions {
  root: string;
  config: WorkplanConfig;
  repository: RepositoryIdentity;
  trigger: SyncTrigger;
  readOnly?: boolean;
  mirror?: MirrorDatabase;
  newId: () => string;
  now: () => Date;
}

/** A context over the working tree of `root`, with its stat cache and prepared-file cache. */
export async function createPlanContext(options: PlanContextOptions): Promise<PlanContext> {
  const hashes = await openFileHashCache(options.root, cacheDirFor(options.root));
  return {
    root: options.root,
    config: options.config,
    repository: options.repository,
    trigger: options.trigger,
    readOnly: options.readOnly ?? false,
    ...(options.mirror ? { mirror: options.mirror } : {}),
    source: workingTreeSource(options.root, { hashes }),
    cache: openPreparedCache(cacheDirFor(options.root), options.config),
    newId: options.newId,
    now: options.now,
  };
}
