// The mirror's history for the dashboard and `GET /api/events`: the sync runs that changed it
// (`sync_runs`) and the cleanup runs (`cleanup.summary` events), newest first; and a token that changes
// whenever either table or a repository's sync generation does (what live updates poll).
// Never writes. Static, parameterised statements.
import type { SqlExecutor } from './sql-executor.js';
import { toIso, toJsonObject, toTextOrNull } from './query-rows.js';

export type EventRowKind = 'sync' | 'cleanup';

export interface EventRow {
  kind: EventRowKind;
  id: string;
  repository: string;
  at: string;
  trigger: string | null;
  summary: string | null;
  startedAt: string | null;
  counts: {
    filesScanned: number;
    filesChanged: number;
    created: number;
    updated: number;
    removed: number;
    drifted: number;
    idsAssigned: number;
  } | null;
  gitCommit: string | null;
  payload: Record<string, unknown>;
}

export interface EventRowFilter {
  scope: string[] | 'all';
  kinds: readonly EventRowKind[];
  /** The `events.kind` a cleanup run is recorded as. */
  cleanupEventKind: string;
  limit: number;
  offset: number;
}

const RUNS = `
WITH runs AS (
  SELECT 'sync' AS kind, s.id::text AS id, r.slug AS repository, s.finished_at AS at, s.started_at, s.trigger,
         NULL::text AS summary, NULL::jsonb AS payload, s.files_scanned, s.files_changed, s.created, s.updated,
         s.removed, s.drifted, s.ids_assigned, s.git_commit
    FROM sync_runs s JOIN repositories r ON r.id = s.repository_id
   WHERE 'sync' = ANY(ARRAY(SELECT jsonb_array_elements_text($2::jsonb)))
     AND ($1::jsonb IS NULL OR r.slug = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb))))
  UNION ALL
  SELECT 'cleanup', e.id::text, r.slug, e.created_at, NULL, e.payload->>'trigger',
         e.summary, e.payload, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM events e JOIN repositories r ON r.id = e.repository_id
   WHERE e.kind = $3
     AND 'cleanup' = ANY(ARRAY(SELECT jsonb_array_elements_text($2::jsonb)))
     AND ($1::jsonb IS NULL OR r.slug = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb))))
)`;
const LIST_RUNS = `${RUNS}
SELECT runs.*, count(*) OVER ()::int AS total FROM runs ORDER BY at DESC, id LIMIT $4 OFFSET $5`;
const COUNT_RUNS = `${RUNS}
SELECT count(*)::int AS n FROM runs`;

/** One page of runs, newest first, and how many match. */
export async function listEventRows(db: SqlExecutor, filter: EventRowFilter): Promise<{ rows: EventRow[]; total: number }> {
  const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(
    LIST_RUNS,
    filter.scope === 'all' ? null : JSON.stringify(filter.scope),
    JSON.stringify(filter.kinds),
    filter.cleanupEventKind,
    filter.limit,
    filter.offset,
  );
  const total = rows.length > 0 ? Number(rows[0]!.total) : filter.offset > 0 ? await countEventRows(db, filter) : 0;
  return { rows: rows.map(toEventRow), total };
}

/** The count alone, for a page past the end (the window count comes with rows only). */
async function countEventRows(db: SqlExecutor, filter: EventRowFilter): Promise<number> {
  const [row] = await db.$queryRawUnsafe<Array<{ n: number }>>(
    COUNT_RUNS,
    filter.scope === 'all' ? null : JSON.stringify(filter.scope),
    JSON.stringify(filter.kinds),
    filter.cleanupEventKind,
  );
  return Number(row?.n ?? 0);
}

function toEventRow(r: Record<string, unknown>): EventRow {
  const kind = r.kind === 'cleanup' ? 'cleanup' : 'sync';
  const n = (key: string) => Number(r[key] ?? 0);
  return {
    kind,
    id: String(r.id),
    repository: String(r.repository),
    at: toIso(r.at),
    trigger: toTextOrNull(r.trigger),
    summary: toTextOrNull(r.summary),
    startedAt: r.started_at === null || r.started_at === undefined ? null : toIso(r.started_at),
    counts:
      kind === 'sync'
        ? {
            filesScanned: n('files_scanned'),
            filesChanged: n('files_changed'),
            created: n('created'),
            updated: n('updated'),
            removed: n('removed'),
            drifted: n('drifted'),
            idsAssigned: n('ids_assigned'),
          }
        : null,
    gitCommit: toTextOrNull(r.git_commit),
    payload: toJsonObject(r.payload),
  };
}

/**
 * A token of the mirror's state: every applied sync bumps its repository's generation and records a
 * run; a cleanup records an event. Equal tokens: nothing a reader sees has changed.
 */
export async function readMirrorVersion(db: SqlExecutor): Promise<string> {
  const [row] = await db.$queryRawUnsafe<Array<{ token: string }>>(
    `SELECT (SELECT count(*) FROM repositories)::text || '.' ||
            (SELECT coalesce(sum(sync_generation), 0) FROM repositories)::text || '.' ||
            (SELECT count(*) FROM events)::text AS token`,
  );
  return String(row?.token ?? '0.0.0');
}
