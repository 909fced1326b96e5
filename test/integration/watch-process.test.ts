// `workplan watch` as a real process (the built CLI): it owns the embedded store, and other workplan
// processes started meanwhile still work — `sync` and the pre-commit hook are run by the daemon,
// `check` needs no store at all. SIGTERM stops it cleanly (exit 0, no lock or socket left).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/store.js';
import { copyEmptyPGliteDir } from '../support/databases.js';
import { workplanText } from '../watch/support/workplans.js';
import { assertBuilt, CLI, createGitRepo, type GitRepo } from '../hook/support/git-repo.js';

const A = 'workplans/P-WP-0001-alpha.md';
const B = 'workplans/P-WP-0002-beta.md';
const wp = (id: string, statuses: string[], withIds = true) => workplanText({ id, tasks: statuses.map((status) => ({ status })), withIds });

let template: string;
beforeAll(async () => {
  assertBuilt();
  template = join(await mkdtemp(join(tmpdir(), 'wps-watch-tpl-')), 'db');
  await copyEmptyPGliteDir(template);
  await (await openStore({ embeddedDir: template })).close();
});
afterAll(async () => {
  if (template) await rm(join(template, '..'), { recursive: true, force: true });
});

interface Daemon {
  child: ChildProcessWithoutNullStreams;
  events: Array<Record<string, unknown>>;
  stderr: string[];
  exited: Promise<number | null>;
  waitFor(predicate: (e: Record<string, unknown>) => boolean, what: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

const repos: GitRepo[] = [];
const daemons: Daemon[] = [];
afterEach(async () => {
  for (const d of daemons.splice(0)) {
    if (d.child.exitCode === null) d.child.kill('SIGKILL');
    await d.exited;
  }
  await Promise.all(repos.splice(0).map((r) => r.dispose()));
});

function startDaemon(repo: GitRepo, ...args: string[]): Daemon {
  const child = spawn(process.execPath, [CLI, 'watch', '--json', ...args], { cwd: repo.root, env: repo.env });
  const events: Array<Record<string, unknown>> = [];
  const stderr: string[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.trim()) events.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const daemon: Daemon = {
    child,
    events,
    stderr,
    exited,
    async waitFor(predicate, what, timeoutMs = 8_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(predicate);
        if (found) return found;
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`No ${what}; events:\n${events.map((e) => JSON.stringify(e)).join('\n')}\nstderr: ${stderr.join('')}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
  daemons.push(daemon);
  return daemon;
}

async function setup(): Promise<GitRepo> {
  const repo = await createGitRepo();
  repos.push(repo);
  await cp(template, join(repo.root, '.workplan', 'db'), { recursive: true });
  await repo.write(A, wp('P-WP-0001', ['todo', 'todo']));
  await repo.gitOk('add', '-A');
  await repo.gitOk('commit', '-qm', 'init');
  return repo;
}

describe('a `workplan watch` process', () => {
  // One daemon for the steps below, in order (tests in a file run sequentially).
  let repo: GitRepo;
  let d: Daemon;
  beforeAll(async () => {
    repo = await setup();
    repos.splice(repos.indexOf(repo), 1); // kept until afterAll
    d = startDaemon(repo, '--debounce', '100');
    daemons.splice(daemons.indexOf(d), 1);
    await d.waitFor((e) => e.event === 'ready', 'ready', 15_000);
  });
  afterAll(async () => {
    if (d && d.child.exitCode === null) d.child.kill('SIGKILL');
    await d?.exited;
    await repo?.dispose();
  });

  it('syncs everything at start and holds the embedded store', async () => {
    expect(d.events.find((e) => e.event === 'sync')).toMatchObject({ trigger: 'start', outcome: 'applied' });
    const lock = JSON.parse(await readFile(join(repo.root, '.workplan', 'db.lock'), 'utf8')) as { pid: number; command: string };
    expect(lock).toMatchObject({ pid: d.child.pid, command: 'workplan watch' });
  });

  it('syncs an edit once, with the times a latency benchmark needs', async () => {
    await repo.write(A, wp('P-WP-0001', ['done', 'todo']));
    const edit = await d.waitFor((e) => e.event === 'sync' && e.trigger === 'watch', 'the sync of the edit');
    expect(edit).toMatchObject({ paths: [A], counts: { updated: 1 } });
    const [change] = edit.changes as Array<{ firstEventAt: number }>;
    expect(edit.finishedAt as number).toBeGreaterThanOrEqual(change!.firstEventAt);
  });

  it('runs `workplan sync` of another process for it (ids written back by the daemon)', async () => {
    await repo.write(B, wp('P-WP-0002', ['todo'], false));
    const sync = await repo.workplan('sync');
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toContain(`synced by the running watch daemon (pid ${d.child.pid})`);
    await d.waitFor((e) => e.event === 'sync' && e.trigger === 'cli', 'the delegated sync');
    expect(await repo.read(B)).toMatch(/state_hub_workstream_id: [0-9a-f-]{36}/);
  });

  it('lets `workplan check` run: it opens no store, so it never waits for the daemon', async () => {
    const started = Date.now();
    const check = await repo.workplan('check');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(check.stderr).not.toMatch(/Waiting for/);
  });

  it("runs the pre-commit hook's sync for it", async () => {
    expect((await repo.workplan('hook', 'install')).code).toBe(0);
    await repo.gitOk('add', '-A');
    const commit = await repo.git('commit', '-m', 'through the daemon');
    expect(commit.code, commit.stderr).toBe(0);
    expect(commit.stderr).toContain(`mirror synced by the running watch daemon (pid ${d.child.pid})`);
  });

  // Issue 14, point 8: the daemon writes ids into a new file between `git add` and `git commit`. The
  // working tree then differs from the staged blob only by those id lines: the hook stages them.
  it('a file the daemon wrote ids into after `git add`: the commit passes, with exactly those id lines staged', async () => {
    const C = 'workplans/P-WP-0003-gamma.md';
    await repo.write(C, wp('P-WP-0003', ['todo', 'todo'], false));
    await repo.gitOk('add', C);
    expect(await repo.gitOk('show', `:${C}`)).not.toMatch(/state_hub/);
    await d.waitFor(
      (e) => e.event === 'sync' && (e.paths as string[] | undefined)?.includes(C) === true,
      "the daemon's sync of the new file",
    );
    expect(await repo.read(C)).toMatch(/state_hub_workstream_id: [0-9a-f-]{36}/);
    expect(await repo.gitOk('status', '--porcelain', '--', C)).toMatch(/^AM /);
    const commit = await repo.git('commit', '-m', 'add gamma');
    expect(commit.code, commit.stderr).toBe(0);
    expect(commit.stderr).not.toMatch(/unstaged changes/);
    expect(await repo.gitOk('show', `HEAD:${C}`)).toBe(await repo.read(C));
    expect(await repo.gitOk('status', '--porcelain', '--', C)).toBe('');
  });

  it('blocks a commit when the working tree holds other changes besides the ids (nothing changed)', async () => {
    const E = 'workplans/P-WP-0004-delta.md';
    await repo.write(E, wp('P-WP-0004', ['todo'], false));
    await repo.gitOk('add', E);
    await d.waitFor(
      (e) => e.event === 'sync' && (e.paths as string[] | undefined)?.includes(E) === true,
      "the daemon's sync of the new file",
    );
    await repo.write(E, `${await repo.read(E)}\nA note of mine.\n`);
    const head = await repo.gitOk('rev-parse', 'HEAD');
    const staged = await repo.gitOk('show', `:${E}`);
    const commit = await repo.git('commit', '-m', 'add delta');
    expect(commit.code).not.toBe(0);
    expect(commit.stderr).toMatch(/has unstaged changes as well/);
    expect(await repo.gitOk('rev-parse', 'HEAD')).toBe(head);
    expect(await repo.gitOk('show', `:${E}`)).toBe(staged);
    await repo.gitOk('rm', '-q', '-f', E);
    await d.waitFor(
      (e) => e.event === 'sync' && (e.paths as string[] | undefined)?.includes(E) === true && (e.counts as { removed: number }).removed > 0,
      'the sync of its removal',
    );
  });

  // Issue 14, point 16: an invalid file was reported once; invalid again after a valid spell (git
  // stash, then stash pop), it was not reported at all.
  it('reports a file that becomes invalid again after being valid meanwhile', async () => {
    const valid = await repo.read(A);
    const invalid = valid.replace(/status: (todo|done)\n/, 'status: complete-ish\n');
    const reports = () =>
      d.events.filter(
        (e) =>
          e.event === 'sync' &&
          (e.diagnostics as Array<{ path: string; ruleId: string }>).some((x) => x.path === A && x.ruleId === 'task-status-invalid'),
      ).length;
    const before = reports();
    await repo.write(A, invalid);
    await d.waitFor(() => reports() === before + 1, 'the first report');
    await repo.write(A, valid); // as `git stash` puts it back
    await new Promise((r) => setTimeout(r, 600));
    await repo.write(A, invalid); // as `git stash pop` brings it back
    await d.waitFor(() => reports() === before + 2, 'the second report');
    await repo.write(A, valid);
    await new Promise((r) => setTimeout(r, 600));
  });

  it('refuses a second daemon on the same store, and started no sync for its own write-backs', async () => {
    const watchSyncs = () => d.events.filter((e) => e.event === 'sync' && e.trigger === 'watch').length;
    const before = watchSyncs();
    const second = await repo.workplan('watch');
    expect(second.code).toBe(4);
    expect(second.stderr).toContain(`a watch daemon (pid ${d.child.pid}) is already running`);
    await new Promise((r) => setTimeout(r, 400));
    expect(watchSyncs()).toBe(before);
    // B was created without ids: at most one watch sync of it (its creation, unless the delegated sync
    // got there first) — never one for the ids the daemon wrote into it.
    const syncsOfB = d.events.filter((e) => e.event === 'sync' && e.trigger === 'watch' && (e.paths as string[]).includes(B));
    expect(syncsOfB.length).toBeLessThanOrEqual(1);
  });

  it('stops on SIGTERM with exit 0, leaving no lock or socket; `workplan sync` then opens the store itself', async () => {
    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(0);
    expect(d.events.at(-1)).toMatchObject({ event: 'stopped' });
    await expect(stat(join(repo.root, '.workplan', 'db.lock'))).rejects.toThrow();
    await expect(stat(join(repo.root, '.workplan', 'daemon.sock'))).rejects.toThrow();
    const after = await repo.workplan('sync');
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).not.toContain('watch daemon');
    expect(after.stdout).toMatch(/0 created, 0 updated, 0 removed, 0 ids assigned/);
  });
});

it('rejects a bad --schedule or --debounce with a usage error', async () => {
  const repo = await setup();
  const cron = await repo.workplan('watch', '--schedule', '61 * * * *');
  expect(cron.code).toBe(2);
  expect(cron.stderr).toContain('Invalid minute field');
  const debounce = await repo.workplan('watch', '--debounce', 'soon');
  expect(debounce.code).toBe(2);
});
