// The pre-commit hook end to end: `workplan hook install` in a real repository, then real `git commit`s
// running the built CLI (node_modules/.bin/workplan → bin/workplan.js; run `npm run build` first).
// The mirror is the embedded store in the repository's .workplan/db (pre-migrated), or Postgres.
import { cp, mkdtemp, readFile, rm, stat, writeFile, chmod, mkdir } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/db/store.js';
import { copyEmptyPGliteDir, postgresUnavailable, SuiteDatabases } from '../support/databases.js';
import { taskStatuses, workstreams } from '../watch/support/daemon-harness.js';
import { workplanText } from '../watch/support/workplans.js';
import { assertBuilt, createGitRepo, type GitRepo } from '../hook/support/git-repo.js';

const wp = (id: string, statuses: string[], withIds = true) => workplanText({ id, tasks: statuses.map((status) => ({ status })), withIds });
const INVALID = (id: string) =>
  wp(id, ['todo', 'todo']).replace(/status: todo\n(priority: medium\n\nWork item 02)/, 'status: complete-ish\n$1');
const A = 'workplans/K-WP-0001-alpha.md';
const B = 'workplans/K-WP-0002-beta.md';

let template: string;
beforeAll(async () => {
  assertBuilt();
  template = join(await mkdtemp(join(tmpdir(), 'wps-hook-tpl-')), 'db');
  await copyEmptyPGliteDir(template);
  const store = await openStore({ embeddedDir: template }); // migrated once; each repository copies it
  await store.close();
});
afterAll(async () => {
  if (template) await rm(join(template, '..'), { recursive: true, force: true });
});

