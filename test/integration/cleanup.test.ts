// `workplan cleanup` against both stores: it reconciles files → mirror first (so work a file says is
// done is never cancelled), cancels open tasks of closed workplans in their files, cancels rows with no
// file behind them in the mirror only, records one event per run, and converges (a second run changes
// nothing). ADR-001; the incident in the seed workplan's Closure Review is the first test.
import { readFile, rm } from 'node:fs/promises';
import { afterEach, expect, it } from 'vitest';

import { runCleanup, type CleanupOptions } from '../../src/app/cleanup.js';
import { runSync } from '../../src/app/sync.js';
import { taskFingerprintSql } from '../../src/db/fingerprint-sql.js';
import { renderUnifiedDiff } from '../../src/writeback/render-unified-diff.js';
import { describeEachDatabase } from '../support/databases.js';
import {
  SEED,
  createWorkspace,
  mirrorOf,
  readClosureFixture,
  readEvents,
  readTaskRows,
  repositoryIdOf,
  snapshotMirror,
  syncOptions,
  type Workspace,
} from './support/closure-env.js';

const SEED_PATH = 'workplans/CUST-WP-0005-dynamic-domains.md';
const OPEN_PATH = 'workplans/DOC-WP-0100-completed-open.md';
const CLEAN_PATH = 'workplans/DOC-WP-0300-closed-cleanly.md';

const workspaces: Workspace[] = [];
afterEach(async () => {
  await Promise.all(workspaces.splice(0).map((ws) => ws.repo.remove()));
});

async function workspace(files: Record<string, string>): Promise<Workspace> {
  const ws = await createWorkspace(files);
  workspaces.push(ws);
  return ws;
}

function cleanupOptions(ws: Workspace, mirror: CleanupOptions['mirror'], extra: Partial<CleanupOptions> = {}): CleanupOptions {
  return { ...ws.base, mirror, date: '2026-03-10', ...extra };
}

describeEachDatabase('cleanup replaying the seed incident', (db) => {
  it('restores the eleven rows set to todo behind the file from the file and cancels nothing; the file is untouched', async () => {
    const store = await db.openStore();
    const mirror = mirrorOf(store);
    const seedText = await readFile(SEED, 'utf8');
    const ws = await workspace({ [SEED_PATH]: seedText });
    await runSync(syncOptions(ws, mirror));
    const repoId = await repositoryIdOf(mirror.db, ws);
    // The incident: the rows say todo, the file says done; the fingerprint is left alone (drift).
    const changed = await mirror.db.$executeRawUnsafe(
      `UPDATE tasks SET status = 'todo' WHERE workstream_id = (SELECT id FROM workstreams WHERE repository_id = $1::uuid AND file_id = 'CUST-WP-0005')`,
      repoId,
    );
    expect(changed).toBe(11);

    const result = await runCleanup(cleanupOptions(ws, mirror));

    expect(result.totals).toMatchObject({ tasksCancelledInFile: 0, rowsCancelledInMirror: 0, restoredFromFile: 11 });
    expect(result.files).toEqual([]);
    expect(await ws.read(SEED_PATH)).toBe(seedText);
    const rows = await readTaskRows(mirror.db, ws);
    expect(rows.map((r) => [r.status, r.drifted])).toEqual(Array(11).fill(['done', false]));
    const events = await readEvents(mirror.db, ws);
    expect(events).toHaveLength(1);
    expect(events[0]!.kind).toBe('cleanup.summary');
    expect(events[0]!.payload.workstreams).toEqual([
      expect.objectContaining({
        workstream: 'CUST-WP-0005',
        tasksCancelledInFile: 0,
        rowsCancelledInMirror: 0,
        restoredFromFile: 11,
        alreadyConsistent: 0,
      }),
    ]);
    expect(events[0]!.summary).toContain('11 row(s) restored');
  });
});

