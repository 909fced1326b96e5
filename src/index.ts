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
export { runSync, type SyncOptions, type SyncResult } from './app/sync.js';
export { runCheck, type CheckResult } from './app/check.js';
export { readMirrorStatus } from './app/status.js';
export { openWorkspace, type Workspace } from './app/workspace.js';
export { openMirror } from './app/open-mirror.js';
export { workingTreeSource, memorySource } from './app/source-files.js';
export { runClose, type CloseOptions, type CloseResult } from './app/close.js';
export { runCleanup, type CleanupOptions, type CleanupResult } from './app/cleanup.js';
