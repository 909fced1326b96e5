// Per-domain and per-repository figures for the query use cases (`workplan list domains |
// repositories`, the MCP tools, the dashboard's summary). Never writes. Static, parameterised
// statements; the figures come back as counts grouped by status, assembled by the caller.
import type { SqlExecutor } from './sql-executor.js';
import { toIsoOrNull, toTextOrNull } from './query-rows.js';

/** One count: `metric` is `workstream`, `blocked-workstream`, `task`, `stale-task` or `adr`. */
export interface DomainCountRow {
  domain: string;
  name: string;
  domainStatus: string;
  metric: 'workstream' | 'blocked-workstream' | 'task' | 'stale-task' | 'adr' | 'repository';
  /** The workstream, task or ADR status counted; the repository slug for `repository`. */
  key: string;
  n: number;
}

const DOMAIN_COUNTS = `
WITH ws AS (
  SELECT w.id, w.status, w.domain_id, r.slug AS repository
    FROM workstreams w JOIN repositories r ON r.id = w.repository_id
   WHERE w.removed_at IS NULL
     AND ($1::jsonb IS NULL OR r.slug = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb))))
)
SELECT d.slug AS domain, d.name, d.status AS domain_status, x.metric, x.key, x.n FROM (
  SELECT domain_id, 'workstream' AS metric, status AS key, count(*)::int AS n FROM ws GROUP BY domain_id, status
  UNION ALL
  SELECT domain_id, 'blocked-workstream', status, count(*)::int FROM ws
   WHERE id IN (SELECT value::uuid FROM jsonb_array_elements_text($2::jsonb)) GROUP BY domain_id, status
  UNION ALL
  SELECT domain_id, 'repository', repository, count(*)::int FROM ws GROUP BY domain_id, repository
  UNION ALL
  SELECT ws.domain_id, 'task', t.status, count(*)::int FROM tasks t JOIN ws ON ws.id = t.workstream_id
   WHERE t.removed_at IS NULL GROUP BY ws.domain_id, t.status
  UNION ALL
  SELECT ws.domain_id, 'stale-task', t.status, count(*)::int FROM tasks t JOIN ws ON ws.id = t.workstream_id
   WHERE t.removed_at IS NULL
     AND ws.status = ANY(ARRAY(SELECT jsonb_array_elements_text($4::jsonb)))
     AND t.status = ANY(ARRAY(SELECT jsonb_array_elements_text($3::jsonb)))
   GROUP BY ws.domain_id, t.status
) x JOIN domains d ON d.id = x.domain_id
UNION ALL
SELECT d.slug, d.name, d.status, 'adr', coalesce(a.status, 'none'), count(*)::int
  FROM adrs a JOIN repositories r ON r.id = a.repository_id JOIN domains d ON d.slug = a.domain
 WHERE a.removed_at IS NULL
   AND ($1::jsonb IS NULL OR r.slug = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb))))
   AND EXISTS (SELECT 1 FROM ws WHERE ws.domain_id = d.id)
 GROUP BY d.slug, d.name, d.status, a.status`;

/** Counts per domain that has live workstreams in the scope (ADRs counted by their `domain`). */
export async function readDomainCounts(
  db: SqlExecutor,
  scope: string[] | 'all',
  blockedIds: readonly string[],
  openStatuses: readonly string[],
  closedWorkstreamStatuses: readonly string[],
): Promise<DomainCountRow[]> {
  const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(
    DOMAIN_COUNTS,
    scope === 'all' ? null : JSON.stringify(scope),
    JSON.stringify(blockedIds),
    JSON.stringify(openStatuses),
    JSON.stringify(closedWorkstreamStatuses),
  );
  return rows.map((r) => ({
    domain: String(r.domain),
    name: String(r.name),
    domainStatus: String(r.domain_status),
    metric: String(r.metric) as DomainCountRow['metric'],
    key: String(r.key),
    n: Number(r.n),
  }));
}

export interface RepositoryRow {
  slug: string;
  root: string;
  remoteUrl: string | null;
  lastSyncedAt: string | null;
  workstreams: number;
  tasks: number;
  openTasks: number;
  adrs: number;
}

const REPOSITORIES = `
SELECT r.slug, r.root, r.remote_url, r.last_synced_at,
       (SELECT count(*) FROM workstreams w WHERE w.repository_id = r.id AND w.removed_at IS NULL)::int AS workstreams,
       (SELECT count(*) FROM tasks t WHERE t.repository_id = r.id AND t.removed_at IS NULL)::int AS tasks,
       (SELECT count(*) FROM tasks t WHERE t.repository_id = r.id AND t.removed_at IS NULL
           AND t.status = ANY(ARRAY(SELECT jsonb_array_elements_text($2::jsonb))))::int AS open_tasks,
       (SELECT count(*) FROM adrs a WHERE a.repository_id = r.id AND a.removed_at IS NULL)::int AS adrs
  FROM repositories r
 WHERE $1::jsonb IS NULL OR r.slug = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))
 ORDER BY r.slug`;

/** The repositories of the scope with their live row counts. */
export async function readRepositoryRows(
  db: SqlExecutor,
  scope: string[] | 'all',
  openStatuses: readonly string[],
): Promise<RepositoryRow[]> {
  const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(
    REPOSITORIES,
    scope === 'all' ? null : JSON.stringify(scope),
    JSON.stringify(openStatuses),
  );
  return rows.map((r) => ({
    slug: String(r.slug),
    root: String(r.root),
    remoteUrl: toTextOrNull(r.remote_url),
    lastSyncedAt: toIsoOrNull(r.last_synced_at),
    workstreams: Number(r.workstreams),
    tasks: Number(r.tasks),
    openTasks: Number(r.open_tasks),
    adrs: Number(r.adrs),
  }));
}
