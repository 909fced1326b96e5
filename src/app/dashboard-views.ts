// The dashboard's summary and "needs attention" panel (`GET /api/summary`, `GET /api/attention`):
// assembled from the same calls as `workplan list` (through a PlanReader), so their figures agree with
// the lists they link to. Orchestration only.
import { FINISHED_WORKSTREAM_STATUSES, MAX_QUERY_LIMIT } from '../model/plan-query.js';
import { PLAN_VIEW_VERSION, type DiagnosticView, type EventView } from '../model/plan-views.js';
import type { AttentionView, SummaryView } from '../model/dashboard-views.js';
import type { PlanReader } from './plan-reader.js';

/** Which repositories: the named ones, or all of them. */
export interface DashboardScope {
  repos?: string[];
}

const scopeInput = (scope: DashboardScope) => (scope.repos && scope.repos.length > 0 ? { repos: scope.repos } : { allRepos: true });

/** KPI figures over the scope, with each domain's and repository's. */
export async function readSummary(reader: PlanReader, scope: DashboardScope = {}): Promise<SummaryView> {
  const base = { ...scopeInput(scope), sync: false };
  const [domains, repositories, adrs] = await Promise.all([
    reader.call('list-domains', { ...base, limit: MAX_QUERY_LIMIT }),
    reader.call('list-repositories', { ...base, limit: MAX_QUERY_LIMIT }),
    countAdrsByStatus(reader, base),
  ]);
  const add = (into: Record<string, number>, from: Record<string, number>) => {
    for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
  };
  const workstreams = { total: 0, active: 0, completed: 0, blocked: 0, byStatus: {} as Record<string, number> };
  const tasks = { total: 0, open: 0, stale: 0, byStatus: {} as Record<string, number> };
  for (const d of domains.items) {
    workstreams.total += d.workstreams.total;
    workstreams.blocked += d.workstreams.blocked;
    add(workstreams.byStatus, d.workstreams.byStatus);
    tasks.total += d.tasks.total;
    tasks.open += d.tasks.open;
    tasks.stale += d.tasks.stale;
    add(tasks.byStatus, d.tasks.byStatus);
  }
  const finished = new Set<string>(FINISHED_WORKSTREAM_STATUSES);
  for (const [status, n] of Object.entries(workstreams.byStatus)) if (!finished.has(status)) workstreams.active += n;
  workstreams.completed = workstreams.byStatus.completed ?? 0;
  return {
    version: PLAN_VIEW_VERSION,
    kind: 'summary',
    scope: domains.scope,
    totals: { domains: domains.total, repositories: repositories.total, workstreams, tasks, adrs },
    domains: domains.items,
    repositories: repositories.items,
  };
}

/** ADRs per canonical status (one count per status: the list answers' `total`), `none` for the rest. */
async function countAdrsByStatus(
  reader: PlanReader,
  base: Record<string, unknown>,
): Promise<{ total: number; byStatus: Record<string, number> }> {
  const statuses = reader.config.vocabularies.adrStatus.values;
  const [all, ...each] = await Promise.all([
    reader.call('list-adrs', { ...base, limit: 1 }),
    ...statuses.map((status) => reader.call('list-adrs', { ...base, status: [status], limit: 1 })),
  ]);
  const byStatus: Record<string, number> = {};
  let counted = 0;
  statuses.forEach((status, i) => {
    const n = each[i]!.total;
    if (n > 0) byStatus[status] = n;
    counted += n;
  });
  if (all!.total > counted) byStatus.none = all!.total - counted;
  return { total: all!.total, byStatus };
}

/** How the server learns the errors of its repository's files (`workplan check`). */
export type ReadFileErrors = () => Promise<DiagnosticView[]>;

/** What needs a person's attention: stale tasks, files with errors, drift, the last cleanup. */
export async function readAttention(
  reader: PlanReader,
  readFileErrors: ReadFileErrors,
  scope: DashboardScope = {},
): Promise<AttentionView> {
  const base = { ...scopeInput(scope), sync: false };
  const [stale, syncs, cleanups, fileErrors] = await Promise.all([
    reader.call('list-tasks', { ...base, stale: true, limit: 50 }),
    reader.call('list-events', { ...base, kind: ['sync'], limit: 200 }),
    reader.call('list-events', { ...base, kind: ['cleanup'], limit: 1 }),
    readFileErrors(),
  ]);
  return {
    version: PLAN_VIEW_VERSION,
    kind: 'attention',
    staleTasks: { total: stale.total, items: stale.items },
    fileErrors,
    drift: latestPerRepository(syncs.items).filter((e) => (e.sync?.drifted ?? 0) > 0),
    lastCleanup: cleanups.items[0] ?? null,
  };
}

function latestPerRepository(events: EventView[]): EventView[] {
  const seen = new Set<string>();
  return events.filter((e) => !seen.has(e.repository) && seen.add(e.repository));
}
