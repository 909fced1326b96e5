// What the dashboard's own endpoints answer (`GET /api/summary`, `GET /api/attention`, docs/serve.md):
// figures and lists assembled from the query calls' answers. Pure: zod schemas (the OpenAPI document
// is generated from them) and the types inferred from them.
import { z } from 'zod';
import { diagnosticView, domainView, eventView, repositoryView, scopeView, taskView, PLAN_VIEW_VERSION } from './plan-views.js';

const countsByStatus = z.record(z.string(), z.number().int());

export const summaryView = z.object({
  version: z.literal(PLAN_VIEW_VERSION),
  kind: z.literal('summary'),
  scope: scopeView,
  totals: z.object({
    domains: z.number().int(),
    repositories: z.number().int(),
    /** `active`: not finished (neither completed, archived nor cancelled). */
    workstreams: z.object({
      total: z.number().int(),
      active: z.number().int(),
      completed: z.number().int(),
      blocked: z.number().int(),
      byStatus: countsByStatus,
    }),
    tasks: z.object({ total: z.number().int(), open: z.number().int(), stale: z.number().int(), byStatus: countsByStatus }),
    /** Every ADR of the scope (also those without a domain); `none`: no canonical status. */
    adrs: z.object({ total: z.number().int(), byStatus: countsByStatus }),
  }),
  /** The figures of each domain (as `GET /api/domains`). */
  domains: z.array(domainView),
  repositories: z.array(repositoryView),
});
export type SummaryView = z.infer<typeof summaryView>;

export const attentionView = z.object({
  version: z.literal(PLAN_VIEW_VERSION),
  kind: z.literal('attention'),
  /** Open tasks of completed or archived workstreams (`workplan cleanup` cancels them); the first page. */
  staleTasks: z.object({ total: z.number().int(), items: z.array(taskView) }),
  /** Errors in the files of the repository the server runs in: their rows are as of their last good sync. */
  fileErrors: z.array(diagnosticView),
  /** Each repository's latest sync, where it restored rows changed behind the files' back. */
  drift: z.array(eventView),
  /** The latest cleanup run, and what it did; null when none ran. */
  lastCleanup: eventView.nullable(),
});
export type AttentionView = z.infer<typeof attentionView>;
