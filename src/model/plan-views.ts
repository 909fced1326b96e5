// What the query and edit use cases answer: the documented, stable JSON shapes of `workplan list`,
// `show`, `next`, the edit commands, the MCP tools and (later) the HTTP API (docs/queries.md).
// Pure: zod schemas and the types inferred from them. The schemas are what the MCP server declares as
// each tool's output schema, so a shape that drifts from its documentation fails its tests.
// Every top-level answer carries `version` (PLAN_VIEW_VERSION): a field is never renamed or given
// another meaning within a version; new fields may be added.
import { z } from 'zod';
import type { Diagnostic } from './diagnostic.js';

/** The version of every answer's shape; bumped only for an incompatible change. */
export const PLAN_VIEW_VERSION = 1 as const;

const version = z.literal(PLAN_VIEW_VERSION);

/** A diagnostic as JSON (the same shape as `workplan check --json`, docs/format.md). */
export const diagnosticView = z.object({
  path: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  endLine: z.number().int(),
  endColumn: z.number().int(),
  offset: z.number().int(),
  endOffset: z.number().int(),
  severity: z.enum(['error', 'warning']),
  ruleId: z.string(),
  message: z.string(),
  hint: z.string().optional(),
});
export type DiagnosticView = z.infer<typeof diagnosticView>;

/** A Diagnostic as its JSON view. */
export function toDiagnosticView(d: Diagnostic): DiagnosticView {
  return {
    path: d.path,
    line: d.span.start.line,
    column: d.span.start.column,
    endLine: d.span.end.line,
    endColumn: d.span.end.column,
    offset: d.span.start.offset,
    endOffset: d.span.end.offset,
    severity: d.severity,
    ruleId: d.ruleId,
    message: d.message,
    ...(d.hint ? { hint: d.hint } : {}),
  };
}

/** How current the answer is: the sync that ran before it (or why none ran). */
export const freshnessView = z.object({
  /** True when the files were synced into the mirror right before the answer was read. */
  synced: z.boolean(),
  /** `applied` (the mirror changed), `noop`, `skipped` (--no-sync) or `refused` (the sync refused, e.g. mass removal). */
  outcome: z.enum(['applied', 'noop', 'skipped', 'refused']),
  /** Files read and parsed because they changed (or drifted) since the last sync. */
  changedFiles: z.number().int(),
  /** Errors in files that could not be synced: their rows are as of their last good sync. */
  errors: z.array(diagnosticView),
  /** Why the sync refused, when it did. */
  message: z.string().optional(),
});
export type FreshnessView = z.infer<typeof freshnessView>;

/** Which repositories an answer covers: the slugs, or every repository of the mirror. */
export const scopeView = z.object({ repositories: z.union([z.array(z.string()), z.literal('all')]) });
export type ScopeView = z.infer<typeof scopeView>;

const countsByStatus = z.record(z.string(), z.number().int());

export const workstreamView = z.object({
  id: z.string(),
  uuid: z.string(),
  title: z.string(),
  status: z.string(),
  domain: z.string(),
  repository: z.string(),
  owner: z.string().nullable(),
  created: z.string().nullable(),
  updated: z.string().nullable(),
  completed: z.string().nullable(),
  path: z.string(),
  /** `path:line` of the element (line 1: the file is the workplan). */
  location: z.string(),
  tasks: z.object({ total: z.number().int(), open: z.number().int(), byStatus: countsByStatus }),
  /** Some workplan it depends on is not finished (docs/queries.md, "Blocked"). */
  blocked: z.boolean(),
  syncedAt: z.string(),
});
export type WorkstreamView = z.infer<typeof workstreamView>;

export const taskView = z.object({
  id: z.string(),
  uuid: z.string(),
  label: z.string(),
  title: z.string(),
  status: z.string(),
  priority: z.string(),
  phase: z.object({ number: z.number().int(), title: z.string() }).nullable(),
  workstream: z.object({ id: z.string(), title: z.string(), status: z.string() }),
  domain: z.string(),
  repository: z.string(),
  path: z.string(),
  line: z.number().int(),
  location: z.string(),
  /** Open in a completed or archived workstream. */
  stale: z.boolean(),
  /** Its workstream depends on a workplan that is not finished. */
  blocked: z.boolean(),
  updatedAt: z.string(),
});
export type TaskView = z.infer<typeof taskView>;

