// The query and edit commands as a user runs them (`node bin/workplan.js …`, needs `npm run build`):
// the seed scenario (mirror rows set to todo behind the file's back) answered from the file, exit
// codes, and every command working while `workplan watch` owns the embedded store (handed to it).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/store.js';
import { copyEmptyPGliteDir, describeEachDatabase } from '../support/databases.js';
import { planRepos, readFixtureRepository } from '../support/plan-repo.js';
import { assertBuilt, CLI, childEnv, createGitRepo, run, type GitRepo } from '../hook/support/git-repo.js';

const SEED = 'workplans/CUST-WP-0005-state-hub-v0.5.md';

beforeAll(() => assertBuilt());

describeEachDatabase('the query and edit commands (built CLI)', (db) => {
  const planRepo = planRepos(db);
  const workplan = (root: string, env: NodeJS.ProcessEnv, ...args: string[]) =>
    run(process.execPath, [CLI, ...args, '--root', root], root, childEnv(env), 60_000);

  it('list tasks --stale --json on the seed scenario reports the truth from the file, not the drifted rows', async () => {
    const plans = await planRepo({ [SEED]: readFixtureRepository()[SEED]! });
    expect((await workplan(plans.repo.root, plans.env, 'sync')).code).toBe(0);
    // The incident of the seed: the rows say todo, the file says done (and the workplan is completed).
    const drifted = await plans.sql<{ n: number }>(
      `WITH u AS (UPDATE tasks SET status = 'todo' WHERE repository_id = (SELECT id FROM repositories WHERE slug = $1) RETURNING 1) SELECT count(*)::int AS n FROM u`,
      plans.slug,
    );
    expect(drifted).toEqual([{ n: 11 }]);
    const stale = await workplan(plans.repo.root, plans.env, 'list', 'tasks', '--stale', '--no-sync', '--json');
    expect(stale.code, stale.stderr).toBe(0);
    expect(JSON.parse(stale.stdout)).toMatchObject({
      version: 1,
      kind: 'tasks',
      total: 11,
      freshness: { synced: false, outcome: 'skipped' },
    });

    const truth = await workplan(plans.repo.root, plans.env, 'list', 'tasks', '--stale', '--json');
    expect(truth.code, truth.stderr).toBe(0);
    expect(JSON.parse(truth.stdout)).toEqual({
      version: 1,
      kind: 'tasks',
      scope: { repositories: [plans.slug] },
      total: 0,
      limit: 100,
      offset: 0,
      items: [],
      freshness: { synced: true, outcome: 'applied', changedFiles: 1, errors: [] },
    });
    expect(
      await plans.sql(
        `SELECT status FROM tasks WHERE repository_id = (SELECT id FROM repositories WHERE slug = $1) AND status <> 'done'`,
        plans.slug,
      ),
    ).toEqual([]);
    const text = await workplan(plans.repo.root, plans.env, 'list', 'tasks', '--stale');
    expect(text.stdout).toBe('0 tasks\n');
  });

  it('exit codes: 0 answered, 2 bad command line or unknown id, 1 refused edit; --dry-run prints the diff', async () => {
    const plans = await planRepo();
    const root = plans.repo.root;
    const env = plans.env;
    expect((await workplan(root, env, 'list', 'colours')).code).toBe(2);
    const badStatus = await workplan(root, env, 'list', 'tasks', '--status', 'finished-ish');
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toContain(
      'Unknown task status "finished-ish"; use one of todo, in_progress, blocked, done, cancelled, carried_forward',
    );
    const unknown = await workplan(root, env, 'show', 'NOPE-WP-0001');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`no workplan, task or ADR NOPE-WP-0001 in repository ${plans.slug}`);
    const dry = await workplan(root, env, 'set', 'DOC-WP-0100-T05', 'status=done', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('-status: todo\n+status: done\n');
    expect(dry.stdout).toMatch(/Dry run: DOC-WP-0100-T05: status todo → done\. Nothing was written and the mirror was not changed\.\n$/);
    const refused = await workplan(root, env, 'set', 'CUST-WP-0005-T01', 'status=todo');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${SEED}:6:9: error completed-with-open-tasks`);
    expect(refused.stderr).toContain('Nothing was written.');
    const set = await workplan(root, env, 'set', 'DOC-WP-0100-T05', 'status=done');
    expect(set.code, set.stderr).toBe(0);
    const shown = JSON.parse((await workplan(root, env, 'show', 'DOC-WP-0100-T05', '--json')).stdout);
    expect(shown.element.task).toMatchObject({
      status: 'done',
      location: expect.stringMatching(/^workplans\/DOC-WP-0100-platform\.md:\d+$/),
    });
    const adr = await workplan(root, env, 'adr', 'new', 'Agents edit plans through MCP', '--date', '2026-12-01');
    expect(adr.code, adr.stderr).toBe(0);
    expect(adr.stdout).toContain('new ADR ADR-006 (MADR style); wrote adr/ADR-006-agents-edit-plans-through-mcp.md and synced it.');
    expect((await workplan(root, env, 'check')).code).toBe(0);
  });
});

describe('the query and edit commands while `workplan watch` owns the embedded store', () => {
  let template: string;
  let repo: GitRepo;
  let daemon: ChildProcessWithoutNullStreams;
  const events: Array<Record<string, unknown>> = [];
  let exited: Promise<number | null>;

  beforeAll(async () => {
    assertBuilt();
    template = path.join(await mkdtemp(path.join(tmpdir(), 'wps-plan-tpl-')), 'db');
    await copyEmptyPGliteDir(template);
    await (await openStore({ embeddedDir: template })).close();
    repo = await createGitRepo();
    await cp(template, path.join(repo.root, '.workplan', 'db'), { recursive: true });
    for (const [file, text] of Object.entries(readFixtureRepository())) await repo.write(file, text);
    daemon = spawn(process.execPath, [CLI, 'watch', '--json', '--debounce', '100'], { cwd: repo.root, env: repo.env });
    exited = new Promise((resolve) => daemon.on('exit', (code) => resolve(code)));
    let buffer = '';
    daemon.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.trim()) events.push(JSON.parse(line) as Record<string, unknown>);
      }
    });
    await waitFor((e) => e.event === 'ready', 'ready');
  });
  afterAll(async () => {
    if (daemon && daemon.exitCode === null) daemon.kill('SIGTERM');
    await exited;
    await repo?.dispose();
    if (template) await rm(path.dirname(template), { recursive: true, force: true });
  });

  async function waitFor(predicate: (e: Record<string, unknown>) => boolean, what: string, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.find(predicate);
      if (found) return found;
      if (Date.now() > deadline || daemon.exitCode !== null)
        throw new Error(`No ${what}; events:\n${events.map((e) => JSON.stringify(e)).join('\n')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('hands queries and edits to the daemon, which runs them with its store; the edit triggers no second sync', async () => {
    const list = await repo.workplan('list', 'tasks', '--status', 'in_progress');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('DOC-WP-0100-T02');
    expect(list.stderr).toContain(`(list-tasks answered by the running watch daemon, pid ${daemon.pid})`);
    await waitFor((e) => e.event === 'call' && e.name === 'list-tasks' && e.outcome === 'ok', 'the list call');

    const watchSyncs = () => events.filter((e) => e.event === 'sync' && e.trigger === 'watch').length;
    const syncsBefore = watchSyncs();
    const set = await repo.workplan('set', 'DOC-WP-0100-T05', 'status=done');
    expect(set.code, set.stderr).toBe(0);
    expect(await repo.read('workplans/DOC-WP-0100-platform.md')).toMatch(/id: DOC-WP-0100-T05\n(?:state_hub_task_id: .*\n)status: done\n/);
    const shown = await repo.workplan('show', 'DOC-WP-0100-T05', '--json');
    expect(JSON.parse(shown.stdout).element.task.status).toBe('done');
    const added = await repo.workplan('add-task', 'DOC-WP-0100', '--phase', '2', '--title', 'Offline mode', '--json');
    expect(JSON.parse(added.stdout)).toMatchObject({ outcome: 'written', element: { id: 'DOC-WP-0100-T06' } });
    await new Promise((r) => setTimeout(r, 500)); // past the debounce: the daemon saw the writes
    expect(watchSyncs()).toBe(syncsBefore);
    expect(events.filter((e) => e.event === 'call').map((e) => `${e.name as string} ${e.outcome as string}`)).toEqual([
      'list-tasks ok',
      'set-task ok',
      'show ok',
      'add-task ok',
    ]);
    // Commands that need the store itself still fail at once, naming the daemon.
    expect((await repo.workplan('status')).code).toBe(4);
  });

  it('workplan mcp hands its tool calls to the daemon too', async () => {
    const client = new Client({ name: 'agent', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [CLI, 'mcp'],
        cwd: repo.root,
        env: repo.env as Record<string, string>,
        stderr: 'pipe',
      }),
    );
    try {
      const result = (await client.callTool({
        name: 'set_task_status',
        arguments: { task: 'OPS-WP-0003-T01', status: 'in_progress' },
      })) as CallToolResult;
      expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ outcome: 'written' });
      await waitFor(
        (e) => e.event === 'call' && e.name === 'set-task' && e.trigger === 'mcp' && e.outcome === 'ok',
        'the MCP call in the daemon',
      );
      expect(await repo.read('workplans/OPS-WP-0003-backups.md')).toMatch(/status: in_progress\n/);
    } finally {
      await client.close();
    }
  });

  it('a dry run needs no store at all', async () => {
    const calls = events.filter((e) => e.event === 'call').length;
    const dry = await repo.workplan('set', 'DOC-WP-0100-T04', 'status=done', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(events.filter((e) => e.event === 'call').length).toBe(calls);
  });
});
