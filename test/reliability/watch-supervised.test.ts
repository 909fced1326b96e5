// `workplan watch` as the README starts it under a supervisor, and through npx (issue 14, point 15):
// - the systemd unit's ExecStart (read from the README) starts the daemon itself, no wrapper: the
//   process that holds the store is the one the supervisor signals, and SIGTERM or SIGINT stops it
//   with exit 0, the store released;
// - started as `npx workplan watch`, `kill <npx pid>` used to leave the daemon running as an orphan
//   holding the store: now it stops when the npm process that started it goes away.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/store.js';
import { copyEmptyPGliteDir } from '../support/databases.js';
import { workplanText } from '../watch/support/workplans.js';
import { assertBuilt, childEnv, createGitRepo, PROJECT_ROOT, type GitRepo } from '../hook/support/git-repo.js';
import { countNote, scenarioFigures } from './support/figures.js';

const figures = scenarioFigures('service-unit');

/** The README's workplan-watch.service ExecStart, as argv, with its /srv/plans made `root`. */
function readmeExecStart(root: string): string[] {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const unit = readme.slice(readme.indexOf('/etc/systemd/system/workplan-watch.service'));
  const line = /^ExecStart=(.*)$/m.exec(unit)![1]!;
  const words = [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  return words.map((w) => w.replace('/srv/plans', root));
}

let template: string;
beforeAll(async () => {
  assertBuilt();
  template = join(await mkdtemp(join(tmpdir(), 'wps-supervised-tpl-')), 'db');
  await copyEmptyPGliteDir(template);
  await (await openStore({ embeddedDir: template })).close();
}, 60_000);
afterAll(() => rm(join(template, '..'), { recursive: true, force: true }));

const repos: GitRepo[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(repos.splice(0).map((r) => r.dispose()));
});

/** A repository with workplan-sync installed as npm installs it: node_modules/workplan-sync and the .bin symlink. */
async function installedRepository(): Promise<GitRepo> {
  const repo = await createGitRepo({ installCli: false });
  repos.push(repo);
  await cp(template, join(repo.root, '.workplan', 'db'), { recursive: true });
  await repo.write('package.json', '{"name":"plans","version":"1.0.0","private":true}\n');
  await repo.write('workplans/S-WP-0001-alpha.md', workplanText({ id: 'S-WP-0001', tasks: [{ status: 'todo' }] }));
  await mkdir(join(repo.root, 'node_modules', '.bin'), { recursive: true });
  await symlink(PROJECT_ROOT, join(repo.root, 'node_modules', 'workplan-sync'), 'dir');
  await symlink('../workplan-sync/bin/workplan.js', join(repo.root, 'node_modules', '.bin', 'workplan'));
  return repo;
}

function start(cmd: string, args: string[], repo: GitRepo, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(cmd, args, { cwd: repo.root, env: childEnv({ ...repo.env, ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(out)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`No ${pattern}; output:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, exited, waitFor, output: () => out };
}

const lockOwner = async (repo: GitRepo) =>
  (JSON.parse(await readFile(join(repo.root, '.workplan', 'db.lock'), 'utf8')) as { pid: number }).pid;

describe('the systemd unit of the README', () => {
  it('starts the daemon itself (node_modules/.bin/workplan, not npx)', () => {
    const argv = readmeExecStart('/repo');
    expect(argv[0]).toBe('/repo/node_modules/.bin/workplan');
    expect(argv.slice(1, 2)).toEqual(['watch']);
    expect(argv.join(' ')).not.toMatch(/npx|npm/);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s to the process it starts stops the daemon cleanly: exit 0, the store released',
    async (signal) => {
      const repo = await installedRepository();
      const [cmd, ...args] = readmeExecStart(repo.root);
      const daemon = start(cmd!, args, repo);
      await daemon.waitFor(/"event":"ready"/);
      expect(await lockOwner(repo)).toBe(daemon.child.pid); // no wrapper between the supervisor and the daemon
      daemon.child.kill(signal);
      expect(await daemon.exited).toBe(0);
      expect(daemon.output()).toMatch(/"event":"stopped"/);
      expect(existsSync(join(repo.root, '.workplan', 'db.lock'))).toBe(false);
      figures.cases++;
      figures.faults++;
      countNote(figures, `daemon started as the systemd unit does, stopped by ${signal}`);
    },
    60_000,
  );
});

describe('started through npx', () => {
  it('kill <npx pid>: the daemon stops cleanly instead of staying behind, orphaned, holding the store', async () => {
    const repo = await installedRepository();
    const npx = start('npx', ['--no-install', 'workplan', 'watch', '--json'], repo);
    await npx.waitFor(/"event":"ready"/, 60_000);
    const daemonPid = await lockOwner(repo);
    expect(daemonPid).not.toBe(npx.child.pid);
    npx.child.kill('SIGTERM');
    await npx.exited;
    const deadline = Date.now() + 10_000;
    while (existsSync(join(repo.root, '.workplan', 'db.lock')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // Running, or only a zombie (exited, its new parent has not reaped it yet)?
    const running = () => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${daemonPid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    while (running() && Date.now() < deadline + 5_000) await new Promise((r) => setTimeout(r, 100));
    const alive = running();
    if (alive) process.kill(daemonPid, 'SIGKILL');
    figures.cases++;
    figures.faults++;
    if (alive) figures.notes['daemons orphaned by npx'] = 1;
    expect(alive, `the daemon outlived npx: ${npx.output()}`).toBe(false);
    countNote(figures, 'npx killed: the daemon stopped by itself');
    expect(existsSync(join(repo.root, '.workplan', 'db.lock'))).toBe(false);
  }, 90_000);
});
