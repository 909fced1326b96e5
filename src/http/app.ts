// The whole HTTP application of `workplan serve`: the access check (access.ts), the JSON API
// (api-app.ts) and the prebuilt dashboard (dashboard-files.ts: plain HTML, CSS and JS modules shipped
// in the package, no build step; adr/0012). Every path that is neither the API nor a dashboard asset
// answers the dashboard's page, which routes on the client (its filters live in the URL).
import { Hono } from 'hono';
import { hasToken, isLoopbackHost, TOKEN_COOKIE, type AccessPolicy } from './access.js';
import { answerError, createApiApp, type ApiOptions } from './api-app.js';
import { loadDashboardFiles } from './dashboard-files.js';

export interface PlanAppOptions extends ApiOptions {
  access: AccessPolicy;
  /** Bound to a loopback address: refuse requests whose Host is another name (DNS rebinding). */
  loopbackOnly?: boolean;
}

/** The Hono application: API, dashboard, access rules. */
export async function createPlanApp(options: PlanAppOptions): Promise<Hono> {
  const app = new Hono();
  const files = await loadDashboardFiles();
  const { access } = options;

  if (options.loopbackOnly) {
    // A page on another site must not reach this server through a name that resolves to 127.0.0.1.
    app.use('*', async (c, next) => {
      const host = (c.req.header('host') ?? '').replace(/:\d+$/, '');
      if (!isLoopbackHost(host))
        return c.json({ error: { code: 'FORBIDDEN_HOST', message: `Host "${host}" is not this machine's loopback name.` } }, 403);
      return next();
    });
  }

  app.use('*', async (c, next) => {
    const authorized = hasToken(access, c.req.header('authorization'), c.req.header('cookie'));
    const given = c.req.query('token');
    if (given !== undefined && access.token && hasToken(access, `Bearer ${given}`, undefined)) {
      // A browser opened the link the server printed: keep the token in a cookie, drop it from the URL.
      const url = new URL(c.req.url);
      url.searchParams.delete('token');
      c.header('Set-Cookie', `${TOKEN_COOKIE}=${encodeURIComponent(given)}; HttpOnly; SameSite=Strict; Path=/`);
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }
    const writing = c.req.method !== 'GET' && c.req.method !== 'HEAD';
    if ((access.protect === 'all' || writing) && !authorized) {
      const message = access.token
        ? "This request needs the server's token (Authorization: Bearer <token>)."
        : 'This server is read-only (start it with --allow-writes).';
      return c.json({ error: { code: access.token ? 'UNAUTHORIZED' : 'READ_ONLY', message } }, access.token ? 401 : 405);
    }
    return next();
  });

  app.route('/', createApiApp(options));
  app.get('/assets/:name', (c) => {
    const file = files.assets.get(c.req.param('name'));
    if (!file) return c.text('Not found', 404);
    return c.body(file.bytes, 200, { 'Content-Type': file.type, 'Cache-Control': 'no-cache', ETag: file.etag });
  });
  app.get('*', (c) => c.html(files.page));
  app.onError((error, c) => answerError(c, error, options.onUnexpectedError));
  return app;
}
