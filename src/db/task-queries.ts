// Reading tasks for the query use cases (`workplan list tasks`, `next`, `show`, the MCP tools).
// Never writes. Every statement is static and parameterised: filters are parameters that are NULL
// when unused, lists travel as JSON arrays, the sort key and direction are parameters chosen by CASE.
import type { SqlExecutor } from './sql-executor.js';
import { toIso, toJsonList, toJsonObject, toTextOrNull } from './query-rows.js';

export interface TaskRowFilter {
  scope: string[] | 'all';
  statuses?: string[] | undefined;
  domains?: string[] | undefined;
  /** Workplan ids. */
  workstreams?: string[] | undefined;
  /** Statuses of the tasks' workstreams. */
  workstreamStatuses?: string[] | undefined;
  priorities?: string[] | undefined;
  /** Only these mirror ids. */
  ids?: string[] | undefined;
  stale?: boolean | undefined;
  /** Ids of blocked workstreams (dependency-queries.ts). */
  blockedIds: string[];
  blocked?: boolean | undefined;
  openStatuses: readonly string[];
  closedWorkstreamStatuses: readonly string[];
  /** Priorities in rank order (first = most urgent). */
  priorityOrder: readonly string[];
  /** Statuses in the order sorting by status (and the priority sort's tie-break) follows. */
  statusOrder: readonly string[];
  sort: string;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export interface TaskRow {
  uuid: string;
  id: string;
  label: string;
  title: string;
  status: string;
  priority: string;
  phase: { number: number; title: string } | null;
  workstream: { uuid: string; id: string; title: string; status: string };
  domain: string;
  repository: string;
  repositoryId: string;
  path: string;
  line: number;
  stale: boolean;
  blocked: boolean;
  updatedAt: string;
}

const LIST_TASKS = `
WITH blocked_ids AS (
  SELECT DISTINCT value::uuid AS id FROM jsonb_array_elements_text($8::jsonb)
), base AS (
  SELECT t.id, t.file_id, t.label, t.title, t.status, t.priority, t.source_line, t.position, t.updated_at,
         p.number AS phase_number, p.title AS phase_title,
         w.id AS ws_uuid, w.file_id AS ws_id, w.title AS ws_title, w.status AS ws_status, w.file_path,
         d.slug AS domain, r.slug AS repository, r.id AS repository_id,
         (w.status = ANY(ARRAY(SELECT jsonb_array_elements_text($11::jsonb)))
           AND t.status = ANY(ARRAY(SELECT jsonb_array_elements_text($10::jsonb)))) AS stale,
         bl.id IS NOT NULL AS blocked
    FROM tasks t
    JOIN workstreams w ON w.id = t.workstream_id
    JOIN domains d ON d.id = w.domain_id
    JOIN repositories r ON r.id = w.repository_id
    LEFT JOIN phases p ON p.id = t.phase_id
    LEFT JOIN blocked_ids bl ON bl.id = w.id
   WHERE t.removed_at IS NULL AND w.removed_at IS NULL
     AND ($1::jsonb IS NULL OR r.slug = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb))))
     AND ($2::jsonb IS NULL OR t.status = ANY(ARRAY(SELECT jsonb_array_elements_text($2::jsonb))))
     AND ($3::jsonb IS NULL OR d.slug = ANY(ARRAY(SELECT jsonb_array_elements_text($3::jsonb))))
     AND ($4::jsonb IS NULL OR w.file_id = ANY(ARRAY(SELECT jsonb_array_elements_text($4::jsonb))))
     AND ($5::jsonb IS NULL OR w.status = ANY(ARRAY(SELECT jsonb_array_elements_text($5::jsonb))))
     AND ($6::jsonb IS NULL OR t.priority = ANY(ARRAY(SELECT jsonb_array_elements_text($6::jsonb))))
     AND ($7::jsonb IS NULL OR t.id::text = ANY(ARRAY(SELECT jsonb_array_elements_text($7::jsonb))))
), filtered AS (
  SELECT b.*, count(*) OVER () AS total_rows,
         coalesce(array_position(ARRAY(SELECT jsonb_array_elements_text($13::jsonb)), b.priority), 1000) AS priority_rank,
         coalesce(array_position(ARRAY(SELECT jsonb_array_elements_text($14::jsonb)), b.status), 1000) AS status_rank
    FROM base b
   WHERE ($9::boolean IS NULL OR b.stale = $9::boolean)
     AND ($12::boolean IS NULL OR b.blocked = $12::boolean)
)
SELECT id::text AS uuid, file_id, label, title, status, priority, source_line, updated_at, phase_number, phase_title,
       ws_uuid::text AS ws_uuid, ws_id, ws_title, ws_status, file_path, domain, repository, repository_id::text AS repository_id,
       stale, blocked, total_rows
  FROM filtered
 ORDER BY
   CASE WHEN $16::text = 'asc' THEN CASE $15::text
     WHEN 'id' THEN file_id WHEN 'title' THEN lower(title) WHEN 'domain' THEN domain WHEN 'workstream' THEN ws_id END END ASC,
   CASE WHEN $16::text = 'desc' THEN CASE $15::text
     WHEN 'id' THEN file_id WHEN 'title' THEN lower(title) WHEN 'domain' THEN domain WHEN 'workstream' THEN ws_id END END DESC,
   CASE WHEN $16::text = 'asc' THEN CASE $15::text
     WHEN 'priority' THEN priority_rank WHEN 'status' THEN status_rank END END ASC,
   CASE WHEN $16::text = 'desc' THEN CASE $15::text
     WHEN 'priority' THEN priority_rank WHEN 'status' THEN status_rank END END DESC,
   CASE WHEN $16::text = 'asc' AND $15::text = 'updated' THEN updated_at END ASC,
   CASE WHEN $16::text = 'desc' AND $15::text = 'updated' THEN updated_at END DESC,
   CASE WHEN $15::text = 'priority' THEN status_rank END ASC,
   CASE WHEN $16::text = 'desc' AND $15::text = 'workstream' THEN position END DESC,
   ws_id ASC, position ASC, repository ASC
 LIMIT $17 OFFSET $18`;

/** One page of the tasks matching the filter, and how many match in all. */
export async function listTaskRows(db: SqlExecutor, filter: TaskRowFilter): Promise<{ rows: TaskRow[]; total: number }> {
  const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(
    LIST_TASKS,
    filter.scope === 'all' ? null : JSON.stringify(filter.scope),
    toJsonList(filter.statuses),
    toJsonList(filter.domains),
    toJsonList(filter.workstreams),
    toJsonList(filter.workstreamStatuses),
    toJsonList(filter.priorities),
    toJsonList(filter.ids),
    JSON.stringify(filter.blockedIds),
    filter.stale ?? null,
    JSON.stringify(filter.openStatuses),
    JSON.stringify(filter.closedWorkstreamStatuses),
    filter.blocked ?? null,
    JSON.stringify(filter.priorityOrder),
    JSON.stringify(filter.statusOrder),
    filter.sort,
    filter.order,
    filter.limit,
    filter.offset,
  );
  return {
    total: rows.length > 0 ? Number(rows[0]!.total_rows) : 0,
    rows: rows.map((r) => ({
      uuid: String(r.uuid),
      id: String(r.file_id),
      label: String(r.label),
      title: String(r.title),
      status: String(r.status),
      priority: String(r.priority),
      phase:
        r.phase_number === null || r.phase_number === undefined ? null : { number: Number(r.phase_number), title: String(r.phase_title) },
      workstream: { uuid: String(r.ws_uuid), id: String(r.ws_id), title: String(r.ws_title), status: String(r.ws_status) },
      domain: String(r.domain),
      repository: String(r.repository),
      repositoryId: String(r.repository_id),
      path: String(r.file_path),
      line: Number(r.source_line),
      stale: Boolean(r.stale),
      blocked: Boolean(r.blocked),
      updatedAt: toIso(r.updated_at),
    })),
  };
}

const FIND_TASKS = `
SELECT t.id::text AS uuid, t.file_id, w.file_path, t.source_line, r.slug AS repository, r.id::text AS repository_id
  FROM tasks t JOIN workstreams w ON w.id = t.workstream_id JOIN repositories r ON r.id = w.repository_id
 WHERE t.removed_at IS NULL AND w.removed_at IS NULL
   AND ($1::jsonb IS NULL OR r.slug = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb))))
   AND t.file_id = $2
 ORDER BY r.slug, w.file_path`;

/** Live tasks with the task id `id`, in the scope. */
export async function findTasks(db: SqlExecutor, scope: string[] | 'all', id: string) {
  const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(FIND_TASKS, scope === 'all' ? null : JSON.stringify(scope), id);
  return rows.map((r) => ({
    uuid: String(r.uuid),
    id: String(r.file_id),
    path: String(r.file_path),
    line: Number(r.source_line),
    repository: String(r.repository),
    repositoryId: String(r.repository_id),
  }));
}

const TASK_BODY = `SELECT description, extra::text AS extra FROM tasks WHERE id = $1::uuid`;

/** A task's description and extra metadata keys. */
export async function readTaskBody(
  db: SqlExecutor,
  uuid: string,
): Promise<{ description: string; extra: Record<string, unknown> } | undefined> {
  const [row] = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(TASK_BODY, uuid);
  return row ? { description: String(row.description), extra: toJsonObject(row.extra) } : undefined;
}

const CLOSURE_ENTRIES = `
SELECT cr.review_date, e.task_file_id, e.title, e.classification, e.note, e.target
  FROM closure_entries e JOIN closure_reviews cr ON cr.id = e.closure_review_id
 WHERE cr.workstream_id = $1::uuid AND e.task_file_id = $2
 ORDER BY cr.position, e.position`;

/** The Closure Review entries of a workstream that classify the task `taskId`. */
export async function readClosureEntriesFor(db: SqlExecutor, workstreamUuid: string, taskId: string) {
  const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(CLOSURE_ENTRIES, workstreamUuid, taskId);
  return rows.map((r) => ({
    reviewDate: String(r.review_date),
    taskId: String(r.task_file_id),
    title: String(r.title),
    classification: String(r.classification),
    note: toTextOrNull(r.note),
    target: toTextOrNull(r.target),
  }));
}
