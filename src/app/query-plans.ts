// The list questions: workstreams, tasks, ADRs, domains, repositories, and the next tasks to do.
// Each syncs the working tree first (refresh-mirror.ts; unless the query says `sync: false`), then
// reads one page from the mirror. Orchestration only: the SQL is in src/db, what blocks what in
// src/reconcile/dependency-state.ts, the shapes in src/model/plan-views.ts.
import { CLOSED_WORKSTREAM_STATUSES, OPEN_TASK_STATUSES } from '../model/config.js';
import { assembleDomainViews, domainSortKey, repositorySortKey, sortAndPage } from '../model/domain-figures.js';
import {
  FINISHED_WORKSTREAM_STATUSES,
  resolveQueryScope,
  type AdrQuery,
  type DomainQuery,
  type NextQuery,
  type RepositoryQuery,
  type TaskQuery,
  type WorkstreamQuery,
} from '../model/plan-query.js';
import {
  PLAN_VIEW_VERSION,
  type AdrListView,
  type AdrView,
  type DomainListView,
  type NextTasksView,
  type RepositoryListView,
  type TaskListView,
  type TaskView,
  type WorkstreamListView,
  type WorkstreamView,
} from '../model/plan-views.js';
import { createWorkstreamResolver, findBlockedWorkstreams } from '../reconcile/dependency-state.js';
import { listAdrRows, type AdrRow } from '../db/adr-queries.js';
import { readDependencies, readWorkstreamRefs, type WorkstreamRef } from '../db/dependency-queries.js';
import { readDependenciesAffecting, readWorkstreamRefsIn } from '../db/scoped-dependency-queries.js';
import { readDomainCounts, readRepositoryRows } from '../db/domain-queries.js';
import type { SqlExecutor } from '../db/sql-executor.js';
import { listTaskRows, type TaskRow, type TaskRowFilter } from '../db/task-queries.js';
import { listWorkstreamRows, type WorkstreamRow } from '../db/workstream-queries.js';
import type { PlanContext } from './plan-context.js';
import { refreshMirror, requireMirror } from './refresh-mirror.js';

/** Workstreams (workplans) matching the query, one page. */
export async function listWorkstreams(ctx: PlanContext, query: WorkstreamQuery): Promise<WorkstreamListView> {
  const freshness = await refreshMirror(ctx, query.sync);
  const { db } = requireMirror(ctx);
  const scope = resolveQueryScope(query, ctx.repository.slug);
  const page = await listWorkstreamRows(db, {
    scope,
    statuses: query.status,
    domains: query.domain,
    blockedIds: await blockedIdsOf(ctx, scope),
    blocked: query.blocked,
    openStatuses: OPEN_TASK_STATUSES,
    statusOrder: ctx.config.vocabularies.workstreamStatus.values,
    sort: query.sort,
    order: query.order,
    limit: query.limit,
    offset: query.offset,
  });
  return {
    version: PLAN_VIEW_VERSION,
    kind: 'workstreams',
    scope: { repositories: scope },
    total: page.total,
    limit: query.limit,
    offset: query.offset,
    items: page.rows.map(toWorkstreamView),
    freshness,
  };
}

/** Tasks matching the query, one page. */
export async function listTasks(ctx: PlanContext, query: TaskQuery): Promise<TaskListView> {
  const freshness = await refreshMirror(ctx, query.sync);
  const { db } = requireMirror(ctx);
  const scope = resolveQueryScope(query, ctx.repository.slug);
  const page = await listTaskRows(db, {
    ...taskRanks(ctx),
    scope,
    statuses: query.status,
    domains: query.domain,
    workstreams: query.workstream,
    priorities: query.priority,
    stale: query.stale,
    blockedIds: await blockedIdsOf(ctx, scope),
    blocked: query.blocked,
    sort: query.sort,
    order: query.order,
    limit: query.limit,
    offset: query.offset,
  });
  return {
    version: PLAN_VIEW_VERSION,
    kind: 'tasks',
    scope: { repositories: scope },
    total: page.total,
    limit: query.limit,
    offset: query.offset,
    items: page.rows.map(toTaskView),
    freshness,
  };
}

