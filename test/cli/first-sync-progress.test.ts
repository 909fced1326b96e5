// A first `workplan sync` on a fresh clone creates the embedded store (a copy of the migrated template):
// on a terminal it shows progress, and the time it prints is the whole command's (issue 14, point 12).
// Not a terminal, or --json: no progress at all. The terminal is a real pseudo-terminal (util-linux `script`).
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertBuilt, childEnv, CLI, PROJECT_ROOT } from '../hook/support/git-repo.js';

const hasScript = spawnSync('script', ['--version']).status === 0;

async function freshRepo(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'wps-first-sync-'));
  await cp(join(PROJECT_ROOT, 'workplans'), join(root, 'workplans'), { recursive: true });
  return root;
}

function runTimed(cmd: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string; wallMs: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd, env: childEnv({ WORKPLAN_REPOSITORY_SLUG: 'first-sync', TERM: 'xterm' }), timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr), wallMs: Date.now() - started });
      },
    );
  });
}

/** Runs the CLI on a pseudo-terminal: stdout and stderr both arrive, merged, on the child's stdout. */
const onTerminal = (root: string, args: string[]) =>
  runTimed('script', ['-qec', [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' '), '/dev/null'], root);

describe.skipIf(!hasScript && !process.env.CI)('first sync on a fresh clone', () => {
  const roots: string[] = [];
  afterEach(async () => {
    await Promise.all(roots.splice(0).map((r) => rm(r, { recursive: true, force: true })));
  });

  it("on a terminal: progress while the store is created and migrated; the printed time is the whole command's", async () => {
    assertBuilt();
    const root = await freshRepo();
    roots.push(root);
    const r = await onTerminal(root, ['sync']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/creating the embedded store in .*\.workplan\/db/);
    // Copied from the migrated template (adr/0013) the build made, or made now: no migration is applied
    // to the new store itself.
    expect(r.stdout).not.toMatch(/applying the mirror's migrations/);
    const printed = Number(/ids assigned, (\d+) ms/.exec(r.stdout)?.[1]);
    // The child's own clock starts after `script` and node have started: most of the wall time, not a sliver of it.
    expect(printed).toBeGreaterThan(r.wallMs * 0.6);
    expect(printed).toBeLessThanOrEqual(r.wallMs);
  }, 150_000);

  it('not a terminal, or --json on a terminal: no progress, only the result', async () => {
    assertBuilt();
    const plain = await freshRepo();
    const json = await freshRepo();
    roots.push(plain, json);
    const piped = await runTimed(process.execPath, [CLI, 'sync'], plain);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stderr).toBe('');
    expect(piped.stdout).not.toMatch(/\r|creating|applying|parsing/i);
    const printed = Number(/ids assigned, (\d+) ms/.exec(piped.stdout)?.[1]);
    expect(printed).toBeGreaterThan(piped.wallMs * 0.6);
    const machine = await onTerminal(json, ['sync', '--json']);
    expect(machine.code, machine.stdout).toBe(0);
    expect(machine.stdout).not.toMatch(/creating|applying|parsing/i);
    const parsed = JSON.parse(machine.stdout.replace(/\r\n/g, '\n')) as { commandMs: number; durationMs: number };
    expect(parsed.commandMs).toBeGreaterThanOrEqual(parsed.durationMs);
    expect(await readFile(join(json, '.workplan', '.gitignore'), 'utf8')).toMatch(/\*/);
  }, 200_000);
});
