// Reading the mirror's current state for one repository: a cheap per-file index first (one round
// trip), then full rows only for the files that changed. Never writes.
import {
  ADR_COLUMNS,
  CLOSURE_ENTRY_COLUMNS,
  CLOSURE_REVIEW_COLUMNS,
  DEPENDENCY_COLUMNS,
  MIRROR_ENTITIES,
  PHASE_COLUMNS,
  TASK_COLUMNS,
  WORKSTREAM_COLUMNS,
} from '../model/mirror-columns.js';
import type { SharedKeys } from '../reconcile/judge-files.js';
import type {
  AdrFields,
  ClosureEntryFields,
  DependencyFields,
  TaskFields,
  WorkstreamFields,
  ClosureReviewFields,
  MirrorAdr,
  MirrorIndexEntry,
  MirrorWorkstream,
  PhaseFields,
} from '../reconcile/rows.js';
import { adrFingerprintSql, dependencyFingerprintSql, taskFingerprintSql, workstreamFingerprintSql } from './fingerprint-sql.js';
import { fieldsFromRow, selectFieldsSql, selectJoinsSql } from './mirror-sql.js';
import { jsonTextArray, type SqlExecutor } from './sql-executor.js';

/**
 * Every workplan and ADR file the mirror knows for the repository, with content hash and drift flag;
 * or only those at the given paths (an incremental sync's cost follows the change, not the repository).
 * Drift is the `drift_suspected` flag the mirror's triggers set on any write outside the engine: one
 * column per file, not a re-hash of every row. Task counts (for the mass-removal guard) cost a count
 * per workstream; callers that need them only for a few rows ask `countLiveTasks` instead.
 */
export async function readMirrorIndex(
  db: SqlExecutor,
  repositoryId: string,
  paths?: readonly string[],
  options: { taskCounts?: boolean } = {},
): Promise<MirrorIndexEntry[]> {
  const pathFilter = (alias: string) => (paths ? `AND ${alias}.file_path = ANY(${jsonTextArray(2)})` : '');
  const taskCount =
    (options.taskCounts ?? true) ? '(SELECT count(*) FROM tasks t WHERE t.workstream_id = w.id AND t.removed_at IS NULL)::int' : '0';
  // One JSON document instead of a row per file: per-row decoding in the driver adapter costs more
  // than the query itself on a repository of thousands of files.
  const [row] = await db.$queryRawUnsafe<Array<{ index: string | null }>>(
    `SELECT json_agg(json_build_array(kind, id, file_id, file_path, content_hash, removed, drifted, task_count))::text AS index FROM (
       SELECT 'w' AS kind, w.id, w.file_id, w.file_path, w.content_hash,
              w.removed_at IS NOT NULL AS removed, (w.removed_at IS NULL AND w.drift_suspected) AS drifted,
              ${taskCount} AS task_count
         FROM workstreams w WHERE w.repository_id = $1::uuid ${pathFilter('w')}
       UNION ALL
       SELECT 'a', a.id, a.file_id, a.file_path, a.content_hash, a.removed_at IS NOT NULL,
              (a.removed_at IS NULL AND a.drift_suspected), 0
         FROM adrs a WHERE a.repository_id = $1::uuid ${pathFilter('a')}
     ) entries`,
    ...(paths ? [repositoryId, JSON.stringify(paths)] : [repositoryId]),
  );
  const entries = JSON.parse(row?.index ?? '[]') as Array<[string, string, string, string, string, boolean, boolean, number]>;
  return entries.map(([kind, id, fileId, filePath, contentHash, removed, drifted, taskCount]) => ({
    kind: kind === 'w' ? 'workstream' : 'adr',
    id,
    fileId,
    filePath,
    contentHash,
    removed,
    drifted,
    taskCount: Number(taskCount),
  }));
}

