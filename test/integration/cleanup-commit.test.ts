// `workplan cleanup --commit` commits exactly the files it changed: another staged file stays staged and
// out of the commit, a dirty file stays dirty (src/git/commit-files.ts: `git commit --only`).
import { afterEach, expect, it } from 'vitest';

import { runCleanup } from '../../src/app/cleanup.js';
import { runSync } from '../../src/app/sync.js';
import { commitFiles } from '../../src/git/commit-files.js';
import { describeEachDatabase } from '../support/databases.js';
import { createWorkspace, git, initGitRepo, mirrorOf, readClosureFixture, syncOptions, type Workspace } from './support/closure-env.js';

const OPEN_PATH = 'workplans/DOC-WP-0100 completed open.md';

const workspaces: Workspace[] = [];
afterEach(async () => {
  await Promise.all(workspaces.splice(0).map((ws) => ws.repo.remove()));
});

describeEachDatabase('cleanup --commit', (db) => {
  it('commits only the files it changed; other staged changes stay staged and uncommitted, dirty files stay dirty', async () => {
    const store = await db.openStore();
    const mirror = mirrorOf(store);
    const fixture = readClosureFixture('completed-open-tasks');
    const ws = await createWorkspace({
      [OPEN_PATH]: fixture.replace('status: completed', 'status: active'),
      'notes/staged.md': 'staged v1\n',
      'notes/dirty.md': 'dirty v1\n',
    });
    workspaces.push(ws);
    await runSync(syncOptions(ws, mirror));
    const root = ws.repo.root;
    initGitRepo(root);
    await ws.repo.write(OPEN_PATH, (await ws.read(OPEN_PATH)).replace('status: active', 'status: completed'));
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'initial');
    const head = git(root, 'rev-parse', 'HEAD').trim();
    await ws.repo.write('notes/staged.md', 'staged v2\n');
    git(root, 'add', 'notes/staged.md');
    await ws.repo.write('notes/dirty.md', 'dirty v2\n');

    const result = await runCleanup({ ...ws.base, mirror, date: '2026-03-10', commit: true });

    expect(result.commit).toMatchObject({
      outcome: 'committed',
      paths: [OPEN_PATH],
      message: 'workplan cleanup: cancel 2 open task(s) in completed workstreams',
    });
    const commit = git(root, 'rev-parse', 'HEAD').trim();
    expect(commit).not.toBe(head);
    expect(git(root, 'rev-parse', 'HEAD~1').trim()).toBe(head);
    expect(git(root, 'show', '--name-only', '--format=%s', 'HEAD').trim().split('\n')).toEqual([
      'workplan cleanup: cancel 2 open task(s) in completed workstreams',
      '',
      OPEN_PATH,
    ]);
    expect(git(root, 'show', `HEAD:${OPEN_PATH}`)).toBe(await ws.read(OPEN_PATH));
    expect(git(root, 'diff', '--cached', '--name-only').trim()).toBe('notes/staged.md');
    expect(git(root, 'diff', '--name-only').trim()).toBe('notes/dirty.md');
    expect(git(root, 'status', '--porcelain', '--', OPEN_PATH).trim()).toBe('');
  });

  it('without --commit leaves the changed file modified for review', async () => {
    const store = await db.openStore();
    const mirror = mirrorOf(store);
    const ws = await createWorkspace({
      [OPEN_PATH]: readClosureFixture('completed-open-tasks').replace('status: completed', 'status: active'),
    });
    workspaces.push(ws);
    await runSync(syncOptions(ws, mirror));
    initGitRepo(ws.repo.root);
    await ws.repo.write(OPEN_PATH, (await ws.read(OPEN_PATH)).replace('status: active', 'status: completed'));
    git(ws.repo.root, 'add', '-A');
    git(ws.repo.root, 'commit', '-q', '-m', 'initial');
    const result = await runCleanup({ ...ws.base, mirror, date: '2026-03-10' });
    expect(result.commit).toBeNull();
    expect(git(ws.repo.root, 'status', '--porcelain').trim()).toBe(`M "${OPEN_PATH}"`);
  });
});

it('commitFiles commits an untracked path too, and a path with a leading dash', async () => {
  const ws = await createWorkspace({ 'a.md': 'a\n' });
  workspaces.push(ws);
  const root = ws.repo.root;
  initGitRepo(root);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'initial');
  await ws.repo.write('-new.md', 'new\n');
  await ws.repo.write('a.md', 'a2\n');
  const done = await commitFiles({ cwd: root, paths: ['-new.md'], message: 'add it' });
  expect(git(root, 'show', '--name-only', '--format=', done.commit).trim()).toBe('-new.md');
  expect(git(root, 'status', '--porcelain').trim()).toBe('M a.md');
});
