// Applying a reconcile Plan to the mirror with set-based statements: each kind of change is one
// `INSERT … SELECT FROM jsonb_to_recordset(…) ON CONFLICT` or one `UPDATE … WHERE id = ANY(…)`,
// never one query per row. Runs inside the caller's transaction (which holds the repository lock).
import type { Plan, WorkstreamPlan } from '../reconcile/plan.js';
import { ADR_COLUMNS, DEPENDENCY_COLUMNS, MIRROR_ENTITIES, TASK_COLUMNS, WORKSTREAM_COLUMNS } from '../model/mirror-columns.js';
import { toRecord, upsertSql } from './mirror-sql.js';
import { jsonTextArray, type SqlExecutor } from './sql-executor.js';

export interface AppliedCounts {
  statements: number;
  rowsWritten: number;
}

/** Where the synced content came from: the HEAD commit, and each file's git blob id. */
export interface Provenance {
  gitCommit?: string;
  gitBlob(filePath: string): string | undefined;
}

const NO_PROVENANCE: Provenance = { gitBlob: () => undefined };

/** Writes the plan's rows. `newId` supplies ids for new domains. */
export async function applyPlan(
  db: SqlExecutor,
  repositoryId: string,
  plan: Plan,
  newId: () => string,
  provenance: Provenance = NO_PROVENANCE,
): Promise<AppliedCounts> {
  const counts: AppliedCounts = { statements: 0, rowsWritten: 0 };
  const run = async (sql: string, ...params: unknown[]) => {
    counts.statements++;
    counts.rowsWritten += await db.$executeRawUnsafe(sql, ...params);
  };

  // Only domains a row newly points at can be missing (a row's current domain exists: it references it).
  const domains = plan.domains.filter((slug) =>
    plan.workstreams.some(
      (w) => w.fields.domain === slug && (w.action === 'create' || w.revived || w.changes.some((c) => c.field === 'domain')),
    ),
  );
  if (domains.length > 0) {
    await run(
      `INSERT INTO domains (id, slug, name, status, created_at, updated_at)
       SELECT r.id, r.slug, r.slug, 'active', now(), now()
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, slug text)
       ON CONFLICT (slug) DO NOTHING`,
      JSON.stringify(domains.map((slug) => ({ id: newId(), slug }))),
    );
  }

  // Removals first, so a file id freed by a removed row can be taken by a new one.
  const removedWs = plan.removedWorkstreams.map((r) => r.id);
  await markRemoved(run, 'tasks', 'workstream_id', removedWs);
  await markRemoved(run, 'dependencies', 'workstream_id', removedWs);
  await markRemoved(run, 'workstreams', 'id', removedWs);
  const written = plan.workstreams;
  const wsRows = written.map((w) => workstreamRecord(w, provenance));
  // A removed row may still hold a file id that a differently-identified new row now claims: only rows
  // that take a file id (created, revived, renamed) can collide.
  const claiming = written.filter(claimsFileId).map((w) => ({ id: w.id, file_id: w.fields.fileId }));
  if (claiming.length > 0) {
    await run(
      `UPDATE workstreams w SET file_id = w.file_id || '~' || w.id::text
         FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, file_id text)
        WHERE w.repository_id = $1::uuid AND w.file_id = r.file_id AND w.id <> r.id`,
      repositoryId,
      JSON.stringify(claiming),
    );
  }
  if (wsRows.length > 0) await inChunks(wsRows, (chunk) => run(UPSERT_WORKSTREAMS, repositoryId, chunk));

  await applyPhases(written, run);
  await applyTasks(repositoryId, written, run);
  await applyDependencies(written, run);
  await applyClosureReviews(written, run);
  await applyAdrs(repositoryId, plan, newId, run, provenance);
  return counts;
}

type Run = (sql: string, ...params: unknown[]) => Promise<void>;

// The upserts of the fingerprinted entities, generated once from their column tables (model/mirror-columns.ts).
const UPSERT_WORKSTREAMS = upsertSql(MIRROR_ENTITIES.workstream, { recordsParam: 2, synced: true, updatesRepository: true });
const UPSERT_TASKS = upsertSql(MIRROR_ENTITIES.task, { recordsParam: 2, synced: false, updatesRepository: true });
const UPSERT_DEPENDENCIES = upsertSql(MIRROR_ENTITIES.dependency, { recordsParam: 1, synced: false, updatesRepository: false });
const UPSERT_ADRS = upsertSql(MIRROR_ENTITIES.adr, { recordsParam: 2, synced: true, updatesRepository: false });