describe('pre-commit hook (embedded store)', () => {
  const repos: GitRepo[] = [];
  afterEach(async () => {
    await Promise.all(repos.splice(0).map((r) => r.dispose()));
  });

  /** A repository with the hook installed and one commit of `files` (made without the hook). */
  const setup = async (files: Record<string, string> = { [A]: wp('K-WP-0001', ['todo', 'todo']) }) => {
    const repo = await createGitRepo();
    repos.push(repo);
    await cp(template, join(repo.root, '.workplan', 'db'), { recursive: true });
    for (const [p, c] of Object.entries(files)) await repo.write(p, c);
    await repo.gitOk('add', '-A');
    await repo.gitOk('commit', '-qm', 'init');
    const install = await repo.workplan('hook', 'install');
    expect(install.code, install.stderr).toBe(0);
    return repo;
  };
  /** Reads the repository's embedded mirror (the hook's process has exited and released it). */
  const withMirror = async <T>(repo: GitRepo, fn: (store: Store) => Promise<T>): Promise<T> => {
    const store = await openStore({ embeddedDir: join(repo.root, '.workplan', 'db'), waitForLockMs: 5_000 });
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  };
  const slug = (repo: GitRepo) => repo.env.WORKPLAN_REPOSITORY_SLUG!;
  const head = (repo: GitRepo) => repo.gitOk('rev-parse', 'HEAD');
  const expectNoLocksLeft = async (repo: GitRepo) => {
    await expect(stat(join(repo.root, '.git', 'index.lock'))).rejects.toThrow();
    await expect(stat(join(repo.root, '.workplan', 'db.lock'))).rejects.toThrow();
  };

  it('a valid commit passes and the mirror has its rows', async () => {
    const repo = await setup();
    await repo.write(B, wp('K-WP-0002', ['done']));
    await repo.gitOk('add', B);
    const commit = await repo.git('commit', '-m', 'add beta');
    expect(commit.code, commit.stderr).toBe(0);
    expect(commit.stderr).toMatch(/1 staged file valid; mirror synced/);
    expect(await withMirror(repo, (s) => taskStatuses(s, slug(repo)))).toEqual({ 'K-WP-0002-T01': 'done' });
    await expectNoLocksLeft(repo);
  });

  it('an invalid workplan blocks the commit with file:line:col, and nothing changes', async () => {
    const repo = await setup();
    const before = await head(repo);
    await repo.write(A, INVALID('K-WP-0001'));
    await repo.gitOk('add', A);
    const commit = await repo.git('commit', '-m', 'bad');
    expect(commit.code).not.toBe(0);
    const line =
      INVALID('K-WP-0001')
        .split('\n')
        .findIndex((l) => l.includes('complete-ish')) + 1;
    expect(commit.stderr).toContain(`${A}:${line}:9: error task-status-invalid`);
    expect(commit.stderr).toMatch(/commit was blocked/);
    expect(await head(repo)).toBe(before);
    expect(await repo.gitOk('status', '--porcelain')).toBe(`M  ${A}\n`);
    await expectNoLocksLeft(repo);
  });

  it('a partially staged file is judged by its staged content (valid staged + invalid unstaged passes; the reverse blocks)', async () => {
    const repo = await setup();
    await repo.write(A, wp('K-WP-0001', ['done', 'todo']));
    await repo.gitOk('add', A);
    await repo.write(A, INVALID('K-WP-0001'));
    const pass = await repo.git('commit', '-m', 'staged is valid');
    expect(pass.code, pass.stderr).toBe(0);
    expect(await repo.gitOk('show', `HEAD:${A}`)).toBe(wp('K-WP-0001', ['done', 'todo']));
    expect(await repo.read(A)).toBe(INVALID('K-WP-0001'));

    await repo.gitOk('add', A); // now the invalid version is staged …
    await repo.write(A, wp('K-WP-0001', ['done', 'done'])); // … and a valid one is in the working tree
    const block = await repo.git('commit', '-m', 'staged is invalid');
    expect(block.code).not.toBe(0);
    expect(block.stderr).toContain('task-status-invalid');
  });

  it('id write-back stages exactly the files it wrote ids into', async () => {
    const repo = await setup({ [A]: wp('K-WP-0001', ['todo']), 'notes.txt': 'a\n' });
    await repo.write(B, wp('K-WP-0002', ['todo', 'todo'], false)); // needs 3 ids
    await repo.write(A, wp('K-WP-0001', ['done'])); // has its ids
    await repo.gitOk('add', A, B);
    await repo.write('notes.txt', 'b\n'); // unstaged, unrelated
    const commit = await repo.git('commit', '-m', 'new plan');
    expect(commit.code, commit.stderr).toBe(0);
    expect(commit.stderr).toContain(`ids written into and staged: ${B}`);
    const committed = await repo.gitOk('show', `HEAD:${B}`);
    expect(committed.match(/state_hub_(workstream|task)_id: [0-9a-f-]{36}/g)).toHaveLength(3);
    expect(committed).toBe(await repo.read(B));
    expect(await repo.gitOk('show', '--name-only', '--format=', 'HEAD')).toBe(`${A}\n${B}\n`);
    expect(await repo.gitOk('status', '--porcelain')).toBe(' M notes.txt\n');
    const ws = await withMirror(repo, (s) => workstreams(s, slug(repo)));
    expect(committed).toContain(`state_hub_workstream_id: ${ws['K-WP-0002']!.id}`);
    await expectNoLocksLeft(repo);
  });

  it('`git commit -a` works (temporary index), ids included', async () => {
    const repo = await setup({ [A]: wp('K-WP-0001', ['todo']), [B]: wp('K-WP-0002', ['todo'], false) });
    await repo.write(A, wp('K-WP-0001', ['done']));
    await repo.write(B, wp('K-WP-0002', ['in_progress'], false));
    const commit = await repo.git('commit', '-a', '-m', 'all');
    expect(commit.code, commit.stderr).toBe(0);
    expect(await repo.gitOk('show', `HEAD:${B}`)).toMatch(/state_hub_workstream_id: [0-9a-f-]{36}/);
    expect(await repo.gitOk('status', '--porcelain')).toBe('');
    expect(await withMirror(repo, (s) => taskStatuses(s, slug(repo)))).toEqual({ 'K-WP-0001-T01': 'done', 'K-WP-0002-T01': 'in_progress' });
    await expectNoLocksLeft(repo);
  });

  it('`git commit <path>` works: the ids reach the commit and the real index alike', async () => {
    const repo = await setup({ [A]: wp('K-WP-0001', ['todo']), [B]: wp('K-WP-0002', ['todo'], false) });
    await repo.write(A, wp('K-WP-0001', ['done'])); // modified, not part of this commit
    await repo.write(B, wp('K-WP-0002', ['done'], false));
    const commit = await repo.git('commit', '-m', 'only beta', '--', B);
    expect(commit.code, commit.stderr).toBe(0);
    expect(await repo.gitOk('show', `HEAD:${B}`)).toMatch(/state_hub_task_id: [0-9a-f-]{36}/);
    expect(await repo.gitOk('status', '--porcelain')).toBe(` M ${A}\n`);
    await expectNoLocksLeft(repo);
  });

  it('an existing hook is chained: it runs first and can still block the commit', async () => {
    const repo = await createGitRepo();
    repos.push(repo);
    await cp(template, join(repo.root, '.workplan', 'db'), { recursive: true });
    await repo.gitOk('commit', '-q', '--allow-empty', '-m', 'root');
    const hooks = join(repo.root, '.git', 'hooks');
    await mkdir(hooks, { recursive: true });
    await writeFile(join(hooks, 'pre-commit'), '#!/bin/sh\necho "team hook ran" >&2\n[ ! -f block-me ]\n');
    await chmod(join(hooks, 'pre-commit'), 0o755);
    expect((await repo.workplan('hook', 'install')).stdout).toMatch(/kept as .*pre-commit\.workplan-chained/);
    await repo.write(A, wp('K-WP-0001', ['todo']));
    await repo.gitOk('add', A);
    const pass = await repo.git('commit', '-m', 'ok');
    expect(pass.code, pass.stderr).toBe(0);
    expect(pass.stderr).toMatch(/team hook ran[\s\S]*mirror synced/);
    await repo.write('block-me', '');
    await repo.write(B, wp('K-WP-0002', ['todo']));
    await repo.gitOk('add', B);
    const blocked = await repo.git('commit', '-m', 'blocked by the team hook');
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).not.toMatch(/mirror synced/);
    expect((await repo.workplan('hook', 'uninstall')).code).toBe(0);
    expect(await readFile(join(hooks, 'pre-commit'), 'utf8')).toBe('#!/bin/sh\necho "team hook ran" >&2\n[ ! -f block-me ]\n');
  });

  it('works through core.hooksPath', async () => {
    const repo = await createGitRepo();
    repos.push(repo);
    await cp(template, join(repo.root, '.workplan', 'db'), { recursive: true });
    await repo.gitOk('config', 'core.hooksPath', '.githooks');
    expect((await repo.workplan('hook', 'install')).stdout).toContain(join(repo.root, '.githooks', 'pre-commit'));
    await repo.write(A, INVALID('K-WP-0001'));
    await repo.gitOk('add', A);
    const blocked = await repo.git('commit', '-m', 'bad');
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toContain('task-status-invalid');
  });

  it('an unreachable database does not block a valid commit (policy "warn"), but does with "block"', async () => {
    const repo = await setup();
    repo.env.DATABASE_URL = 'postgresql://nobody:s3cr3t-pw@127.0.0.1:1/none';
    await repo.write(B, wp('K-WP-0002', ['todo']));
    await repo.gitOk('add', B);
    const warned = await repo.git('commit', '-m', 'warn');
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stderr).toMatch(/mirror was not synced[\s\S]*commit proceeds/);
    expect(warned.stderr).not.toContain('s3cr3t-pw');

    await repo.write('workplan.config.json', JSON.stringify({ hook: { onDatabaseUnreachable: 'block' } }));
    await repo.write(A, wp('K-WP-0001', ['done', 'done']));
    await repo.gitOk('add', A);
    const blocked = await repo.git('commit', '-m', 'block');
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toMatch(/commit was blocked \(hook\.onDatabaseUnreachable is "block"\)/);
  });

  it('never hangs: a database that accepts connections but never answers costs at most the time budget', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((s) => sockets.add(s)); // accepts, never speaks
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const repo = await setup();
      repo.env.DATABASE_URL = `postgresql://u@127.0.0.1:${(silent.address() as AddressInfo).port}/db`;
      await repo.write('workplan.config.json', JSON.stringify({ hook: { timeoutMs: 1500 } }));
      await repo.write(B, wp('K-WP-0002', ['todo']));
      await repo.gitOk('add', B);
      const started = Date.now();
      const commit = await repo.git('commit', '-m', 'slow database');
      expect(commit.code, commit.stderr).toBe(0);
      expect(Date.now() - started).toBeLessThan(7_000);
      expect(commit.stderr).toMatch(/did not answer within the hook's time budget \(1500 ms\)/);
      await expectNoLocksLeft(repo);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  it('reports its own total time (for benchmarks) with --json', async () => {
    const repo = await setup();
    await repo.write(B, wp('K-WP-0002', ['todo']));
    await repo.gitOk('add', B);
    const r = await repo.workplan('sync', '--staged', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { status: string; timings: { totalMs: number; validateMs: number; syncMs: number } };
    expect(out.status).toBe('synced');
    expect(out.timings.totalMs).toBeGreaterThanOrEqual(out.timings.validateMs);
    expect(out.timings.syncMs).toBeGreaterThan(0);
  });
});

describe.skipIf(postgresUnavailable !== undefined)('pre-commit hook (Postgres via DATABASE_URL)', () => {
  const suite = new SuiteDatabases('postgres');
  const repos: GitRepo[] = [];
  afterEach(async () => {
    await Promise.all(repos.splice(0).map((r) => r.dispose()));
  });
  afterAll(() => suite.dispose());

  it('a valid commit syncs into the Postgres mirror', async () => {
    const target = await suite.create();
    const repo = await createGitRepo({ env: { DATABASE_URL: target.url! } });
    repos.push(repo);
    await repo.gitOk('commit', '-q', '--allow-empty', '-m', 'root');
    expect((await repo.workplan('hook', 'install')).code).toBe(0);
    await repo.write(A, wp('K-WP-0001', ['done', 'todo'], false));
    await repo.gitOk('add', A);
    const commit = await repo.git('commit', '-m', 'pg');
    expect(commit.code, commit.stderr).toBe(0);
    const store = await target.openStore();
    expect(await taskStatuses(store, repo.env.WORKPLAN_REPOSITORY_SLUG!)).toEqual({ 'K-WP-0001-T01': 'done', 'K-WP-0001-T02': 'todo' });
    expect(await repo.gitOk('show', `HEAD:${A}`)).toMatch(/state_hub_workstream_id/);
  });
});
