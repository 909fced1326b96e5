// The JSON API of `workplan serve` on both stores (docs/serve.md): the same answers as `workplan list
// --json`, filters and pages, 404 and 400 answers that say what is wrong, ETags, the dashboard's
// summary and attention views, the OpenAPI document, live updates, and writes that go through the
// file-first edit path only with the token.
import { describe, expect, it } from 'vitest';
import { SyncError } from '../../src/index.js';
import { LIST_ROUTES } from '../../src/http/api-routes.js';
import { startPlanServer } from '../../src/http/server.js';
import { describeEachDatabase } from '../support/databases.js';
import { planRepos, type PlanRepo } from '../support/plan-repo.js';
import { servers } from '../support/serve-harness.js';

const ids = (items: Array<{ id: string }>) => items.map((i) => i.id);

describeEachDatabase('workplan serve API', (db) => {
  const planRepo = planRepos(db);
  const serve = servers();

  /** A repository of the fixture plans, synced into the mirror. */
  async function syncedPlans(): Promise<PlanRepo> {
    const plans = await planRepo();
    expect((await plans.cli('sync', '--quiet')).code).toBe(0);
    return plans;
  }

  it('answers the lists exactly as `workplan list --json` does (same call, same shape)', async () => {
    const plans = await syncedPlans();
    const cli = async (...args: string[]) =>
      JSON.parse((await plans.cli('list', ...args, '--repo', plans.slug, '--no-sync', '--json')).stdout);
    const expected = {
      '/api/workstreams?status=active': await cli('workstreams', '--status', 'active'),
      '/api/tasks?stale=true': await cli('tasks', '--stale'),
      '/api/adrs': await cli('adrs'),
      '/api/domains': await cli('domains'),
      '/api/repositories': await cli('repositories'),
    };
    const api = await serve(plans);
    for (const [path, answer] of Object.entries(expected)) expect(await api.json(path), path).toEqual(answer);
    expect(ids((await api.json('/api/tasks?stale=true')).items)).toEqual(['DOC-WP-0102-T01']);
  });

  it('filters (lists, aliases), sorts and pages; values that could be SQL stay values', async () => {
    const api = await serve(await syncedPlans());
    expect(ids((await api.json('/api/workstreams?domain=ops')).items)).toEqual(['OPS-WP-0001', 'OPS-WP-0002', 'OPS-WP-0003']);
    expect(ids((await api.json('/api/workstreams?status=wip,blocked')).items)).toEqual(['DOC-WP-0100', 'DOC-WP-0101', 'OPS-WP-0001']);
    expect(ids((await api.json('/api/workstreams?status=wip&status=completed')).items)).toContain('OPS-WP-0002');
    expect(ids((await api.json('/api/workstreams?blocked=true')).items)).toEqual(['DOC-WP-0101', 'DOC-WP-0103']);
    const page = await api.json('/api/workstreams?limit=3&offset=3&sort=id:desc');
    expect(page).toMatchObject({ total: 8, limit: 3, offset: 3 });
    expect(ids(page.items)).toEqual(['DOC-WP-0103', 'DOC-WP-0102', 'DOC-WP-0101']);
    expect(
      (await api.json('/api/tasks?priority=high&domain=docs')).items.every((t: any) => t.priority === 'high' && t.domain === 'docs'),
    ).toBe(true);
    expect((await api.json(`/api/workstreams?repo=${encodeURIComponent("x' OR '1'='1")}`)).total).toBe(0); // an explicit repo: not scoped
    expect((await api.json(`/api/tasks?domain=${encodeURIComponent("docs'; DROP TABLE tasks; --")}`)).total).toBe(0);
    expect((await api.json('/api/tasks')).total).toBeGreaterThan(10);
  });

  it('answers one workstream with phases, tasks, dependencies with their states and closure reviews', async () => {
    const plans = await syncedPlans();
    const api = await serve(plans);
    const { workstream: blocked } = await api.json('/api/workstreams/DOC-WP-0101');
    expect(blocked).toMatchObject({ id: 'DOC-WP-0101', blocked: true, path: 'workplans/DOC-WP-0101-search.md', repository: plans.slug });
    const dependsOn = blocked.dependencies.find((d: any) => d.kind === 'depends_on');
    expect(dependsOn.targets).toEqual([expect.objectContaining({ id: 'DOC-WP-0100', state: 'open' })]);
    const { workstream: closed } = await api.json(`/api/workstreams/OPS-WP-0002?repo=${plans.slug}`);
    expect(closed.closureReviews).toHaveLength(1);
    expect(closed.phases[0].tasks.length).toBeGreaterThan(0);
    expect((await api.json('/api/tasks/DOC-WP-0102-T01')).task).toMatchObject({ id: 'DOC-WP-0102-T01', stale: true });
    expect((await api.json('/api/domains/ops')).domain).toMatchObject({ slug: 'ops', workstreams: { total: 3 } });
  });

  it('answers unknown ids and endpoints with 404 JSON, bad filters with 400 naming the allowed values', async () => {
    const api = await serve(await syncedPlans());
    for (const path of [
      '/api/workstreams/NOPE-WP-0001',
      '/api/workstreams/DOC-WP-0100-T01',
      '/api/tasks/NOPE',
      '/api/adrs/ADR-999',
      '/api/domains/nope',
      '/api/nothing',
    ]) {
      const response = await api.get(path);
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as any).error.code, path).toBe('NOT_FOUND');
    }
    const bad = async (path: string) => {
      const response = await api.get(path);
      expect(response.status, path).toBe(400);
      return ((await response.json()) as any).error.problems[0];
    };
    expect(await bad('/api/tasks?status=complete-ish')).toEqual({
      param: 'status',
      message: 'Unknown task status "complete-ish"; use one of todo, in_progress, blocked, done, cancelled, carried_forward',
      allowed: ['todo', 'in_progress', 'blocked', 'done', 'cancelled', 'carried_forward'],
    });
    expect(await bad('/api/tasks?stale=maybe')).toMatchObject({ param: 'stale', allowed: ['true', 'false'] });
    expect(await bad('/api/workstreams?colour=red')).toMatchObject({
      param: 'colour',
      allowed: expect.arrayContaining(['domain', 'repo', 'status']),
    });
    expect((await bad('/api/adrs?sort=colour')).allowed).toContain('date:desc');
    expect(await bad('/api/events?kind=deploy')).toMatchObject({ param: 'kind', allowed: ['sync', 'cleanup'] });
    expect(await bad('/api/tasks?limit=0')).toMatchObject({ param: 'limit' });
  });

  it('sends ETags: an unchanged answer is 304, a changed mirror a new tag', async () => {
    const plans = await syncedPlans();
    const api = await serve(plans, { allowWrites: true, token: 'test-token-1' });
    const first = await api.get('/api/tasks?status=todo');
    const tag = first.headers.get('etag');
    expect(tag).toBeTruthy();
    expect((await api.get('/api/tasks?status=todo', { headers: { 'If-None-Match': tag! } })).status).toBe(304);
    const patched = await api.get('/api/tasks/DOC-WP-0100-T03', {
      method: 'PATCH',
      headers: { Authorization: 'Bearer test-token-1', 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'done' }),
    });
    expect(patched.status).toBe(200);
    const after = await api.get('/api/tasks?status=todo', { headers: { 'If-None-Match': tag! } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(tag);
  });

  it('sums the dashboard figures from the same lists, and lists what needs attention', async () => {
    const plans = await syncedPlans();
    await plans.repo.write(
      'workplans/OPS-WP-0009-broken.md',
      '---\nid: OPS-WP-0009\ntitle: Broken\nstatus: finished-ish\ndomain: ops\n---\n# Broken\n',
    );
    const api = await serve(plans);
    const summary = await api.json('/api/summary');
    const tasks = await api.json('/api/tasks?limit=1');
    const open = await api.json('/api/tasks?status=todo,in_progress,blocked&limit=1');
    const workstreams = await api.json('/api/workstreams?limit=1');
    const adrs = await api.json('/api/adrs?limit=1');
    expect(summary.totals).toMatchObject({
      domains: 3,
      repositories: 1,
      tasks: { total: tasks.total, open: open.total, stale: 1 },
      adrs: { total: adrs.total },
    });
    expect(summary.totals.workstreams.total).toBe(workstreams.total);
    expect(summary.totals.workstreams.completed).toBe((await api.json('/api/workstreams?status=completed&limit=1')).total);
    const attention = await api.json('/api/attention');
    expect(ids(attention.staleTasks.items)).toEqual(['DOC-WP-0102-T01']);
    expect(attention.fileErrors.map((d: any) => d.path)).toContain('workplans/OPS-WP-0009-broken.md');
    expect(attention.lastCleanup).toBeNull();
    const events = await api.json('/api/events');
    expect(events.items[0]).toMatchObject({ kind: 'sync', repository: plans.slug, trigger: 'cli', sync: { created: expect.any(Number) } });
  });

  it('describes every endpoint in an OpenAPI 3 document whose enums are the repository vocabularies', async () => {
    const api = await serve(await syncedPlans(), { allowWrites: true, token: 't0ken-for-openapi' });
    const doc = await api.json('/api/openapi.json');
    expect(doc.openapi).toMatch(/^3\./);
    for (const route of LIST_ROUTES) expect(doc.paths[route.path]?.get, route.path).toBeDefined();
    for (const path of ['/api/summary', '/api/attention', '/api/workstreams/{id}', '/api/domains/{slug}', '/api/live'])
      expect(doc.paths[path], path).toBeDefined();
    const status = doc.paths['/api/tasks'].get.parameters.find((p: any) => p.name === 'status');
    expect(status.schema.items.enum).toEqual(['todo', 'in_progress', 'blocked', 'done', 'cancelled', 'carried_forward']);
    expect(doc.paths['/api/tasks/{id}'].patch.security).toEqual([{ bearer: [] }]);
    expect(doc.components.schemas.TaskList.properties.items).toBeDefined();
  });

  it('pushes a `mirror` event to live listeners when the mirror changes', async () => {
    const plans = await syncedPlans();
    const api = await serve(plans, { allowWrites: true, token: 'live-token-123' });
    const controller = new AbortController();
    const response = await api.get('/api/live', { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const waitFor = async (pattern: RegExp) => {
      while (!pattern.test(received)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended; got ${received}`);
        received += decoder.decode(value);
      }
    };
    await waitFor(/event: hello/);
    await api.get('/api/tasks/DOC-WP-0100-T03', {
      method: 'PATCH',
      headers: { Authorization: 'Bearer live-token-123' },
      body: JSON.stringify({ status: 'done' }),
    });
    await waitFor(/event: mirror\ndata: \{"token"/);
    controller.abort();
  });

  it('changes a task only with --allow-writes and the token, through the file, as `workplan set` does', async () => {
    const plans = await syncedPlans();
    const readOnly = await serve(plans);
    const refused = await readOnly.get('/api/tasks/DOC-WP-0100-T03', { method: 'PATCH', body: JSON.stringify({ status: 'done' }) });
    expect(refused.status).toBe(405);
    await readOnly.server.close();
    await readOnly.reader.close();

    const api = await serve(plans, { allowWrites: true, token: 'secret-token-42' });
    const patch = (id: string, body: unknown, token?: string) =>
      api.get(`/api/tasks/${id}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    expect((await patch('DOC-WP-0100-T03', { status: 'done' })).status).toBe(401);
    expect((await patch('DOC-WP-0100-T03', { status: 'done' }, 'wrong-token-42')).status).toBe(401);
    expect((await patch('DOC-WP-0100-T03', { status: 'finished-ish' }, 'secret-token-42')).status).toBe(400);
    expect((await patch('DOC-WP-0100-T03', { colour: 'red' }, 'secret-token-42')).status).toBe(400);
    expect((await patch('NOPE-WP-0001-T01', { status: 'done' }, 'secret-token-42')).status).toBe(404);
    const before = await plans.repo.read('workplans/DOC-WP-0100-platform.md');
    const done = await patch('DOC-WP-0100-T03', { status: 'done', priority: 'low' }, 'secret-token-42');
    expect(done.status).toBe(200);
    expect((await done.json()) as any).toMatchObject({ kind: 'edit', operation: 'set-task', outcome: 'written' });
    const after = await plans.repo.read('workplans/DOC-WP-0100-platform.md');
    expect(after).not.toBe(before);
    expect(after.split('\n').length).toBe(before.split('\n').length);
    expect((await api.json('/api/tasks/DOC-WP-0100-T03')).task).toMatchObject({ status: 'done', priority: 'low' });
  });
});

describe('workplan serve access rules', () => {
  const reader = {
    root: '/nowhere',
    config: {} as never,
    repository: {} as never,
    readOnly: true,
    describe: 'none',
    call: async () => ({ token: '0' }) as never,
    close: async () => undefined,
  };

  it('refuses a non-loopback address without a token, and writes without one', async () => {
    const refused = await startPlanServer({ reader, host: '0.0.0.0', port: 0 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SyncError);
    expect((refused as SyncError).message).toContain('without a token');
    const writes = await startPlanServer({ reader, port: 0, allowWrites: true }).catch((e: unknown) => e);
    expect((writes as SyncError).code).toBe('INVALID_INPUT');
  });
});
