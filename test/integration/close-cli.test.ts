// The `close` and `cleanup` commands as a user runs them: `node bin/workplan.js …` (needs `npm run
// build`), exit codes, a dry run that prints a unified diff and touches nothing, refusals that list the
// open tasks, and `workplan check` enforcing the protocol before and after.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { describeEachDatabase, type DatabaseTarget } from '../support/databases.js';
import { createWorkspace, readClosureFixture, type Workspace } from './support/closure-env.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'workplan.js');
const SOURCE = 'workplans/DOC-WP-0200-search-v1.md';
const TARGET = 'workplans/DOC-WP-0201-search-v2.md';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function workplan(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '', ...env };
    execFile(process.execPath, [BIN, ...args], { cwd, env: childEnv, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const workspaces: Workspace[] = [];
afterEach(async () => {
  await Promise.all(workspaces.splice(0).map((ws) => ws.repo.remove()));
});

async function workspace(
  files: Record<string, string> = { [SOURCE]: readClosureFixture('close-source'), [TARGET]: readClosureFixture('close-target') },
): Promise<Workspace> {
  const ws = await createWorkspace(files);
  workspaces.push(ws);
  return ws;
}

beforeAll(() => {
  if (!existsSync(join(dirname(BIN), '..', 'dist', 'cli', 'main.js')))
    throw new Error('Run "npm run build" first: these tests run the compiled CLI.');
});

describe('workplan close (CLI, no database needed)', () => {
  it('--dry-run prints a unified diff and changes nothing (the mirror is not even opened)', async () => {
    const ws = await workspace();
    const before = [await ws.read(SOURCE), await ws.read(TARGET)];
    const run = await workplan(ws.repo.root, [
      'close',
      'DOC-WP-0200',
      '--carry-forward-to',
      'DOC-WP-0201',
      '--date',
      '2026-03-10',
      '--dry-run',
      '--root',
      '.',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`--- a/${TARGET}\n+++ b/${TARGET}\n@@ -25,6 +25,38 @@`);
    expect(run.stdout).toContain(`--- a/${SOURCE}\n+++ b/${SOURCE}\n`);
    expect(run.stdout).toContain('-status: active # closed by `workplan close`\n+status: completed # closed by `workplan close`');
    expect(run.stdout).toContain('+## Closure Review — 2026-03-10');
    expect(run.stdout).toMatch(/Dry run: .*Nothing was written and the mirror was not changed\.\n$/);
    expect([await ws.read(SOURCE), await ws.read(TARGET)]).toEqual(before);
    expect(existsSync(ws.repo.abs('.workplan'))).toBe(false);
  });

  it('refuses with open tasks and no flag: exit 1, the open tasks listed, nothing written', async () => {
    const ws = await workspace();
    const before = await ws.read(SOURCE);
    const run = await workplan(ws.repo.root, ['close', 'DOC-WP-0200', '--root', '.']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('DOC-WP-0200 has 3 open tasks');
    expect(run.stderr).toContain('  DOC-WP-0200-T02  in_progress  Rank results');
    expect(run.stderr).toContain('--cancel-open');
    expect(run.stderr).toContain('No files were modified.');
    expect(await ws.read(SOURCE)).toBe(before);
    expect(existsSync(ws.repo.abs('.workplan'))).toBe(false);
  });

  it('rejects bad command lines with exit 2', async () => {
    const ws = await workspace();
    expect((await workplan(ws.repo.root, ['close', '--root', '.'])).code).toBe(2);
    expect(
      (await workplan(ws.repo.root, ['close', 'DOC-WP-0200', '--cancel-open', '--carry-forward-to', 'DOC-WP-0201', '--root', '.'])).code,
    ).toBe(2);
    expect((await workplan(ws.repo.root, ['close', 'DOC-WP-0200', '--cancel-open', '--date', '2026-02-30', '--root', '.'])).code).toBe(2);
    const unknown = await workplan(ws.repo.root, ['close', 'DOC-WP-0999', '--cancel-open', '--root', '.']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No workplan with id DOC-WP-0999');
    expect((await workplan(ws.repo.root, ['cleanup', '--dry-run', '--commit', '--root', '.'])).code).toBe(2);
  });

  it('workplan check rejects a completed workplan without a Closure Review or with open tasks', async () => {
    const text = readClosureFixture('completed-open-tasks');
    const ws = await workspace({ 'workplans/DOC-WP-0100.md': text.slice(0, text.indexOf('## Closure Review')) });
    const run = await workplan(ws.repo.root, ['check', '--root', '.']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/workplans\/DOC-WP-0100\.md:6:9: error closure-review-missing /);
    expect(run.stdout).toMatch(
      /workplans\/DOC-WP-0100\.md:6:9: error completed-with-open-tasks .*DOC-WP-0100-T02 \(todo\), DOC-WP-0100-T04 \(in_progress\)/,
    );
  });
});

describeEachDatabase('workplan close / cleanup (CLI)', (db) => {
  /** Points the CLI at the suite's database: DATABASE_URL, or a copy of its embedded store where the CLI looks (inside the repository). */
  async function useDatabase(ws: Workspace, target: DatabaseTarget): Promise<NodeJS.ProcessEnv> {
    if (target.url) return { DATABASE_URL: target.url };
    await cp(target.embeddedDir, ws.repo.abs('.workplan/db'), { recursive: true });
    return {};
  }

  it('close --cancel-open writes, syncs and leaves a repository that passes check; cleanup then finds it consistent', async () => {
    const ws = await workspace();
    const env = await useDatabase(ws, db);
    const close = await workplan(
      ws.repo.root,
      ['close', 'DOC-WP-0200', '--cancel-open', '--date', '2026-03-10', '--context', 'Done for v1.', '--root', '.'],
      env,
    );
    expect(close.stderr).toBe('');
    expect(close.code).toBe(0);
    expect(close.stdout).toContain('Closed DOC-WP-0200 on 2026-03-10: 1 done, 4 cancelled, 0 carried forward; Closure Review added.');
    expect(close.stdout).toContain(`  wrote ${SOURCE}`);
    expect(await ws.read(SOURCE)).toContain('**Context:** Done for v1.');
    const check = await workplan(ws.repo.root, ['check', '--root', '.'], env);
    expect(check.code).toBe(0);

    const cleanup = await workplan(ws.repo.root, ['cleanup', '--json', '--date', '2026-03-11', '--root', '.'], env);
    expect(cleanup.code).toBe(0);
    const json = JSON.parse(cleanup.stdout) as { summary: string; totals: Record<string, number>; eventId: string | null };
    expect(json.summary).toMatch(/^cleanup: all consistent/);
    expect(json.totals).toMatchObject({
      workstreams: 1,
      tasksCancelledInFile: 0,
      rowsCancelledInMirror: 0,
      restoredFromFile: 0,
      alreadyConsistent: 5,
    });
    expect(json.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
