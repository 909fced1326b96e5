// `workplan close` against both stores: the Workstream Closure Protocol (ADR-001) end to end — files
// edited surgically, both files pass `check`, the mirror follows; refusals and dry runs change nothing;
// a conflict on the second file leaves nothing half-done.
import { afterEach, expect, it } from 'vitest';

import { runCheck } from '../../src/app/check.js';
import { runClose, type CloseOptions } from '../../src/app/close.js';
import { workingTreeSource } from '../../src/fs/source-files.js';
import type { SourceProvider } from '../../src/model/source-file.js';
import { runSync } from '../../src/app/sync.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { isSyncError } from '../../src/model/errors.js';
import { describeEachDatabase } from '../support/databases.js';
import {
  createWorkspace,
  mirrorOf,
  readClosureFixture,
  readTaskRows,
  snapshotMirror,
  syncOptions,
  type Workspace,
} from './support/closure-env.js';

const SOURCE = 'workplans/DOC-WP-0200-search-v1.md';
const TARGET = 'workplans/DOC-WP-0201-search-v2.md';

const workspaces: Workspace[] = [];
afterEach(async () => {
  await Promise.all(workspaces.splice(0).map((ws) => ws.repo.remove()));
});

async function syncedWorkspace(mirror: ReturnType<typeof mirrorOf>): Promise<Workspace> {
  const ws = await createWorkspace({ [SOURCE]: readClosureFixture('close-source'), [TARGET]: readClosureFixture('close-target') });
  workspaces.push(ws);
  await runSync(syncOptions(ws, mirror));
  return ws;
}

function closeOptions(ws: Workspace, extra: Partial<CloseOptions>): CloseOptions {
  return { ...ws.base, workplanId: 'DOC-WP-0200', date: '2026-03-10', ...extra };
}

async function checkErrors(ws: Workspace) {
  const result = await runCheck({ config: DEFAULT_CONFIG, source: workingTreeSource(ws.repo.root) });
  return result.diagnostics.filter((d) => d.severity === 'error');
}

