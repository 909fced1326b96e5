// A `workplan serve` over a plan repository of the suite's database, in this process: a PlanReader
// over the mirror (Postgres, or the repository's own embedded store, which the reader then holds) and
// the server on a free loopback port. Closed after each test.
import { randomUUID } from 'node:crypto';
import { afterEach } from 'vitest';
import { openMirrorReader, type PlanReader } from '../../src/app/plan-reader.js';
import { openWorkspace } from '../../src/app/workspace.js';
import { startPlanServer, type PlanServer, type PlanServerOptions } from '../../src/http/server.js';
import type { PlanRepo } from './plan-repo.js';

export interface Served {
  server: PlanServer;
  reader: PlanReader;
  /** fetch(server.url + path), scoped to the repository (`repo=<slug>`): a Postgres suite's mirror is shared by its tests. */
  get(path: string, init?: RequestInit): Promise<Response>;
  json<T = Record<string, any>>(path: string): Promise<T>;
}

/** Starts servers for the tests of the enclosing describe block; stops them after each test. */
export function servers(): (plans: PlanRepo, options?: Omit<PlanServerOptions, 'reader'>) => Promise<Served> {
  const started: Array<{ server: PlanServer; reader: PlanReader }> = [];
  afterEach(async () => {
    for (const s of started.splice(0)) {
      await s.server.close();
      await s.reader.close();
    }
  });
  return async (plans, options = {}) => {
    const ws = await openWorkspace(plans.repo.root, plans.repo.root, plans.env);
    if (!ws.config) throw new Error('configuration errors');
    const reader = await openMirrorReader({ root: ws.root, config: ws.config, repository: ws.repository }, plans.env, {
      readOnly: !options.allowWrites,
      newId: randomUUID,
      now: () => new Date(),
    });
    const server = await startPlanServer({ reader, port: 0, pollMs: 100, ...options });
    started.push({ server, reader });
    const scoped = (path: string) =>
      /[?&]repo=/.test(path) || !/^\/api\/(?!openapi|live)/.test(path)
        ? path
        : `${path}${path.includes('?') ? '&' : '?'}repo=${encodeURIComponent(plans.slug)}`;
    const get = (path: string, init?: RequestInit) => fetch(`${server.url}${scoped(path)}`, init);
    return {
      server,
      reader,
      get,
      async json(path) {
        const response = await get(path);
        if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
        return (await response.json()) as never;
      },
    };
  };
}