/** Live task counts of the given workstreams (those absent have none). */
export async function countLiveTasks(db: SqlExecutor, workstreamIds: readonly string[]): Promise<Map<string, number>> {
  if (workstreamIds.length === 0) return new Map();
  const rows = await db.$queryRawUnsafe<Array<{ id: string; n: number | bigint }>>(
    `SELECT workstream_id::text AS id, count(*)::int AS n FROM tasks
      WHERE workstream_id = ANY(${jsonTextArray(1)}::uuid[]) AND removed_at IS NULL GROUP BY workstream_id`,
    JSON.stringify(workstreamIds),
  );
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

export interface MirrorSelection {
  ids: string[];
  fileIds: string[];
  filePaths: string[];
}

/** Full rows of the workstreams matching any of the given ids, file ids or paths, with their children. */
export async function readMirrorWorkstreams(
  db: SqlExecutor,
  repositoryId: string,
  selection: MirrorSelection,
): Promise<MirrorWorkstream[]> {
  if (selection.ids.length + selection.fileIds.length + selection.filePaths.length === 0) return [];
  // One round trip returning one JSON document (the workstreams and each kind of child row): on the
  // embedded store queries run one at a time, so six small queries cost six times one. Children are
  // selected by `= ANY(ARRAY(…))` (an array computed once) so the planner uses their workstream index
  // instead of joining against the whole table.
  const [row] = await db.$queryRawUnsafe<Array<{ doc: string }>>(
    `WITH sel AS (
       SELECT w.id, ${selectFieldsSql(MIRROR_ENTITIES.workstream, 'w')}, w.content_hash, w.removed_at IS NOT NULL AS removed,
              w.sync_fingerprint <> ${workstreamFingerprintSql('w')} AS drifted
         FROM workstreams w ${selectJoinsSql(MIRROR_ENTITIES.workstream, 'w')}
        WHERE w.repository_id = $1::uuid
          AND (w.id = ANY(${jsonTextArray(2)}::uuid[]) OR w.file_id = ANY(${jsonTextArray(3)}) OR w.file_path = ANY(${jsonTextArray(4)}))
     )
     SELECT json_build_object(
       'ws', (SELECT json_agg(sel) FROM sel),
       'tasks', (SELECT json_agg(x ORDER BY x.position) FROM (
          SELECT t.id, t.workstream_id, ${selectFieldsSql(MIRROR_ENTITIES.task, 't')}, t.removed_at IS NOT NULL AS removed,
                 t.sync_fingerprint <> ${taskFingerprintSql('t')} AS drifted
            FROM tasks t ${selectJoinsSql(MIRROR_ENTITIES.task, 't')}
           WHERE t.workstream_id = ANY(ARRAY(SELECT id FROM sel))) x),
       'deps', (SELECT json_agg(x ORDER BY x.position) FROM (
          SELECT d.id, d.workstream_id, ${selectFieldsSql(MIRROR_ENTITIES.dependency, 'd')},
                 d.removed_at IS NOT NULL AS removed, d.sync_fingerprint <> ${dependencyFingerprintSql('d')} AS drifted
            FROM dependencies d WHERE d.workstream_id = ANY(ARRAY(SELECT id FROM sel))) x),
       'phases', (SELECT json_agg(x ORDER BY x.position) FROM (
          SELECT workstream_id, ${selectFieldsSql(MIRROR_ENTITIES.phase, 'phases')} FROM phases WHERE workstream_id = ANY(ARRAY(SELECT id FROM sel))) x),
       'reviews', (SELECT json_agg(x ORDER BY x.position) FROM (
          SELECT id, workstream_id, ${selectFieldsSql(MIRROR_ENTITIES.closureReview, 'closure_reviews')}
            FROM closure_reviews WHERE workstream_id = ANY(ARRAY(SELECT id FROM sel))) x),
       'entries', (SELECT json_agg(x ORDER BY x.position) FROM (
          SELECT e.closure_review_id AS review_id, ${selectFieldsSql(MIRROR_ENTITIES.closureEntry, 'e')}, e.position
            FROM closure_entries e JOIN closure_reviews r ON r.id = e.closure_review_id
           WHERE r.workstream_id = ANY(ARRAY(SELECT id FROM sel))) x)
     )::text AS doc`,
    repositoryId,
    JSON.stringify(selection.ids),
    JSON.stringify(selection.fileIds),
    JSON.stringify(selection.filePaths),
  );
  return workstreamsFromDocument(JSON.parse(row?.doc ?? '{}') as MirrorDocument);
}

type Rows = Array<Record<string, unknown>>;
/** The one JSON document `readMirrorWorkstreams` reads: the workstreams and each kind of child row. */
type MirrorDocument = Partial<Record<'ws' | 'tasks' | 'deps' | 'phases' | 'reviews' | 'entries', Rows | null>>;

/** The workstreams of the document, each with its child rows, fields decoded by the column tables. */
function workstreamsFromDocument(doc: MirrorDocument): MirrorWorkstream[] {
  const ws = doc.ws ?? [];
  if (ws.length === 0) return [];
  const [tasks, deps, phases, reviews, entries] = [doc.tasks ?? [], doc.deps ?? [], doc.phases ?? [], doc.reviews ?? [], doc.entries ?? []];

  const byWorkstream = new Map<string, MirrorWorkstream>();
  for (const w of ws) {
    byWorkstream.set(String(w.id), {
      id: String(w.id),
      removed: Boolean(w.removed),
      drifted: Boolean(w.drifted),
      contentHash: String(w.content_hash),
      fields: fieldsFromRow(WORKSTREAM_COLUMNS, w) as WorkstreamFields,
      tasks: [],
      dependencies: [],
      phases: [],
      closureReviews: [],
    });
  }
  for (const t of tasks) {
    byWorkstream.get(String(t.workstream_id))?.tasks.push({
      id: String(t.id),
      removed: Boolean(t.removed),
      drifted: Boolean(t.drifted),
      fields: fieldsFromRow(TASK_COLUMNS, t) as TaskFields,
    });
  }
  for (const d of deps) {
    byWorkstream.get(String(d.workstream_id))?.dependencies.push({
      id: String(d.id),
      removed: Boolean(d.removed),
      drifted: Boolean(d.drifted),
      fields: fieldsFromRow(DEPENDENCY_COLUMNS, d) as DependencyFields,
    });
  }
  for (const p of phases) {
    const phase = fieldsFromRow(PHASE_COLUMNS, p) as PhaseFields;
    byWorkstream.get(String(p.workstream_id))?.phases.push(phase);
  }
  const reviewById = new Map<string, ClosureReviewFields>();
  for (const r of reviews) {
    const review: ClosureReviewFields = {
      ...(fieldsFromRow(CLOSURE_REVIEW_COLUMNS, r) as Omit<ClosureReviewFields, 'entries'>),
      entries: [],
    };
    reviewById.set(String(r.id), review);
    byWorkstream.get(String(r.workstream_id))?.closureReviews.push(review);
  }
  for (const e of entries) {
    reviewById.get(String(e.review_id))?.entries.push(fieldsFromRow(CLOSURE_ENTRY_COLUMNS, e) as ClosureEntryFields);
  }
  return [...byWorkstream.values()];
}

/** Full rows of the repository's ADRs with the given file ids or paths. */
export async function readMirrorAdrs(
  db: SqlExecutor,
  repositoryId: string,
  selection: Pick<MirrorSelection, 'fileIds' | 'filePaths'>,
): Promise<MirrorAdr[]> {
  if (selection.fileIds.length + selection.filePaths.length === 0) return [];
  const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(
    `SELECT a.id::text AS id, ${selectFieldsSql(MIRROR_ENTITIES.adr, 'a')}, a.content_hash, a.removed_at IS NOT NULL AS removed,
            a.sync_fingerprint <> ${adrFingerprintSql('a')} AS drifted
       FROM adrs a
      WHERE a.repository_id = $1::uuid
        AND (a.file_id = ANY(${jsonTextArray(2)}) OR a.file_path = ANY(${jsonTextArray(3)}))`,
    repositoryId,
    JSON.stringify(selection.fileIds),
    JSON.stringify(selection.filePaths),
  );
  return rows.map((a) => ({
    id: String(a.id),
    removed: Boolean(a.removed),
    drifted: Boolean(a.drifted),
    contentHash: String(a.content_hash),
    fields: fieldsFromRow(ADR_COLUMNS, a) as AdrFields,
  }));
}

/** Live rows of the repository (workstreams + tasks + ADRs), the base of the mass-removal share. */
export async function countLiveRows(db: SqlExecutor, repositoryId: string): Promise<number> {
  const [row] = await db.$queryRawUnsafe<Array<{ n: number | bigint }>>(
    `SELECT ((SELECT count(*) FROM workstreams WHERE repository_id = $1::uuid AND removed_at IS NULL)
           + (SELECT count(*) FROM tasks WHERE repository_id = $1::uuid AND removed_at IS NULL)
           + (SELECT count(*) FROM adrs WHERE repository_id = $1::uuid AND removed_at IS NULL))::int AS n`,
    repositoryId,
  );
  return Number(row?.n ?? 0);
}

/**
 * The files of this repository whose live rows hold one of the keys: their files must be judged with
 * the files that changed, or a copy of one of them would not be noticed. One round trip.
 */
export async function readKeyOwners(
  db: SqlExecutor,
  repositoryId: string,
  keys: SharedKeys,
): Promise<Array<{ path: string; kind: 'workplan' | 'adr' }>> {
  const [row] = await db.$queryRawUnsafe<Array<{ files: string | null }>>(
    `WITH u AS (SELECT DISTINCT x::uuid AS id FROM jsonb_array_elements_text($2::jsonb) AS x)
     SELECT json_agg(DISTINCT jsonb_build_array(f.path, f.kind))::text AS files FROM (
       SELECT w.file_path AS path, 'workplan' AS kind FROM workstreams w
        WHERE w.repository_id = $1::uuid AND w.removed_at IS NULL
          AND (w.file_id = ANY(${jsonTextArray(3)}) OR w.id IN (SELECT id FROM u))
       UNION SELECT w.file_path, 'workplan' FROM tasks t JOIN workstreams w ON w.id = t.workstream_id
        WHERE t.repository_id = $1::uuid AND t.removed_at IS NULL AND w.removed_at IS NULL
          AND (t.file_id = ANY(${jsonTextArray(4)}) OR t.id IN (SELECT id FROM u))
       UNION SELECT w.file_path, 'workplan' FROM dependencies d JOIN workstreams w ON w.id = d.workstream_id
        WHERE w.repository_id = $1::uuid AND d.removed_at IS NULL AND w.removed_at IS NULL AND d.id IN (SELECT id FROM u)
       UNION SELECT a.file_path, 'adr' FROM adrs a
        WHERE a.repository_id = $1::uuid AND a.removed_at IS NULL AND a.file_id = ANY(${jsonTextArray(5)})) f`,
    repositoryId,
    JSON.stringify(keys.uuids),
    JSON.stringify(keys.workplanIds),
    JSON.stringify(keys.taskIds),
    JSON.stringify(keys.adrIds),
  );
  const files = JSON.parse(row?.files ?? '[]') as Array<[string, 'workplan' | 'adr']>;
  return files.map(([path, kind]) => ({ path, kind }));
}
