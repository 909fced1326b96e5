// The hook managers the README documents, each with its real client and the README's own snippet
// (issue 14, points 13 and 14): husky and lefthook from npm (devDependencies of this project), and the
// pre-commit framework from Debian's `pre-commit` package (installed by .ci/run; skipped locally when it
// is missing, required in CI). In each: an invalid staged workplan blocks the commit with file:line
// errors; a valid one is committed and synced.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/store.js';
import { copyEmptyPGliteDir } from '../support/databases.js';
import { workplanText } from '../watch/support/workplans.js';
import { assertBuilt, createGitRepo, PROJECT_ROOT, run, type GitRepo } from '../hook/support/git-repo.js';
import { countNote, scenarioFigures } from './support/figures.js';

const figures = scenarioFigures('hook-managers');

const README = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
/** The first fenced block of `lang` after `marker` in the README. */
function readmeBlock(marker: string, lang: string): string {
  const at = README.indexOf(marker);
  if (at < 0) throw new Error(`README has no ${marker}`);
  const fence = README.indexOf(`\`\`\`${lang}\n`, at);
  return README.slice(fence + lang.length + 4, README.indexOf('\n```', fence) + 1);
}

const wp = (id: string, statuses: string[]) => workplanText({ id, tasks: statuses.map((status) => ({ status })), withIds: false });
const INVALID = (id: string) =>
  wp(id, ['todo', 'todo']).replace(/status: todo\n(priority: medium\n\nWork item 02)/, 'status: complete-ish\n$1');
const hasPreCommit = spawnSync('pre-commit', ['--version']).status === 0;

let template: string;
beforeAll(async () => {
  assertBuilt();
  template = join(await mkdtemp(join(tmpdir(), 'wps-managers-tpl-')), 'db');
  await copyEmptyPGliteDir(template);
  await (await openStore({ embeddedDir: template })).close();
}, 60_000);
afterAll(() => rm(join(template, '..'), { recursive: true, force: true }));

const repos: GitRepo[] = [];
afterEach(async () => {
  await Promise.all(repos.splice(0).map((r) => r.dispose()));
});

/** A Node repository with workplan-sync (and the hook managers) installed as npm installs them. */
async function nodeRepository(): Promise<GitRepo> {
  const repo = await createGitRepo({ installCli: false });
  repos.push(repo);
  await cp(template, join(repo.root, '.workplan', 'db'), { recursive: true });
  await repo.write('package.json', '{"name":"plans","version":"1.0.0","private":true}\n');
  await repo.write('.gitignore', 'node_modules/\n.workplan/\n');
  await mkdir(join(repo.root, 'node_modules', '.bin'), { recursive: true });
  const link = async (name: string, bin?: string) => {
    await symlink(
      name === 'workplan-sync' ? PROJECT_ROOT : join(PROJECT_ROOT, 'node_modules', name),
      join(repo.root, 'node_modules', name),
      'dir',
    );
    if (bin) await symlink(`../${name}/${bin.split(':')[1]}`, join(repo.root, 'node_modules', '.bin', bin.split(':')[0]!));
  };
  await link('workplan-sync', 'workplan:bin/workplan.js');
  await link('husky', 'husky:bin.js');
  await repo.gitOk('add', '-A');
  await repo.gitOk('commit', '-qm', 'init');
  return repo;
}