/**
 * What to do next: open tasks (todo, in_progress) whose workplan is neither finished nor blocked
 * (neither by its status nor by an unfinished dependency), most urgent first; at equal priority work
 * already in progress comes first, then file order.
 */
export async function nextTasks(ctx: PlanContext, query: NextQuery): Promise<NextTasksView> {
  const freshness = await refreshMirror(ctx, query.sync);
  const { db } = requireMirror(ctx);
  const scope = resolveQueryScope(query, ctx.repository.slug);
  const inactive = new Set<string>([...FINISHED_WORKSTREAM_STATUSES, 'blocked']);
  const ranks = taskRanks(ctx);
  const page = await listTaskRows(db, {
    ...ranks,
    // In progress before to do at equal priority.
    statusOrder: ['in_progress', 'todo'],
    scope,
    statuses: ['in_progress', 'todo'].filter((s) => ctx.config.vocabularies.taskStatus.values.includes(s)),
    domains: query.domain,
    workstreams: query.workstream,
    workstreamStatuses: ctx.config.vocabularies.workstreamStatus.values.filter((s) => !inactive.has(s)),
    blockedIds: await blockedIdsOf(ctx, scope),
    blocked: false,
    sort: 'priority',
    order: 'asc',
    limit: query.limit,
    offset: 0,
  });
  return {
    version: PLAN_VIEW_VERSION,
    kind: 'next',
    scope: { repositories: scope },
    total: page.total,
    limit: query.limit,
    offset: 0,
    items: page.rows.map(toTaskView),
    freshness,
  };
}

/** ADRs matching the query, one page. */
export async function listAdrs(ctx: PlanContext, query: AdrQuery): Promise<AdrListView> {
  const freshness = await refreshMirror(ctx, query.sync);
  const { db } = requireMirror(ctx);
  const scope = resolveQueryScope(query, ctx.repository.slug);
  const page = await listAdrRows(db, {
    scope,
    statuses: query.status,
    domains: query.domain,
    statusOrder: ctx.config.vocabularies.adrStatus.values,
    sort: query.sort,
    order: query.order,
    limit: query.limit,
    offset: query.offset,
  });
  return {
    version: PLAN_VIEW_VERSION,
    kind: 'adrs',
    scope: { repositories: scope },
    total: page.total,
    limit: query.limit,
    offset: query.offset,
    items: page.rows.map(toAdrView),
    freshness,
  };
}

/** Domains that have workplans in the scope, with their figures (the dashboard's summary). */
export async function listDomains(ctx: PlanContext, query: DomainQuery): Promise<DomainListView> {
  const freshness = await refreshMirror(ctx, query.sync);
  const { db } = requireMirror(ctx);
  const scope = resolveQueryScope(query, ctx.repository.slug);
  const counts = await readDomainCounts(db, scope, await blockedIdsOf(ctx, scope), OPEN_TASK_STATUSES, CLOSED_WORKSTREAM_STATUSES);
  const v = ctx.config.vocabularies;
  const views = assembleDomainViews(counts, OPEN_TASK_STATUSES, {
    workstream: v.workstreamStatus.values,
    task: v.taskStatus.values,
    adr: v.adrStatus.values,
  });
  const page = sortAndPage(views, domainSortKey(query.sort), (d) => d.slug, query);
  return {
    version: PLAN_VIEW_VERSION,
    kind: 'domains',
    scope: { repositories: scope },
    total: page.total,
    limit: query.limit,
    offset: query.offset,
    items: page.items,
    freshness,
  };
}

/** Repositories of the mirror in the scope, with their row counts. */
export async function listRepositories(ctx: PlanContext, query: RepositoryQuery): Promise<RepositoryListView> {
  const freshness = await refreshMirror(ctx, query.sync);
  const { db } = requireMirror(ctx);
  const scope = resolveQueryScope(query, ctx.repository.slug);
  const rows = await readRepositoryRows(db, scope, OPEN_TASK_STATUSES);
  const page = sortAndPage(rows, repositorySortKey(query.sort), (r) => r.slug, query);
  return {
    version: PLAN_VIEW_VERSION,
    kind: 'repositories',
    scope: { repositories: scope },
    total: page.total,
    limit: query.limit,
    offset: query.offset,
    items: page.items,
    freshness,
  };
}

