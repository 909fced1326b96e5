// The `sync` use case: files → plan → mirror, then ids written back into the files. Its steps, each a
// module with a typed hand-off: scan (sync-scan.ts) → prepare (sync-prepare.ts) → plan under the lock
// (sync-plan.ts) → apply (db/apply-plan.ts) → write back (sync-write-back.ts). All fallible file work
// (reading, decoding, parsing) happens before the transaction; the plan is computed under the
// repository lock from a fresh read of the mirror and applied in the same short transaction;
// write-backs happen after commit, each a compare-and-swap (adr/0003).
import type { WorkplanConfig } from '../model/config.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { SourceProvider } from '../model/source-file.js';
import { isEmptyPlan, type Plan } from '../reconcile/plan.js';
import { createBatchedPlan, type PlanReceipt } from '../reconcile/plan-batches.js';
import type { SyncProgress, SyncResult, SyncTrigger } from '../reconcile/sync-result.js';
import type { PreparedCache } from '../cache/prepared-cache.js';
import { applyPlan } from '../db/apply-plan.js';
import { clearDriftFlags } from '../db/drift-flags.js';
import { readMirrorIndex } from '../db/mirror-read.js';
import { ensureRepositoryRow, findRepository, type RepositoryIdentity } from '../db/repository-row.js';
import type { SqlExecutor } from '../db/sql-executor.js';
import { recordSyncRun } from '../db/sync-runs.js';
import { openParsePoolFor } from './parse-pool.js';
import { scanSources, type Scan } from './sync-scan.js';
import { needsParse, openPreparation, type Preparation } from './sync-prepare.js';
import { indexByPath, planAndApply, type FirstRead, type PlanStepInput } from './sync-plan.js';
import { writeBackIds, type PlannedWriteBack, type WrittenBack } from './sync-write-back.js';