/** Marks live rows removed (kept for history) whose `column` is one of `ids`. Table and column are ours, never input. */
async function markRemoved(
  run: Run,
  table: 'workstreams' | 'tasks' | 'dependencies' | 'adrs',
  column: 'id' | 'workstream_id',
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  await run(
    `UPDATE ${table} SET removed_at = now() WHERE ${column} = ANY(${jsonTextArray(1)}::uuid[]) AND removed_at IS NULL`,
    JSON.stringify(ids),
  );
}

/** Whether writing the row takes a file id another row may hold: a new, revived or renamed row. */
function claimsFileId(row: { action?: string; revived: boolean; changes: Array<{ field: string }> }): boolean {
  return row.action === 'create' || row.revived || row.changes.some((c) => c.field === 'fileId');
}

/**
 * Rows per statement. One statement per kind of change keeps round trips constant; capping its size
 * keeps each JSON parameter (and the database's memory for it) bounded on very large syncs.
 */
const ROWS_PER_STATEMENT = 2_000;

async function inChunks<T>(rows: readonly T[], fn: (chunk: string) => Promise<void>): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await fn(JSON.stringify(rows.slice(i, i + ROWS_PER_STATEMENT)));
}

function workstreamRecord(w: WorkstreamPlan, provenance: Provenance) {
  return {
    id: w.id,
    ...toRecord(WORKSTREAM_COLUMNS, w.fields, {
      content_hash: w.contentHash,
      git_commit: provenance.gitCommit ?? null,
      git_blob: provenance.gitBlob(w.fields.filePath) ?? null,
    }),
  };
}

async function applyPhases(written: WorkstreamPlan[], run: Run): Promise<void> {
  const replaced = written.filter((w) => w.phases !== null);
  if (replaced.length === 0) return;
  const rows = replaced.flatMap((w) =>
    (w.phases ?? []).map((p) => ({ workstream_id: w.id, number: p.number, title: p.title, position: p.position })),
  );
  await run(
    `DELETE FROM phases p WHERE p.workstream_id = ANY(${jsonTextArray(1)}::uuid[])
       AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($2::jsonb) AS r(workstream_id uuid, number int)
                        WHERE r.workstream_id = p.workstream_id AND r.number = p.number)`,
    JSON.stringify(replaced.map((w) => w.id)),
    JSON.stringify(rows),
  );
  if (rows.length === 0) return;
  await run(
    `INSERT INTO phases (id, workstream_id, number, title, position)
     SELECT gen_random_uuid(), r.workstream_id, r.number, r.title, r.position
       FROM jsonb_to_recordset($1::jsonb) AS r(workstream_id uuid, number int, title text, position int)
     ON CONFLICT (workstream_id, number) DO UPDATE SET title = EXCLUDED.title, position = EXCLUDED.position`,
    JSON.stringify(rows),
  );
}

async function applyTasks(repositoryId: string, written: WorkstreamPlan[], run: Run): Promise<void> {
  const rows = written.flatMap((w) =>
    [...w.tasks.create, ...w.tasks.update].map(({ id, fields }) => ({ id, ...toRecord(TASK_COLUMNS, fields, { workstream_id: w.id }) })),
  );
  await markRemoved(
    run,
    'tasks',
    'id',
    written.flatMap((w) => w.tasks.remove.map((r) => r.id)),
  );
  if (rows.length === 0) return;
  const claiming = written.flatMap((w) =>
    [...w.tasks.create, ...w.tasks.update.filter(claimsFileId)].map((t) => ({ id: t.id, workstream_id: w.id, file_id: t.fields.fileId })),
  );
  if (claiming.length > 0) {
    await run(
      `UPDATE tasks t SET file_id = t.file_id || '~' || t.id::text
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, workstream_id uuid, file_id text)
        WHERE t.workstream_id = r.workstream_id AND t.file_id = r.file_id AND t.id <> r.id`,
      JSON.stringify(claiming),
    );
  }
  await inChunks(rows, (chunk) => run(UPSERT_TASKS, repositoryId, chunk));
}

