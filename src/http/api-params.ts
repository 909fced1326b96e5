// Query strings → the input of a plan call (src/app/plan-calls.ts), and the 400 answer when they are
// wrong. Each route declares its parameters once (api-routes.ts); the OpenAPI document and the
// validation both come from that declaration. Values are checked by the call's own zod schema (the
// same as `workplan list`'s), so a wrong status names the repository's vocabulary.
import type { WorkplanConfig } from '../model/config.js';
import {
  ADR_SORT_KEYS,
  DOMAIN_SORT_KEYS,
  EVENT_KINDS,
  REPOSITORY_SORT_KEYS,
  TASK_SORT_KEYS,
  WORKSTREAM_SORT_KEYS,
} from '../model/plan-query.js';
import { planCallSchema, type PlanCallName } from '../app/plan-calls.js';

export type ParamKind = 'list' | 'boolean' | 'integer' | 'sort';

export interface ParamSpec {
  /** The query string's name, e.g. `repo`. */
  name: string;
  kind: ParamKind;
  /** The call's input field it fills, e.g. `repos`. */
  field: string;
  description: string;
  /** The values it accepts (for the 400 answer and the OpenAPI document); any when absent. */
  allowed?: (config: WorkplanConfig) => readonly string[];
}

/** One problem with a request's parameters. */
export interface ParamProblem {
  param: string;
  message: string;
  allowed?: readonly string[];
}

/** A request the API refuses with 400, naming each problem (and the allowed values). */
export class BadRequest extends Error {
  constructor(readonly problems: ParamProblem[]) {
    super(problems.map((p) => `${p.param}: ${p.message}`).join('; '));
  }
}

const vocab = (pick: (v: WorkplanConfig['vocabularies']) => { values: string[] }) => (config: WorkplanConfig) =>
  pick(config.vocabularies).values;
const sortAllowed = (keys: readonly string[]) => () => keys.flatMap((k) => [k, `${k}:desc`]);

export const PARAMS = {
  repo: {
    name: 'repo',
    kind: 'list',
    field: 'repos',
    description: 'Repository slugs (comma-separated or repeated); default: every repository of the mirror.',
  },
  domain: { name: 'domain', kind: 'list', field: 'domain', description: 'Domain slugs.' },
  workstreamStatus: {
    name: 'status',
    kind: 'list',
    field: 'status',
    description: 'Workstream statuses (aliases accepted).',
    allowed: vocab((v) => v.workstreamStatus),
  },
  taskStatus: {
    name: 'status',
    kind: 'list',
    field: 'status',
    description: 'Task statuses (aliases accepted).',
    allowed: vocab((v) => v.taskStatus),
  },
  adrStatus: {
    name: 'status',
    kind: 'list',
    field: 'status',
    description: 'Canonical ADR statuses (written words accepted).',
    allowed: vocab((v) => v.adrStatus),
  },
  priority: { name: 'priority', kind: 'list', field: 'priority', description: 'Task priorities.', allowed: vocab((v) => v.priority) },
  workstream: { name: 'workstream', kind: 'list', field: 'workstream', description: 'Workplan ids.' },
  stale: {
    name: 'stale',
    kind: 'boolean',
    field: 'stale',
    description: 'true: only open tasks of completed or archived workstreams; false: the others.',
    allowed: () => ['true', 'false'],
  },
  blocked: {
    name: 'blocked',
    kind: 'boolean',
    field: 'blocked',
    description: 'true: only those blocked by an unfinished dependency; false: the others.',
    allowed: () => ['true', 'false'],
  },
  eventKind: { name: 'kind', kind: 'list', field: 'kind', description: 'sync and/or cleanup.', allowed: () => EVENT_KINDS },
  limit: { name: 'limit', kind: 'integer', field: 'limit', description: 'Page size (default 100, at most 10000).' },
  offset: { name: 'offset', kind: 'integer', field: 'offset', description: 'Items to skip (default 0).' },
  sortWorkstreams: {
    name: 'sort',
    kind: 'sort',
    field: 'sort',
    description: 'Sort key, `:desc` for descending.',
    allowed: sortAllowed(WORKSTREAM_SORT_KEYS),
  },
  sortTasks: {
    name: 'sort',
    kind: 'sort',
    field: 'sort',
    description: 'Sort key, `:desc` for descending.',
    allowed: sortAllowed(TASK_SORT_KEYS),
  },
  sortAdrs: {
    name: 'sort',
    kind: 'sort',
    field: 'sort',
    description: 'Sort key, `:desc` for descending.',
    allowed: sortAllowed(ADR_SORT_KEYS),
  },
  sortDomains: {
    name: 'sort',
    kind: 'sort',
    field: 'sort',
    description: 'Sort key, `:desc` for descending.',
    allowed: sortAllowed(DOMAIN_SORT_KEYS),
  },
  sortRepositories: {
    name: 'sort',
    kind: 'sort',
    field: 'sort',
    description: 'Sort key, `:desc` for descending.',
    allowed: sortAllowed(REPOSITORY_SORT_KEYS),
  },
} satisfies Record<string, ParamSpec>;