describeEachDatabase('close', (db) => {
  it('--carry-forward-to moves the open tasks into the target; both files pass check and the mirror follows', async () => {
    const mirror = mirrorOf(await db.openStore());
    const ws = await syncedWorkspace(mirror);

    const result = await runClose(
      closeOptions(ws, { carryForwardTo: 'DOC-WP-0201', context: 'v1 shipped; ranking and UI move to v2.', mirror }),
    );

    expect(result.outcome).toBe('closed');
    if (result.outcome !== 'closed') return;
    expect(result.files.map((f) => [f.path, f.role, f.outcome])).toEqual([
      [TARGET, 'target', 'written'],
      [SOURCE, 'source', 'written'],
    ]);
    expect(result.carried.map((c) => [c.from, c.to])).toEqual([
      ['DOC-WP-0200-T02', 'DOC-WP-0201-T04'],
      ['DOC-WP-0200-T04', 'DOC-WP-0201-T05'],
      ['DOC-WP-0200-T05', 'DOC-WP-0201-T06'],
    ]);
    expect(await checkErrors(ws)).toEqual([]);

    const target = await ws.read(TARGET);
    expect(target).toContain('## Phase 2 — Carried forward from DOC-WP-0200');
    // The sync assigned mirror ids to the copies and wrote them back.
    expect(target.match(/state_hub_task_id: /g)).toHaveLength(5);
    const source = await ws.read(SOURCE);
    expect(source).toContain('status: completed # closed by `workplan close`');
    expect(source).toContain('completed: 2026-03-10');
    expect(source).toContain('**Outcome:** 1 of 5 tasks completed. 3 carried forward to DOC-WP-0201. 1 cancelled.');

    const rows = await readTaskRows(mirror.db, ws);
    expect(rows.filter((r) => r.workstream === 'DOC-WP-0200').map((r) => [r.file_id, r.status])).toEqual([
      ['DOC-WP-0200-T01', 'done'],
      ['DOC-WP-0200-T02', 'carried_forward'],
      ['DOC-WP-0200-T03', 'cancelled'],
      ['DOC-WP-0200-T04', 'carried_forward'],
      ['DOC-WP-0200-T05', 'carried_forward'],
    ]);
    expect(rows.filter((r) => r.workstream === 'DOC-WP-0201').map((r) => [r.file_id, r.status])).toEqual([
      ['DOC-WP-0201-T01', 'todo'],
      ['DOC-WP-0201-T03', 'todo'],
      ['DOC-WP-0201-T04', 'todo'],
      ['DOC-WP-0201-T05', 'todo'],
      ['DOC-WP-0201-T06', 'todo'],
    ]);
    const entries = await mirror.db.$queryRawUnsafe<Array<{ task_file_id: string; classification: string; target: string | null }>>(
      `SELECT e.task_file_id, e.classification, e.target FROM closure_entries e JOIN closure_reviews c ON c.id = e.closure_review_id
         JOIN workstreams w ON w.id = c.workstream_id JOIN repositories r ON r.id = w.repository_id
        WHERE r.slug = $1 AND w.file_id = 'DOC-WP-0200' ORDER BY e.position`,
      ws.repository.slug,
    );
    expect(entries.map((e) => [e.task_file_id, e.classification, e.target])).toEqual([
      ['DOC-WP-0200-T01', 'done', null],
      ['DOC-WP-0200-T02', 'carry_forward', 'DOC-WP-0201'],
      ['DOC-WP-0200-T03', 'cancelled', null],
      ['DOC-WP-0200-T04', 'carry_forward', 'DOC-WP-0201'],
      ['DOC-WP-0200-T05', 'carry_forward', 'DOC-WP-0201'],
    ]);
    // Closing again is a no-op.
    expect((await runClose(closeOptions(ws, { carryForwardTo: 'DOC-WP-0201', mirror }))).outcome).toBe('already-closed');
  });

  it('--cancel-open cancels the open tasks; the file passes check and the mirror says completed', async () => {
    const mirror = mirrorOf(await db.openStore());
    const ws = await syncedWorkspace(mirror);
    const target = await ws.read(TARGET);

    const result = await runClose(closeOptions(ws, { cancelOpen: true, mirror }));

    expect(result.outcome).toBe('closed');
    expect(await ws.read(TARGET)).toBe(target);
    expect(await checkErrors(ws)).toEqual([]);
    const rows = await readTaskRows(mirror.db, ws);
    expect(rows.filter((r) => r.workstream === 'DOC-WP-0200').map((r) => r.status)).toEqual([
      'done',
      'cancelled',
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    const [w] = await mirror.db.$queryRawUnsafe<Array<{ status: string; completed_on: string }>>(
      `SELECT w.status, w.completed_on FROM workstreams w JOIN repositories r ON r.id = w.repository_id WHERE r.slug = $1 AND w.file_id = 'DOC-WP-0200'`,
      ws.repository.slug,
    );
    expect(w).toEqual({ status: 'completed', completed_on: '2026-03-10' });
  });

  it('refuses with open tasks and no flag, listing them; no file and no row changes', async () => {
    const mirror = mirrorOf(await db.openStore());
    const ws = await syncedWorkspace(mirror);
    const before = [await ws.read(SOURCE), await ws.read(TARGET)];
    const snapshot = await snapshotMirror(mirror.db, ws);

    const result = await runClose(closeOptions(ws, { mirror }));

    expect(result).toMatchObject({ outcome: 'refused', reason: 'open-tasks' });
    if (result.outcome !== 'refused') return;
    expect(result.openTasks.map((t) => t.id)).toEqual(['DOC-WP-0200-T02', 'DOC-WP-0200-T04', 'DOC-WP-0200-T05']);
    expect(result.message).toContain('No files were modified.');
    expect([await ws.read(SOURCE), await ws.read(TARGET)]).toEqual(before);
    expect(await snapshotMirror(mirror.db, ws)).toBe(snapshot);
  });

  it('--dry-run returns unified diffs and changes neither the files nor the mirror', async () => {
    const mirror = mirrorOf(await db.openStore());
    const ws = await syncedWorkspace(mirror);
    const before = [await ws.read(SOURCE), await ws.read(TARGET)];
    const snapshot = await snapshotMirror(mirror.db, ws);

    const result = await runClose(closeOptions(ws, { carryForwardTo: 'DOC-WP-0201', dryRun: true, mirror }));

    expect(result.outcome).toBe('dry-run');
    if (result.outcome !== 'dry-run') return;
    expect(result.files.map((f) => f.path)).toEqual([TARGET, SOURCE]);
    expect(result.files[0]!.diff).toMatch(
      /^--- a\/workplans\/DOC-WP-0201-search-v2\.md\n\+\+\+ b\/workplans\/DOC-WP-0201-search-v2\.md\n@@ /,
    );
    expect(result.files[0]!.diff).toContain('+## Phase 2 — Carried forward from DOC-WP-0200');
    expect(result.files[1]!.diff).toContain('-status: in_progress\n+status: carried_forward');
    expect([await ws.read(SOURCE), await ws.read(TARGET)]).toEqual(before);
    expect(await snapshotMirror(mirror.db, ws)).toBe(snapshot);
  });

  it('a conflict on the source after the target was written restores the target: nothing is half-done', async () => {
    const mirror = mirrorOf(await db.openStore());
    const ws = await syncedWorkspace(mirror);
    const target = await ws.read(TARGET);
    const staleSource = await ws.read(SOURCE);
    // Someone edits the source after close read it (the provider keeps serving what close read).
    const theirs = staleSource.replace('First version of search.', 'First version of search (edited meanwhile).');
    await ws.repo.write(SOURCE, theirs);
    const real = workingTreeSource(ws.repo.root);
    const stale: SourceProvider = {
      list: (config) => real.list(config),
      read: async (path, kind, config) => {
        const file = await real.read(path, kind, config);
        if (path !== SOURCE || !('bytes' in file)) return file;
        const bytes = Buffer.from(staleSource, 'utf8');
        const { hashBytes } = await import('../../src/model/content-hash.js');
        return { ...file, bytes, hash: hashBytes(bytes) };
      },
    };
    const snapshot = await snapshotMirror(mirror.db, ws);

    const error = await runClose(closeOptions(ws, { carryForwardTo: 'DOC-WP-0201', mirror, source: stale })).catch((e: unknown) => e);

    expect(isSyncError(error, 'WRITE_CONFLICT')).toBe(true);
    expect((error as Error).message).toContain(`${SOURCE} was changed by someone else`);
    expect((error as Error).message).toContain(`${TARGET} had been written and was restored`);
    expect(await ws.read(TARGET)).toBe(target);
    expect(await ws.read(SOURCE)).toBe(theirs);
    expect(await snapshotMirror(mirror.db, ws)).toBe(snapshot);
  });
});
