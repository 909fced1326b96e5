// The public library API of workplan-sync. The CLI (src/cli) is a thin layer over these.

// Model
export type { Diagnostic, ParseResult, Position, Severity, Span } from './model/diagnostic.js';
export { hasErrors } from './model/diagnostic.js';
export type * from './model/workplan.js';
export { listTasks } from './model/workplan.js';
export type * from './model/adr.js';
export type { AdrStatusVocabulary, Vocabulary, WorkplanConfig } from './model/config.js';
export { DEFAULT_CONFIG, OPEN_TASK_STATUSES, CLOSED_WORKSTREAM_STATUSES } from './model/config.js';
export { SyncError, isSyncError, type SyncErrorCode } from './model/errors.js';
export type { TextEdit } from './model/text-edit.js';

// Parsing (pure)
export { decodeSource } from './parse/decode.js';
export { parseWorkplan } from './parse/workplan.js';
export { parseAdr, checkAdrLinks } from './parse/adr.js';
export { parseConfig, parsePackageJsonConfig, resolveConfig } from './parse/config.js';
export { checkWorkplanSet, checkRepository } from './reconcile/check-repository.js';

// Reconciling (pure)
export { planReconcile, isEmptyPlan, type Plan } from './reconcile/plan.js';
export { toDesiredWorkstream, toDesiredAdr } from './reconcile/desired.js';

// Write-back (pure)
export { applyTextEdits } from './writeback/apply-text-edits.js';
export { planIdAssignment } from './writeback/plan-id-assignment.js';
export { renderClosureReview, type TaskClassification } from './writeback/render-closure-review.js';
export { planClose } from './writeback/plan-close.js';
export { planCleanupEdits } from './writeback/plan-cleanup-edits.js';
export { renderUnifiedDiff } from './writeback/render-unified-diff.js';

// Adapters and use cases
export { openStore, type Store } from './db/store.js';
export { migrateDatabase, readMigrationStatus } from './db/migrate.js';
export { compareSchemaWithMigrations, MIRROR_TABLES } from './db/schema-check.js';
export { MAX_ID_LENGTH, MAX_PATH_BYTES, MAX_TITLE_LENGTH } from './model/storage-limits.js';
export { runSync, type SyncOptions } from './app/sync.js';
export type { SyncProgress, SyncResult, SyncTrigger, WriteBackResult } from './reconcile/sync-result.js';
export { runCheck, type CheckResult } from './app/check.js';
export { readMirrorStatus } from './db/mirror-status.js';
export { openWorkspace, type Workspace } from './app/workspace.js';
export { openMirror } from './app/open-mirror.js';
export { workingTreeSource, memorySource } from './fs/source-files.js';
export { isSourceFile, type SourceFile, type SourceKind, type SourceListing, type SourceProvider } from './model/source-file.js';
export { classifySourcePath, classifyNamedPath } from './model/source-path.js';
export { runClose, type CloseOptions, type CloseResult } from './app/close.js';
export { runCleanup, type CleanupOptions, type CleanupResult } from './app/cleanup.js';

// What the front doors (CLI, MCP, HTTP) need to do what `workplan` does: workspaces, stores, the
// watch daemon and the pre-commit hook, caches, and the messages they print.
export { findRepositoryRoot, cacheDirFor, embeddedDirFor } from './app/workspace.js';
export {
  openMirrorOrHandOff,
  mirrorDatabaseFor,
  type OpenMirror,
  type OpenMirrorOptions,
  type MirrorOrHandOff,
} from './app/open-mirror.js';
export { type MirrorDatabase } from './app/sync.js';
export { type RepositoryIdentity } from './db/repository-row.js';
export { type MirrorStatus } from './db/mirror-status.js';
export { startWatch, type WatchOptions, type WatchDaemon, type WatchEvent, type WatchSchedule } from './app/watch.js';
export { runStagedSync, type StagedSyncOptions, type StagedSyncOutcome } from './app/hook.js';
export { currentInstallation, installPreCommitHook, uninstallPreCommitHook } from './git/hooks.js';
export { requestDaemonSync } from './watch/daemon-client.js';
export { daemonSocketPath, requestDaemon } from './watch/daemon-socket.js';
export { DAEMON_LOCK_COMMAND, DAEMON_PROTOCOL_VERSION } from './watch/daemon-protocol.js';
export { parseCron } from './watch/cron.js';
export { openFileHashCache } from './cache/file-hash-cache.js';
export { openPreparedCache } from './cache/prepared-cache.js';
export { ensureStateDir } from './fs/state-dir.js';
export { resolveInsideRoot } from './fs/repo-path.js';
export { preferQuickStart } from './db/store.js';
export { readLiveLockOwner } from './db/embedded-lock.js';
export { isSchemaKnownRight, recordSchemaFingerprint, verifySchema } from './db/schema-check.js';
export { type QueryFn } from './db/migrate.js';
export { parseDatabaseUrl, passwordCandidates, redactMessage, resolveDatabaseUrl } from './db/connection-url.js';
export { closeOnSignals, type Closable } from './db/close-on-signals.js';
export { isIsoDate } from './parse/value-formats.js';
export type { FieldChange } from './reconcile/plan.js';
export type { PlanReceipt } from './reconcile/plan-batches.js';

