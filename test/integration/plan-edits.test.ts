// The file-first edits on both stores (docs/queries.md, "Edits"): each changes only the lines it must
// (checked byte for byte), re-parses the result and refuses one with errors, writes with
// compare-and-swap (a file changed underneath is a WRITE_CONFLICT and keeps its bytes), then syncs;
// a dry run writes nothing and opens no database; new workplans and ADRs pass `workplan check`.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/app/check.js';
import { createPlanContext } from '../../src/app/plan-context.js';
import { setTask } from '../../src/app/set-task.js';
import { workingTreeSource } from '../../src/fs/source-files.js';
import type { SourceProvider } from '../../src/model/source-file.js';
import { openMirror } from '../../src/app/open-mirror.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { createEditSchemas } from '../../src/model/edit-input.js';
import { isSyncError, type EditView } from '../../src/index.js';
import { describeEachDatabase } from '../support/databases.js';
import { planRepos, readFixtureRepository, type PlanRepo } from '../support/plan-repo.js';

/** The lines of `after` that differ from `before`, as [line number, before, after] (same line count). */
function changedLines(before: string, after: string): Array<[number, string, string]> {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b.length).toBe(a.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [[i + 1, line, b[i]!] as [number, string, string]]));
}

async function checkErrors(root: string) {
  const result = await runCheck({ config: DEFAULT_CONFIG, source: workingTreeSource(root) });
  return result.diagnostics.filter((d) => d.severity === 'error');
}

const taskRow = (plans: PlanRepo, id: string) =>
  plans.sql<{ status: string; priority: string; title: string }>(
    `SELECT t.status, t.priority, t.title FROM tasks t JOIN repositories r ON r.id = t.repository_id WHERE r.slug = $1 AND t.file_id = $2 AND t.removed_at IS NULL`,
    plans.slug,
    id,
  );

