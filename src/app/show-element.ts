// `workplan show <ID>`: one workplan, task or ADR with every field, its phases and tasks, its
// dependencies with the state of the workplans they name, its closure reviews, ADR supersede links,
// and `file:line` of each part. Syncs the working tree first (unless the query says `sync: false`),
// then reads the mirror. Lines the mirror does not store (phases, dependencies, reviews) come from the
// file itself when it is this repository's and unchanged since the sync. Orchestration only.
import { isSourceFile } from '../model/source-file.js';
import { resolveQueryScope, type ShowQuery } from '../model/plan-query.js';
import {
  PLAN_VIEW_VERSION,
  type AdrDetailView,
  type ShowView,
  type TaskDetailView,
  type WorkstreamDetailView,
} from '../model/plan-views.js';
import { noWorkplanLines, readWorkplanLines, type WorkplanLines } from '../model/workplan-lines.js';
import { decodeSource } from '../parse/decode.js';
import { parseWorkplan } from '../parse/workplan.js';
import { formatAdrId, readAdrNumberFromId } from '../parse/adr-reference.js';
import { createWorkstreamResolver, describeDependencies, type DependencyWorkstream } from '../reconcile/dependency-state.js';
import { findAdrs, type AdrRow } from '../db/adr-queries.js';
import { readDependencies, readWorkstreamRefs } from '../db/dependency-queries.js';
import { readMirrorWorkstreams } from '../db/mirror-read.js';
import type { SqlExecutor } from '../db/sql-executor.js';
import { findTasks, listTaskRows, readClosureEntriesFor, readTaskBody } from '../db/task-queries.js';
import { findWorkstreams, listWorkstreamRows } from '../db/workstream-queries.js';
import type { PlanContext } from './plan-context.js';
import { blockedIdsOf, taskRanks, toAdrView, toTaskView, toWorkstreamView } from './query-plans.js';
import { refreshMirror, requireMirror } from './refresh-mirror.js';

type Element = ShowView['element'];

/** Shows the workplan, task or ADR named by `query.id`. */
export async function showElement(ctx: PlanContext, query: ShowQuery): Promise<ShowView> {
  const freshness = await refreshMirror(ctx, query.sync);
  const { db } = requireMirror(ctx);
  const scope = resolveQueryScope(query, ctx.repository.slug);
  const key = query.id;
  const adrNumber = /^adr[-_ ]?\d+$/i.test(key) ? readAdrNumberFromId(key) : undefined;
  const [workstreams, tasks, adrs] = await Promise.all([
    findWorkstreams(db, scope, key),
    findTasks(db, scope, key),
    findAdrs(db, scope, adrNumber !== undefined ? [key, formatAdrId(adrNumber)] : [key]),
  ]);
  const matches = [
    ...workstreams.map((m) => ({ kind: 'workplan' as const, id: m.id, repository: m.repository, location: `${m.path}:1` })),
    ...tasks.map((m) => ({ kind: 'task' as const, id: m.id, repository: m.repository, location: `${m.path}:${m.line}` })),
    ...adrs.map((m) => ({ kind: 'adr' as const, id: m.id, repository: m.repository, location: `${m.path}:1` })),
  ];
  let element: Element;
  if (matches.length === 0) element = { kind: 'not-found', id: key };
  else if (matches.length > 1) element = { kind: 'ambiguous', matches };
  else if (workstreams[0]) element = { kind: 'workplan', workplan: await readWorkstreamDetail(ctx, db, workstreams[0].uuid) };
  else if (tasks[0]) element = { kind: 'task', task: await readTaskDetail(ctx, db, tasks[0].uuid) };
  else element = { kind: 'adr', adr: await readAdrDetail(db, adrs[0]!) };
  return { version: PLAN_VIEW_VERSION, kind: 'show', scope: { repositories: scope }, element, freshness };
}