describeEachDatabase('cleanup', (db) => {
  it('cancels the two open tasks of a completed workplan in the file and the mirror; the diff is the two status lines plus the addendum', async () => {
    const store = await db.openStore();
    const mirror = mirrorOf(store);
    const fixture = readClosureFixture('completed-open-tasks');
    // Synced while active (ids written back), then marked completed by hand with two tasks still open.
    const ws = await workspace({ [OPEN_PATH]: fixture.replace('status: completed', 'status: active') });
    await runSync(syncOptions(ws, mirror));
    const synced = await ws.read(OPEN_PATH);
    const before = synced.replace('status: active', 'status: completed');
    await ws.repo.write(OPEN_PATH, before);

    const result = await runCleanup(cleanupOptions(ws, mirror));

    const after = await ws.read(OPEN_PATH);
    const diff = renderUnifiedDiff(OPEN_PATH, before, after).split('\n');
    const removed = diff.filter((l) => l.startsWith('-') && !l.startsWith('---'));
    const added = diff.filter((l) => l.startsWith('+') && !l.startsWith('+++'));
    expect(removed).toEqual(['-status: todo', '-status: in_progress']);
    expect(added.slice(0, 2)).toEqual(['+status: cancelled', '+status: cancelled']);
    const addendum = added.slice(2).map((l) => l.slice(1));
    expect(addendum.filter((l) => l !== '')[0]).toBe('## Closure Review — 2026-03-10');
    expect(after.endsWith(`${addendum.join('\n')}\n`)).toBe(true);
    expect(result.files.map((f) => [f.path, f.tasks, f.outcome])).toEqual([[OPEN_PATH, ['DOC-WP-0100-T02', 'DOC-WP-0100-T04'], 'written']]);
    expect(result.diagnostics).toEqual([]);

    const rows = await readTaskRows(mirror.db, ws);
    expect(rows.map((r) => [r.file_id, r.status, r.drifted])).toEqual([
      ['DOC-WP-0100-T01', 'done', false],
      ['DOC-WP-0100-T02', 'cancelled', false],
      ['DOC-WP-0100-T03', 'done', false],
      ['DOC-WP-0100-T04', 'cancelled', false],
    ]);
    const [ws1] = await mirror.db.$queryRawUnsafe<Array<{ status: string }>>(
      `SELECT w.status FROM workstreams w JOIN repositories r ON r.id = w.repository_id WHERE r.slug = $1`,
      ws.repository.slug,
    );
    expect(ws1!.status).toBe('completed');
    expect(result.workstreams).toEqual([
      expect.objectContaining({
        workstream: 'DOC-WP-0100',
        tasksCancelledInFile: 2,
        rowsCancelledInMirror: 0,
        restoredFromFile: 0,
        alreadyConsistent: 2,
      }),
    ]);

    // A second run: no file change, no row change; it records an "all consistent" event.
    const snapshot = await snapshotMirror(mirror.db, ws, { events: false });
    const second = await runCleanup(cleanupOptions(ws, mirror, { date: '2026-03-11' }));
    expect(await ws.read(OPEN_PATH)).toBe(after);
    expect(second.files).toEqual([]);
    expect(second.totals).toMatchObject({ tasksCancelledInFile: 0, rowsCancelledInMirror: 0, restoredFromFile: 0, alreadyConsistent: 4 });
    expect(second.summary).toMatch(/all consistent/);
    expect(await snapshotMirror(mirror.db, ws, { events: false })).toBe(snapshot);
    const events = await readEvents(mirror.db, ws);
    expect(events.map((e) => e.payload.totals.tasksCancelledInFile)).toEqual([2, 0]);
  });

  it('cancels a legacy mirror-only row (no file element) in a completed workstream in the mirror only, without drift or flip-flop', async () => {
    const store = await db.openStore();
    const mirror = mirrorOf(store);
    const clean = readClosureFixture('completed-clean');
    const ws = await workspace({ [CLEAN_PATH]: clean });
    await runSync(syncOptions(ws, mirror));
    const synced = await ws.read(CLEAN_PATH);
    const repoId = await repositoryIdOf(mirror.db, ws);
    // A database-first row the file never listed, with a valid fingerprint and no drift flag: as left
    // by the tool before this one (before the mirror's drift triggers existed). Written in a transaction
    // marked as the engine's, which the triggers skip.
    await mirror.withRepositoryLock('legacy-rows', async (tx) => {
      await tx.$executeRawUnsafe(
        `INSERT INTO tasks (id, repository_id, workstream_id, file_id, label, title, status, priority, description, position, source_line, extra, sync_fingerprint)
         SELECT gen_random_uuid(), w.repository_id, w.id, 'DOC-WP-0300-T99', '', 'Legacy row', 'todo', 'medium', '', 99, 0, '{}', ''
           FROM workstreams w WHERE w.repository_id = $1::uuid AND w.file_id = 'DOC-WP-0300'`,
        repoId,
      );
      await tx.$executeRawUnsafe(
        `UPDATE tasks t SET sync_fingerprint = ${taskFingerprintSql('t')} WHERE t.file_id = 'DOC-WP-0300-T99' AND t.repository_id = $1::uuid`,
        repoId,
      );
    });

    const result = await runCleanup(cleanupOptions(ws, mirror));

    expect(await ws.read(CLEAN_PATH)).toBe(synced);
    expect(result.files).toEqual([]);
    expect(result.mirrorOnly.map((r) => [r.workstream, r.task, r.status])).toEqual([['DOC-WP-0300', 'DOC-WP-0300-T99', 'todo']]);
    expect(result.totals).toMatchObject({ tasksCancelledInFile: 0, rowsCancelledInMirror: 1, restoredFromFile: 0, alreadyConsistent: 2 });
    const legacy = (await readTaskRows(mirror.db, ws)).find((r) => r.file_id === 'DOC-WP-0300-T99')!;
    expect([legacy.status, legacy.drifted, legacy.removed]).toEqual(['cancelled', false, false]);

    // No flip-flop: the next sync sees no drift, and a second cleanup changes nothing.
    const sync = await runSync(syncOptions(ws, mirror));
    expect(sync.outcome).toBe('noop');
    const second = await runCleanup(cleanupOptions(ws, mirror));
    expect(second.totals.rowsCancelledInMirror).toBe(0);
    expect((await readTaskRows(mirror.db, ws)).find((r) => r.file_id === 'DOC-WP-0300-T99')!.status).toBe('cancelled');
  });

  it('cancels the open rows of a closed workstream whose file is gone in the mirror only', async () => {
    const store = await db.openStore();
    const mirror = mirrorOf(store);
    const gone = 'workplans/DOC-WP-0100-gone.md';
    const fixture = readClosureFixture('completed-open-tasks').replace('status: completed', 'status: active');
    // Other files keep the removal under the mass-removal threshold.
    const ws = await workspace({
      [gone]: fixture,
      [CLEAN_PATH]: readClosureFixture('completed-clean'),
      'workplans/DOC-WP-0200.md': readClosureFixture('close-source'),
    });
    await runSync(syncOptions(ws, mirror));
    const repoId = await repositoryIdOf(mirror.db, ws);
    // Closed in the database (database-first), then its file was deleted.
    await mirror.db.$executeRawUnsafe(
      `UPDATE workstreams SET status = 'completed' WHERE repository_id = $1::uuid AND file_id = 'DOC-WP-0100'`,
      repoId,
    );
    await rm(ws.repo.abs(gone));

    const snapshot = await snapshotMirror(mirror.db, ws);
    const dry = await runCleanup(cleanupOptions(ws, mirror, { dryRun: true }));
    expect(dry.mirrorOnly.map((r) => r.task)).toEqual(['DOC-WP-0100-T02', 'DOC-WP-0100-T04']);
    expect(await snapshotMirror(mirror.db, ws)).toBe(snapshot);

    const result = await runCleanup(cleanupOptions(ws, mirror));
    expect(result.files).toEqual([]);
    expect(result.mirrorOnly.map((r) => [r.task, r.status, r.removed])).toEqual([
      ['DOC-WP-0100-T02', 'todo', true],
      ['DOC-WP-0100-T04', 'in_progress', true],
    ]);
    const rows = (await readTaskRows(mirror.db, ws)).filter((r) => r.workstream === 'DOC-WP-0100');
    expect(rows.map((r) => [r.file_id, r.status, r.removed])).toEqual([
      ['DOC-WP-0100-T01', 'done', true],
      ['DOC-WP-0100-T02', 'cancelled', true],
      ['DOC-WP-0100-T03', 'done', true],
      ['DOC-WP-0100-T04', 'cancelled', true],
    ]);
    expect(result.workstreams.find((w) => w.workstream === 'DOC-WP-0100')).toMatchObject({
      rowsCancelledInMirror: 2,
      tasksCancelledInFile: 0,
    });
    expect((await runCleanup(cleanupOptions(ws, mirror))).totals.rowsCancelledInMirror).toBe(0);
  });

  it('cancels the open tasks of an archived workplan (which syncs, open rows and all) in its file', async () => {
    const store = await db.openStore();
    const mirror = mirrorOf(store);
    const text = readClosureFixture('close-source').replace('status: active # closed by `workplan close`', 'status: archived');
    const ws = await workspace({ 'workplans/DOC-WP-0200.md': text });
    await runSync(syncOptions(ws, mirror));
    expect((await readTaskRows(mirror.db, ws)).filter((r) => ['todo', 'in_progress', 'blocked'].includes(r.status))).toHaveLength(3);

    const result = await runCleanup(cleanupOptions(ws, mirror));

    expect(result.files.map((f) => [f.tasks, f.record, f.outcome])).toEqual([
      [['DOC-WP-0200-T02', 'DOC-WP-0200-T04', 'DOC-WP-0200-T05'], 'full-review', 'written'],
    ]);
    expect(result.mirrorOnly).toEqual([]);
    expect((await readTaskRows(mirror.db, ws)).map((r) => r.status)).toEqual(['done', 'cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect(await ws.read('workplans/DOC-WP-0200.md')).toContain('**Outcome:** 1 of 5 tasks completed. No carry-forwards. 4 cancelled.');
  });

  it('--dry-run changes no file, no row and records no event', async () => {
    const store = await db.openStore();
    const mirror = mirrorOf(store);
    const fixture = readClosureFixture('completed-open-tasks');
    const ws = await workspace({ [OPEN_PATH]: fixture.replace('status: completed', 'status: active') });
    await runSync(syncOptions(ws, mirror));
    const before = (await ws.read(OPEN_PATH)).replace('status: active', 'status: completed');
    await ws.repo.write(OPEN_PATH, before);
    const snapshot = await snapshotMirror(mirror.db, ws);

    const result = await runCleanup(cleanupOptions(ws, mirror, { dryRun: true }));

    expect(result.dryRun).toBe(true);
    expect(result.eventId).toBeNull();
    expect(result.files.map((f) => [f.path, f.outcome, f.tasks.length])).toEqual([[OPEN_PATH, 'planned', 2]]);
    expect(result.files[0]!.diff).toContain('+status: cancelled');
    expect(result.summary).toContain('dry run');
    expect(await ws.read(OPEN_PATH)).toBe(before);
    expect(await snapshotMirror(mirror.db, ws)).toBe(snapshot);
  });

  it('leaves a closed workplan with other errors alone and says so', async () => {
    const store = await db.openStore();
    const mirror = mirrorOf(store);
    const broken = readClosureFixture('completed-open-tasks').replace('priority: medium', 'priority: someday');
    const ws = await workspace({ [OPEN_PATH]: broken });
    const result = await runCleanup(cleanupOptions(ws, mirror));
    expect(await ws.read(OPEN_PATH)).toBe(broken);
    expect(result.files).toEqual([]);
    expect(result.skipped).toEqual([
      expect.objectContaining({ path: OPEN_PATH, reason: expect.stringContaining('task-priority-invalid') }),
    ]);
  });
});
