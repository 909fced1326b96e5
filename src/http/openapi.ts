// The OpenAPI 3.1 document of the JSON API (`GET /api/openapi.json`), generated from the route table
// (api-routes.ts) and the answers' zod schemas (src/model/plan-views.ts, dashboard-views.ts): what is
// documented is what is validated and answered.
import { z } from 'zod';
import type { WorkplanConfig } from '../model/config.js';
import { attentionView, summaryView } from '../model/dashboard-views.js';
import { editView } from '../model/edit-views.js';
import { adrDetailView, domainView, taskDetailView, workstreamDetailView, PLAN_VIEW_VERSION } from '../model/plan-views.js';
import type { ParamSpec } from './api-params.js';
import { ELEMENT_ROUTES, LIST_ROUTES } from './api-routes.js';

type Json = Record<string, unknown>;

const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    hint: z.string().optional(),
    problems: z.array(z.object({ param: z.string(), message: z.string(), allowed: z.array(z.string()).optional() })).optional(),
  }),
});

const toSchema = (schema: z.ZodType): Json => z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Json;
const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (description: string, schema: Json): Json => ({ description, content: { 'application/json': { schema } } });
const ERRORS = {
  '400': json('Bad parameters (each problem names the allowed values).', ref('Error')),
  '503': json('The mirror is unreachable.', ref('Error')),
};

function parameter(spec: ParamSpec, config: WorkplanConfig): Json {
  const allowed = spec.allowed?.(config);
  const item: Json =
    spec.kind === 'integer'
      ? { type: 'integer', minimum: 0 }
      : spec.kind === 'boolean'
        ? { type: 'boolean' }
        : { type: 'string', ...(allowed ? { enum: [...allowed] } : {}) };
  const schema = spec.kind === 'list' ? { type: 'array', items: item } : item;
  return {
    name: spec.name,
    in: 'query',
    required: false,
    description: spec.description,
    schema,
    ...(spec.kind === 'list' ? { style: 'form', explode: false } : {}),
  };
}

const idParam = (name: string, description: string): Json => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});
const repoParam = (config: WorkplanConfig) =>
  parameter({ name: 'repo', kind: 'list', field: 'repos', description: 'Repository slugs; default: all.' }, config);

/** The API's OpenAPI document for a repository's configuration (its vocabularies are the enums). */
export function buildOpenApiDocument(config: WorkplanConfig, options: { allowWrites: boolean }): Json {
  const paths: Record<string, Json> = {};
  const schemas: Record<string, Json> = { Error: toSchema(errorSchema) };
  for (const route of LIST_ROUTES) {
    schemas[route.schemaName] = toSchema(route.response);
    paths[route.path] = {
      get: {
        summary: route.summary,
        parameters: route.params.map((p) => parameter(p, config)),
        responses: { '200': json('One page; `total` counts every match.', ref(route.schemaName)), ...ERRORS },
      },
    };
  }
  schemas.Summary = toSchema(summaryView);
  schemas.Attention = toSchema(attentionView);
  paths['/api/summary'] = {
    get: {
      summary: 'KPI figures, per domain and per repository.',
      parameters: [repoParam(config)],
      responses: { '200': json('The summary.', ref('Summary')), ...ERRORS },
    },
  };
  paths['/api/attention'] = {
    get: {
      summary: 'Stale tasks, files with errors, drift found by the last syncs, the last cleanup.',
      parameters: [repoParam(config)],
      responses: { '200': json('What needs attention.', ref('Attention')), ...ERRORS },
    },
  };
  schemas.Domain = toSchema(z.object({ version: z.literal(PLAN_VIEW_VERSION), kind: z.literal('domain'), domain: domainView }));
  paths['/api/domains/{slug}'] = {
    get: {
      summary: 'One domain with its figures.',
      parameters: [idParam('slug', 'The domain slug.'), repoParam(config)],
      responses: { '200': json('The domain.', ref('Domain')), '404': json('No such domain.', ref('Error')) },
    },
  };
  const details = {
    workplan: ['Workstream', 'workstream', workstreamDetailView],
    task: ['Task', 'task', taskDetailView],
    adr: ['Adr', 'adr', adrDetailView],
  } as const;
  for (const route of ELEMENT_ROUTES) {
    const [name, key, view] = details[route.kind];
    schemas[name] = toSchema(z.object({ version: z.literal(PLAN_VIEW_VERSION), kind: z.literal(key), [key]: view }));
    paths[route.path.replace(':id', '{id}')] = {
      get: {
        summary: route.summary,
        parameters: [idParam('id', 'The element id, e.g. CORE-WP-0001.'), repoParam(config)],
        responses: {
          '200': json(`The ${key}.`, ref(name)),
          '404': json('Unknown id.', ref('Error')),
          '409': json('The id names elements of several repositories; add ?repo=.', ref('Error')),
        },
      },
    };
  }
  if (options.allowWrites) {
    schemas.Edit = toSchema(editView);
    const tasks = (paths['/api/tasks/{id}'] ??= {});
    tasks.patch = {
      summary: "Set a task's status and/or priority in its workplan file (file-first, as `workplan set`), then sync it.",
      security: [{ bearer: [] }],
      parameters: [idParam('id', 'The task id.')],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              additionalProperties: false,
              properties: {
                status: { type: 'string', enum: config.vocabularies.taskStatus.values },
                priority: { type: 'string', enum: config.vocabularies.priority.values },
              },
            },
          },
        },
      },
      responses: {
        '200': json('Written (or already so).', ref('Edit')),
        '401': json('No or wrong token.', ref('Error')),
        '404': json('No such task in the files.', ref('Edit')),
        '409': json('The file changed meanwhile; nothing was written.', ref('Error')),
        '422': json('Refused (the result would have errors).', ref('Edit')),
        ...ERRORS,
      },
    };
  }
  paths['/api/live'] = {
    get: {
      summary: 'Server-sent events: `hello` then `mirror` with the new version token whenever the mirror changes.',
      responses: { '200': { description: 'An event stream.', content: { 'text/event-stream': { schema: { type: 'string' } } } } },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'workplan serve',
      version: String(PLAN_VIEW_VERSION),
      description: 'The plans mirror, read through the same calls as `workplan list` (docs/serve.md).',
    },
    paths,
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  };
}