async function readWorkstreamDetail(ctx: PlanContext, db: SqlExecutor, uuid: string): Promise<WorkstreamDetailView> {
  const blockedIds = await blockedIdsOf(ctx);
  const { rows } = await listWorkstreamRows(db, {
    scope: 'all',
    ids: [uuid],
    blockedIds,
    openStatuses: taskRanks(ctx).openStatuses,
    statusOrder: ctx.config.vocabularies.workstreamStatus.values,
    sort: 'id',
    order: 'asc',
    limit: 1,
    offset: 0,
  });
  const row = rows[0]!;
  const [mirror] = await readMirrorWorkstreams(db, row.repositoryId, { ids: [uuid], fileIds: [], filePaths: [] });
  const lines = await readLocalLines(ctx, row.repository, row.path, mirror!.contentHash);
  const tasks = mirror!.tasks.filter((t) => !t.removed);
  const self: DependencyWorkstream = {
    uuid,
    id: row.id,
    title: row.title,
    status: row.status,
    repositoryId: row.repositoryId,
    repository: row.repository,
  };
  const fields = mirror!.fields;
  return {
    ...toWorkstreamView(row),
    topic: fields.topicSlug,
    summary: fields.summary,
    context: fields.context,
    notes: fields.notes,
    extra: JSON.parse(fields.extra) as Record<string, unknown>,
    phases: [...mirror!.phases]
      .sort((a, b) => a.position - b.position)
      .map((p) => ({
        number: p.number,
        title: p.title,
        line: lines.phases.get(p.number) ?? null,
        tasks: tasks
          .filter((t) => t.fields.phaseNumber === p.number)
          .map((t) => ({
            id: t.fields.fileId,
            label: t.fields.label,
            title: t.fields.title,
            status: t.fields.status,
            priority: t.fields.priority,
            line: t.fields.sourceLine,
          })),
      })),
    dependencies: await readDependencyViews(db, self, lines),
    closureReviews: [...mirror!.closureReviews]
      .sort((a, b) => a.position - b.position)
      .map((r) => ({
        date: r.reviewDate,
        outcome: r.outcome,
        context: r.context,
        line: lines.closureReviews.get(r.position) ?? null,
        entries: r.entries.map((e) => ({
          taskId: e.taskFileId,
          title: e.title,
          classification: e.classification,
          note: e.note,
          target: e.target,
        })),
      })),
  };
}

async function readTaskDetail(ctx: PlanContext, db: SqlExecutor, uuid: string): Promise<TaskDetailView> {
  const blockedIds = await blockedIdsOf(ctx);
  const { rows } = await listTaskRows(db, {
    ...taskRanks(ctx),
    scope: 'all',
    ids: [uuid],
    blockedIds,
    sort: 'id',
    order: 'asc',
    limit: 1,
    offset: 0,
  });
  const row = rows[0]!;
  const body = await readTaskBody(db, uuid);
  const self: DependencyWorkstream = {
    uuid: row.workstream.uuid,
    id: row.workstream.id,
    title: row.workstream.title,
    status: row.workstream.status,
    repositoryId: row.repositoryId,
    repository: row.repository,
  };
  const [mirror] = await readMirrorWorkstreams(db, row.repositoryId, { ids: [row.workstream.uuid], fileIds: [], filePaths: [] });
  const lines = await readLocalLines(ctx, row.repository, row.path, mirror?.contentHash);
  return {
    ...toTaskView(row),
    description: body?.description ?? '',
    extra: body?.extra ?? {},
    dependencies: await readDependencyViews(db, self, lines),
    closure: await readClosureEntriesFor(db, row.workstream.uuid, row.id),
  };
}

async function readAdrDetail(db: SqlExecutor, row: AdrRow): Promise<AdrDetailView> {
  const linked = await findAdrs(db, [row.repository], [...row.supersedes, ...row.supersededBy]);
  const link = (id: string) => {
    const target = linked.find((a) => a.id === id);
    return { id, title: target?.title ?? null, status: target?.status ?? null, path: target?.path ?? null };
  };
  return {
    ...toAdrView(row),
    decisionMakers: row.decisionMakers,
    extra: row.extra,
    links: { supersedes: row.supersedes.map(link), supersededBy: row.supersededBy.map(link) },
  };
}

async function readDependencyViews(db: SqlExecutor, self: DependencyWorkstream, lines: WorkplanLines) {
  const declared = await readDependencies(db, ['depends_on', 'blocks', 'related'], { sourceUuids: [self.uuid] });
  const incoming = await readDependencies(db, ['blocks'], { targetId: self.id });
  const named = await readWorkstreamRefs(db, [self.id, ...declared.flatMap((d) => d.targets)]);
  return describeDependencies(self, declared, incoming, createWorkstreamResolver(named), lines.dependencies);
}

/** Lines of the parts of a workplan file of this repository whose bytes are still what the mirror holds. */
async function readLocalLines(ctx: PlanContext, repository: string, path: string, contentHash: string | undefined): Promise<WorkplanLines> {
  if (repository !== ctx.repository.slug || contentHash === undefined) return noWorkplanLines();
  const read = await ctx.source.read(path, 'workplan', ctx.config).catch(() => undefined);
  if (!read || !isSourceFile(read) || read.hash !== contentHash) return noWorkplanLines();
  const decoded = decodeSource(path, read.bytes);
  const workplan = decoded.value ? parseWorkplan(path, decoded.value.text, ctx.config).value : undefined;
  return workplan ? readWorkplanLines(workplan) : noWorkplanLines();
}
