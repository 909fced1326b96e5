// The JSON API of `workplan serve` (docs/serve.md): Hono routes over a PlanReader, i.e. the same
// calls as `workplan list | show | set`. Answers have the shapes of `--json`; errors are JSON
// `{error: {code, message, hint?, problems?}}` with 400 (bad parameters, naming the allowed values),
// 401, 404 (unknown ids), 409, 503. The answers of GET carry ETags (304 when unchanged).
import { Hono, type Context } from 'hono';
import { etag } from 'hono/etag';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { readAttention, readSummary, type ReadFileErrors } from '../app/dashboard-views.js';
import type { PlanCallName } from '../app/plan-calls.js';
import type { PlanReader } from '../app/plan-reader.js';
import type { WorkplanConfig } from '../model/config.js';
import { isSyncError } from '../model/errors.js';
import { MAX_QUERY_LIMIT } from '../model/plan-query.js';
import { PLAN_VIEW_VERSION, type ShowView } from '../model/plan-views.js';
import { BadRequest, PARAMS, readParams, validateParams, type ParamSpec } from './api-params.js';
import { ELEMENT_ROUTES, LIST_ROUTES } from './api-routes.js';
import type { MirrorChangeFeed } from './live-updates.js';
import { buildOpenApiDocument } from './openapi.js';

export interface ApiOptions {
  reader: PlanReader;
  readFileErrors: ReadFileErrors;
  feed: MirrorChangeFeed;
  /** PATCH /api/tasks/:id is routed (the access check is the caller's). */
  allowWrites: boolean;
  /** Seconds between SSE keep-alive comments (default 15). */
  keepAliveSeconds?: number;
  /** Told of unexpected errors (their messages are not sent to clients). */
  onUnexpectedError?: (error: unknown) => void;
}

/** The API's routes, to mount at `/`. */
export function createApiApp(options: ApiOptions): Hono {
  const { reader } = options;
  const config = reader.config;
  const api = new Hono();
  // ETags on every JSON answer; the event stream is not buffered for a digest.
  const withEtag = etag();
  api.use('/api/*', async (c, next) => (c.req.path === '/api/live' ? next() : withEtag(c, next)));
  api.use('/api/*', async (c, next) => {
    await next();
    if (c.req.path !== '/api/live') c.header('Cache-Control', 'no-cache');
  });

  const openapi = buildOpenApiDocument(reader.config, { allowWrites: options.allowWrites });
  api.get('/api/openapi.json', (c) => c.json(openapi));

  for (const route of LIST_ROUTES) {
    api.get(route.path, async (c) => c.json(await reader.call(route.call, checkedInput(c, config, route.call, route.params) as never)));
  }

  const summaryParams = [PARAMS.repo];
  api.get('/api/summary', async (c) => c.json(await readSummary(reader, scopeOf(c, config, summaryParams))));
  api.get('/api/attention', async (c) => c.json(await readAttention(reader, options.readFileErrors, scopeOf(c, config, summaryParams))));

  api.get('/api/domains/:slug', async (c) => {
    const input = checkedInput(c, config, 'list-domains', [PARAMS.repo]);
    const slug = c.req.param('slug');
    const domains = await reader.call('list-domains', { ...input, limit: MAX_QUERY_LIMIT } as never);
    const domain = domains.items.find((d) => d.slug === slug);
    if (!domain) return notFound(c, `No domain "${slug}" in the mirror${scopeText(domains.scope.repositories)}.`);
    return c.json({ version: PLAN_VIEW_VERSION, kind: 'domain', scope: domains.scope, domain });
  });

  for (const route of ELEMENT_ROUTES) {
    api.get(route.path, async (c) => {
      const id = c.req.param('id') ?? '';
      const shown = await reader.call('show', checkedInput(c, config, 'show', [PARAMS.repo], { id }) as never);
      return answerElement(c, shown, route.kind, id);
    });
  }

  if (options.allowWrites) {
    const patchBody = z.strictObject({ status: z.string().optional(), priority: z.string().optional() });
    api.patch('/api/tasks/:id', async (c) => {
      const body = patchBody.safeParse(await c.req.json().catch(() => undefined));
      if (!body.success)
        throw new BadRequest([
          { param: 'body', message: 'expected a JSON object with status and/or priority', allowed: ['status', 'priority'] },
        ]);
      const edit = await reader.call('set-task', { task: c.req.param('id'), ...body.data });
      const status = edit.outcome !== 'refused' ? 200 : edit.reason === 'not-found' ? 404 : edit.reason === 'ambiguous' ? 409 : 422;
      return c.json(edit, status);
    });
  }

  api.get('/api/live', (c) =>
    streamSSE(c, async (stream) => {
      let closed = false;
      const unsubscribe = options.feed.subscribe((token) => void stream.writeSSE({ event: 'mirror', data: JSON.stringify({ token }) }));
      stream.onAbort(() => {
        closed = true;
        unsubscribe();
      });
      await stream.writeSSE({ event: 'hello', data: JSON.stringify({ token: await options.feed.current() }), retry: 2_000 });
      while (!closed) {
        await stream.sleep((options.keepAliveSeconds ?? 15) * 1_000);
        if (!closed) await stream.write(': keep-alive\n\n');
      }
    }),
  );

  api.all('/api/*', (c) => notFound(c, `No endpoint ${c.req.method} ${c.req.path}; the API is described at /api/openapi.json.`));
  api.onError((error, c) => answerError(c, error, options.onUnexpectedError));
  return api;
}

