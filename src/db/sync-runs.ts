// The record of an applied sync (sync_runs) and the repository's sync generation, which concurrent
// syncs read to know whether the mirror changed under them. Runs inside the sync's transaction.
import { isEmptyPlan } from '../reconcile/plan.js';
import type { PlanReceipt } from '../reconcile/plan-batches.js';
import type { SyncTrigger } from '../reconcile/sync-result.js';
import type { SqlExecutor } from './sql-executor.js';

export interface SyncRunRecord {
  /** The run's id, drawn only when the run is recorded. */
  newId: () => string;
  repositoryId: string;
  trigger: SyncTrigger;
  startedAt: number;
  scanned: number;
  changed: number;
  gitCommit: string | undefined;
}

/** Records an applied sync and bumps the repository's generation; a no-op sync writes nothing, not even its own record. */
export async function recordSyncRun(tx: SqlExecutor, run: SyncRunRecord, plan: PlanReceipt): Promise<void> {
  if (isEmptyPlan(plan)) return;
  // One statement: the run's record and the repository's generation (read by concurrent syncs).
  await tx.$executeRawUnsafe(
    `WITH run AS (
       INSERT INTO sync_runs (id, repository_id, trigger, outcome, started_at, finished_at, files_scanned, files_changed,
              created, updated, removed, drifted, ids_assigned, git_commit)
       VALUES ($1::uuid, $2::uuid, $3, 'applied', $4::timestamptz, now(), $5, $6, $7, $8, $9, $10, $11, $12)
       RETURNING repository_id)
     UPDATE repositories SET last_synced_at = now(), updated_at = now(), sync_generation = sync_generation + 1
      WHERE id = (SELECT repository_id FROM run)`,
    run.newId(),
    run.repositoryId,
    run.trigger,
    new Date(run.startedAt).toISOString(),
    run.scanned,
    run.changed,
    plan.counts.created,
    plan.counts.updated,
    plan.counts.removed,
    plan.counts.drifted,
    plan.counts.idsAssigned,
    run.gitCommit ?? null,
  );
}
