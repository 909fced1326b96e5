// Reading dependencies between workplans and the workstreams they name, for the blocked / next
// questions and `workplan show`. Never writes. Static, parameterised statements; what blocks what is
// decided by pure code (src/reconcile/dependency-state.ts), from these rows.
import type { SqlExecutor } from './sql-executor.js';
import { toTextArray } from './query-rows.js';

export interface DependencyRow {
  kind: string;
  targets: string[];
  text: string;
  position: number;
  source: WorkstreamRef;
}

/** A live workstream as a dependency sees it. */
export interface WorkstreamRef {
  uuid: string;
  id: string;
  title: string;
  status: string;
  repositoryId: string;
  repository: string;
}

const DEPENDENCIES = `
SELECT d.kind, d.targets, d.text, d.position,
       w.id::text AS uuid, w.file_id, w.title, w.status, w.repository_id::text AS repository_id, r.slug AS repository
  FROM dependencies d
  JOIN workstreams w ON w.id = d.workstream_id
  JOIN repositories r ON r.id = w.repository_id
 WHERE d.removed_at IS NULL AND w.removed_at IS NULL
   AND d.kind = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))
   AND ($2::jsonb IS NULL OR w.id::text = ANY(ARRAY(SELECT jsonb_array_elements_text($2::jsonb))))
   AND ($3::text IS NULL OR $3::text = ANY(d.targets))
 ORDER BY r.slug, w.file_id, d.position`;

/**
 * Live dependencies of the given kinds: all of them, or those written in the given workstreams
 * (`sourceUuids`), or those naming the workplan id `targetId`.
 */
export async function readDependencies(
  db: SqlExecutor,
  kinds: readonly string[],
  selection: { sourceUuids?: readonly string[]; targetId?: string } = {},
): Promise<DependencyRow[]> {
  const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(
    DEPENDENCIES,
    JSON.stringify(kinds),
    selection.sourceUuids ? JSON.stringify(selection.sourceUuids) : null,
    selection.targetId ?? null,
  );
  return rows.map(toDependencyRow);
}

const WORKSTREAMS_BY_ID = `
SELECT w.id::text AS uuid, w.file_id, w.title, w.status, w.repository_id::text AS repository_id, r.slug AS repository
  FROM workstreams w JOIN repositories r ON r.id = w.repository_id
 WHERE w.removed_at IS NULL AND w.file_id = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))`;

/** Live workstreams with the given workplan ids, in every repository. */
export async function readWorkstreamRefs(db: SqlExecutor, ids: readonly string[]): Promise<WorkstreamRef[]> {
  if (ids.length === 0) return [];
  const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(WORKSTREAMS_BY_ID, JSON.stringify([...new Set(ids)]));
  return rows.map(toWorkstreamRef);
}

/** A workstream reference as the statements here select it (uuid, file_id, title, status, repository_id, repository). */
export function toWorkstreamRef(r: Record<string, unknown>): WorkstreamRef {
  return {
    uuid: String(r.uuid),
    id: String(r.file_id),
    title: String(r.title),
    status: String(r.status),
    repositoryId: String(r.repository_id),
    repository: String(r.repository),
  };
}

/** A dependency row as the statements here select it: its item, and its source workstream's reference. */
export function toDependencyRow(r: Record<string, unknown>): DependencyRow {
  return {
    kind: String(r.kind),
    targets: toTextArray(r.targets),
    text: String(r.text),
    position: Number(r.position),
    source: toWorkstreamRef(r),
  };
}