/** The database side of a sync: raw SQL plus a transaction that holds the repository lock. */
export interface MirrorDatabase {
  db: SqlExecutor;
  withRepositoryLock<T>(repositoryKey: string, fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

export interface SyncOptions {
  root: string;
  config: WorkplanConfig;
  repository: RepositoryIdentity;
  source: SourceProvider;
  mirror: MirrorDatabase;
  trigger: SyncTrigger;
  dryRun?: boolean;
  allowMassRemoval?: boolean;
  /** Write assigned ids into the files (default true; false when the source is not the working tree). */
  writeBack?: boolean;
  /** Only these repository-relative paths (incremental sync); others are neither read nor removed. */
  paths?: string[];
  newId: () => string;
  now: () => Date;
  onProgress?: (event: SyncProgress) => void;
  /** Parser worker threads (default: one per core for large batches; 0 parses on this thread). */
  workers?: number;
  /** Reuse parse results of files parsed before (e.g. by `check` or the hook). */
  cache?: PreparedCache;
  /**
   * Files planned and applied together (default PLAN_BATCH_FILES): a sync of more changed files plans
   * and writes them in parts inside its one transaction, so it never holds every file's rows at once.
   */
  planBatchFiles?: number;
  /** Sees each part of the plan as it is applied, rows included (the benchmark's raw-SQL reference). */
  onPlanPart?: (part: Plan) => void;
}

/** Files per part of a sync's plan: a few megabytes of rows at a time. */
export const PLAN_BATCH_FILES = 256;
/** Assumed size of a file to parse that was not read yet (it decides whether parser threads pay). */
const ESTIMATED_FILE_BYTES = 8 * 1024;

/** Runs one sync. Throws SyncError for exceptional conditions (lock, database, mass removal). */
export async function runSync(options: SyncOptions): Promise<SyncResult> {
  const started = options.now().getTime();
  const dryRun = options.dryRun ?? false;
  const writeBack = !dryRun && (options.writeBack ?? true);
  const diagnostics: Diagnostic[] = [];
  const indexPaths = options.paths ? [...new Set(options.paths)] : undefined;
  const onlyPaths = options.paths ? new Set(options.paths) : undefined;

  // The mirror's index is read while the files are listed and hashed (on a server, the two overlap).
  const firstRead = readMirrorFirst(options, indexPaths);
  const scan = await scanSources(options.source, options.config, onlyPaths, diagnostics, (files) =>
    options.onProgress?.({ kind: 'scanned', files }),
  );
  // Read-only here: a first sync creates the repository's row inside its transaction (all or nothing).
  const first = await firstRead;
  const planBatch = Math.max(1, options.planBatchFiles ?? PLAN_BATCH_FILES);
  const prepared = openPreparation(
    scan,
    {
      config: options.config,
      source: options.source,
      onlyPaths,
      planBatch,
      workers: options.workers,
      cache: options.cache,
      onParsed: (done, total) => options.onProgress?.({ kind: 'parsed', done, total }),
    },
    diagnostics,
  );
  const firstByPath = indexByPath(first.index);
  const toDo = scan.files.filter((f) => needsParse(firstByPath, f));
  const edited = new Map<string, PlannedWriteBack>();
  let planned: { plan: PlanReceipt; writeMs: number };
  try {
    await prepareChanged(prepared, toDo, options);
    await prepared.judge(options.mirror.db, first.row?.id);
    const input: PlanStepInput = {
      config: options.config,
      source: options.source,
      onlyPaths,
      indexPaths,
      planBatch,
      allowMassRemoval: options.allowMassRemoval ?? false,
      writeBack,
      scan,
      prepared,
      first,
      planner: createBatchedPlan({
        newId: options.newId,
        massRemovalThreshold: options.config.sync.massRemovalThreshold,
        allowMassRemoval: options.allowMassRemoval ?? false,
      }),
      refusal: { repository: options.repository, lastSyncedFrom: first.row },
      edited,
      diagnostics,
    };
    planned = dryRun
      ? { plan: (await planAndApply(input, options.mirror.db, first.row?.id, undefined)).receipt, writeMs: 0 }
      : await applyUnderLock(options, input, { scanned: scan.files.length, changed: toDo.length, started });
  } catch (error) {
    prepared.writeBackSources.close();
    throw error;
  } finally {
    prepared.close();
  }

  const written: WrittenBack = writeBack
    ? await writeBackIds(options.root, edited, prepared.writeBackSources, scan.listing.leftoverDirs ?? [], options.cache)
    : { writeBacks: [], writtenHashes: new Map() };
  prepared.writeBackSources.close();
  await options.source.flush?.();
  return syncResult(options, scan, prepared, planned, written, diagnostics, { dryRun, started, changed: toDo.length });
}

/** The repository's row and the mirror's index of the sync's files, read before the lock. Never writes. */
function readMirrorFirst(options: SyncOptions, indexPaths: string[] | undefined): Promise<FirstRead> {
  const { mirror } = options;
  // The generation is read before the index, so an index that is still current under the lock is known.
  const read = (async () => {
    const row = await findRepository(mirror.db, options.repository);
    return { row, index: row ? await readMirrorIndex(mirror.db, row.id, indexPaths, { taskCounts: false }) : [] };
  })();
  read.catch(() => undefined); // awaited later; a listing failure first must not leave it unhandled
  return read;
}

/** Parses the changed files, on parser threads when there are enough of them to pay. */
async function prepareChanged(prepared: Preparation, toDo: Scan['files'], options: SyncOptions): Promise<void> {
  const knownBytes = toDo.reduce((n, f) => n + (f.bytes?.byteLength ?? ESTIMATED_FILE_BYTES), 0);
  const pool = openParsePoolFor(options.config, toDo.length, knownBytes, options.workers);
  try {
    await prepared.prepare(toDo, pool);
  } finally {
    await pool?.close();
  }
}

/**
 * Steps 3 and 4 in one transaction that holds the repository lock: plan against a fresh read of the
 * mirror, apply each part as it is planned, settle drift flags, record the run.
 */
async function applyUnderLock(
  options: SyncOptions,
  input: PlanStepInput,
  run: { scanned: number; changed: number; started: number },
): Promise<{ plan: PlanReceipt; writeMs: number }> {
  const txStart = options.now().getTime();
  const plan = await options.mirror.withRepositoryLock(options.repository.slug, async (tx) => {
    const { id: repositoryId, generation } = await ensureRepositoryRow(tx, options.repository, options.newId);
    let announced = false;
    const { receipt, settled } = await planAndApply(input, tx, repositoryId, generation, async (part) => {
      if (isEmptyPlan(part)) return;
      if (!announced) options.onProgress?.({ kind: 'applying' });
      announced = true;
      options.onPlanPart?.(part);
      await applyPlan(tx, repositoryId, part, options.newId, {
        ...(options.repository.gitCommit ? { gitCommit: options.repository.gitCommit } : {}),
        gitBlob: (path) => input.edited.get(path)?.blob ?? input.prepared.gitBlobs.get(path),
      });
    });
    await clearDriftFlags(tx, settled);
    const record = {
      newId: options.newId,
      repositoryId,
      trigger: options.trigger,
      startedAt: run.started,
      scanned: run.scanned,
      changed: run.changed,
    };
    await recordSyncRun(tx, { ...record, gitCommit: options.repository.gitCommit }, receipt);
    return receipt;
  });
  return { plan, writeMs: options.now().getTime() - txStart };
}

function syncResult(
  options: SyncOptions,
  scan: Scan,
  prepared: Preparation,
  planned: { plan: PlanReceipt; writeMs: number },
  written: WrittenBack,
  diagnostics: Diagnostic[],
  run: { dryRun: boolean; started: number; changed: number },
): SyncResult {
  const failed = [...prepared.parsed.values()].filter((p) => !p.synced).length + scan.unreadable.size;
  return {
    plan: planned.plan,
    diagnostics: [...diagnostics, ...prepared.crossFile],
    files: { scanned: scan.files.length + scan.unreadable.size, changed: run.changed, parsed: prepared.parsed.size, failed },
    writeBacks: written.writeBacks,
    dryRun: run.dryRun,
    outcome: run.dryRun ? 'dry-run' : isEmptyPlan(planned.plan) ? 'noop' : 'applied',
    durationMs: options.now().getTime() - run.started,
    writeMs: planned.writeMs,
    writtenHashes: written.writtenHashes,
  };
}
