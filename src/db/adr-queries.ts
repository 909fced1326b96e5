// Reading ADRs for the query use cases (`workplan list adrs`, `show ADR-…`, the MCP tools). Never
// writes. Every statement is static and parameterised (filters are NULL when unused).
import type { SqlExecutor } from './sql-executor.js';
import { toJsonList, toJsonObject, toTextArray, toTextOrNull } from './query-rows.js';

export interface AdrRowFilter {
  scope: string[] | 'all';
  statuses?: string[] | undefined;
  domains?: string[] | undefined;
  /** Only these mirror ids. */
  ids?: string[] | undefined;
  /** ADR statuses in display order (sorting by status follows it). */
  statusOrder: readonly string[];
  sort: string;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export interface AdrRow {
  uuid: string;
  id: string;
  /** Null for an ADR known by its slug (log4brains). */
  number: number | null;
  title: string;
  /** The canonical status; null when none is written or the written one is not in the vocabulary. */
  status: string | null;
  /** The status as written. */
  statusText: string | null;
  /** The date normalised to YYYY-MM-DD; null when none or unreadable. */
  date: string | null;
  /** The date as written. */
  dateText: string | null;
  domain: string | null;
  format: string;
  supersedes: string[];
  supersededBy: string[];
  decisionMakers: string[];
  extra: Record<string, unknown>;
  repository: string;
  repositoryId: string;
  path: string;
}

const LIST_ADRS = `
SELECT a.id::text AS uuid, a.file_id, a.number, a.title, a.status, a.status_text, a.decided_on, a.date_text, a.domain, a.format,
       a.supersedes, a.superseded_by, a.decision_makers, a.extra::text AS extra, a.file_path,
       r.slug AS repository, r.id::text AS repository_id, count(*) OVER () AS total_rows
  FROM adrs a JOIN repositories r ON r.id = a.repository_id
 WHERE a.removed_at IS NULL
   AND ($1::jsonb IS NULL OR r.slug = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb))))
   AND ($2::jsonb IS NULL OR a.status = ANY(ARRAY(SELECT jsonb_array_elements_text($2::jsonb))))
   AND ($3::jsonb IS NULL OR a.domain = ANY(ARRAY(SELECT jsonb_array_elements_text($3::jsonb))))
   AND ($4::jsonb IS NULL OR a.id::text = ANY(ARRAY(SELECT jsonb_array_elements_text($4::jsonb))))
 ORDER BY
   CASE WHEN $7::text = 'asc' THEN CASE $6::text
     WHEN 'title' THEN lower(a.title) WHEN 'date' THEN coalesce(a.decided_on, '') END END ASC,
   CASE WHEN $7::text = 'desc' THEN CASE $6::text
     WHEN 'title' THEN lower(a.title) WHEN 'date' THEN coalesce(a.decided_on, '') END END DESC,
   CASE WHEN $7::text = 'asc' THEN CASE $6::text
     WHEN 'id' THEN a.number WHEN 'number' THEN a.number
     WHEN 'status' THEN coalesce(array_position(ARRAY(SELECT jsonb_array_elements_text($5::jsonb)), a.status), 1000) END END ASC,
   CASE WHEN $7::text = 'desc' THEN CASE $6::text
     WHEN 'id' THEN a.number WHEN 'number' THEN a.number
     WHEN 'status' THEN coalesce(array_position(ARRAY(SELECT jsonb_array_elements_text($5::jsonb)), a.status), 1000) END END DESC,
   a.number ASC NULLS LAST, a.file_id ASC, a.file_path ASC, r.slug ASC
 LIMIT $8 OFFSET $9`;

/** One page of the ADRs matching the filter, and how many match in all. */
export async function listAdrRows(db: SqlExecutor, filter: AdrRowFilter): Promise<{ rows: AdrRow[]; total: number }> {
  const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(
    LIST_ADRS,
    filter.scope === 'all' ? null : JSON.stringify(filter.scope),
    toJsonList(filter.statuses),
    toJsonList(filter.domains),
    toJsonList(filter.ids),
    JSON.stringify(filter.statusOrder),
    filter.sort,
    filter.order,
    filter.limit,
    filter.offset,
  );
  return { total: rows.length > 0 ? Number(rows[0]!.total_rows) : 0, rows: rows.map(toAdrRow) };
}

const FIND_ADRS = `
SELECT a.id::text AS uuid, a.file_id, a.number, a.title, a.status, a.status_text, a.decided_on, a.date_text, a.domain, a.format,
       a.supersedes, a.superseded_by, a.decision_makers, a.extra::text AS extra, a.file_path,
       r.slug AS repository, r.id::text AS repository_id
  FROM adrs a JOIN repositories r ON r.id = a.repository_id
 WHERE a.removed_at IS NULL
   AND ($1::jsonb IS NULL OR r.slug = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb))))
   AND (a.file_id = ANY(ARRAY(SELECT jsonb_array_elements_text($2::jsonb))) OR a.file_path = ANY(ARRAY(SELECT jsonb_array_elements_text($2::jsonb))))
 ORDER BY r.slug, a.number NULLS LAST, a.file_path`;

/** Live ADRs whose canonical id or file path is one of `keys`, in the scope. */
export async function findAdrs(db: SqlExecutor, scope: string[] | 'all', keys: readonly string[]): Promise<AdrRow[]> {
  if (keys.length === 0) return [];
  const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(
    FIND_ADRS,
    scope === 'all' ? null : JSON.stringify(scope),
    JSON.stringify(keys),
  );
  return rows.map(toAdrRow);
}

function toAdrRow(r: Record<string, unknown>): AdrRow {
  return {
    uuid: String(r.uuid),
    id: String(r.file_id),
    number: r.number === null || r.number === undefined ? null : Number(r.number),
    title: String(r.title),
    status: toTextOrNull(r.status),
    statusText: toTextOrNull(r.status_text),
    date: toTextOrNull(r.decided_on),
    dateText: toTextOrNull(r.date_text),
    domain: toTextOrNull(r.domain),
    format: String(r.format),
    supersedes: toTextArray(r.supersedes),
    supersededBy: toTextArray(r.superseded_by),
    decisionMakers: toTextArray(r.decision_makers),
    extra: toJsonObject(r.extra),
    repository: String(r.repository),
    repositoryId: String(r.repository_id),
    path: String(r.file_path),
  };
}