/**
 * The blocked workstreams' uuids for a query: the context's memo when it has one (a long-lived
 * server keeps the whole mirror's per mirror version: reading every dependency costs more than most
 * pages, and the scoped answer is the whole one restricted to the scope), else read for the scope.
 */
export function blockedIdsOf(ctx: PlanContext, scope: string[] | 'all' = 'all'): Promise<string[]> {
  const { db } = requireMirror(ctx);
  return ctx.blockedIds ? ctx.blockedIds(db) : readBlockedWorkstreamIds(db, scope);
}

/**
 * The uuids of the workstreams an unfinished dependency keeps blocked: across the whole mirror, or
 * (exactly so for) the workstreams of the repositories in `scope`, reading only the dependencies that
 * can block them and looking a named id up in every repository only when its own repository lacks it
 * (a shared mirror of many repositories is not read whole for one of them: ADR 0016).
 */
export async function readBlockedWorkstreamIds(db: SqlExecutor, scope: string[] | 'all' = 'all'): Promise<string[]> {
  if (scope === 'all') {
    const dependencies = await readDependencies(db, ['depends_on', 'blocks']);
    const named = await readWorkstreamRefs(
      db,
      dependencies.flatMap((d) => d.targets),
    );
    return [...findBlockedWorkstreams(dependencies, createWorkstreamResolver(named))];
  }
  const dependencies = await readDependenciesAffecting(db, ['depends_on', 'blocks'], scope);
  const pairs = dependencies.flatMap((d) => d.targets.map((id) => ({ repositoryId: d.source.repositoryId, id })));
  const local = await readWorkstreamRefsIn(db, pairs);
  const found = new Set(local.map((w) => `${w.repositoryId}\0${w.id}`));
  const elsewhere = pairs.filter((p) => !found.has(`${p.repositoryId}\0${p.id}`)).map((p) => p.id);
  const named = new Map<string, WorkstreamRef>();
  for (const w of [...local, ...(await readWorkstreamRefs(db, elsewhere))]) named.set(w.uuid, w);
  return [...findBlockedWorkstreams(dependencies, createWorkstreamResolver([...named.values()]))];
}

/** The rank orders tasks are sorted by: the configured priorities and statuses, in their order. */
export function taskRanks(
  ctx: PlanContext,
): Pick<TaskRowFilter, 'openStatuses' | 'closedWorkstreamStatuses' | 'priorityOrder' | 'statusOrder'> {
  return {
    openStatuses: OPEN_TASK_STATUSES,
    closedWorkstreamStatuses: CLOSED_WORKSTREAM_STATUSES,
    priorityOrder: ctx.config.vocabularies.priority.values,
    statusOrder: ctx.config.vocabularies.taskStatus.values,
  };
}

export function toWorkstreamView(r: WorkstreamRow): WorkstreamView {
  return {
    id: r.id,
    uuid: r.uuid,
    title: r.title,
    status: r.status,
    domain: r.domain,
    repository: r.repository,
    owner: r.owner,
    created: r.created,
    updated: r.updated,
    completed: r.completed,
    path: r.path,
    location: `${r.path}:1`,
    tasks: r.tasks,
    blocked: r.blocked,
    syncedAt: r.syncedAt,
  };
}

export function toTaskView(r: TaskRow): TaskView {
  return {
    id: r.id,
    uuid: r.uuid,
    label: r.label,
    title: r.title,
    status: r.status,
    priority: r.priority,
    phase: r.phase,
    workstream: { id: r.workstream.id, title: r.workstream.title, status: r.workstream.status },
    domain: r.domain,
    repository: r.repository,
    path: r.path,
    line: r.line,
    location: `${r.path}:${r.line}`,
    stale: r.stale,
    blocked: r.blocked,
    updatedAt: r.updatedAt,
  };
}

export function toAdrView(r: AdrRow): AdrView {
  return {
    id: r.id,
    uuid: r.uuid,
    number: r.number,
    title: r.title,
    status: r.status,
    statusText: r.statusText,
    date: r.date,
    dateText: r.dateText,
    domain: r.domain,
    format: r.format,
    supersedes: r.supersedes,
    supersededBy: r.supersededBy,
    repository: r.repository,
    path: r.path,
    location: `${r.path}:1`,
  };
}