export const adrView = z.object({
  id: z.string(),
  uuid: z.string(),
  /** Null for an ADR known by its slug. */
  number: z.number().int().nullable(),
  title: z.string(),
  /** The canonical status; null when none is written or the written word is not in the vocabulary. */
  status: z.string().nullable(),
  /** The status as written. */
  statusText: z.string().nullable(),
  /** YYYY-MM-DD; null when none or unreadable. */
  date: z.string().nullable(),
  /** The date as written. */
  dateText: z.string().nullable(),
  domain: z.string().nullable(),
  format: z.string(),
  supersedes: z.array(z.string()),
  supersededBy: z.array(z.string()),
  repository: z.string(),
  path: z.string(),
  location: z.string(),
});
export type AdrView = z.infer<typeof adrView>;

export const domainView = z.object({
  slug: z.string(),
  name: z.string(),
  status: z.string(),
  repositories: z.array(z.string()),
  workstreams: z.object({ total: z.number().int(), byStatus: countsByStatus, blocked: z.number().int() }),
  tasks: z.object({ total: z.number().int(), open: z.number().int(), stale: z.number().int(), byStatus: countsByStatus }),
  adrs: z.object({ total: z.number().int(), byStatus: countsByStatus }),
});
export type DomainView = z.infer<typeof domainView>;

export const repositoryView = z.object({
  slug: z.string(),
  root: z.string(),
  remoteUrl: z.string().nullable(),
  lastSyncedAt: z.string().nullable(),
  workstreams: z.number().int(),
  tasks: z.number().int(),
  openTasks: z.number().int(),
  adrs: z.number().int(),
});
export type RepositoryView = z.infer<typeof repositoryView>;

/** One run in the mirror's history: a sync that changed it, or a cleanup run (`cleanup.summary` event). */
export const eventView = z.object({
  kind: z.enum(['sync', 'cleanup']),
  id: z.string(),
  repository: z.string(),
  /** When it finished (ISO 8601). */
  at: z.string(),
  /** `cli`, `hook`, `watch`, `schedule`, `mcp`, `http`; null when not recorded. */
  trigger: z.string().nullable(),
  /** One line: what it did. */
  summary: z.string(),
  /** A sync's figures (null for a cleanup). */
  sync: z
    .object({
      durationMs: z.number().int(),
      filesScanned: z.number().int(),
      filesChanged: z.number().int(),
      created: z.number().int(),
      updated: z.number().int(),
      removed: z.number().int(),
      /** Rows changed behind the files' back, restored from their files. */
      drifted: z.number().int(),
      idsAssigned: z.number().int(),
      gitCommit: z.string().nullable(),
    })
    .nullable(),
  /** A cleanup's totals as it recorded them (null for a sync). */
  cleanup: z.object({ date: z.string().nullable(), totals: z.record(z.string(), z.number()) }).nullable(),
});
export type EventView = z.infer<typeof eventView>;

/** The token of the mirror's state (changes whenever a sync applies something or a cleanup runs). */
export const mirrorVersionView = z.object({ version, kind: z.literal('mirror-version'), token: z.string() });
export type MirrorVersionView = z.infer<typeof mirrorVersionView>;

/** One page of a list answer. `total` counts every match, not only this page. */
function pageOf<K extends string, T extends z.ZodType>(kind: K, item: T) {
  return z.object({
    version,
    kind: z.literal(kind),
    scope: scopeView,
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    items: z.array(item),
    freshness: freshnessView,
  });
}

export const workstreamListView = pageOf('workstreams', workstreamView);
export const taskListView = pageOf('tasks', taskView);
export const adrListView = pageOf('adrs', adrView);
export const domainListView = pageOf('domains', domainView);
export const repositoryListView = pageOf('repositories', repositoryView);
export const nextTasksView = pageOf('next', taskView);
export const eventListView = pageOf('events', eventView);
export type EventListView = z.infer<typeof eventListView>;
export type WorkstreamListView = z.infer<typeof workstreamListView>;
export type TaskListView = z.infer<typeof taskListView>;
export type AdrListView = z.infer<typeof adrListView>;
export type DomainListView = z.infer<typeof domainListView>;
export type RepositoryListView = z.infer<typeof repositoryListView>;
export type NextTasksView = z.infer<typeof nextTasksView>;