async function applyDependencies(written: WorkstreamPlan[], run: Run): Promise<void> {
  const rows = written.flatMap((w) =>
    [...w.dependencies.create, ...w.dependencies.update].map(({ id, fields }) => ({
      id,
      ...toRecord(DEPENDENCY_COLUMNS, fields, { workstream_id: w.id }),
    })),
  );
  await markRemoved(
    run,
    'dependencies',
    'id',
    written.flatMap((w) => w.dependencies.remove.map((r) => r.id)),
  );
  if (rows.length === 0) return;
  await run(UPSERT_DEPENDENCIES, JSON.stringify(rows));
}

async function applyClosureReviews(written: WorkstreamPlan[], run: Run): Promise<void> {
  const replaced = written.filter((w) => w.closureReviews !== null);
  if (replaced.length === 0) return;
  // Closure reviews are derived wholly from their sections and referenced by nothing: replace them.
  await run(
    `DELETE FROM closure_reviews WHERE workstream_id = ANY(${jsonTextArray(1)}::uuid[])`,
    JSON.stringify(replaced.map((w) => w.id)),
  );
  const reviews = replaced.flatMap((w) =>
    (w.closureReviews ?? []).map((r) => ({
      workstream_id: w.id,
      review_date: r.reviewDate,
      position: r.position,
      outcome: r.outcome,
      context: r.context,
    })),
  );
  if (reviews.length === 0) return;
  await run(
    `INSERT INTO closure_reviews (id, workstream_id, review_date, position, outcome, context)
     SELECT gen_random_uuid(), r.workstream_id, r.review_date, r.position, r.outcome, r.context
       FROM jsonb_to_recordset($1::jsonb) AS r(workstream_id uuid, review_date text, position int, outcome text, context text)`,
    JSON.stringify(reviews),
  );
  const entries = replaced.flatMap((w) =>
    (w.closureReviews ?? []).flatMap((r) =>
      r.entries.map((e, i) => ({
        workstream_id: w.id,
        review_position: r.position,
        position: i,
        task_file_id: e.taskFileId,
        title: e.title,
        classification: e.classification,
        note: e.note,
        target: e.target,
      })),
    ),
  );
  if (entries.length === 0) return;
  await inChunks(entries, (chunk) =>
    run(
      `INSERT INTO closure_entries (id, closure_review_id, position, task_file_id, title, classification, note, target)
     SELECT gen_random_uuid(), c.id, e.position, e.task_file_id, e.title, e.classification, e.note, e.target
       FROM jsonb_to_recordset($1::jsonb) AS e(workstream_id uuid, review_position int, position int,
            task_file_id text, title text, classification text, note text, target text)
       JOIN closure_reviews c ON c.workstream_id = e.workstream_id AND c.position = e.review_position`,
      chunk,
    ),
  );
}

async function applyAdrs(repositoryId: string, plan: Plan, newId: () => string, run: Run, provenance: Provenance): Promise<void> {
  await markRemoved(
    run,
    'adrs',
    'id',
    plan.adrs.remove.map((r) => r.id),
  );
  const rows: Array<Record<string, unknown>> = [...plan.adrs.create, ...plan.adrs.update].map(({ id, fields, contentHash }) => ({
    id: id || newId(),
    ...toRecord(ADR_COLUMNS, fields, {
      content_hash: contentHash,
      git_commit: provenance.gitCommit ?? null,
      git_blob: provenance.gitBlob(fields.filePath) ?? null,
    }),
  }));
  if (rows.length === 0) return;
  // ADR rows are keyed by path (two files may share a number). The plan matches every file to the row
  // at its path, so no other row holds it; should one (a removed row), it is set aside, not overwritten.
  await run(
    `UPDATE adrs a SET file_path = a.file_path || '~' || a.id::text
       FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, file_path text)
      WHERE a.repository_id = $1::uuid AND a.file_path = r.file_path AND a.id <> r.id`,
    repositoryId,
    JSON.stringify(rows.map((r) => ({ id: r.id, file_path: r.file_path }))),
  );
  await run(UPSERT_ADRS, repositoryId, JSON.stringify(rows));
}
