// Reading workstreams for the query use cases (`workplan list workstreams`, `show`, the MCP tools).
// Never writes. Every statement is static and parameterised: filters are parameters that are NULL
// when unused, lists travel as JSON arrays, the sort key and direction are parameters chosen by CASE.
import type { SqlExecutor } from './sql-executor.js';
import { toIso, toJsonList, toRecordOfCounts } from './query-rows.js';

export interface WorkstreamRowFilter {
  /** Repository slugs, or 'all'. */
  scope: string[] | 'all';
  statuses?: string[] | undefined;
  domains?: string[] | undefined;
  /** Only these mirror ids. */
  ids?: string[] | undefined;
  /** Ids of blocked workstreams (computed from the dependencies: dependency-queries.ts). */
  blockedIds: string[];
  blocked?: boolean | undefined;
  openStatuses: readonly string[];
  /** Workstream statuses in display order (sorting by status follows it). */
  statusOrder: readonly string[];
  sort: string;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export interface WorkstreamRow {
  uuid: string;
  id: string;
  title: string;
  status: string;
  domain: string;
  repository: string;
  repositoryId: string;
  owner: string | null;
  created: string | null;
  updated: string | null;
  completed: string | null;
  path: string;
  blocked: boolean;
  syncedAt: string;
  tasks: { total: number; open: number; byStatus: Record<string, number> };
}

const LIST_WORKSTREAMS = `
WITH blocked_ids AS (
  SELECT DISTINCT value::uuid AS id FROM jsonb_array_elements_text($5::jsonb)
), ws AS (
  SELECT w.id, w.file_id, w.title, w.status, d.slug AS domain, r.slug AS repository, w.repository_id,
         w.owner, w.created_on, w.updated_on, w.completed_on, w.file_path, w.synced_at,
         bl.id IS NOT NULL AS blocked
    FROM workstreams w
    JOIN domains d ON d.id = w.domain_id
    JOIN repositories r ON r.id = w.repository_id
    LEFT JOIN blocked_ids bl ON bl.id = w.id
   WHERE w.removed_at IS NULL
     AND ($1::jsonb IS NULL OR r.slug = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb))))
     AND ($2::jsonb IS NULL OR w.status = ANY(ARRAY(SELECT jsonb_array_elements_text($2::jsonb))))
     AND ($3::jsonb IS NULL OR d.slug = ANY(ARRAY(SELECT jsonb_array_elements_text($3::jsonb))))
     AND ($4::jsonb IS NULL OR w.id::text = ANY(ARRAY(SELECT jsonb_array_elements_text($4::jsonb))))
), filtered AS (
  SELECT * FROM ws WHERE $6::boolean IS NULL OR blocked = $6::boolean
), counted AS (
  SELECT f.*, coalesce(c.total, 0) AS total_tasks, coalesce(c.open, 0) AS open_tasks, c.by_status,
         count(*) OVER () AS total_rows
    FROM filtered f
    LEFT JOIN LATERAL (
      SELECT sum(s.n)::int AS total,
             (sum(s.n) FILTER (WHERE s.status = ANY(ARRAY(SELECT jsonb_array_elements_text($7::jsonb)))))::int AS open,
             json_object_agg(s.status, s.n)::text AS by_status
        FROM (SELECT t.status, count(*)::int AS n FROM tasks t
               WHERE t.workstream_id = f.id AND t.removed_at IS NULL GROUP BY t.status) s
    ) c ON true
)
SELECT id::text AS uuid, file_id, title, status, domain, repository, repository_id::text AS repository_id, owner,
       created_on, updated_on, completed_on, file_path, synced_at, blocked, total_tasks, open_tasks, by_status, total_rows
  FROM counted
 ORDER BY
   CASE WHEN $10::text = 'asc' THEN CASE $9::text
     WHEN 'id' THEN file_id WHEN 'title' THEN lower(title) WHEN 'domain' THEN domain WHEN 'repository' THEN repository
     WHEN 'updated' THEN coalesce(updated_on, created_on, '') END END ASC,
   CASE WHEN $10::text = 'desc' THEN CASE $9::text
     WHEN 'id' THEN file_id WHEN 'title' THEN lower(title) WHEN 'domain' THEN domain WHEN 'repository' THEN repository
     WHEN 'updated' THEN coalesce(updated_on, created_on, '') END END DESC,
   CASE WHEN $10::text = 'asc' THEN CASE $9::text
     WHEN 'status' THEN coalesce(array_position(ARRAY(SELECT jsonb_array_elements_text($8::jsonb)), status), 1000)
     WHEN 'open-tasks' THEN open_tasks END END ASC,
   CASE WHEN $10::text = 'desc' THEN CASE $9::text
     WHEN 'status' THEN coalesce(array_position(ARRAY(SELECT jsonb_array_elements_text($8::jsonb)), status), 1000)
     WHEN 'open-tasks' THEN open_tasks END END DESC,
   file_id ASC, repository ASC
 LIMIT $11 OFFSET $12`;

/** One page of the workstreams matching the filter, and how many match in all. */
export async function listWorkstreamRows(db: SqlExecutor, filter: WorkstreamRowFilter): Promise<{ rows: WorkstreamRow[]; total: number }> {
  const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(
    LIST_WORKSTREAMS,
    filter.scope === 'all' ? null : JSON.stringify(filter.scope),
    toJsonList(filter.statuses),
    toJsonList(filter.domains),
    toJsonList(filter.ids),
    JSON.stringify(filter.blockedIds),
    filter.blocked ?? null,
    JSON.stringify(filter.openStatuses),
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
      title: String(r.title),
      status: String(r.status),
      domain: String(r.domain),
      repository: String(r.repository),
      repositoryId: String(r.repository_id),
      owner: r.owner === null ? null : String(r.owner),
      created: r.created_on === null ? null : String(r.created_on),
      updated: r.updated_on === null ? null : String(r.updated_on),
      completed: r.completed_on === null ? null : String(r.completed_on),
      path: String(r.file_path),
      blocked: Boolean(r.blocked),
      syncedAt: toIso(r.synced_at),
      tasks: { total: Number(r.total_tasks), open: Number(r.open_tasks), byStatus: toRecordOfCounts(r.by_status) },
    })),
  };
}

const FIND_WORKSTREAMS = `
SELECT w.id::text AS uuid, w.file_id, w.file_path, r.slug AS repository, r.id::text AS repository_id
  FROM workstreams w JOIN repositories r ON r.id = w.repository_id
 WHERE w.removed_at IS NULL
   AND ($1::jsonb IS NULL OR r.slug = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb))))
   AND (w.file_id = $2 OR w.file_path = $2)
 ORDER BY r.slug, w.file_path`;

export interface ElementMatch {
  uuid: string;
  id: string;
  path: string;
  repository: string;
  repositoryId: string;
}

/** Live workstreams whose workplan id or file path is `key`, in the scope. */
export async function findWorkstreams(db: SqlExecutor, scope: string[] | 'all', key: string): Promise<ElementMatch[]> {
  const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(
    FIND_WORKSTREAMS,
    scope === 'all' ? null : JSON.stringify(scope),
    key,
  );
  return rows.map((r) => ({
    uuid: String(r.uuid),
    id: String(r.file_id),
    path: String(r.file_path),
    repository: String(r.repository),
    repositoryId: String(r.repository_id),
  }));
}