describeEachDatabase('file-first edits', (db) => {
  const planRepo = planRepos(db);
  const PLATFORM = 'workplans/DOC-WP-0100-platform.md';

  it('set: only the value bytes of the status line change; the mirror row follows; aliases are written canonically', async () => {
    const plans = await planRepo();
    const session = await plans.session();
    await session.call('sync', {});
    const before = await plans.repo.read(PLATFORM);
    const view = await session.call('set-task', { task: 'DOC-WP-0100-T03', status: 'wip' });
    expect(view).toMatchObject({
      outcome: 'written',
      operation: 'set-task',
      element: { kind: 'task', id: 'DOC-WP-0100-T03', path: PLATFORM },
    });
    expect(view.sync).toMatchObject({ outcome: 'applied', counts: { updated: 1, created: 0, removed: 0 } });
    const after = await plans.repo.read(PLATFORM);
    const changed = changedLines(before, after);
    expect(changed).toEqual([[changed[0]![0], 'status: todo', 'status: in_progress']]);
    expect(before.split('\n')[changed[0]![0] - 3]).toBe('id: DOC-WP-0100-T03');
    expect(await taskRow(plans, 'DOC-WP-0100-T03')).toEqual([{ status: 'in_progress', priority: 'critical', title: 'Search index' }]);

    const again = await session.call('set-task', { task: 'DOC-WP-0100-T03', status: 'in-progress' });
    expect(again).toMatchObject({ outcome: 'unchanged', files: [], sync: null });
    expect(await plans.repo.read(PLATFORM)).toBe(after);

    const search = 'workplans/DOC-WP-0101-search.md';
    const listForm = await plans.repo.read(search);
    await session.call('set-task', { task: 'DOC-WP-0101-T02', status: 'done', priority: 'p1' });
    expect(changedLines(listForm, await plans.repo.read(search)).map(([, a, b]) => `${a} → ${b}`)).toEqual([
      '- status: todo → - status: done',
      '- priority: low → - priority: high',
    ]);
    expect(await checkErrors(plans.repo.root)).toEqual([]);
  });

  it('set --dry-run prints the diff, writes nothing and opens no database', async () => {
    const plans = await planRepo();
    const before = await plans.repo.read(PLATFORM);
    const session = await plans.session();
    const view = await session.call('set-task', { task: 'DOC-WP-0100-T05', status: 'done', dryRun: true });
    expect(view.outcome).toBe('dry-run');
    expect(view.files).toEqual([{ path: PLATFORM, created: false, diff: expect.stringContaining('-status: todo\n+status: done') }]);
    expect(view.message).toMatch(/Nothing was written and the mirror was not changed\.$/);
    expect(await plans.repo.read(PLATFORM)).toBe(before);
    expect(await plans.sql(`SELECT 1 FROM repositories WHERE slug = $1`, plans.slug)).toEqual([]);
  });

  it('set refuses what the protocol forbids, names the rule and file:line, and writes nothing', async () => {
    const plans = await planRepo();
    const session = await plans.session();
    const seed = 'workplans/CUST-WP-0005-state-hub-v0.5.md';
    const before = await plans.repo.read(seed);
    const reopened = await session.call('set-task', { task: 'CUST-WP-0005-T01', status: 'todo' });
    expect(reopened).toMatchObject({ outcome: 'refused', reason: 'invalid-result', files: [], sync: null });
    expect(reopened.diagnostics).toEqual([
      expect.objectContaining({ path: seed, line: 6, column: 9, ruleId: 'completed-with-open-tasks' }),
    ]);
    expect(await plans.repo.read(seed)).toBe(before);
    expect(await session.call('set-task', { task: 'CUST-WP-0005-T99', status: 'done' })).toMatchObject({
      outcome: 'refused',
      reason: 'not-found',
    });
    const wrong = await session.call('set-task', { task: 'CUST-WP-0005-T01', status: 'finished-ish' }).catch((e: unknown) => e);
    expect(isSyncError(wrong, 'INVALID_INPUT')).toBe(true);
    expect((wrong as Error).message).toContain('use one of todo, in_progress, blocked, done, cancelled, carried_forward');

    // A file that already has errors: an edit that fixes them goes through, one that does not is refused.
    const broken = (await plans.repo.read(PLATFORM)).replace('status: blocked', 'status: stuck-ish');
    await plans.repo.write(PLATFORM, broken);
    expect(await session.call('set-task', { task: 'DOC-WP-0100-T05', status: 'done' })).toMatchObject({
      outcome: 'refused',
      reason: 'has-errors',
    });
    expect(await plans.repo.read(PLATFORM)).toBe(broken);
    expect(await session.call('set-task', { task: 'DOC-WP-0100-T04', status: 'blocked' })).toMatchObject({ outcome: 'written' });
  });

  it('set: a file changed between our read and our write is a WRITE_CONFLICT; their bytes stay; the mirror is not touched', async () => {
    const plans = await planRepo();
    const session = await plans.session();
    await session.call('sync', {});
    const abs = path.join(plans.repo.root, PLATFORM);
    const theirs = (await plans.repo.read(PLATFORM)).replace(
      'Picked after a week of trials.',
      'Picked after a week of trials (edited meanwhile).',
    );
    const opened = await openMirror({ root: plans.repo.root, config: session.config }, plans.env);
    try {
      const ctx = await createPlanContext({
        root: plans.repo.root,
        config: session.config,
        repository: session.repository,
        trigger: 'cli',
        mirror: opened.mirror,
        newId: () => crypto.randomUUID(),
        now: () => new Date(),
      });
      const inner = ctx.source;
      let injected = false;
      const racing: SourceProvider = {
        list: (config) => inner.list(config),
        async read(p, kind, config) {
          const read = await inner.read(p, kind, config);
          if (p === PLATFORM && !injected) {
            injected = true;
            await writeFile(abs, theirs);
          }
          return read;
        },
      };
      const error = await setTask(
        { ...ctx, source: racing },
        createEditSchemas(session.config).setTask.parse({ task: 'DOC-WP-0100-T05', status: 'done' }),
      ).catch((e: unknown) => e);
      expect(isSyncError(error, 'WRITE_CONFLICT')).toBe(true);
      expect((error as Error).message).toBe(`${PLATFORM} was changed by someone else since it was read; nothing was written.`);
    } finally {
      await opened.close();
    }
    expect(await readFile(abs, 'utf8')).toBe(theirs);
    expect(await taskRow(plans, 'DOC-WP-0100-T05')).toEqual([expect.objectContaining({ status: 'todo' })]);
    // Run again: it re-reads their text and applies the change to it.
    expect(await session.call('set-task', { task: 'DOC-WP-0100-T05', status: 'done' })).toMatchObject({ outcome: 'written' });
    expect(await plans.repo.read(PLATFORM)).toBe(theirs.replace(/(id: DOC-WP-0100-T05\n(?:.*\n)?)status: todo/, '$1status: done'));
  });

  it("add-task: written like the file's tasks (lines, list, CRLF YAML fence), the id assigned by the sync, check passes", async () => {
    const plans = await planRepo();
    const session = await plans.session();
    const added = await session.call('add-task', {
      workplan: 'DOC-WP-0100',
      phase: 1,
      title: 'Link checker',
      priority: 'high',
      description: 'Fail the build on dead links.',
    });
    expect(added).toMatchObject({ outcome: 'written', element: { id: 'DOC-WP-0100-T06' } });
    const text = await plans.repo.read(PLATFORM);
    expect(text).toMatch(
      /### P1\.3 — Search index\n\nid: DOC-WP-0100-T03\n(?:state_hub_task_id: [0-9a-f-]{36}\n)?status: todo\npriority: critical\n\n### P1\.4 — Link checker\n\nid: DOC-WP-0100-T06\nstate_hub_task_id: [0-9a-f-]{36}\nstatus: todo\npriority: high\n\nFail the build on dead links\.\n\n## Phase 2 — Polish/,
    );
    expect(await taskRow(plans, 'DOC-WP-0100-T06')).toEqual([{ status: 'todo', priority: 'high', title: 'Link checker' }]);

    await session.call('add-task', { workplan: 'DOC-WP-0101', phase: 1, title: 'Synonyms' });
    expect(await plans.repo.read('workplans/DOC-WP-0101-search.md')).toMatch(
      /### P1\.3 — Synonyms\n\n- id: DOC-WP-0101-T03\n- state_hub_task_id: [0-9a-f-]{36}\n- status: todo\n- priority: medium\n$/,
    );
    await session.call('add-task', { workplan: 'OPS-WP-0001', phase: 2, phaseTitle: 'Clean up', title: 'Old hosts off' });
    const hosting = await plans.repo.read('workplans/OPS-WP-0001-hosting.md');
    expect(hosting).toMatch(
      /\r\n## Phase 2 — Clean up\r\n\r\n### P2\.1 — Old hosts off\r\n\r\n```yaml\r\nid: OPS-WP-0001-T03\r\n(?:state_hub_task_id: [0-9a-f-]{36}\r\n)?status: todo\r\npriority: medium\r\n```\r\n$/,
    );
    expect(hosting.replace(/\r\n/g, '')).not.toMatch(/\n/);
    expect(await checkErrors(plans.repo.root)).toEqual([]);

    const missing = await session.call('add-task', { workplan: 'DOC-WP-0100', phase: 7, title: 'Nowhere' });
    expect(missing).toMatchObject({
      outcome: 'refused',
      reason: 'not-found',
      message: expect.stringContaining('DOC-WP-0100 has no phase 7 (its phases are 1, 2)'),
    });
    const structural = await session.call('add-task', {
      workplan: 'DOC-WP-0100',
      phase: 2,
      title: 'Sneaky',
      description: 'Text\n\n## Phase 9 — Injected\n',
    });
    expect(structural).toMatchObject({ outcome: 'refused', reason: 'invalid-result' });
  });

  it('new: a workplan file in the documented format that check accepts; an existing id is refused', async () => {
    const plans = await planRepo();
    const session = await plans.session();
    const created = await session.call('new-workplan', {
      id: 'DOC-WP-0200',
      title: 'Search: ranking v2',
      domain: 'docs',
      owner: 'search team',
      summary: 'Rank by relevance.',
      dependsOn: ['DOC-WP-0101'],
      date: '2026-12-01',
    });
    const file = 'workplans/DOC-WP-0200-search-ranking-v2.md';
    expect(created).toMatchObject({ outcome: 'written', element: { kind: 'workplan', id: 'DOC-WP-0200', path: file, line: 1 } });
    expect(created.files[0]).toMatchObject({
      path: file,
      created: true,
      diff: expect.stringMatching(/^--- \/dev\/null\n\+\+\+ b\/workplans\/DOC-WP-0200-search-ranking-v2\.md\n@@ -0,0 \+1,/),
    });
    const text = await plans.repo.read(file);
    expect(text.replace(/(state_hub_(?:workstream|dependency)_id:(?:\*\*)?) [0-9a-f-]{36}/g, '$1 <uuid>')).toBe(
      [
        '---',
        'id: DOC-WP-0200',
        'type: workplan',
        'title: "Search: ranking v2"',
        'domain: docs',
        'status: draft',
        'owner: search team',
        'state_hub_workstream_id: <uuid>',
        'created: 2026-12-01',
        'updated: 2026-12-01',
        '---',
        '',
        '# Search: ranking v2',
        '',
        '## Summary',
        '',
        'Rank by relevance.',
        '',
        '## Dependencies',
        '',
        '- **Depends on:** `DOC-WP-0101`',
        '- **state_hub_dependency_id:** <uuid>',
        '',
      ].join('\n'),
    );
    expect(await checkErrors(plans.repo.root)).toEqual([]);
    const shown = await session.call('show', { id: 'DOC-WP-0200' });
    expect(shown.element).toMatchObject({ kind: 'workplan', workplan: { blocked: true, title: 'Search: ranking v2' } });
    expect(await session.call('new-workplan', { id: 'DOC-WP-0200', title: 'Again', domain: 'docs' })).toMatchObject({
      outcome: 'refused',
      reason: 'exists',
    });
    const outside = await session
      .call('new-workplan', { id: 'DOC-WP-0201', title: 'Elsewhere', domain: 'docs', path: 'workplans/../notes.md' })
      .catch((e: unknown) => e);
    expect(isSyncError(outside, 'INVALID_INPUT')).toBe(true);
    expect(existsSync(path.join(plans.repo.root, 'notes.md'))).toBe(false);
  });

  it('adr new: the next number, in the style of the latest ADR (or the one asked for), and check accepts it', async () => {
    const plans = await planRepo();
    const session = await plans.session();
    const madr = await session.call('new-adr', { title: 'Use Postgres for the mirror', date: '2026-12-01', decisionMakers: ['Ann', 'Bo'] });
    expect(madr).toMatchObject({
      outcome: 'written',
      element: { kind: 'adr', id: 'ADR-006', path: 'adr/ADR-006-use-postgres-for-the-mirror.md' },
    });
    expect(await plans.repo.read('adr/ADR-006-use-postgres-for-the-mirror.md')).toMatch(
      /^---\nstatus: proposed\ndate: 2026-12-01\ndecision-makers: Ann, Bo\n---\n\n# Use Postgres for the mirror\n\n## Context and Problem Statement\n/,
    );
    const nygard = await session.call('new-adr', {
      title: 'Record decisions',
      style: 'nygard',
      status: 'accepted',
      date: '2026-12-02',
      context: 'We forget why.',
    });
    expect(nygard.element).toMatchObject({ id: 'ADR-007', path: 'adr/ADR-007-record-decisions.md' });
    expect(await plans.repo.read('adr/ADR-007-record-decisions.md')).toMatch(
      /^# 7\. Record decisions\n\nDate: 2026-12-02\n\n## Status\n\nAccepted\n\n## Context\n\nWe forget why\.\n/,
    );
    expect(await checkErrors(plans.repo.root)).toEqual([]);
    const listed = await session.call('list-adrs', { sort: 'number', order: 'desc', limit: 2 });
    expect(listed.items.map((a) => `${a.id} ${a.status} ${a.format}`)).toEqual(['ADR-007 accepted nygard', 'ADR-006 proposed madr']);
  });

  it('close: a preview with a token, then exactly that preview applied; a token of a stale preview is refused', async () => {
    const plans = await planRepo();
    const session = await plans.session();
    const file = 'workplans/OPS-WP-0001-hosting.md';
    const refused = await session.call('close-workplan', { workplan: 'OPS-WP-0001', date: '2026-12-03' });
    expect(refused).toMatchObject({
      outcome: 'refused',
      reason: 'open-tasks',
      openTasks: [{ id: 'OPS-WP-0001-T01' }, { id: 'OPS-WP-0001-T02' }],
    });
    const before = await plans.repo.read(file);
    const preview = await session.call('close-workplan', { workplan: 'OPS-WP-0001', cancelOpen: true, date: '2026-12-03' });
    expect(preview).toMatchObject({ outcome: 'dry-run', confirmToken: expect.stringMatching(/^[0-9a-f]{24}$/) });
    expect(await plans.repo.read(file)).toBe(before);
    // The file changes after the preview: its token no longer matches.
    const edited = before.replace('# Hosting move', '# Hosting move (edited)');
    await plans.repo.write(file, edited);
    const stale = await session.call('close-workplan', {
      workplan: 'OPS-WP-0001',
      cancelOpen: true,
      date: '2026-12-03',
      confirm: preview.confirmToken!,
    });
    expect(stale).toMatchObject({ outcome: 'refused', reason: 'confirm-mismatch' });
    expect(await plans.repo.read(file)).toBe(edited);
    const fresh = await session.call('close-workplan', { workplan: 'OPS-WP-0001', cancelOpen: true, date: '2026-12-03' });
    const closed: EditView = await session.call('close-workplan', {
      workplan: 'OPS-WP-0001',
      cancelOpen: true,
      date: '2026-12-03',
      confirm: fresh.confirmToken!,
    });
    expect(closed).toMatchObject({ outcome: 'written', sync: { outcome: 'applied' } });
    expect(await plans.repo.read(file)).toContain('## Closure Review — 2026-12-03');
    expect(await checkErrors(plans.repo.root)).toEqual([]);
  });
});

describe('file-first edits, read-only sessions', () => {
  it('refuse every edit before reading anything', async () => {
    const { openPlanSession } = await import('../../src/index.js');
    const { createTempRepo } = await import('../support/sync-harness.js');
    const repo = await createTempRepo(readFixtureRepository());
    try {
      const opened = await openPlanSession({ cwd: repo.root, root: repo.root, env: {}, readOnly: true });
      if (opened.kind !== 'ready') throw new Error('config');
      const error = await opened.session
        .call('set-task', { task: 'DOC-WP-0100-T05', status: 'done', dryRun: true })
        .catch((e: unknown) => e);
      expect((error as Error).message).toBe('set-task changes files, and this session is read-only. Nothing was changed.');
      await opened.session.close();
    } finally {
      await repo.dispose();
    }
  });
});
