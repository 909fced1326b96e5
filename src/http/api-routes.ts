// The JSON API's list endpoints, one entry each: path, the plan call that answers it, its query
// parameters and its answer's schema. The Hono routes (app.ts) and the OpenAPI document (openapi.ts)
// are both generated from this table, so they cannot disagree.
import type { z } from 'zod';
import type { PlanCallName } from '../app/plan-calls.js';
import { adrListView, domainListView, eventListView, repositoryListView, taskListView, workstreamListView } from '../model/plan-views.js';
import { PARAMS, type ParamSpec } from './api-params.js';

export interface ListRoute {
  path: string;
  call: PlanCallName;
  summary: string;
  params: readonly ParamSpec[];
  response: z.ZodType;
  /** The OpenAPI component name of the answer. */
  schemaName: string;
}

const PAGE = [PARAMS.limit, PARAMS.offset] as const;

export const LIST_ROUTES: readonly ListRoute[] = [
  {
    path: '/api/domains',
    call: 'list-domains',
    summary: 'Domains with their figures (workstreams, tasks, stale tasks, ADRs by status).',
    params: [PARAMS.repo, PARAMS.sortDomains, ...PAGE],
    response: domainListView,
    schemaName: 'DomainList',
  },
  {
    path: '/api/repositories',
    call: 'list-repositories',
    summary: 'Repositories of the mirror with their row counts.',
    params: [PARAMS.repo, PARAMS.sortRepositories, ...PAGE],
    response: repositoryListView,
    schemaName: 'RepositoryList',
  },
  {
    path: '/api/workstreams',
    call: 'list-workstreams',
    summary: 'Workstreams (workplans), filtered and paged.',
    params: [PARAMS.repo, PARAMS.domain, PARAMS.workstreamStatus, PARAMS.blocked, PARAMS.sortWorkstreams, ...PAGE],
    response: workstreamListView,
    schemaName: 'WorkstreamList',
  },
  {
    path: '/api/tasks',
    call: 'list-tasks',
    summary: 'Tasks, filtered and paged.',
    params: [
      PARAMS.repo,
      PARAMS.domain,
      PARAMS.taskStatus,
      PARAMS.priority,
      PARAMS.stale,
      PARAMS.blocked,
      PARAMS.workstream,
      PARAMS.sortTasks,
      ...PAGE,
    ],
    response: taskListView,
    schemaName: 'TaskList',
  },
  {
    path: '/api/adrs',
    call: 'list-adrs',
    summary: 'ADRs, filtered and paged.',
    params: [PARAMS.repo, PARAMS.domain, PARAMS.adrStatus, PARAMS.sortAdrs, ...PAGE],
    response: adrListView,
    schemaName: 'AdrList',
  },
  {
    path: '/api/events',
    call: 'list-events',
    summary: 'Sync runs and cleanup runs, newest first.',
    params: [PARAMS.repo, PARAMS.eventKind, ...PAGE],
    response: eventListView,
    schemaName: 'EventList',
  },
];

/** The element endpoints (`show`): path prefix → the element kind it answers. */
export const ELEMENT_ROUTES = [
  {
    path: '/api/workstreams/:id',
    kind: 'workplan',
    summary: "One workstream: phases, tasks, dependencies with their targets' states, closure reviews.",
  },
  { path: '/api/tasks/:id', kind: 'task', summary: 'One task with its description, dependencies and closure entries.' },
  { path: '/api/adrs/:id', kind: 'adr', summary: 'One ADR with its supersede links.' },
] as const;