// Queries and file-first edits (docs/queries.md): one session per repository, the same calls from the
// CLI, the MCP server and the watch daemon's socket.
export {
  openPlanSession,
  type PlanSession,
  type PlanSessionOptions,
  type OpenPlanSessionResult,
} from './app/plan-session.js';
export {
  PLAN_CALL_NAMES,
  isWritingCall,
  planCallSchema,
  type PlanCalls,
  type PlanCallName,
  type PlanCallInput,
  type PlanCallOutput,
  type SyncCallView,
} from './app/plan-calls.js';
export { listPlanFiles, readPlanFile, type PlanFile } from './app/plan-files.js';
export {
  createPlanQuerySchemas,
  resolveQueryScope,
  DEFAULT_QUERY_LIMIT,
  MAX_QUERY_LIMIT,
  WORKSTREAM_SORT_KEYS,
  TASK_SORT_KEYS,
  ADR_SORT_KEYS,
  DOMAIN_SORT_KEYS,
  REPOSITORY_SORT_KEYS,
  FINISHED_WORKSTREAM_STATUSES,
  type PlanQuerySchemas,
  type WorkstreamQuery,
  type TaskQuery,
  type AdrQuery,
  type DomainQuery,
  type RepositoryQuery,
  type NextQuery,
  type ShowQuery,
  type WorkstreamQueryInput,
  type TaskQueryInput,
  type AdrQueryInput,
  type DomainQueryInput,
  type RepositoryQueryInput,
  type NextQueryInput,
  type ShowQueryInput,
} from './model/plan-query.js';
export {
  createEditSchemas,
  ADR_STYLES,
  type AdrStyle,
  type EditSchemas,
  type SetTaskInput,
  type AddTaskInput,
  type NewWorkplanInput,
  type NewAdrInput,
  type CloseWorkplanInput,
} from './model/edit-input.js';
export * from './model/plan-views.js';
export * from './model/edit-views.js';
export { toLocalIsoDate } from './model/local-date.js';
export { SYNC_ERROR_CODES, isSyncErrorCode } from './model/errors.js';

/**
 * Serves the repository's plans to an agent over the Model Context Protocol on stdio (docs/mcp.md);
 * resolves when the client disconnects. Loaded on demand: the MCP SDK is not needed otherwise.
 */
export async function serveMcp(options: import('./mcp/server.js').McpServeOptions): Promise<void> {
  const { serveWorkplanMcp } = await import('./mcp/server.js');
  return serveWorkplanMcp(options);
}
export type { McpServeOptions } from './mcp/server.js';

// `workplan serve` (docs/serve.md): readers over the mirror, the dashboard's views, and the server.
export { openMirrorReader, daemonReader, type PlanReader, type PlanReaderWorkspace, type PlanReaderOptions } from './app/plan-reader.js';
export { readSummary, readAttention, type DashboardScope, type ReadFileErrors } from './app/dashboard-views.js';
export { listEvents, readMirrorVersionCall } from './app/query-history.js';
export * from './model/dashboard-views.js';
export { DEFAULT_SERVE_PORT, DEFAULT_SERVE_HOST } from './http/serve-defaults.js';
export type { PlanServer, PlanServerOptions } from './http/server.js';
export type { PlanAppOptions } from './http/app.js';

/** Starts the HTTP API and dashboard over a reader (docs/serve.md). Loaded on demand: Hono is not needed otherwise. */
export async function startPlanServer(
  options: import('./http/server.js').PlanServerOptions,
): Promise<import('./http/server.js').PlanServer> {
  const { startPlanServer: start } = await import('./http/server.js');
  return start(options);
}

/** The Hono application of `workplan serve`, to mount in another server. Loaded on demand. */
export async function createPlanApp(options: import('./http/app.js').PlanAppOptions): Promise<import('hono').Hono> {
  const { createPlanApp: create } = await import('./http/app.js');
  return create(options);
}
