// The pre-commit hook `workplan hook install` writes, in repositories without a node_modules of their
// own (plans often live in non-Node repositories): it runs the installation that installed it, by
// absolute path (issue 14, point 7: it ran `npx --no-install workplan`, which failed with an npm 404
// and blocked every commit). When that installation is gone, the policy of the README holds: the
// project's own node_modules/.bin/workplan if there is one, else the commit proceeds, unchecked, and
// says so. And `hook install` says to run one `workplan sync` for what was committed before (point 17).
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/store.js';
import { copyEmptyPGliteDir } from '../support/databases.js';
import { workplanText } from '../watch/support/workplans.js';
import { assertBuilt, createGitRepo, PROJECT_ROOT, run, type GitRepo } from '../hook/support/git-repo.js';
import { countNote, scenarioFigures } from './support/figures.js';

const figures = scenarioFigures('hook-installation');

const wp = (id: string, statuses: string[], withIds = true) => workplanText({ id, tasks: statuses.map((status) => ({ status })), withIds });
const INVALID = (id: string) =>
  wp(id, ['todo', 'todo']).replace(/status: todo\n(priority: medium\n\nWork item 02)/, 'status: complete-ish\n$1');
const A = 'workplans/I-WP-0001-alpha.md';
const B = 'workplans/I-WP-0002-beta.md';

let scratch: string;
let template: string;
/** A second installation of workplan, outside the project: bin/, dist/, prisma/, package.json, node_modules. */
let copy: string;
beforeAll(async () => {
  assertBuilt();
  scratch = await mkdtemp(join(tmpdir(), 'wps-hook-install-'));
  template = join(scratch, 'template-db');
  await copyEmptyPGliteDir(template);
  await (await openStore({ embeddedDir: template })).close();
  copy = join(scratch, 'installation', 'workplan-sync');
  await mkdir(copy, { recursive: true });
  for (const name of ['bin', 'dist', 'prisma', 'package.json']) await cp(join(PROJECT_ROOT, name), join(copy, name), { recursive: true });
  await symlink(join(PROJECT_ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
}, 120_000);
afterAll(() => rm(scratch, { recursive: true, force: true }));

const repos: GitRepo[] = [];
afterEach(async () => {
  await Promise.all(repos.splice(0).map((r) => r.dispose()));
});

/** A repository with no node_modules, one commit made before any hook, and its embedded store ready. */
async function plainRepository(): Promise<GitRepo> {
  const repo = await createGitRepo({ installCli: false });
  repos.push(repo);
  await cp(template, join(repo.root, '.workplan', 'db'), { recursive: true });
  await repo.write(A, wp('I-WP-0001', ['todo', 'todo']));
  await repo.gitOk('add', '-A');
  await repo.gitOk('commit', '-qm', 'before the hook');
  return repo;
}

describe('the installed hook in a repository without node_modules', () => {
  it('runs the installation that installed it: an invalid file blocks the commit, a valid one is synced', async () => {
    const repo = await plainRepository();
    const install = await run(process.execPath, [join(copy, 'bin', 'workplan.js'), 'hook', 'install'], repo.root, repo.env);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain(`It runs this installation: ${process.execPath} ${join(copy, 'bin', 'workplan.js')}`);
    // Point 17: what was committed before the hook reaches the mirror with one sync; the output says so.
    expect(install.stdout).toMatch(/run `workplan sync` once now so that the files committed before it existed reach the mirror/);

    await repo.write(B, INVALID('I-WP-0002'));
    await repo.gitOk('add', B);
    const blocked = await repo.git('commit', '-m', 'invalid');
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toMatch(/I-WP-0002-beta\.md:\d+:\d+: error task-status-invalid/);
    expect(blocked.stderr).not.toMatch(/npm|404|npx/);

    await repo.write(B, wp('I-WP-0002', ['done']));
    await repo.gitOk('add', B);
    const passed = await repo.git('commit', '-m', 'valid');
    expect(passed.code, passed.stderr).toBe(0);
    expect(passed.stderr).toMatch(/1 staged file valid; mirror synced/);
    figures.cases += 2;
    countNote(figures, 'commits through the installing installation, no node_modules', 2);
  }, 120_000);

  it("when that installation is gone: the repository's own node_modules/.bin/workplan if any, else the commit proceeds and says it was not checked", async () => {
    const gone = join(scratch, 'gone', 'workplan-sync');
    await mkdir(gone, { recursive: true });
    for (const name of ['bin', 'dist', 'prisma', 'package.json']) await cp(join(copy, name), join(gone, name), { recursive: true });
    await symlink(join(PROJECT_ROOT, 'node_modules'), join(gone, 'node_modules'), 'dir');
    const repo = await plainRepository();
    expect((await run(process.execPath, [join(gone, 'bin', 'workplan.js'), 'hook', 'install'], repo.root, repo.env)).code).toBe(0);
    await rm(join(scratch, 'gone'), { recursive: true, force: true });

    await repo.write(B, INVALID('I-WP-0002'));
    await repo.gitOk('add', B);
    const unchecked = await repo.git('commit', '-m', 'unchecked');
    expect(unchecked.code, unchecked.stderr).toBe(0);
    expect(unchecked.stderr).toContain(`the pre-commit hook could not run: ${join(gone, 'bin', 'workplan.js')}`);
    expect(unchecked.stderr).toMatch(/were NOT checked or synced\. Run `workplan hook install` again/);

    // The repository's own binary, when it has one, takes over.
    await repo.write('node_modules/.bin/workplan', `#!/bin/sh\nexec "${process.execPath}" "${join(copy, 'bin', 'workplan.js')}" "$@"\n`);
    await run('chmod', ['+x', join(repo.root, 'node_modules/.bin/workplan')], repo.root, repo.env);
    await repo.write(A, INVALID('I-WP-0001'));
    await repo.gitOk('add', A);
    const fallback = await repo.git('commit', '-m', "checked by the project's own binary");
    expect(fallback.code).not.toBe(0);
    expect(fallback.stderr).toMatch(/I-WP-0001-alpha\.md:\d+:\d+: error task-status-invalid/);
    figures.cases += 2;
    figures.faults++; // the installation removed
    countNote(figures, 'commits after the installation was removed', 2);
  }, 120_000);
});
