// `workplan sync --staged` as a library call on real git repositories: what is judged is what will be
// committed; ids are written (and staged) only into files without unstaged changes; deletes, renames
// and awkward paths work; nothing else in the index or working tree changes.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { afterEach, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type WorkplanConfig } from '../../src/model/config.js';
import { runStagedSync, type StagedMirrorSync } from '../../src/app/hook.js';
import { checkStagedSnapshot } from '../../src/app/check-staged.js';
import { summaryKey } from '../../src/cache/file-summaries.js';
import { openPreparedCache } from '../../src/cache/prepared-cache.js';
import { cacheDirFor } from '../../src/app/workspace.js';
import { mirrorDatabaseFor } from '../../src/app/open-mirror.js';
import { memorySource } from '../../src/fs/source-files.js';
import { runSync } from '../../src/app/sync.js';
import type { Store } from '../../src/db/store.js';
import { readBlobs, readIndexEntries, readStagedChanges } from '../../src/git/staged.js';
import { describeEachDatabase } from '../support/databases.js';
import { taskStatuses, workstreams } from '../watch/support/daemon-harness.js';
import { workplanText } from '../watch/support/workplans.js';
import { createGitRepo, run, type GitRepo } from './support/git-repo.js';

const wp = (id: string, statuses: string[], withIds = true) => workplanText({ id, tasks: statuses.map((status) => ({ status })), withIds });
const INVALID = (id: string) => wp(id, ['todo']).replace('status: todo', 'status: complete-ish');

