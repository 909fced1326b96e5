// The mirror's history (`GET /api/events`, the dashboard's sync chart and "needs attention" panel):
// sync runs and cleanup runs, newest first; and the mirror's version token, which live updates poll.
// Orchestration only: the SQL is in src/db/event-queries.ts.
import { resolveQueryScope, EVENT_KINDS, type EventQuery } from '../model/plan-query.js';
import { PLAN_VIEW_VERSION, type EventListView, type EventView, type MirrorVersionView } from '../model/plan-views.js';
import { listEventRows, readMirrorVersion, type EventRow } from '../db/event-queries.js';
import { CLEANUP_EVENT_KIND } from './cleanup.js';
import type { PlanContext } from './plan-context.js';
import { refreshMirror, requireMirror } from './refresh-mirror.js';

/** Sync and cleanup runs matching the query, newest first, one page. */
export async function listEvents(ctx: PlanContext, query: EventQuery): Promise<EventListView> {
  const freshness = await refreshMirror(ctx, query.sync);
  const { db } = requireMirror(ctx);
  const scope = resolveQueryScope(query, ctx.repository.slug);
  const page = await listEventRows(db, {
    scope,
    kinds: query.kind ?? EVENT_KINDS,
    cleanupEventKind: CLEANUP_EVENT_KIND,
    limit: query.limit,
    offset: query.offset,
  });
  return {
    version: PLAN_VIEW_VERSION,
    kind: 'events',
    scope: { repositories: scope },
    total: page.total,
    limit: query.limit,
    offset: query.offset,
    items: page.rows.map(toEventView),
    freshness,
  };
}

/** The mirror's version token (never syncs: it is asked often, to notice changes others made). */
export async function readMirrorVersionCall(ctx: PlanContext): Promise<MirrorVersionView> {
  return { version: PLAN_VIEW_VERSION, kind: 'mirror-version', token: await readMirrorVersion(requireMirror(ctx).db) };
}

export function toEventView(r: EventRow): EventView {
  if (r.kind === 'sync' && r.counts) {
    const c = r.counts;
    const parts = [`${c.created} created`, `${c.updated} updated`, `${c.removed} removed`];
    if (c.drifted > 0) parts.push(`${c.drifted} drifted`);
    if (c.idsAssigned > 0) parts.push(`${c.idsAssigned} ids assigned`);
    const durationMs = r.startedAt ? Math.max(0, Date.parse(r.at) - Date.parse(r.startedAt)) : 0;
    return {
      kind: 'sync',
      id: r.id,
      repository: r.repository,
      at: r.at,
      trigger: r.trigger,
      summary: `sync of ${c.filesChanged} changed file${c.filesChanged === 1 ? '' : 's'}: ${parts.join(', ')}`,
      sync: { durationMs, ...c, gitCommit: r.gitCommit },
      cleanup: null,
    };
  }
  const totals: Record<string, number> = {};
  const recorded = r.payload.totals;
  if (recorded && typeof recorded === 'object') {
    for (const [key, value] of Object.entries(recorded as Record<string, unknown>)) if (typeof value === 'number') totals[key] = value;
  }
  return {
    kind: 'cleanup',
    id: r.id,
    repository: r.repository,
    at: r.at,
    trigger: r.trigger,
    summary: r.summary ?? 'cleanup',
    sync: null,
    cleanup: { date: typeof r.payload.date === 'string' ? r.payload.date : null, totals },
  };
}
