// `workplan mcp` driven by the MCP SDK's own client over stdio (the built CLI, in a temporary git
// repository), on both stores: the tools are listed with their schemas, each one is called; a
// set_task_status changes exactly the task's status line and the mirror row; create_adr writes a file
// `workplan check` accepts; errors are tool errors naming file:line and the rule; --read-only offers
// only the tools that read; the files are resources.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import path from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { copyEmptyPGliteDir, describeEachDatabase, type DatabaseTarget } from '../support/databases.js';
import { readFixtureRepository } from '../support/plan-repo.js';
import { assertBuilt, CLI, createGitRepo, type GitRepo } from '../hook/support/git-repo.js';

const PLATFORM = 'workplans/DOC-WP-0100-platform.md';
const SEED = 'workplans/CUST-WP-0005-state-hub-v0.5.md';
const READ_TOOLS = [
  'list_domains',
  'list_repositories',
  'list_workstreams',
  'get_workplan',
  'list_tasks',
  'get_task',
  'next_tasks',
  'list_adrs',
  'get_adr',
  'sync',
];
const WRITE_TOOLS = ['set_task_status', 'add_task', 'create_workplan', 'close_workplan', 'create_adr'];

beforeAll(() => assertBuilt());

describeEachDatabase('workplan mcp', (db) => {
  const repos: GitRepo[] = [];
  const clients: Client[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
    await Promise.all(repos.splice(0).map((r) => r.dispose()));
  });

  async function planRepository(target: DatabaseTarget): Promise<GitRepo> {
    const repo = await createGitRepo({ env: target.url ? { DATABASE_URL: target.url } : {} });
    repos.push(repo);
    for (const [file, text] of Object.entries(readFixtureRepository())) await repo.write(file, text);
    // Embedded: the repository's own store (it lives inside the repository it mirrors).
    if (target.kind === 'embedded') await copyEmptyPGliteDir(path.join(repo.root, '.workplan', 'db'));
    return repo;
  }

  async function connect(repo: GitRepo, ...args: string[]): Promise<Client> {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, 'mcp', ...args],
      cwd: repo.root,
      env: repo.env as Record<string, string>,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'workplan-sync-tests', version: '1.0.0' });
    await client.connect(transport);
    clients.push(client);
    return client;
  }

  const call = async (client: Client, name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;
  const answer = async (client: Client, name: string, args: Record<string, unknown> = {}) => {
    const result = await call(client, name, args);
    if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
    return result.structuredContent as Record<string, any>;
  };
  const sqlRows = async (repo: GitRepo, query: string, ...params: unknown[]) => {
    const store = await db.openStore(db.kind === 'embedded' ? { embeddedDir: path.join(repo.root, '.workplan', 'db') } : {});
    try {
      return await store.sql.db.$queryRawUnsafe<Array<Record<string, unknown>>>(query, ...params);
    } finally {
      if (db.kind === 'embedded') await store.close();
    }
  };

  it('lists every tool with input and output schemas, and answers each read tool', async () => {
    const repo = await planRepository(db);
    const client = await connect(repo);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([...READ_TOOLS.slice(0, 9), 'sync', ...WRITE_TOOLS]);
    for (const tool of tools) {
      expect(tool.description, tool.name).toBeTruthy();
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type, tool.name).toBe('object');
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(READ_TOOLS.includes(tool.name));
    }
    const setStatus = tools.find((t) => t.name === 'set_task_status')!;
    expect((setStatus.inputSchema.properties as Record<string, { description?: string }>).status!.description).toContain(
      'todo, in_progress, blocked, done, cancelled, carried_forward',
    );

    const synced = await answer(client, 'sync');
    expect(synced).toMatchObject({ version: 1, kind: 'sync', sync: { outcome: 'applied', files: { failed: 0 } } });
    const domains = await answer(client, 'list_domains');
    expect(domains.items.map((d: { slug: string }) => d.slug)).toEqual(['custodian', 'docs', 'ops']);
    const repositories = await answer(client, 'list_repositories');
    expect(repositories.items).toEqual([
      expect.objectContaining({ slug: repo.env.WORKPLAN_REPOSITORY_SLUG, workstreams: 8, tasks: 25, adrs: 3 }),
    ]);
    expect((await answer(client, 'list_workstreams', { status: ['active'] })).items.map((w: { id: string }) => w.id)).toEqual([
      'DOC-WP-0100',
      'DOC-WP-0101',
      'OPS-WP-0001',
    ]);
    const workplan = await answer(client, 'get_workplan', { id: 'DOC-WP-0101' });
    expect(workplan.element).toMatchObject({ kind: 'workplan', workplan: { id: 'DOC-WP-0101', blocked: true } });
    expect((await answer(client, 'list_tasks', { stale: true })).items.map((t: { id: string }) => t.id)).toEqual(['DOC-WP-0102-T01']);
    const task = await answer(client, 'get_task', { id: 'DOC-WP-0100-T03' });
    expect(task.element.task).toMatchObject({
      id: 'DOC-WP-0100-T03',
      priority: 'critical',
      location: expect.stringMatching(/^workplans\/DOC-WP-0100-platform\.md:\d+$/),
    });
    expect((await answer(client, 'next_tasks', { limit: 2 })).items.map((t: { id: string }) => t.id)).toEqual([
      'DOC-WP-0100-T03',
      'DOC-WP-0100-T02',
    ]);
    expect((await answer(client, 'list_adrs')).items.map((a: { id: string }) => a.id)).toEqual(['ADR-001', 'ADR-002', 'ADR-005']);
    const adr = await answer(client, 'get_adr', { id: 'ADR-2' });
    expect(adr.element.adr.links.supersedes).toEqual([expect.objectContaining({ id: 'ADR-001', status: 'superseded' })]);

    const resources = await client.listResources();
    expect(resources.resources.map((r) => r.uri)).toContain(`workplan://file/${PLATFORM}`);
    const read = await client.readResource({ uri: `workplan://file/${PLATFORM}` });
    expect(read.contents[0]).toMatchObject({ mimeType: 'text/markdown', text: await repo.read(PLATFORM) });
    await expect(client.readResource({ uri: 'workplan://file/workplans/../package.json' })).rejects.toThrow(/not a workplan or ADR file/);
  });

  it("set_task_status changes exactly the task's status line in the file, and the mirror row", async () => {
    const repo = await planRepository(db);
    const client = await connect(repo);
    await answer(client, 'sync');
    const before = await repo.read(PLATFORM);
    const edited = await answer(client, 'set_task_status', { task: 'DOC-WP-0100-T03', status: 'done' });
    expect(edited).toMatchObject({ kind: 'edit', operation: 'set-task', outcome: 'written', sync: { counts: { updated: 1 } } });
    const after = await repo.read(PLATFORM);
    // Byte diff: one run of differing bytes, exactly the value of that task's status line.
    let start = 0;
    while (before[start] === after[start]) start++;
    let end = 0;
    while (before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
    expect([before.slice(start, before.length - end), after.slice(start, after.length - end)]).toEqual(['todo', 'done']);
    const lineStart = before.lastIndexOf('\n', start) + 1;
    expect(before.slice(lineStart, before.indexOf('\n', start))).toBe('status: todo');
    expect(before.slice(0, lineStart)).toMatch(/id: DOC-WP-0100-T03\n(?:state_hub_task_id: [0-9a-f-]{36}\n)?$/);
    await client.close();
    const rows = await sqlRows(
      repo,
      `SELECT t.status FROM tasks t JOIN repositories r ON r.id = t.repository_id WHERE r.slug = $1 AND t.file_id = 'DOC-WP-0100-T03'`,
      repo.env.WORKPLAN_REPOSITORY_SLUG,
    );
    expect(rows).toEqual([{ status: 'done' }]);
  });

  it('the write tools: add_task, create_workplan, close_workplan (preview, then confirm), create_adr that check accepts', async () => {
    const repo = await planRepository(db);
    const client = await connect(repo);
    const added = await answer(client, 'add_task', { workplan: 'DOC-WP-0100', phase: 2, title: 'Offline mode', priority: 'low' });
    expect(added).toMatchObject({ outcome: 'written', element: { kind: 'task', id: 'DOC-WP-0100-T06' } });
    const created = await answer(client, 'create_workplan', {
      id: 'OPS-WP-0004',
      title: 'Disaster recovery',
      domain: 'ops',
      dependsOn: ['OPS-WP-0003'],
    });
    expect(created).toMatchObject({ outcome: 'written', element: { path: 'workplans/OPS-WP-0004-disaster-recovery.md' } });
    const preview = await answer(client, 'close_workplan', { workplan: 'OPS-WP-0003', cancelOpen: true, date: '2026-12-05' });
    expect(preview).toMatchObject({
      outcome: 'dry-run',
      confirmToken: expect.any(String),
      files: [expect.objectContaining({ diff: expect.stringContaining('+## Closure Review — 2026-12-05') })],
    });
    const closed = await answer(client, 'close_workplan', {
      workplan: 'OPS-WP-0003',
      cancelOpen: true,
      date: '2026-12-05',
      confirm: preview.confirmToken,
    });
    expect(closed).toMatchObject({ outcome: 'written' });
    const adr = await answer(client, 'create_adr', {
      title: 'Agents edit plans through MCP',
      status: 'accepted',
      context: 'Agents need plans.',
    });
    expect(adr).toMatchObject({
      outcome: 'written',
      element: { kind: 'adr', id: 'ADR-006', path: 'adr/ADR-006-agents-edit-plans-through-mcp.md' },
    });
    await client.close();
    const check = await repo.workplan('check');
    expect(check.code, check.stdout).toBe(0);
    expect(check.stdout).toMatch(/13 files checked: 0 errors/);
  });

  it('errors are tool errors naming file:line and the rule; a write conflict is marked retryable; bad input lists the allowed values', async () => {
    const repo = await planRepository(db);
    const client = await connect(repo);
    const before = await repo.read(SEED);
    const refused = await call(client, 'set_task_status', { task: 'CUST-WP-0005-T01', status: 'todo' });
    expect(refused.isError).toBe(true);
    const [text, json] = refused.content as Array<{ type: 'text'; text: string }>;
    expect(text!.text).toContain(`${SEED}:6:9 error completed-with-open-tasks Workplan status is "completed" but 1 task is still open`);
    expect(JSON.parse(json!.text).error).toMatchObject({
      code: 'refused:invalid-result',
      retryable: false,
      diagnostics: [expect.objectContaining({ path: SEED, line: 6, ruleId: 'completed-with-open-tasks' })],
    });
    expect(await repo.read(SEED)).toBe(before);

    const badInput = await call(client, 'list_tasks', { status: ['finished-ish'] });
    expect(badInput.isError).toBe(true);
    expect((badInput.content as Array<{ text: string }>)[0]!.text).toContain(
      'Unknown task status "finished-ish"; use one of todo, in_progress, blocked, done, cancelled, carried_forward',
    );
    const wrongKind = await call(client, 'get_task', { id: 'DOC-WP-0100' });
    expect((wrongKind.content as Array<{ text: string }>)[0]!.text).toContain('DOC-WP-0100 is a workplan, not a task; use get_workplan.');
    const stale = await call(client, 'close_workplan', { workplan: 'OPS-WP-0003', cancelOpen: true, confirm: 'not-the-token' });
    expect(JSON.parse((stale.content as Array<{ text: string }>)[1]!.text).error).toMatchObject({
      code: 'refused:confirm-mismatch',
      retryable: true,
    });
  });

  it('--read-only offers only the tools that read, and its syncs write nothing into the files', async () => {
    const repo = await planRepository(db);
    await repo.write(
      'workplans/OPS-WP-0005-new.md',
      '---\nid: OPS-WP-0005\ntype: workplan\ntitle: New\ndomain: ops\nstatus: planned\n---\n\n# New\n',
    );
    const client = await connect(repo, '--read-only');
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(READ_TOOLS);
    expect(await call(client, 'set_task_status', { task: 'DOC-WP-0100-T03', status: 'done' })).toMatchObject({ isError: true });
    expect((await answer(client, 'list_workstreams', { status: ['planned'] })).items.map((w: { id: string }) => w.id)).toContain(
      'OPS-WP-0005',
    );
    expect(await repo.read('workplans/OPS-WP-0005-new.md')).not.toContain('state_hub_workstream_id');
  });
});
