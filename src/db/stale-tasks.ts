// The mirror side of `workplan cleanup`: open task rows in closed workstreams, cancelling rows that have
// no file behind them, and the `cleanup.summary` event. One repository at a time; raw SQL over the
// SqlExecutor slice (set-based: one statement per kind of change).
import { CLOSED_WORKSTREAM_STATUSES, OPEN_TASK_STATUSES } from '../model/config.js';
import { taskFingerprintSql } from './fingerprint-sql.js';
import { jsonTextArray, type SqlExecutor } from './sql-executor.js';

export interface OpenTaskRow {
  id: string;
  fileId: string;
  title: string;
  status: string;
  removed: boolean;
  workstreamId: string;
  workstreamFileId: string;
  workstreamFilePath: string;
  workstreamStatus: string;
  workstreamRemoved: boolean;
}

/**
 * Open task rows (todo, in_progress, blocked) of the repository's completed or archived workstreams,
 * including rows marked removed (legacy rows whose file element is gone are exactly the ones cleanup
 * must cancel in the mirror).
 */
export async function readOpenTasksInClosedWorkstreams(db: SqlExecutor, repositoryId: string): Promise<OpenTaskRow[]> {
  const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(
    `SELECT t.id::text AS id, t.file_id, t.title, t.status, t.removed_at IS NOT NULL AS removed,
            w.id::text AS workstream_id, w.file_id AS workstream_file_id, w.file_path, w.status AS workstream_status,
            w.removed_at IS NOT NULL AS workstream_removed
       FROM tasks t JOIN workstreams w ON w.id = t.workstream_id
      WHERE w.repository_id = $1::uuid
        AND w.status = ANY(${jsonTextArray(2)})
        AND t.status = ANY(${jsonTextArray(3)})
      ORDER BY w.file_id, t.position, t.file_id`,
    repositoryId,
    JSON.stringify(CLOSED_WORKSTREAM_STATUSES),
    JSON.stringify(OPEN_TASK_STATUSES),
  );
  return rows.map((r) => ({
    id: String(r.id),
    fileId: String(r.file_id),
    title: String(r.title),
    status: String(r.status),
    removed: Boolean(r.removed),
    workstreamId: String(r.workstream_id),
    workstreamFileId: String(r.workstream_file_id),
    workstreamFilePath: String(r.file_path),
    workstreamStatus: String(r.workstream_status),
    workstreamRemoved: Boolean(r.workstream_removed),
  }));
}

/**
 * Sets the given rows to `cancelled` if they are still open in a closed workstream of the repository,
 * recomputing `sync_fingerprint` over the new values in the same statement: the row then does not read
 * as drift, so no later sync or cleanup flips it back. Returns the ids actually changed.
 */
export async function cancelTaskRowsInMirror(db: SqlExecutor, repositoryId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.$queryRawUnsafe<Array<{ id: string }>>(
    `UPDATE tasks t
        SET status = 'cancelled', sync_fingerprint = ${taskFingerprintSql('x')}, updated_at = now()
       FROM (SELECT s.id, s.file_id, s.workstream_id, s.label, s.title, 'cancelled'::text AS status, s.priority,
                    s.description, s.position, s.source_line, s.phase_id, s.extra
               FROM tasks s) AS x, workstreams w
      WHERE x.id = t.id AND w.id = t.workstream_id
        AND t.id = ANY(${jsonTextArray(2)}::uuid[])
        AND w.repository_id = $1::uuid
        AND w.status = ANY(${jsonTextArray(3)})
        AND t.status = ANY(${jsonTextArray(4)})
      RETURNING t.id::text AS id`,
    repositoryId,
    JSON.stringify(ids),
    JSON.stringify(CLOSED_WORKSTREAM_STATUSES),
    JSON.stringify(OPEN_TASK_STATUSES),
  );
  return rows.map((r) => r.id);
}

export interface WorkstreamTaskRow {
  workstreamId: string;
  workstreamFileId: string;
  filePath: string;
  status: string;
  removed: boolean;
  /** Live task file ids of the workstream. */
  tasks: string[];
}

/** Closed live workstreams of the repository, plus the ones named by id or path, with their live task ids. */
export async function readWorkstreamTasks(
  db: SqlExecutor,
  repositoryId: string,
  also: { ids: readonly string[]; paths: readonly string[] },
): Promise<WorkstreamTaskRow[]> {
  const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(
    `SELECT w.id::text AS id, w.file_id, w.file_path, w.status, w.removed_at IS NOT NULL AS removed, t.file_id AS task
       FROM workstreams w LEFT JOIN tasks t ON t.workstream_id = w.id AND t.removed_at IS NULL
      WHERE w.repository_id = $1::uuid
        AND ((w.removed_at IS NULL AND (w.status = ANY(${jsonTextArray(2)}) OR w.file_path = ANY(${jsonTextArray(4)})))
             OR w.id = ANY(${jsonTextArray(3)}::uuid[]))
      ORDER BY w.file_id, t.position`,
    repositoryId,
    JSON.stringify(CLOSED_WORKSTREAM_STATUSES),
    JSON.stringify(also.ids),
    JSON.stringify(also.paths),
  );
  const byId = new Map<string, WorkstreamTaskRow>();
  for (const r of rows) {
    const id = String(r.id);
    let w = byId.get(id);
    if (!w) {
      w = {
        workstreamId: id,
        workstreamFileId: String(r.file_id),
        filePath: String(r.file_path),
        status: String(r.status),
        removed: Boolean(r.removed),
        tasks: [],
      };
      byId.set(id, w);
    }
    if (r.task !== null && r.task !== undefined) w.tasks.push(String(r.task));
  }
  return [...byId.values()];
}

/** Records one event row; returns its id. */
export async function insertEvent(
  db: SqlExecutor,
  event: { id: string; repositoryId: string; kind: string; summary: string; payload: unknown; workstreamId?: string; syncRunId?: string },
): Promise<string> {
  await db.$executeRawUnsafe(
    `INSERT INTO events (id, repository_id, sync_run_id, workstream_id, kind, summary, payload, created_at)
     VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6, $7::jsonb, now())`,
    event.id,
    event.repositoryId,
    event.syncRunId ?? null,
    event.workstreamId ?? null,
    event.kind,
    event.summary,
    JSON.stringify(event.payload),
  );
  return event.id;
}