/** A workplan named by a dependency, with the state the dependency is judged by. */
export const dependencyTargetView = z.object({
  id: z.string(),
  title: z.string().nullable(),
  status: z.string().nullable(),
  repository: z.string().nullable(),
  /** `finished` (completed, archived or cancelled), `open`, or `unknown` (not in the mirror). */
  state: z.enum(['finished', 'open', 'unknown']),
});
export type DependencyTargetView = z.infer<typeof dependencyTargetView>;

export const dependencyView = z.object({
  /** `outgoing`: written in this workplan. `incoming`: another workplan's `Blocks:` naming this one. */
  direction: z.enum(['outgoing', 'incoming']),
  kind: z.string(),
  text: z.string(),
  /** For outgoing dependencies the workplans named; for incoming ones the workplan that wrote it. */
  targets: z.array(dependencyTargetView),
  /** True when this dependency keeps the workplan blocked. */
  blocking: z.boolean(),
  line: z.number().int().nullable(),
});
export type DependencyView = z.infer<typeof dependencyView>;

export const closureEntryView = z.object({
  taskId: z.string(),
  title: z.string(),
  classification: z.string(),
  note: z.string().nullable(),
  target: z.string().nullable(),
});

export const closureReviewView = z.object({
  date: z.string(),
  outcome: z.string().nullable(),
  context: z.string().nullable(),
  line: z.number().int().nullable(),
  entries: z.array(closureEntryView),
});
export type ClosureReviewView = z.infer<typeof closureReviewView>;

const taskBrief = z.object({
  id: z.string(),
  label: z.string(),
  title: z.string(),
  status: z.string(),
  priority: z.string(),
  line: z.number().int(),
});

export const workstreamDetailView = workstreamView.extend({
  topic: z.string().nullable(),
  summary: z.string().nullable(),
  context: z.string().nullable(),
  notes: z.string().nullable(),
  extra: z.record(z.string(), z.unknown()),
  phases: z.array(z.object({ number: z.number().int(), title: z.string(), line: z.number().int().nullable(), tasks: z.array(taskBrief) })),
  dependencies: z.array(dependencyView),
  closureReviews: z.array(closureReviewView),
});
export type WorkstreamDetailView = z.infer<typeof workstreamDetailView>;

export const taskDetailView = taskView.extend({
  description: z.string(),
  extra: z.record(z.string(), z.unknown()),
  /** The dependencies of its workstream (they decide `blocked`). */
  dependencies: z.array(dependencyView),
  /** Closure Review entries that classify this task. */
  closure: z.array(closureEntryView.extend({ reviewDate: z.string() })),
});
export type TaskDetailView = z.infer<typeof taskDetailView>;

const adrLinkView = z.object({ id: z.string(), title: z.string().nullable(), status: z.string().nullable(), path: z.string().nullable() });

export const adrDetailView = adrView.extend({
  decisionMakers: z.array(z.string()),
  extra: z.record(z.string(), z.unknown()),
  links: z.object({ supersedes: z.array(adrLinkView), supersededBy: z.array(adrLinkView) }),
});
export type AdrDetailView = z.infer<typeof adrDetailView>;

/** `workplan show`: one element, or the candidates when the id names several. */
export const showView = z.object({
  version,
  kind: z.literal('show'),
  scope: scopeView,
  element: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('workplan'), workplan: workstreamDetailView }),
    z.object({ kind: z.literal('task'), task: taskDetailView }),
    z.object({ kind: z.literal('adr'), adr: adrDetailView }),
    z.object({
      kind: z.literal('ambiguous'),
      matches: z.array(
        z.object({ kind: z.enum(['workplan', 'task', 'adr']), id: z.string(), repository: z.string(), location: z.string() }),
      ),
    }),
    z.object({ kind: z.literal('not-found'), id: z.string() }),
  ]),
  freshness: freshnessView,
});
export type ShowView = z.infer<typeof showView>;