/** The request's parameters as the call's input, checked (400 on a problem). */
function checkedInput(
  c: Context,
  config: WorkplanConfig,
  call: PlanCallName,
  params: readonly ParamSpec[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const input = { ...readParams(new URL(c.req.url).searchParams, params, config), ...extra };
  validateParams(config, call, input, params);
  return input;
}

function scopeOf(c: Context, config: WorkplanConfig, params: readonly ParamSpec[]): { repos?: string[] } {
  const input = readParams(new URL(c.req.url).searchParams, params, config);
  return Array.isArray(input.repos) ? { repos: input.repos as string[] } : {};
}

function answerElement(c: Context, shown: ShowView, kind: 'workplan' | 'task' | 'adr', id: string) {
  const element = shown.element;
  if (element.kind === 'ambiguous') {
    return c.json(
      { error: { code: 'AMBIGUOUS', message: `"${id}" names several elements; add ?repo=<slug>.`, matches: element.matches } },
      409,
    );
  }
  if (element.kind !== kind)
    return notFound(c, `No ${kind === 'workplan' ? 'workstream' : kind} "${id}" in the mirror${scopeText(shown.scope.repositories)}.`);
  if (element.kind === 'workplan')
    return c.json({ version: PLAN_VIEW_VERSION, kind: 'workstream', scope: shown.scope, workstream: element.workplan });
  if (element.kind === 'task') return c.json({ version: PLAN_VIEW_VERSION, kind: 'task', scope: shown.scope, task: element.task });
  if (element.kind === 'adr') return c.json({ version: PLAN_VIEW_VERSION, kind: 'adr', scope: shown.scope, adr: element.adr });
  return notFound(c, `No ${kind} "${id}".`);
}

function scopeText(repositories: string[] | 'all'): string {
  return repositories === 'all' ? '' : ` (repositories ${repositories.join(', ')})`;
}

function notFound(c: Context, message: string) {
  return c.json({ error: { code: 'NOT_FOUND', message } }, 404);
}

/** The one place errors become HTTP answers. */
export function answerError(c: Context, error: unknown, onUnexpectedError?: (error: unknown) => void) {
  if (error instanceof BadRequest)
    return c.json({ error: { code: 'INVALID_INPUT', message: error.message, problems: error.problems } }, 400);
  if (isSyncError(error)) {
    const status =
      error.code === 'INVALID_INPUT'
        ? 400
        : error.code === 'WRITE_CONFLICT'
          ? 409
          : error.code === 'LOCK_UNAVAILABLE' || error.code === 'DB_UNREACHABLE'
            ? 503
            : 500;
    return c.json({ error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } }, status);
  }
  // An unexpected error: its message may quote internals; the server logs it (server.ts), the client gets a code.
  onUnexpectedError?.(error);
  return c.json({ error: { code: 'INTERNAL', message: 'The server failed to answer; its log says why.' } }, 500);
}
