// The dependencies and workplans that decide which workstreams of some repositories are blocked, read
// without reading the rest of a shared mirror (ADR 0016): in a mirror of 100 repositories, `list` of
// one repository read every dependency of all of them, and looked every named workplan id up in all.
// Read-only; every statement is static and parameterised.
import type { SqlExecutor } from './sql-executor.js';
import { toDependencyRow, toWorkstreamRef, type DependencyRow, type WorkstreamRef } from './dependency-queries.js';

const DEPENDENCIES_AFFECTING = `
WITH scoped AS (
  SELECT w.id, w.file_id FROM workstreams w JOIN repositories r ON r.id = w.repository_id
   WHERE w.removed_at IS NULL AND r.slug = ANY(ARRAY(SELECT jsonb_array_elements_text($2::jsonb)))
), picked AS (
  SELECT d.id FROM dependencies d WHERE d.workstream_id IN (SELECT id FROM scoped)
  UNION
  -- A Blocks: elsewhere names a scoped workstream only through an id its own repository lacks.
  SELECT d.id FROM dependencies d JOIN workstreams src ON src.id = d.workstream_id
   WHERE d.kind = 'blocks' AND d.targets && ARRAY(SELECT file_id FROM scoped)
     AND EXISTS (SELECT 1 FROM unnest(d.targets) AS t(id)
                  WHERE t.id IN (SELECT file_id FROM scoped)
                    AND NOT EXISTS (SELECT 1 FROM workstreams x
                                     WHERE x.repository_id = src.repository_id AND x.file_id = t.id AND x.removed_at IS NULL))
)
SELECT d.kind, d.targets, d.text, d.position,
       w.id::text AS uuid, w.file_id, w.title, w.status, w.repository_id::text AS repository_id, r.slug AS repository
  FROM picked p
  JOIN dependencies d ON d.id = p.id
  JOIN workstreams w ON w.id = d.workstream_id
  JOIN repositories r ON r.id = w.repository_id
 WHERE d.removed_at IS NULL AND w.removed_at IS NULL
   AND d.kind = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))
 ORDER BY r.slug, w.file_id, d.position`;

/**
 * Live dependencies of the given kinds that can block a workstream of the repositories `slugs`: those
 * these workstreams declare, and the `Blocks:` of any other workstream naming one of their ids that its
 * own repository does not have (an id resolves in its own repository first: dependency-state.ts).
 */
export async function readDependenciesAffecting(
  db: SqlExecutor,
  kinds: readonly string[],
  slugs: readonly string[],
): Promise<DependencyRow[]> {
  const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(
    DEPENDENCIES_AFFECTING,
    JSON.stringify(kinds),
    JSON.stringify(slugs),
  );
  return rows.map(toDependencyRow);
}

const WORKSTREAMS_IN_REPOSITORIES = `
SELECT w.id::text AS uuid, w.file_id, w.title, w.status, w.repository_id::text AS repository_id, r.slug AS repository
  FROM (SELECT DISTINCT * FROM jsonb_to_recordset($1::jsonb) AS x(repository_id uuid, file_id text)) p
  JOIN workstreams w ON w.repository_id = p.repository_id AND w.file_id = p.file_id AND w.removed_at IS NULL
  JOIN repositories r ON r.id = w.repository_id`;

/** Live workstreams by (repository, workplan id): each an index lookup, however large the mirror. */
export async function readWorkstreamRefsIn(
  db: SqlExecutor,
  pairs: ReadonlyArray<{ repositoryId: string; id: string }>,
): Promise<WorkstreamRef[]> {
  if (pairs.length === 0) return [];
  const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(
    WORKSTREAMS_IN_REPOSITORIES,
    JSON.stringify(pairs.map((p) => ({ repository_id: p.repositoryId, file_id: p.id }))),
  );
  return rows.map(toWorkstreamRef);
}
