// The query use cases on both stores (docs/queries.md): filters, sorting and paging, stale and blocked,
// next, show with dependencies and lines, domains and repositories, the scope of a shared mirror,
// and answers that are never stale: a file changed, or rows changed behind the files' back, are
// synced before the answer is read.
import { describe, expect, it } from 'vitest';
import { isSyncError } from '../../src/index.js';
import { describeEachDatabase } from '../support/databases.js';
import { planRepos, readFixtureRepository, type PlanRepo } from '../support/plan-repo.js';

const ids = (items: Array<{ id: string }>) => items.map((i) => i.id);

/** The files with their `state_hub_*` lines removed (mirror ids are unique across a shared mirror). */
function withoutMirrorIds(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([path, text]) => [path, text.replace(/^.*state_hub_\w+_id.*\r?\n/gm, '')]));
}

/** The 1-based line of the first line starting with `start` (the sync writes ids into the files, so lines move). */
async function lineOf(plans: PlanRepo, path: string, start: string): Promise<number> {
  const line = (await plans.repo.read(path)).split(/\r?\n/).findIndex((l) => l.startsWith(start)) + 1;
  if (line === 0) throw new Error(`no line starting with ${start} in ${path}`);
  return line;
}

describeEachDatabase('plan queries', (db) => {
  const planRepo = planRepos(db);

  it('lists workstreams with filters (aliases normalised), sorting, paging and a total of every match', async () => {
    const plans = await planRepo();
    const session = await plans.session({ lingerMs: 60_000 });
    const all = await session.call('list-workstreams', {});
    expect(all).toMatchObject({ version: 1, kind: 'workstreams', total: 8, limit: 100, offset: 0, scope: { repositories: [plans.slug] } });
    expect(all.freshness).toMatchObject({ synced: true, outcome: 'applied', errors: [] });
    expect(ids(all.items)).toEqual([
      'CUST-WP-0005',
      'DOC-WP-0100',
      'DOC-WP-0101',
      'DOC-WP-0102',
      'DOC-WP-0103',
      'OPS-WP-0001',
      'OPS-WP-0002',
      'OPS-WP-0003',
    ]);
    const doc100 = all.items.find((w) => w.id === 'DOC-WP-0100')!;
    expect(doc100).toMatchObject({
      status: 'active',
      domain: 'docs',
      owner: 'docs team',
      blocked: false,
      location: 'workplans/DOC-WP-0100-platform.md:1',
    });
    expect(doc100.tasks).toEqual({ total: 5, open: 4, byStatus: { done: 1, in_progress: 1, todo: 2, blocked: 1 } });

    const active = await session.call('list-workstreams', { status: ['wip'], sync: false });
    expect(ids(active.items)).toEqual(['DOC-WP-0100', 'DOC-WP-0101', 'OPS-WP-0001']);
    expect(active.freshness.outcome).toBe('skipped');
    const blocked = await session.call('list-workstreams', { blocked: true, sync: false });
    expect(ids(blocked.items)).toEqual(['DOC-WP-0101', 'DOC-WP-0103']);
    const ops = await session.call('list-workstreams', { domain: ['ops'], sort: 'open-tasks', order: 'desc', sync: false });
    expect(ids(ops.items)).toEqual(['OPS-WP-0001', 'OPS-WP-0003', 'OPS-WP-0002']);
    const page = await session.call('list-workstreams', { limit: 3, offset: 3, sort: 'id', order: 'desc', sync: false });
    expect(page).toMatchObject({ total: 8, limit: 3, offset: 3 });
    expect(ids(page.items)).toEqual(['DOC-WP-0103', 'DOC-WP-0102', 'DOC-WP-0101']);

    const wrong = await session.call('list-workstreams', { status: ['finished-ish'] }).catch((e: unknown) => e);
    expect(isSyncError(wrong, 'INVALID_INPUT')).toBe(true);
    expect((wrong as Error).message).toContain(
      'Unknown workstream status "finished-ish"; use one of draft, planned, active, blocked, completed, archived, cancelled',
    );
    const unknownKey = await session.call('list-workstreams', { colour: 'red' } as never).catch((e: unknown) => e);
    expect((unknownKey as Error).message).toMatch(/Unrecognized key: "colour"/);
  });

  it('lists tasks: stale, blocked, priority filter, sort by priority, file:line of each', async () => {
    const plans = await planRepo();
    const session = await plans.session({ lingerMs: 60_000 });
    const stale = await session.call('list-tasks', { stale: true });
    expect(ids(stale.items)).toEqual(['DOC-WP-0102-T01']);
    const legacy = 'workplans/DOC-WP-0102-legacy.md';
    expect(stale.items[0]).toMatchObject({
      status: 'todo',
      stale: true,
      workstream: { id: 'DOC-WP-0102', status: 'archived' },
      location: `${legacy}:${await lineOf(plans, legacy, '### P1.1')}`,
    });
    const blocked = await session.call('list-tasks', { blocked: true, sync: false });
    expect(ids(blocked.items)).toEqual(['DOC-WP-0101-T01', 'DOC-WP-0101-T02', 'DOC-WP-0103-T01']);
    const urgent = await session.call('list-tasks', { priority: ['critical', 'P1'], status: ['todo'], sort: 'priority', sync: false });
    expect(urgent.items.map((t) => `${t.id} ${t.priority}`)).toEqual([
      'DOC-WP-0100-T03 critical',
      'DOC-WP-0101-T01 critical',
      'DOC-WP-0102-T01 high',
      'DOC-WP-0103-T01 high',
      'OPS-WP-0001-T02 high',
    ]);
    const ofWorkstream = await session.call('list-tasks', { workstream: ['OPS-WP-0001'], sync: false });
    const hosting = 'workplans/OPS-WP-0001-hosting.md';
    expect(ofWorkstream.items.map((t) => `${t.id} ${t.status} ${t.location}`)).toEqual([
      `OPS-WP-0001-T01 in_progress ${hosting}:${await lineOf(plans, hosting, '### P1.1')}`,
      `OPS-WP-0001-T02 todo ${hosting}:${await lineOf(plans, hosting, '### P1.2')}`,
    ]);
    const page = await session.call('list-tasks', { limit: 2, offset: 4, sync: false });
    expect(page.total).toBe(25);
    expect(ids(page.items)).toEqual(['CUST-WP-0005-T05', 'CUST-WP-0005-T06']);
  });

  it('next: open tasks of active, unblocked workplans, most urgent first, in progress before to do', async () => {
    const plans = await planRepo();
    const session = await plans.session();
    const next = await session.call('next', {});
    expect(next.items.map((t) => `${t.id} ${t.priority} ${t.status}`)).toEqual([
      'DOC-WP-0100-T03 critical todo',
      'DOC-WP-0100-T02 high in_progress',
      'OPS-WP-0001-T02 high todo',
      'OPS-WP-0001-T01 medium in_progress',
      'DOC-WP-0100-T05 medium todo',
      'OPS-WP-0003-T01 medium todo',
    ]);
    const docs = await session.call('next', { domain: ['docs'], limit: 2, sync: false });
    expect(docs).toMatchObject({ total: 3, limit: 2 });
    expect(ids(docs.items)).toEqual(['DOC-WP-0100-T03', 'DOC-WP-0100-T02']);
  });

  it("show: a workplan with phases, dependencies both ways with their targets' state, lines; a task; an ADR with its links", async () => {
    const plans = await planRepo();
    const session = await plans.session({ lingerMs: 60_000 });
    const shown = await session.call('show', { id: 'DOC-WP-0101' });
    if (shown.element.kind !== 'workplan') throw new Error(`expected a workplan, got ${shown.element.kind}`);
    const w = shown.element.workplan;
    const search = 'workplans/DOC-WP-0101-search.md';
    const at = (start: string) => lineOf(plans, search, start);
    expect(w).toMatchObject({ id: 'DOC-WP-0101', status: 'active', blocked: true, location: 'workplans/DOC-WP-0101-search.md:1' });
    expect(w.phases).toEqual([
      {
        number: 1,
        title: 'Search',
        line: await at('## Phase 1'),
        tasks: [
          { id: 'DOC-WP-0101-T01', label: 'P1.1', title: 'Ranking', status: 'todo', priority: 'critical', line: await at('### P1.1') },
          { id: 'DOC-WP-0101-T02', label: 'P1.2', title: 'Facets', status: 'todo', priority: 'low', line: await at('### P1.2') },
        ],
      },
    ]);
    expect(w.dependencies).toEqual([
      {
        direction: 'outgoing',
        kind: 'depends_on',
        text: '**Depends on:** `DOC-WP-0100` (the platform must exist first)',
        targets: [{ id: 'DOC-WP-0100', title: 'Docs platform', status: 'active', repository: plans.slug, state: 'open' }],
        blocking: true,
        line: await at('- **Depends on:**'),
      },
      {
        direction: 'incoming',
        kind: 'blocked_by',
        text: '**Blocks:** `DOC-WP-0101` (search needs the new hosts)',
        targets: [{ id: 'OPS-WP-0001', title: 'Hosting move', status: 'active', repository: plans.slug, state: 'open' }],
        blocking: true,
        line: null,
      },
    ]);
    const unknown = await session.call('show', { id: 'DOC-WP-0103', sync: false });
    if (unknown.element.kind !== 'workplan') throw new Error('expected a workplan');
    expect(unknown.element.workplan.dependencies[0]).toMatchObject({
      blocking: true,
      targets: [{ id: 'UNKNOWN-WP-0009', state: 'unknown', status: null }],
    });

    const seed = await session.call('show', { id: 'workplans/CUST-WP-0005-state-hub-v0.5.md', sync: false });
    if (seed.element.kind !== 'workplan') throw new Error('expected the seed workplan');
    expect(seed.element.workplan.closureReviews).toHaveLength(1);
    expect(seed.element.workplan.closureReviews[0]).toMatchObject({
      date: '2026-03-02',
      line: await lineOf(plans, 'workplans/CUST-WP-0005-state-hub-v0.5.md', '## Closure Review'),
    });
    expect(seed.element.workplan.closureReviews[0]!.entries).toHaveLength(11);

    const task = await session.call('show', { id: 'OPS-WP-0003-T01', sync: false });
    if (task.element.kind !== 'task') throw new Error('expected a task');
    const backups = 'workplans/OPS-WP-0003-backups.md';
    expect(task.element.task).toMatchObject({
      id: 'OPS-WP-0003-T01',
      blocked: false,
      location: `${backups}:${await lineOf(plans, backups, '### P1.1')}`,
    });
    expect(task.element.task.dependencies).toEqual([
      expect.objectContaining({
        direction: 'incoming',
        blocking: false,
        targets: [expect.objectContaining({ id: 'OPS-WP-0002', state: 'finished' })],
      }),
    ]);
    const closed = await session.call('show', { id: 'OPS-WP-0002-T01', sync: false });
    if (closed.element.kind !== 'task') throw new Error('expected a task');
    expect(closed.element.task.closure).toEqual([
      { reviewDate: '2026-02-01', taskId: 'OPS-WP-0002-T01', title: 'Pager rota', classification: 'done', note: null, target: null },
    ]);

    const adr = await session.call('show', { id: 'adr-0002', sync: false });
    if (adr.element.kind !== 'adr') throw new Error('expected an ADR');
    expect(adr.element.adr).toMatchObject({ id: 'ADR-002', status: 'accepted', format: 'nygard', supersedes: ['ADR-001'] });
    expect(adr.element.adr.links.supersedes).toEqual([
      { id: 'ADR-001', title: 'Record architecture decisions', status: 'superseded', path: 'adr/0001-record-architecture-decisions.md' },
    ]);
    expect((await session.call('show', { id: 'NOPE-WP-0001', sync: false })).element).toEqual({ kind: 'not-found', id: 'NOPE-WP-0001' });
  });

  it('domains and repositories: per-domain figures', async () => {
    const plans = await planRepo();
    const session = await plans.session({ lingerMs: 60_000 });
    const domains = await session.call('list-domains', {});
    expect(domains.items.find((d) => d.slug === 'docs')).toMatchObject({
      repositories: [plans.slug],
      workstreams: { total: 4, blocked: 2, byStatus: { active: 2, archived: 1, planned: 1 } },
      tasks: { total: 10, open: 8, stale: 1 },
    });
    expect(ids(domains.items.map((d) => ({ id: d.slug })))).toEqual(['custodian', 'docs', 'ops']);
    const repositories = await session.call('list-repositories', { allRepos: true, sync: false });
    expect(repositories.items.find((r) => r.slug === plans.slug)).toMatchObject({ workstreams: 8, tasks: 25, openTasks: 11, adrs: 3 });
  });

  // An embedded store belongs to the one repository it lives in; repositories share a Postgres mirror.
  it.runIf(db.kind === 'postgres')('a shared mirror spans repositories only with allRepos', async () => {
    const plans = await planRepo();
    // Another repository with the same workplans (its own mirror ids: the seed's are dropped).
    const other = await planRepo(withoutMirrorIds(readFixtureRepository()));
    await (await other.session()).call('sync', {});
    const session = await plans.session({ lingerMs: 60_000 });
    await session.call('sync', {});
    const everywhere = await session.call('list-domains', { allRepos: true, sync: false });
    // Other tests of this suite left their repositories in the mirror too.
    expect(everywhere.items.find((d) => d.slug === 'docs')!.repositories).toEqual(expect.arrayContaining([plans.slug, other.slug]));
    const two = await session.call('list-domains', { repos: [plans.slug, other.slug], sync: false });
    expect(two.items.find((d) => d.slug === 'docs')).toMatchObject({
      repositories: [plans.slug, other.slug].sort(),
      workstreams: { total: 8, blocked: 4 },
    });

    expect((await session.call('list-workstreams', { sync: false })).total).toBe(8);
    expect(
      (await session.call('list-workstreams', { repos: [other.slug], sync: false })).items.every((w) => w.repository === other.slug),
    ).toBe(true);
    const both = await session.call('list-tasks', { allRepos: true, stale: true, sync: false, limit: 10_000 });
    expect(both.items.filter((t) => t.id === 'DOC-WP-0102-T01').map((t) => t.repository)).toEqual(
      expect.arrayContaining([plans.slug, other.slug]),
    );
    expect(both.scope.repositories).toBe('all');
    const ambiguous = await session.call('show', { id: 'DOC-WP-0100', allRepos: true, sync: false });
    expect(ambiguous.element.kind).toBe('ambiguous');
    const repositories = await session.call('list-repositories', { repos: [plans.slug, other.slug], sync: false });
    expect(repositories.items.map((r) => [r.workstreams, r.tasks, r.openTasks, r.adrs])).toEqual([
      [8, 25, 11, 3],
      [8, 25, 11, 3],
    ]);
  });

  it("answers from the files: an edited file, and rows changed behind the files' back, are synced before the answer", async () => {
    const plans = await planRepo();
    const session = await plans.session();
    await session.call('sync', {});
    // The seed incident: the mirror says todo, the file says done.
    await plans.sql(
      `UPDATE tasks SET status = 'todo' WHERE repository_id = (SELECT id FROM repositories WHERE slug = $1) AND file_id LIKE 'CUST-WP-0005-%'`,
      plans.slug,
    );
    const drifted = await session.call('list-tasks', { stale: true, sync: false });
    expect(drifted.items.filter((t) => t.id.startsWith('CUST-WP-0005'))).toHaveLength(11);
    const truth = await session.call('list-tasks', { stale: true });
    expect(ids(truth.items)).toEqual(['DOC-WP-0102-T01']);
    expect(truth.freshness).toMatchObject({ synced: true, outcome: 'applied', changedFiles: 1 });

    // A file edited by hand a moment ago.
    const path = 'workplans/DOC-WP-0102-legacy.md';
    await plans.repo.write(path, (await plans.repo.read(path)).replace('status: todo', 'status: cancelled'));
    expect((await session.call('list-tasks', { stale: true })).items).toEqual([]);

    // A file with errors: reported with file:line and rule; its rows stay as they were.
    await plans.repo.write(path, (await plans.repo.read(path)).replace('status: cancelled', 'status: complete-ish'));
    const withErrors = await session.call('list-tasks', { workstream: ['DOC-WP-0102'] });
    expect(withErrors.freshness.errors).toEqual([
      expect.objectContaining({
        path,
        line: await lineOf(plans, path, 'status: complete-ish'),
        column: 9,
        ruleId: 'task-status-invalid',
        severity: 'error',
      }),
    ]);
    expect(withErrors.items.map((t) => t.status)).toEqual(['cancelled', 'done']);
  });
});

describe('plan queries without a database', () => {
  it('refuse bad input before opening anything', async () => {
    const { openPlanSession } = await import('../../src/index.js');
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const root = await mkdtemp(`${tmpdir()}/wps-q-`);
    const opened = await openPlanSession({ cwd: root, root, env: {} });
    if (opened.kind !== 'ready') throw new Error('config');
    const error = await opened.session.call('list-tasks', { limit: 0 }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^Invalid input for list-tasks: limit: /);
    const sort = await opened.session.call('list-tasks', { sort: 'colour' as never }).catch((e: unknown) => e);
    expect((sort as Error).message).toContain('"id"|"priority"|"status"|"workstream"|"title"|"domain"|"updated"');
    await opened.session.close();
  });
});
