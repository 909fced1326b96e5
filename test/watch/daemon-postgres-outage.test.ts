// A real Postgres going away under the daemon: connections are terminated and refused (the database
// stops accepting connections), then allowed again. The daemon reports it once, retries, and catches
// up; the driver's real errors — not a simulated one — are what it has to recognise.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { mirrorDatabaseFor } from '../../src/app/open-mirror.js';
import { openStore } from '../../src/db/store.js';
import { postgresUnavailable, SuiteDatabases, withAdminClient } from '../support/databases.js';
import { createTempRepo, type TempRepo } from '../support/sync-harness.js';
import { startTestDaemon, taskStatuses, type DaemonHarness } from './support/daemon-harness.js';
import { workplanText } from './support/workplans.js';

const A = 'workplans/G-WP-0001-a.md';
const B = 'workplans/G-WP-0002-b.md';
const wp = (id: string, statuses: string[]) => workplanText({ id, tasks: statuses.map((status) => ({ status })) });

describe.skipIf(postgresUnavailable !== undefined)('watch daemon across a real Postgres outage', () => {
  const suite = new SuiteDatabases('postgres');
  const repos: TempRepo[] = [];
  const daemons: DaemonHarness[] = [];
  afterEach(async () => {
    await Promise.all(daemons.splice(0).map((d) => d.stop()));
    await Promise.all(repos.splice(0).map((r) => r.dispose()));
  });
  afterAll(() => suite.dispose());

  it('reports once, retries, and catches up when connections are allowed again', async () => {
    const target = await suite.create();
    const name = new URL(target.url!).pathname.slice(1);
    const repo = await createTempRepo({ [A]: wp('G-WP-0001', ['todo', 'todo']), [B]: wp('G-WP-0002', ['todo', 'todo']) });
    repos.push(repo);
    const inspect = await target.openStore();
    const d = await startTestDaemon(repo, inspect, {
      retry: { initialMs: 100, maxMs: 300 },
      openMirror: async () => {
        const store = await openStore({ databaseUrl: target.url, embeddedDir: '/unused', connectTimeoutMs: 1_000 });
        return { mirror: mirrorDatabaseFor(store), describe: store.describe, close: () => store.close() };
      },
    });
    daemons.push(d);
    expect(d.syncs('start')).toHaveLength(1);

    await withAdminClient(async (c) => {
      await c.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
    });
    try {
      await repo.write(A, wp('G-WP-0001', ['done', 'todo']));
      await d.waitFor(() => d.of('unreachable').length === 1, 'the unreachable report');
      expect(d.of('unreachable')[0]!.message).toMatch(/^mirror unreachable; retrying… \(.+\)$/);
      expect(d.of('unreachable')[0]!.message).not.toContain('\n');
      await repo.write(B, wp('G-WP-0002', ['done', 'done']));
      await sleep(800);
      expect(d.of('unreachable')).toHaveLength(1);
      expect(d.of('error')).toEqual([]);
    } finally {
      await withAdminClient((c) => c.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`));
    }
    await d.waitFor(() => d.of('reconnected').length === 1, 'the reconnection', 8_000);
    await d.settle();
    const store = await openStore({ databaseUrl: target.url, embeddedDir: '/unused' });
    try {
      expect(await taskStatuses(store, repo.slug)).toEqual({
        'G-WP-0001-T01': 'done',
        'G-WP-0001-T02': 'todo',
        'G-WP-0002-T01': 'done',
        'G-WP-0002-T02': 'done',
      });
    } finally {
      await store.close();
    }
  });
});