describeEachDatabase('sync --staged', (db) => {
  const repos: GitRepo[] = [];
  afterEach(async () => {
    await Promise.all(repos.splice(0).map((r) => r.dispose()));
  });

  const setup = async (files: Record<string, string>, commit = true) => {
    const repo = await createGitRepo({ installCli: false });
    repos.push(repo);
    for (const [p, c] of Object.entries(files)) await repo.write(p, c);
    if (commit) {
      await repo.gitOk('add', '-A');
      await repo.gitOk('commit', '-qm', 'init', '--no-verify');
    }
    return repo;
  };
  const mirrorSync =
    (store: Store, repo: GitRepo, config: WorkplanConfig, calls: string[][] = []): StagedMirrorSync =>
    async ({ files, listing, paths, writeBack }) => {
      calls.push(paths);
      const result = await runSync({
        root: repo.root,
        config,
        repository: { slug: repo.env.WORKPLAN_REPOSITORY_SLUG!, root: repo.root },
        source: memorySource(files, listing),
        mirror: mirrorDatabaseFor(store),
        trigger: 'hook',
        paths,
        writeBack,
        newId: randomUUID,
        now: () => new Date(),
      });
      return { result };
    };
  const staged = async (
    repo: GitRepo,
    store: Store,
    options: { config?: WorkplanConfig; env?: NodeJS.ProcessEnv; calls?: string[][] } = {},
  ) => {
    const config = options.config ?? structuredClone(DEFAULT_CONFIG);
    return runStagedSync({
      root: repo.root,
      config,
      repository: { slug: repo.env.WORKPLAN_REPOSITORY_SLUG!, root: repo.root },
      env: options.env ?? repo.env,
      syncMirror: mirrorSync(store, repo, config, options.calls),
    });
  };

  it('does nothing (no mirror access) when no workplan or ADR is staged', async () => {
    const store = await db.openStore();
    const repo = await setup({ 'workplans/H-WP-0001-a.md': wp('H-WP-0001', ['todo']) });
    await repo.write('notes.txt', 'x');
    await repo.gitOk('add', 'notes.txt');
    const calls: string[][] = [];
    const outcome = await staged(repo, store, { calls });
    expect(outcome.status).toBe('nothing-staged');
    expect(calls).toEqual([]);
  });

  it('syncs a valid staged workplan into the mirror', async () => {
    const store = await db.openStore();
    const repo = await setup({ 'README.md': '# r\n' });
    await repo.write('workplans/H-WP-0001-a.md', wp('H-WP-0001', ['todo', 'done']));
    await repo.gitOk('add', '-A');
    const outcome = await staged(repo, store);
    expect(outcome.status).toBe('synced');
    expect(await taskStatuses(store, repo.env.WORKPLAN_REPOSITORY_SLUG!)).toEqual({ 'H-WP-0001-T01': 'todo', 'H-WP-0001-T02': 'done' });
    expect(outcome.timings.totalMs).toBeGreaterThan(0);
  });

  it('judges a partially staged file by its staged content: valid staged + invalid unstaged passes and syncs the staged version', async () => {
    const store = await db.openStore();
    const path = 'workplans/H-WP-0001-a.md';
    const repo = await setup({ [path]: wp('H-WP-0001', ['todo']) });
    await repo.write(path, wp('H-WP-0001', ['done']));
    await repo.gitOk('add', path);
    await repo.write(path, INVALID('H-WP-0001')); // unstaged, invalid
    const outcome = await staged(repo, store);
    expect(outcome.status).toBe('synced');
    expect(await taskStatuses(store, repo.env.WORKPLAN_REPOSITORY_SLUG!)).toEqual({ 'H-WP-0001-T01': 'done' });
    expect(await repo.read(path)).toBe(INVALID('H-WP-0001')); // the working tree is untouched
  });

  it('and vice versa: invalid staged + valid unstaged blocks, with file:line, and changes nothing', async () => {
    const store = await db.openStore();
    const path = 'workplans/H-WP-0001-a.md';
    const repo = await setup({ [path]: wp('H-WP-0001', ['todo']) });
    await repo.write(path, INVALID('H-WP-0001'));
    await repo.gitOk('add', path);
    await repo.write(path, wp('H-WP-0001', ['done']));
    const statusBefore = await repo.gitOk('status', '--porcelain');
    const calls: string[][] = [];
    const outcome = await staged(repo, store, { calls });
    expect(outcome.status).toBe('invalid');
    const error = outcome.diagnostics.find((d) => d.severity === 'error')!;
    expect(error).toMatchObject({ path, ruleId: 'task-status-invalid' });
    expect(error.span.start.line).toBe(
      INVALID('H-WP-0001')
        .split('\n')
        .findIndex((l) => l.includes('complete-ish')) + 1,
    );
    expect(calls).toEqual([]);
    expect(await repo.gitOk('status', '--porcelain')).toBe(statusBefore);
  });

  it('writes assigned ids into a clean staged file and stages exactly that file', async () => {
    const store = await db.openStore();
    const repo = await setup({ 'workplans/H-WP-0001-a.md': wp('H-WP-0001', ['todo']), 'other.txt': 'one\n' });
    const fresh = 'workplans/H-WP-0002-new.md';
    await repo.write(fresh, wp('H-WP-0002', ['todo', 'todo'], false));
    await repo.gitOk('add', fresh);
    await repo.write('other.txt', 'two\n'); // unrelated, unstaged: must stay so
    const outcome = await staged(repo, store);
    expect(outcome.status).toBe('synced');
    if (outcome.status !== 'synced') return;
    expect(outcome.restaged).toEqual([fresh]);
    const text = await repo.read(fresh);
    expect(text.match(/state_hub_(workstream|task)_id: [0-9a-f-]{36}/g)).toHaveLength(3);
    expect(await repo.gitOk('show', `:${fresh}`)).toBe(text); // staged = written
    expect((await repo.gitOk('status', '--porcelain')).split('\n').filter(Boolean).sort()).toEqual([` M other.txt`, `A  ${fresh}`]);
    const ws = await workstreams(store, repo.env.WORKPLAN_REPOSITORY_SLUG!);
    expect(text).toContain(`state_hub_workstream_id: ${ws['H-WP-0002']!.id}`);
  });

  it('stops before touching anything when a file needing ids also has unstaged changes', async () => {
    const store = await db.openStore();
    const repo = await setup({ 'README.md': '# r\n' });
    const fresh = 'workplans/H-WP-0002-new.md';
    await repo.write(fresh, wp('H-WP-0002', ['todo'], false));
    await repo.gitOk('add', fresh);
    await repo.write(fresh, `${wp('H-WP-0002', ['todo'], false)}\nMore notes.\n`);
    const before = { status: await repo.gitOk('status', '--porcelain'), text: await repo.read(fresh) };
    const calls: string[][] = [];
    const outcome = await staged(repo, store, { calls });
    expect(outcome).toMatchObject({ status: 'needs-clean-files', paths: [fresh] });
    expect(calls).toEqual([]);
    expect({ status: await repo.gitOk('status', '--porcelain'), text: await repo.read(fresh) }).toEqual(before);
  });

  it('handles a staged rename (git mv) as a move and a staged delete, with spaces, unicode and a leading dash in paths', async () => {
    const store = await db.openStore();
    const config: WorkplanConfig = { ...structuredClone(DEFAULT_CONFIG), roots: { workplans: ['.', 'work plans'], adr: ['adr'] } };
    const files = {
      'work plans/H-WP-0001 ä b.md': wp('H-WP-0001', ['todo']),
      '-H-WP-0002-dash.md': wp('H-WP-0002', ['todo']),
      'work plans/H-WP-0003-c.md': wp('H-WP-0003', ['todo']),
      'work plans/H-WP-0004-d.md': wp('H-WP-0004', ['todo']),
    };
    const repo = await setup(files);
    const slug = repo.env.WORKPLAN_REPOSITORY_SLUG!;
    // First commit's content into the mirror.
    await repo.gitOk('rm', '-q', '--cached', '-r', '.');
    await repo.gitOk('add', '-A');
    await repo.gitOk('commit', '-qm', 'noop', '--allow-empty', '--no-verify');
    const first = await runSync({
      root: repo.root,
      config,
      repository: { slug, root: repo.root },
      source: memorySource(new Map(Object.entries(files).map(([p, c]) => [p, new TextEncoder().encode(c)]))),
      mirror: mirrorDatabaseFor(store),
      trigger: 'cli',
      newId: randomUUID,
      now: () => new Date(),
    });
    expect(first.plan.counts.created).toBe(8);
    const before = await workstreams(store, slug);

    await repo.gitOk('mv', '--', 'work plans/H-WP-0001 ä b.md', 'work plans/H-WP-0001 ö renamed.md');
    await repo.gitOk('rm', '-q', '--', '-H-WP-0002-dash.md');
    await repo.write('-H-WP-0005-new dash.md', wp('H-WP-0005', ['done']));
    await repo.gitOk('add', '--', '-H-WP-0005-new dash.md');
    const outcome = await staged(repo, store, { config });
    expect(outcome.status).toBe('synced');
    expect(outcome.staged.map((c) => `${c.status} ${c.path}`).sort()).toEqual(
      ['D -H-WP-0002-dash.md', 'A -H-WP-0005-new dash.md', 'D work plans/H-WP-0001 ä b.md', 'A work plans/H-WP-0001 ö renamed.md'].sort(),
    );
    const after = await workstreams(store, slug);
    expect(after['H-WP-0001']).toEqual({ id: before['H-WP-0001']!.id, path: 'work plans/H-WP-0001 ö renamed.md' });
    expect(after['H-WP-0002']).toBeUndefined();
    expect(after['H-WP-0005']!.path).toBe('-H-WP-0005-new dash.md');
  });

  it('catches cross-file problems in the staged snapshot: a copied workplan keeps its ids (parsed, then from summaries)', async () => {
    const store = await db.openStore();
    const original = wp('H-WP-0001', ['todo']);
    const repo = await setup({ 'workplans/H-WP-0001-a.md': original });
    await repo.write(
      'workplans/H-WP-0002-copy.md',
      original.replace(/^id: H-WP-0001$/m, 'id: H-WP-0002').replace(/H-WP-0001-T/g, 'H-WP-0002-T'),
    );
    await repo.gitOk('add', '-A');
    // First with no summaries (every file parsed), then with them (the original is not read again).
    for (const run of ['cold', 'warm']) {
      const outcome = await staged(repo, store);
      expect(outcome.status, run).toBe('invalid');
      expect(
        outcome.diagnostics.map((d) => d.ruleId),
        run,
      ).toContain('uuid-duplicate');
    }
  });

  it('blocks a staged file repeating the ids of an unchanged file, whichever of the two sorts first', async () => {
    const store = await db.openStore();
    const original = wp('H-WP-0001', ['todo']);
    const repo = await setup({ 'workplans/H-WP-0001-a.md': original });
    const copy = 'workplans/A-copy.md'; // sorts before the original
    await repo.write(copy, original);
    await repo.gitOk('add', copy);
    const calls: string[][] = [];
    const outcome = await staged(repo, store, { calls });
    expect(outcome.status).toBe('invalid');
    const errors = outcome.diagnostics.filter((d) => d.severity === 'error');
    expect(new Set(errors.map((d) => d.path))).toEqual(new Set([copy]));
    expect(errors.map((d) => d.ruleId)).toEqual(expect.arrayContaining(['workplan-id-duplicate', 'uuid-duplicate']));
    expect(errors.find((d) => d.ruleId === 'workplan-id-duplicate')!.message).toContain('workplans/H-WP-0001-a.md:2');
    expect(calls).toEqual([]);
  });

  it('judges unchanged files by the summary recorded for their blob, without reading them', async () => {
    const store = await db.openStore();
    const path = 'workplans/H-WP-0001-a.md';
    const repo = await setup({ [path]: wp('H-WP-0001', ['todo']) });
    const config = structuredClone(DEFAULT_CONFIG);
    const [entry] = await readIndexEntries(repo.root, repo.env, [path]);
    // A planted summary: the committed file "holds" workplan id H-WP-0077 (its text does not).
    await openPreparedCache(cacheDirFor(repo.root), config).summaries.record([
      { oid: entry!.oid, path, summary: { kind: 'workplan', workplan: { id: 'H-WP-0077', line: 2, tasks: [], dependencies: [] } } },
    ]);
    await repo.write('workplans/H-WP-0077-b.md', wp('H-WP-0077', ['todo']));
    await repo.gitOk('add', '-A');
    const outcome = await staged(repo, store, { config });
    expect(outcome.status).toBe('invalid');
    expect(outcome.diagnostics.find((d) => d.ruleId === 'workplan-id-duplicate')?.message).toContain(path);
  });

  it('knows the text it wrote ids into at the next commit, without parsing it again', async () => {
    const store = await db.openStore();
    const repo = await setup({ 'workplans/H-WP-0001-a.md': wp('H-WP-0001', ['todo']) });
    const config = structuredClone(DEFAULT_CONFIG);
    const fresh = 'workplans/H-WP-0002-new.md';
    await repo.write(fresh, wp('H-WP-0002', ['todo', 'todo'], false));
    await repo.gitOk('add', fresh);
    const outcome = await staged(repo, store, { config });
    expect(outcome.status === 'synced' && outcome.restaged).toEqual([fresh]);
    await repo.gitOk('commit', '-qm', 'ids', '--no-verify');

    await repo.write('workplans/H-WP-0003-c.md', wp('H-WP-0003', ['todo']));
    await repo.gitOk('add', '-A');
    const cache = openPreparedCache(cacheDirFor(repo.root), config);
    const [written] = await readIndexEntries(repo.root, repo.env, [fresh]);
    expect((await cache.summaries.load()).has(summaryKey(written!.oid, fresh))).toBe(true);
    const check = await checkStagedSnapshot({
      root: repo.root,
      env: repo.env,
      config,
      staged: await readStagedChanges(repo.root, repo.env),
      cache,
    });
    expect(check.diagnostics).toEqual([]);
    expect(check.summarised).toBe(0);
  });

  it('reads the index GIT_INDEX_FILE names, as under `git commit -a` / `git commit <path>`', async () => {
    const store = await db.openStore();
    const path = 'workplans/H-WP-0001-a.md';
    const repo = await setup({ [path]: wp('H-WP-0001', ['todo']) });
    await repo.write(path, wp('H-WP-0001', ['blocked']));
    const tempIndex = join(repo.root, '.git', 'next-index-test.lock');
    const env = { ...repo.env, GIT_INDEX_FILE: tempIndex };
    await writeFile(tempIndex, ''); // git treats an empty index file as an empty index
    const readTree = await run('git', ['read-tree', 'HEAD'], repo.root, env);
    expect(readTree.code).toBe(0);
    const add = await run('git', ['add', '--', path], repo.root, env);
    expect(add.code).toBe(0);
    expect(await readStagedChanges(repo.root, repo.env)).toEqual([]); // the real index has nothing staged
    expect(await readStagedChanges(repo.root, env)).toEqual([{ status: 'M', path }]);
    const [entry] = await readIndexEntries(repo.root, env, ['workplans']);
    expect((await readBlobs(repo.root, env, [entry!.oid])).get(entry!.oid)!.toString()).toContain('status: blocked');
    const outcome = await staged(repo, store, { env });
    expect(outcome.status).toBe('synced');
    expect((await taskStatuses(store, repo.env.WORKPLAN_REPOSITORY_SLUG!))['H-WP-0001-T01']).toBe('blocked');
  });
});
