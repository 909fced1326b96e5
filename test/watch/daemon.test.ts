// The watch daemon, in-process, on a real temp directory, real file-system events and a real store.
// Syncs are counted through the daemon's own events: one sync per settled change, none for its own
// write-backs, none after a restart, nothing lost across a database outage.
import { open, rename, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { createTempRepo, syncRepo, type TempRepo } from '../support/sync-harness.js';
import { parseCron } from '../../src/watch/cron.js';
import { daemonSocketPath } from '../../src/watch/daemon-socket.js';
import { requestDaemonSync } from '../../src/watch/daemon-client.js';
import {
  startTestDaemon,
  taskStatuses,
  TEST_DEBOUNCE_MS,
  TEST_SHRINK_SETTLE_MS,
  workstreams,
  type DaemonHarness,
} from './support/daemon-harness.js';
import { workplanText } from './support/workplans.js';

const A = 'workplans/W-WP-0001-alpha.md';
const B = 'workplans/W-WP-0002-beta.md';
const C = 'workplans/W-WP-0003-gamma.md';
const alpha = (statuses: string[]) => workplanText({ id: 'W-WP-0001', tasks: statuses.map((status) => ({ status })) });
const beta = (statuses: string[]) => workplanText({ id: 'W-WP-0002', tasks: statuses.map((status) => ({ status })) });
const gamma = (statuses: string[]) => workplanText({ id: 'W-WP-0003', tasks: statuses.map((status) => ({ status })) });

describeEachDatabase('watch daemon', (db) => {
  const repos: TempRepo[] = [];
  const daemons: DaemonHarness[] = [];
  const setup = async (
    files: Record<string, string> = { [A]: alpha(['todo', 'todo']), [B]: beta(['todo', 'todo']), [C]: gamma(['todo', 'todo']) },
  ) => {
    const repo = await createTempRepo(files);
    repos.push(repo);
    const store = await db.openStore();
    return { repo, store };
  };
  const start = async (...args: Parameters<typeof startTestDaemon>) => {
    const d = await startTestDaemon(...args);
    daemons.push(d);
    return d;
  };
  afterEach(async () => {
    await Promise.all(daemons.splice(0).map((d) => d.stop()));
    await Promise.all(repos.splice(0).map((r) => r.dispose()));
  });

  it('syncs everything at start (recovering changes made while no daemon ran), then one incremental sync per edit', async () => {
    const { repo, store } = await setup();
    const d = await start(repo, store);
    expect(d.syncs('start')).toHaveLength(1);
    expect(d.syncs('start')[0]!.counts.created).toBe(9); // 3 workstreams + 6 tasks
    expect(await taskStatuses(store, repo.slug)).toMatchObject({ 'W-WP-0001-T01': 'todo' });

    await repo.write(A, alpha(['done', 'todo']));
    await d.waitFor(() => d.syncs('watch').length === 1, 'the sync of the edit');
    await d.settle();
    expect(d.syncs('watch')).toHaveLength(1);
    const sync = d.syncs('watch')[0]!;
    expect(sync.paths).toEqual([A]);
    expect(sync.counts).toMatchObject({ created: 0, updated: 1, removed: 0 });
    expect((await taskStatuses(store, repo.slug))['W-WP-0001-T01']).toBe('done');
    // Latency is measurable: when the change was seen and when its row was committed.
    expect(sync.changes[0]!.path).toBe(A);
    expect(sync.finishedAt).toBeGreaterThanOrEqual(sync.changes[0]!.firstEventAt);
  });

  // Each save pattern with the suite's short debounce (the file is read when it settles) and with the
  // default 200 ms, where it is read and parsed ahead during the debounce (src/app/watch.ts).
  for (const debounceMs of [TEST_DEBOUNCE_MS, 200]) {
    const suffix = debounceMs === TEST_DEBOUNCE_MS ? '' : ` (debounce ${debounceMs} ms, read ahead)`;
    const quiet = debounceMs * 4;

    it(`an atomic-rename save (write a temp file, rename over) gives exactly one sync with the final content${suffix}`, async () => {
      const { repo, store } = await setup();
      const d = await start(repo, store, { debounceMs });
      const temp = join(repo.root, 'workplans', '.W-WP-0001-alpha.md.tmp-1234');
      await writeFile(temp, alpha(['in_progress', 'done']));
      await rename(temp, join(repo.root, A));
      await d.waitFor(() => d.syncs('watch').length === 1, 'the sync');
      await d.settle(quiet);
      expect(d.syncs('watch')).toHaveLength(1);
      expect(await taskStatuses(store, repo.slug)).toMatchObject({ 'W-WP-0001-T01': 'in_progress', 'W-WP-0001-T02': 'done' });
    });

    it(`vim's save (4913 probe, swap file, backup rename, new file, backup removed) gives one sync and never removes tasks${suffix}`, async () => {
      const { repo, store } = await setup();
      const d = await start(repo, store, { debounceMs });
      const dir = join(repo.root, 'workplans');
      const target = join(repo.root, A);
      await writeFile(join(dir, '.W-WP-0001-alpha.md.swp'), 'swap');
      await writeFile(join(dir, '4913'), '');
      await unlink(join(dir, '4913'));
      await rename(target, `${target}~`);
      await writeFile(target, alpha(['done', 'done']));
      await unlink(`${target}~`);
      await unlink(join(dir, '.W-WP-0001-alpha.md.swp'));
      await d.waitFor(() => d.syncs('watch').length === 1, 'the sync');
      await d.settle(quiet);
      expect(d.syncs('watch')).toHaveLength(1);
      expect(d.syncs('watch')[0]!.paths).toEqual([A]);
      expect(d.syncs('watch')[0]!.counts.removed).toBe(0);
      expect(await taskStatuses(store, repo.slug)).toMatchObject({ 'W-WP-0001-T01': 'done', 'W-WP-0001-T02': 'done' });
    });

    it(`VS Code truncate-then-write in chunks: one sync with the final content, even when the file sits empty or half-written past the debounce${suffix}`, async () => {
      const { repo, store } = await setup();
      const d = await start(repo, store, { debounceMs });
      const final = alpha(['done', 'in_progress']);
      const cut = final.indexOf('### P1.2');
      const handle = await open(join(repo.root, A), 'w'); // truncates
      await sleep(debounceMs + 120); // longer than the debounce: the daemon sees an empty file
      await handle.write(final.slice(0, cut)); // one task of two
      await sleep(debounceMs + 120); // and then a file with fewer tasks than the mirror
      await handle.write(final.slice(cut));
      await handle.close();
      await d.waitFor(() => d.syncs('watch').length === 1, 'the sync');
      await d.settle(TEST_SHRINK_SETTLE_MS + debounceMs + 120);
      expect(d.syncs('watch')).toHaveLength(1);
      expect(d.syncs('watch')[0]!.counts.removed).toBe(0);
      expect(d.of('refused')).toEqual([]);
      expect(d.of('deferred').map((e) => e.reason)).toEqual(expect.arrayContaining(['empty']));
      expect(await taskStatuses(store, repo.slug)).toMatchObject({ 'W-WP-0001-T01': 'done', 'W-WP-0001-T02': 'in_progress' });
    });

    it(`rapid successive saves give one sync with the last content${suffix}`, async () => {
      const { repo, store } = await setup();
      const d = await start(repo, store, { debounceMs });
      const states = [
        ['in_progress', 'todo'],
        ['done', 'todo'],
        ['done', 'in_progress'],
        ['done', 'blocked'],
        ['done', 'done'],
      ];
      for (const s of states) {
        await repo.write(A, alpha(s));
        await sleep(20);
      }
      await d.waitFor(() => d.syncs('watch').length >= 1, 'the sync');
      await d.settle(quiet);
      expect(d.syncs('watch')).toHaveLength(1);
      expect(await taskStatuses(store, repo.slug)).toMatchObject({ 'W-WP-0001-T01': 'done', 'W-WP-0001-T02': 'done' });
    });
  }

  it('a save after the file was read ahead (same size, within the debounce) is the one synced', async () => {
    const { repo, store } = await setup();
    const d = await start(repo, store, { debounceMs: 300 });
    const first = alpha(['done', 'todo']);
    const second = alpha(['todo', 'done']);
    expect(second.length).toBe(first.length);
    await repo.write(A, first);
    await sleep(180); // read (and parsed) ahead after 60 ms quiet; settles at 300 ms
    await repo.write(A, second);
    await d.waitFor(() => d.syncs('watch').length === 1, 'the sync');
    await d.settle(1_200);
    expect(d.syncs('watch')).toHaveLength(1);
    expect(await taskStatuses(store, repo.slug)).toMatchObject({ 'W-WP-0001-T01': 'todo', 'W-WP-0001-T02': 'done' });
  });

  it('a deleted workplan is removed from the mirror in one sync', async () => {
    const { repo, store } = await setup();
    const d = await start(repo, store);
    await repo.remove(C);
    await d.waitFor(() => d.syncs('watch').length === 1, 'the sync');
    await d.settle();
    expect(d.syncs('watch')).toHaveLength(1);
    expect(d.syncs('watch')[0]!.counts.removed).toBe(3); // the workstream and its 2 tasks
    expect(Object.keys(await workstreams(store, repo.slug))).toEqual(['W-WP-0001', 'W-WP-0002']);
  });

  it('a renamed workplan is a move: one sync of both paths, same workstream id, nothing removed', async () => {
    const { repo, store } = await setup();
    const d = await start(repo, store);
    const before = (await workstreams(store, repo.slug))['W-WP-0002']!;
    const moved = 'workplans/W-WP-0002-beta-renamed.md';
    await rename(join(repo.root, B), join(repo.root, moved));
    await d.waitFor(() => d.syncs('watch').length === 1, 'the sync');
    await d.settle();
    expect(d.syncs('watch')).toHaveLength(1);
    expect([...(d.syncs('watch')[0]!.paths as string[])].sort()).toEqual([moved, B].sort());
    expect(d.syncs('watch')[0]!.counts.removed).toBe(0);
    expect((await workstreams(store, repo.slug))['W-WP-0002']).toEqual({ id: before.id, path: moved });
  });

  it('a checkout-like burst over a hundred files (edits, adds, deletes, renames) converges to what a fresh full sync gives', async () => {
    const files: Record<string, string> = {};
    const name = (n: number) => `workplans/W-WP-${String(100 + n).padStart(4, '0')}-plan.md`;
    const plan = (n: number, status: string) => workplanText({ id: `W-WP-${String(100 + n).padStart(4, '0')}`, tasks: [{ status }, {}] });
    for (let n = 0; n < 100; n++) files[name(n)] = plan(n, 'todo');
    const { repo, store } = await setup(files);
    const d = await start(repo, store);
    for (let n = 0; n < 60; n++) await repo.write(name(n), plan(n, 'done')); // edits
    for (let n = 60; n < 63; n++) await repo.remove(name(n)); // deletes
    for (let n = 63; n < 73; n++) await rename(join(repo.root, name(n)), join(repo.root, name(n).replace('-plan', '-moved'))); // renames
    for (let n = 100; n < 120; n++) await repo.write(name(n), plan(n, 'in_progress')); // adds
    await d.waitFor(() => d.syncs('watch').length >= 1, 'a sync');
    await d.settle(TEST_SHRINK_SETTLE_MS);
    expect(d.of('refused')).toEqual([]);
    expect(d.of('error')).toEqual([]);
    expect(d.syncs('watch').length).toBeLessThanOrEqual(3);
    const fresh = await syncRepo(repo.root, repo.slug, store, { dryRun: true });
    expect(fresh.plan.counts).toEqual({ created: 0, updated: 0, removed: 0, drifted: 0, idsAssigned: 0 });
    expect(fresh.files.changed).toBe(0);
    expect(d.syncs('watch').reduce((n, s) => n + s.counts.removed, 0)).toBe(9); // 3 workstreams × (1 + 2 tasks), renames kept
    expect(Object.keys(await workstreams(store, repo.slug))).toHaveLength(117);
  });

  it("the daemon's own id write-back triggers no second sync, and neither does a restart or a touch", async () => {
    const { repo, store } = await setup({ [A]: alpha(['todo']), [B]: beta(['todo']) });
    let d = await start(repo, store);
    await repo.write(C, workplanText({ id: 'W-WP-0003', tasks: [{}, {}], withIds: false }));
    await d.waitFor(() => d.syncs('watch').length === 1, 'the sync of the new file');
    expect(d.syncs('watch')[0]!.counts.idsAssigned).toBe(3);
    await d.settle(TEST_SHRINK_SETTLE_MS);
    expect(await repo.read(C)).toMatch(/state_hub_workstream_id: [0-9a-f-]{36}/);
    expect(d.syncs('watch')).toHaveLength(1);
    expect(d.of('suppressed').flatMap((e) => e.paths)).toContain(C);

    // Restart: the hashes come from the mirror, so nothing is re-synced.
    await d.stop();
    d = await start(repo, store);
    expect(d.syncs('start')[0]!.outcome).toBe('noop');
    const now = new Date();
    await utimes(join(repo.root, C), now, now); // an event with unchanged content
    await repo.write(A, await repo.read(A)); // rewritten with the same bytes
    await d.settle();
    expect(d.syncs('watch')).toHaveLength(0);
  });

  it("a file seen with 0 tasks is refused by the mirror's guard: reported once, nothing removed, the daemon carries on", async () => {
    const { repo, store } = await setup();
    const d = await start(repo, store);
    await repo.write(A, alpha([]));
    await d.waitFor(() => d.of('refused').length === 1, 'the refusal', 4_000);
    await d.settle(TEST_SHRINK_SETTLE_MS);
    expect(d.of('refused')[0]!.paths).toEqual([A]);
    expect(d.of('error')).toEqual([]);
    expect(Object.keys(await taskStatuses(store, repo.slug))).toContain('W-WP-0001-T02');
    // The next change is synced normally.
    await repo.write(A, alpha(['done', 'done']));
    await d.waitFor(() => d.syncs('watch').length === 1, 'the next sync');
    expect((await taskStatuses(store, repo.slug))['W-WP-0001-T02']).toBe('done');
    expect(d.of('refused')).toHaveLength(1);
  });

  it('the database going away: says so once, retries, and catches up on everything changed meanwhile', async () => {
    const { repo, store } = await setup();
    const d = await start(repo, store);
    d.outage.down = true;
    await repo.write(A, alpha(['done', 'todo']));
    await d.waitFor(() => d.of('unreachable').length === 1, 'the unreachable report');
    await repo.write(B, beta(['done', 'done']));
    await sleep(700); // several retries
    expect(d.outage.failed).toBeGreaterThan(1);
    expect(d.of('unreachable')).toHaveLength(1);
    expect(d.of('unreachable')[0]!.message).toMatch(/^mirror unreachable; retrying…/);
    expect(d.daemon.unreachable).toBe(true);

    d.outage.down = false;
    await d.waitFor(() => d.of('reconnected').length === 1, 'the reconnection');
    await d.settle();
    expect(d.syncs('catch-up')).toHaveLength(1);
    expect(d.of('error')).toEqual([]);
    expect(await taskStatuses(store, repo.slug)).toMatchObject({
      'W-WP-0001-T01': 'done',
      'W-WP-0001-T02': 'todo',
      'W-WP-0002-T01': 'done',
      'W-WP-0002-T02': 'done',
    });
  });

  it('a mirror that throws DB_UNREACHABLE N times, also at start, loses nothing', async () => {
    const { repo, store } = await setup();
    await repo.write(C, gamma(['cancelled', 'done'])); // changed before the daemon starts
    const d = await start(repo, store, { retry: { initialMs: 50, maxMs: 100 } }, { failures: 3 });
    expect(d.syncs('start')).toHaveLength(0); // the start-up sync failed
    await d.waitFor(() => d.of('reconnected').length === 1, 'the recovery');
    await repo.write(A, alpha(['done', 'done']));
    await d.waitFor(() => d.syncs('watch').length === 1, 'the next edit');
    await d.settle();
    expect(d.of('unreachable')).toHaveLength(1);
    expect(d.outage.failed).toBe(3);
    expect(d.syncs('catch-up')).toHaveLength(1);
    expect(await taskStatuses(store, repo.slug)).toMatchObject({
      'W-WP-0001-T01': 'done',
      'W-WP-0003-T01': 'cancelled',
      'W-WP-0003-T02': 'done',
    });
  });

  it('runs syncs for other processes over its socket, serialised with its own', async () => {
    const { repo, store } = await setup();
    const socketPath = daemonSocketPath(join(repo.root, '.workplan', 'db'));
    await (await import('node:fs/promises')).mkdir(join(repo.root, '.workplan'), { recursive: true });
    const d = await start(repo, store, { socketPath });
    await repo.write(A, alpha(['done', 'done']));
    const viaSocket = await requestDaemonSync(socketPath, repo.root, { trigger: 'cli' });
    expect(viaSocket?.daemonPid).toBe(process.pid);
    await d.settle();
    expect(await taskStatuses(store, repo.slug)).toMatchObject({ 'W-WP-0001-T01': 'done' });
    // Staged bytes, as the hook sends them: only the given paths, nothing else read from disk.
    const staged = new Map([[B, new TextEncoder().encode(beta(['blocked', 'todo']))]]);
    const hook = await requestDaemonSync(socketPath, repo.root, { trigger: 'hook', files: staged, paths: [B], writeBack: false });
    expect(hook?.result.plan.counts.updated).toBe(1);
    expect((await taskStatuses(store, repo.slug))['W-WP-0002-T01']).toBe('blocked');
    expect(d.syncs('hook')).toHaveLength(1);
    // A staged delete: no bytes, but the snapshot's listing, so the sync's "root left empty" guard holds.
    const deleted = await requestDaemonSync(socketPath, repo.root, {
      trigger: 'hook',
      files: new Map(),
      listing: [A, B],
      paths: [C],
      writeBack: false,
    });
    expect(deleted?.result.plan.counts.removed).toBe(3);
    expect(Object.keys(await workstreams(store, repo.slug))).toEqual(['W-WP-0001', 'W-WP-0002']);
    // A request for another root is refused.
    await expect(requestDaemonSync(socketPath, '/elsewhere', { trigger: 'cli' })).rejects.toThrow(/not \/elsewhere/);
    await d.stop();
    expect(await requestDaemonSync(socketPath, repo.root, { trigger: 'cli' })).toBeUndefined();
  });

  it('runs the scheduled job inside the daemon, between syncs', async () => {
    const { repo, store } = await setup();
    const offset = 60_000 - (Date.now() % 60_000) - 300; // the clock reads 300 ms before a full minute
    const runs: string[] = [];
    const d = await start(repo, store, {
      now: () => new Date(Date.now() + offset),
      schedule: {
        cron: (parseCron('* * * * *') as { ok: true; schedule: import('../../src/watch/cron.js').CronSchedule }).schedule,
        job: 'cleanup',
        run: async (ctx) => {
          const rows = await ctx.mirror.db.$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM tasks`);
          runs.push(`ran with ${rows[0]!.n >= 6 ? 'rows' : 'none'}`);
          return { summary: 'nothing to clean' };
        },
      },
    });
    await d.waitFor(() => d.of('scheduled').length === 1, 'the scheduled job', 3_000);
    expect(runs).toEqual(['ran with rows']);
    expect(d.of('scheduled')[0]).toMatchObject({ job: 'cleanup', outcome: 'ok', summary: 'nothing to clean' });
  });
});
