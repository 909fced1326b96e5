// The questions the query use cases answer, as typed and validated filter objects: what
// `workplan list | show | next`, the MCP tools and the HTTP API accept (docs/queries.md). Pure: zod
// schemas built from the repository's configuration, so statuses and priorities are checked against
// its vocabularies (aliases accepted and normalised) and a wrong value names the allowed ones.
import { z } from 'zod';
import type { WorkplanConfig } from './config.js';
import { adrStatusSchema, vocabularyValueSchema } from './vocabulary-schema.js';

export const DEFAULT_QUERY_LIMIT = 100;
export const MAX_QUERY_LIMIT = 10_000;

export const WORKSTREAM_SORT_KEYS = ['id', 'title', 'status', 'domain', 'repository', 'updated', 'open-tasks'] as const;
export const TASK_SORT_KEYS = ['id', 'priority', 'status', 'workstream', 'title', 'domain', 'updated'] as const;
export const ADR_SORT_KEYS = ['id', 'number', 'title', 'status', 'date'] as const;
export const DOMAIN_SORT_KEYS = ['slug', 'workstreams', 'open-tasks'] as const;
export const REPOSITORY_SORT_KEYS = ['slug', 'last-synced', 'open-tasks'] as const;
/** What the mirror's history records: sync runs and cleanup runs (newest first). */
export const EVENT_KINDS = ['sync', 'cleanup'] as const;

/** Workstream statuses after which a workplan will not progress: a dependency on it is satisfied. */
export const FINISHED_WORKSTREAM_STATUSES = ['completed', 'archived', 'cancelled'] as const;

const names = z.array(z.string().trim().min(1));

/** Which repositories a question covers: this one (default), the named ones, or all of them. */
const scopeFields = {
  /** Repository slugs; default: the repository the command runs in. */
  repos: names.optional(),
  /** Every repository of the mirror (a shared Postgres mirror). */
  allRepos: z.boolean().default(false),
  /** Sync changed files into the mirror before answering (default true). */
  sync: z.boolean().default(true),
};

const pageFields = {
  limit: z.number().int().min(1).max(MAX_QUERY_LIMIT).default(DEFAULT_QUERY_LIMIT),
  offset: z.number().int().min(0).default(0),
};

const order = z.enum(['asc', 'desc']).default('asc');

/** The filter schemas for a repository's configuration. */
export function createPlanQuerySchemas(config: WorkplanConfig) {
  const v = config.vocabularies;
  const workstreamStatus = z.array(vocabularyValueSchema(v.workstreamStatus, 'workstream status'));
  const taskStatus = z.array(vocabularyValueSchema(v.taskStatus, 'task status'));
  const priority = z.array(vocabularyValueSchema(v.priority, 'priority'));
  return {
    workstreams: z.strictObject({
      ...scopeFields,
      status: workstreamStatus.optional(),
      domain: names.optional(),
      /** true: only workplans blocked by an unfinished dependency; false: only those that are not. */
      blocked: z.boolean().optional(),
      sort: z.enum(WORKSTREAM_SORT_KEYS).default('id'),
      order,
      ...pageFields,
    }),
    tasks: z.strictObject({
      ...scopeFields,
      status: taskStatus.optional(),
      domain: names.optional(),
      /** Workplan ids. */
      workstream: names.optional(),
      priority: priority.optional(),
      /** true: only open tasks of completed or archived workstreams; false: only the others. */
      stale: z.boolean().optional(),
      /** true: only tasks whose workstream is blocked by an unfinished dependency; false: only the others. */
      blocked: z.boolean().optional(),
      sort: z.enum(TASK_SORT_KEYS).default('id'),
      order,
      ...pageFields,
    }),
    adrs: z.strictObject({
      ...scopeFields,
      status: z.array(adrStatusSchema(v.adrStatus)).optional(),
      domain: names.optional(),
      sort: z.enum(ADR_SORT_KEYS).default('id'),
      order,
      ...pageFields,
    }),
    domains: z.strictObject({ ...scopeFields, sort: z.enum(DOMAIN_SORT_KEYS).default('slug'), order, ...pageFields }),
    repositories: z.strictObject({ ...scopeFields, sort: z.enum(REPOSITORY_SORT_KEYS).default('slug'), order, ...pageFields }),
    next: z.strictObject({
      ...scopeFields,
      domain: names.optional(),
      workstream: names.optional(),
      limit: pageFields.limit.default(10),
    }),
    events: z.strictObject({
      ...scopeFields,
      /** Only these kinds of run (default both). */
      kind: z.array(z.enum(EVENT_KINDS)).optional(),
      ...pageFields,
    }),
    /** A token that changes whenever the mirror does (a sync applied something, a cleanup ran). */
    mirrorVersion: z.strictObject({}),
    show: z.strictObject({
      ...scopeFields,
      /** A workplan id, task id or ADR id (`ADR-7`, `adr-0007`), or a workplan or ADR file path. */
      id: z.string().trim().min(1),
    }),
  };
}

export type PlanQuerySchemas = ReturnType<typeof createPlanQuerySchemas>;
export type WorkstreamQuery = z.output<PlanQuerySchemas['workstreams']>;
export type TaskQuery = z.output<PlanQuerySchemas['tasks']>;
export type AdrQuery = z.output<PlanQuerySchemas['adrs']>;
export type DomainQuery = z.output<PlanQuerySchemas['domains']>;
export type RepositoryQuery = z.output<PlanQuerySchemas['repositories']>;
export type NextQuery = z.output<PlanQuerySchemas['next']>;
export type ShowQuery = z.output<PlanQuerySchemas['show']>;
export type EventQuery = z.output<PlanQuerySchemas['events']>;
/** What callers may pass (defaults filled in by the schema). */
export type WorkstreamQueryInput = z.input<PlanQuerySchemas['workstreams']>;
export type TaskQueryInput = z.input<PlanQuerySchemas['tasks']>;
export type AdrQueryInput = z.input<PlanQuerySchemas['adrs']>;
export type DomainQueryInput = z.input<PlanQuerySchemas['domains']>;
export type RepositoryQueryInput = z.input<PlanQuerySchemas['repositories']>;
export type NextQueryInput = z.input<PlanQuerySchemas['next']>;
export type ShowQueryInput = z.input<PlanQuerySchemas['show']>;
export type EventQueryInput = z.input<PlanQuerySchemas['events']>;

/** The repositories a question covers, resolved: `all`, or slugs. */
export function resolveQueryScope(query: { repos?: string[] | undefined; allRepos: boolean }, current: string): string[] | 'all' {
  if (query.allRepos) return 'all';
  if (query.repos && query.repos.length > 0) return [...new Set(query.repos)];
  return [current];
}