/** Commits an invalid workplan (must be blocked), then a valid one in a sub-directory (must pass). */
async function expectHookEnforced(repo: GitRepo, manager: string): Promise<void> {
  const head = await repo.gitOk('rev-parse', 'HEAD');
  await repo.write('workplans/M-WP-0001-alpha.md', INVALID('M-WP-0001'));
  await repo.gitOk('add', 'workplans/M-WP-0001-alpha.md');
  const blocked = await repo.git('commit', '-m', 'invalid');
  expect(blocked.code, blocked.stdout + blocked.stderr).not.toBe(0);
  expect(blocked.stdout + blocked.stderr).toMatch(/workplans\/M-WP-0001-alpha\.md:\d+:\d+: error task-status-invalid/);
  expect(await repo.gitOk('rev-parse', 'HEAD')).toBe(head);

  await repo.write('workplans/M-WP-0001-alpha.md', wp('M-WP-0001', ['todo']));
  await repo.write('workplans/team/M-WP-0002-beta.md', wp('M-WP-0002', ['done']));
  await repo.gitOk('add', '-A');
  const passed = await repo.git('commit', '-m', 'valid');
  expect(passed.code, passed.stdout + passed.stderr).toBe(0);
  // (pre-commit shows a passing hook's output only as "Passed".)
  expect(passed.stdout + passed.stderr).toMatch(/2 staged files valid; mirror synced|workplan sync --staged\.+Passed/);
  // Ids were written into the files and committed with them; nothing is left unstaged.
  expect(await repo.gitOk('show', 'HEAD:workplans/team/M-WP-0002-beta.md')).toMatch(/state_hub_workstream_id: [0-9a-f-]{36}/);
  expect(await repo.gitOk('status', '--porcelain', '--', 'workplans')).toBe('');
  figures.cases += 2;
  figures.faults++; // the invalid workplan
  countNote(figures, `${manager}: commits blocked and passed as they should`, 2);
}

describe("husky (the README's .husky/pre-commit)", () => {
  it('blocks an invalid workplan, commits and syncs valid ones', async () => {
    const repo = await nodeRepository();
    const husky = await run(join(repo.root, 'node_modules', '.bin', 'husky'), [], repo.root, repo.env);
    expect(husky.code, husky.stderr).toBe(0);
    await writeFile(join(repo.root, '.husky', 'pre-commit'), readmeBlock('husky (`.husky/pre-commit`)', 'sh'));
    await expectHookEnforced(repo, 'husky');
  }, 120_000);
});

describe("lefthook (the README's lefthook.yml, default glob matcher)", () => {
  it('runs on workplans at any depth: blocks an invalid one, commits and syncs valid ones', async () => {
    const repo = await nodeRepository();
    await repo.write('lefthook.yml', readmeBlock('lefthook (`lefthook.yml`)', 'yaml'));
    const lefthook = join(PROJECT_ROOT, 'node_modules', '.bin', 'lefthook');
    const install = await run(lefthook, ['install'], repo.root, repo.env);
    expect(install.code, install.stderr).toBe(0);
    await expectHookEnforced(repo, 'lefthook');
  }, 120_000);
});

// The framework installs the hook from a clone of this repository at `rev`, as a user's config does:
// `npm install`, `npm pack` (which runs our prepare script: its stdout must be the tarball's name
// alone), `npm install -g <tarball>`. Minutes, and the npm registry: CI runs it.
describe.skipIf(!hasPreCommit && !process.env.CI)("pre-commit (the README's .pre-commit-config.yaml, Debian's pre-commit)", () => {
  it('installs the shipped .pre-commit-hooks.yaml with `language: node`; blocks an invalid workplan, commits valid ones', async () => {
    const home = await mkdtemp(join(tmpdir(), 'wps-pre-commit-home-'));
    // A clone of this repository at its current commit, with the working tree's hook definitions.
    const source = await mkdtemp(join(tmpdir(), 'wps-pre-commit-src-'));
    try {
      execFileSync('git', ['clone', '-q', PROJECT_ROOT, source]);
      const rev = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: source, encoding: 'utf8' }).trim();
      const repo = await createGitRepo({ installCli: false, env: { PRE_COMMIT_HOME: home } });
      repos.push(repo);
      await cp(template, join(repo.root, '.workplan', 'db'), { recursive: true });
      const config = readmeBlock('[pre-commit](https://pre-commit.com)', 'yaml')
        .replace(/repo: .*/, `repo: ${source}`)
        .replace(/rev: .*/, `rev: ${rev}`);
      await repo.write('.pre-commit-config.yaml', config);
      await repo.gitOk('add', '-A');
      await repo.gitOk('commit', '-qm', 'init');
      const install = await run('pre-commit', ['install', '--install-hooks'], repo.root, repo.env, 600_000);
      expect(install.code, install.stdout + install.stderr).toBe(0);
      await expectHookEnforced(repo, 'pre-commit');
    } finally {
      await rm(home, { recursive: true, force: true });
      await rm(source, { recursive: true, force: true });
    }
  }, 900_000);
});