/**
 * Reads a request's query string into a call's input: lists split on commas (or the parameter
 * repeated), booleans and integers parsed, `sort=key:desc` split into sort and order, no `repo` meaning
 * every repository. Unknown parameters are refused. The mirror is never synced by a request.
 */
export function readParams(query: URLSearchParams, specs: readonly ParamSpec[], config: WorkplanConfig): Record<string, unknown> {
  const input: Record<string, unknown> = { sync: false };
  const problems: ParamProblem[] = [];
  const known = new Map(specs.map((s) => [s.name, s]));
  for (const name of new Set(query.keys())) {
    const spec = known.get(name);
    if (!spec) {
      problems.push({
        param: name,
        message: `unknown parameter; use one of ${[...known.keys()].join(', ') || '(none)'}`,
        allowed: [...known.keys()],
      });
      continue;
    }
    const raw = query.getAll(name);
    const problem = readParam(spec, raw, input, config);
    if (problem) problems.push(problem);
  }
  if (known.has('repo') && input.repos === undefined) input.allRepos = true;
  if (problems.length > 0) throw new BadRequest(problems);
  return input;
}

function readParam(spec: ParamSpec, raw: string[], input: Record<string, unknown>, config: WorkplanConfig): ParamProblem | undefined {
  const allowed = spec.allowed?.(config);
  const last = raw[raw.length - 1]!.trim();
  switch (spec.kind) {
    case 'list': {
      const values = raw
        .flatMap((r) => r.split(','))
        .map((v) => v.trim())
        .filter((v) => v !== '');
      if (values.length > 0) input[spec.field] = values;
      return undefined;
    }
    case 'boolean':
      if (last !== 'true' && last !== 'false')
        return { param: spec.name, message: `"${last}" is not true or false`, allowed: ['true', 'false'] };
      input[spec.field] = last === 'true';
      return undefined;
    case 'integer':
      if (!/^\d{1,9}$/.test(last)) return { param: spec.name, message: `"${last}" is not a whole number` };
      input[spec.field] = Number(last);
      return undefined;
    case 'sort': {
      if (allowed && !allowed.includes(last))
        return { param: spec.name, message: `unknown sort "${last}"; use one of ${allowed.join(', ')}`, allowed };
      const [key, order] = last.split(':');
      input[spec.field] = key;
      if (order === 'desc') input.order = 'desc';
      return undefined;
    }
  }
}

/** Validates a call's input with its schema; a problem names the query parameter and the allowed values. */
export function validateParams(
  config: WorkplanConfig,
  call: PlanCallName,
  input: Record<string, unknown>,
  specs: readonly ParamSpec[],
): void {
  const parsed = planCallSchema(config, call).safeParse(input);
  if (parsed.success) return;
  const byField = new Map(specs.map((s) => [s.field, s]));
  throw new BadRequest(
    parsed.error.issues.map((issue) => {
      const spec = byField.get(String(issue.path[0] ?? ''));
      const allowed = spec?.allowed?.(config);
      return { param: spec?.name ?? issue.path.join('.'), message: issue.message, ...(allowed ? { allowed } : {}) };
    }),
  );
}
