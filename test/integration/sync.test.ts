import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { queryRows, readFixture, tempRepos } from '../support/sync-harness.js';
import { isSyncError } from '../../src/model/errors.js';
import type { Store } from '../../src/db/store.js';
import { gitBlobHash, hashBytes } from '../../src/model/content-hash.js';

let SEED: string;
beforeAll(async () => {
  SEED = await readFixture('workplan/seed/input.md');
});

const SEED_PATH = 'workplans/CUST-WP-0005-state-hub-v0.5.md';

async function counts(store: Store, slug: string) {
  const [row] = await queryRows<Record<string, number>>(
    store,
    `SELECT
       (SELECT count(*) FROM workstreams w JOIN repositories r ON r.id = w.repository_id WHERE r.slug = $1 AND w.removed_at IS NULL)::int AS workstreams,
       (SELECT count(*) FROM phases p JOIN workstreams w ON w.id = p.workstream_id JOIN repositories r ON r.id = w.repository_id WHERE r.slug = $1)::int AS phases,
       (SELECT count(*) FROM tasks t JOIN repositories r ON r.id = t.repository_id WHERE r.slug = $1 AND t.removed_at IS NULL)::int AS tasks,
       (SELECT count(*) FROM tasks t JOIN repositories r ON r.id = t.repository_id WHERE r.slug = $1 AND t.removed_at IS NULL AND t.status = 'done')::int AS done,
       (SELECT count(*) FROM dependencies d JOIN workstreams w ON w.id = d.workstream_id JOIN repositories r ON r.id = w.repository_id WHERE r.slug = $1 AND d.removed_at IS NULL)::int AS dependencies,
       (SELECT count(*) FROM closure_reviews c JOIN workstreams w ON w.id = c.workstream_id JOIN repositories r ON r.id = w.repository_id WHERE r.slug = $1)::int AS reviews,
       (SELECT count(*) FROM closure_entries e JOIN closure_reviews c ON c.id = e.closure_review_id JOIN workstreams w ON w.id = c.workstream_id JOIN repositories r ON r.id = w.repository_id WHERE r.slug = $1)::int AS entries,
       (SELECT count(*) FROM adrs a JOIN repositories r ON r.id = a.repository_id WHERE r.slug = $1 AND a.removed_at IS NULL)::int AS adrs,
       (SELECT count(*) FROM sync_runs s JOIN repositories r ON r.id = s.repository_id WHERE r.slug = $1)::int AS runs`,
    slug,
  );
  return row!;
}

/** Every mirror row's write stamp for the repository: unchanged stamps prove nothing was written. */
async function writeStamps(store: Store, slug: string): Promise<string> {
  const rows = await queryRows<{ s: string }>(
    store,
    `SELECT string_agg(x, ',' ORDER BY x) AS s FROM (
       SELECT w.id::text || w.updated_at::text AS x FROM workstreams w JOIN repositories r ON r.id = w.repository_id WHERE r.slug = $1
       UNION ALL SELECT t.id::text || t.updated_at::text FROM tasks t JOIN repositories r ON r.id = t.repository_id WHERE r.slug = $1
       UNION ALL SELECT c.id::text FROM closure_reviews c JOIN workstreams w ON w.id = c.workstream_id JOIN repositories r ON r.id = w.repository_id WHERE r.slug = $1
       UNION ALL SELECT p.id::text || p.title FROM phases p JOIN workstreams w ON w.id = p.workstream_id JOIN repositories r ON r.id = w.repository_id WHERE r.slug = $1
     ) q`,
    slug,
  );
  return rows[0]?.s ?? '';
}

describeEachDatabase('workplan sync', (db) => {
  const repo = tempRepos();

  it('mirrors the seed as 1 workstream, 4 phases, 11 done tasks, 1 dependency and 1 closure review; a second sync plans and writes nothing', async () => {
    const store = await db.openStore();
    const r = await repo({ [SEED_PATH]: SEED });
    const first = await r.sync(store);
    expect(first.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(first.outcome).toBe('applied');
    expect(await counts(store, r.slug)).toMatchObject({
      workstreams: 1,
      phases: 4,
      tasks: 11,
      done: 11,
      dependencies: 1,
      reviews: 1,
      entries: 11,
      runs: 1,
    });
    const [ws] = await queryRows<{ id: string; status: string }>(
      store,
      `SELECT id::text AS id, status FROM workstreams WHERE file_id = 'CUST-WP-0005'`,
    );
    expect(ws).toEqual({ id: '2271eb55-62ca-4bcc-8d9f-f9aacd6922d6', status: 'completed' });
    expect(await r.read(SEED_PATH)).toBe(SEED); // every id was already in the file: nothing written back
    const [provenance] = await queryRows<{ git_blob: string; content_hash: string }>(
      store,
      `SELECT git_blob, content_hash FROM workstreams WHERE file_id = 'CUST-WP-0005'`,
    );
    expect(provenance).toEqual({ git_blob: gitBlobHash(Buffer.from(SEED)), content_hash: hashBytes(Buffer.from(SEED)) });

    const stamps = await writeStamps(store, r.slug);
    const second = await r.sync(store);
    expect(second.outcome).toBe('noop');
    expect(second.plan.counts).toEqual({ created: 0, updated: 0, removed: 0, drifted: 0, idsAssigned: 0 });
    expect(second.files.parsed).toBe(0);
    expect(await writeStamps(store, r.slug)).toBe(stamps);
    expect((await counts(store, r.slug)).runs).toBe(1);
  });

  it('restores the seed incident: 11 rows set to todo behind the file are reported as drift and set back to done', async () => {
    const store = await db.openStore();
    const r = await repo({ [SEED_PATH]: SEED });
    await r.sync(store);
    await store.prisma.$executeRawUnsafe(
      `UPDATE tasks SET status = 'todo' WHERE workstream_id = '2271eb55-62ca-4bcc-8d9f-f9aacd6922d6'::uuid`,
    );
    const dry = await r.sync(store, { dryRun: true });
    expect(dry.plan.counts.drifted).toBe(11);
    expect((await counts(store, r.slug)).done).toBe(0); // a dry run changes nothing

    const result = await r.sync(store);
    expect(result.plan.counts.drifted).toBe(11);
    expect(result.plan.drift.every((d) => d.field === 'status' && d.mirrorValue === 'todo' && d.fileValue === 'done')).toBe(true);
    expect((await counts(store, r.slug)).done).toBe(11);
    expect(await r.read(SEED_PATH)).toBe(SEED);
    expect((await r.sync(store)).outcome).toBe('noop');
  });

  for (const eol of ['\n', '\r\n'] as const) {
    it(`writes assigned ids back as exactly the inserted lines (${eol === '\n' ? 'LF' : 'CRLF'}), and a re-sync is a no-op`, async () => {
      const store = await db.openStore();
      const withoutIds = SEED.replace(/^state_hub_(workstream|task)_id: .*\n/gm, '')
        .replace(/^- \*\*state_hub_dependency_id:\*\* .*\n/m, '')
        .replace(/\n/g, eol);
      const r = await repo({ [SEED_PATH]: withoutIds });
      const result = await r.sync(store);
      expect(result.plan.counts.idsAssigned).toBe(13);
      expect(result.writeBacks).toEqual([{ path: SEED_PATH, outcome: 'written', ids: 13 }]);
      const after = await r.read(SEED_PATH);
      const before = withoutIds.split(eol);
      const lines = after.split(eol);
      const inserted = lines.filter((l) => /^(state_hub_(workstream|task)_id: |- \*\*state_hub_dependency_id:\*\* )[0-9a-f-]{36}$/.test(l));
      expect(inserted).toHaveLength(13);
      expect(lines.filter((l) => !inserted.includes(l))).toEqual(before);
      if (eol === '\r\n') expect(after.replace(/\r\n/g, '')).not.toContain('\n');

      // The ids in the file are the mirror's ids.
      const taskIds = await queryRows<{ id: string }>(
        store,
        `SELECT id::text AS id FROM tasks WHERE repository_id = (SELECT id FROM repositories WHERE slug = $1) ORDER BY position`,
        r.slug,
      );
      const written = [...after.matchAll(/state_hub_task_id: ([0-9a-f-]{36})/g)].map((m) => m[1]);
      expect(written).toEqual(taskIds.map((t) => t.id));

      const again = await r.sync(store);
      expect(again.outcome).toBe('noop');
      expect(again.files.parsed).toBe(0);
      expect(await r.read(SEED_PATH)).toBe(after);
    });
  }

  it('keeps repositories apart in a shared mirror', async () => {
    const store = await db.openStore();
    const a = await repo({ [SEED_PATH]: SEED });
    const b = await repo({
      'workplans/other.md': SEED.replace(/2271eb55-62ca-4bcc-8d9f-f9aacd6922d6/, '3271eb55-62ca-4bcc-8d9f-f9aacd6922d6')
        .replace(/^state_hub_task_id: .*\n/gm, '')
        .replace(/^- \*\*state_hub_dependency_id:\*\* .*\n/m, ''),
    });
    await a.sync(store);
    await b.sync(store);
    const stampsB = await writeStamps(store, b.slug);
    await a.remove(SEED_PATH);
    const removal = await a.sync(store, { allowMassRemoval: true });
    expect(removal.plan.counts.removed).toBe(12);
    expect((await counts(store, a.slug)).tasks).toBe(0);
    expect((await counts(store, b.slug)).tasks).toBe(11);
    expect(await writeStamps(store, b.slug)).toBe(stampsB);
  });

  it('refuses a sync that would remove most of the mirror, changing nothing, unless allowed; removed rows are kept for history', async () => {
    const store = await db.openStore();
    const r = await repo({ [SEED_PATH]: SEED });
    await r.sync(store);
    await r.remove(SEED_PATH);
    const stamps = await writeStamps(store, r.slug);
    const refused = await r.sync(store).catch((e: unknown) => e);
    expect(isSyncError(refused, 'MASS_REMOVAL_REFUSED')).toBe(true);
    expect(String((refused as Error).message)).toMatch(/mirror was not changed/);
    expect(await writeStamps(store, r.slug)).toBe(stamps);

    const allowed = await r.sync(store, { allowMassRemoval: true });
    expect(allowed.plan.removedWorkstreams).toHaveLength(1);
    const [kept] = await queryRows<{ n: number }>(
      store,
      `SELECT count(*)::int AS n FROM tasks WHERE workstream_id = '2271eb55-62ca-4bcc-8d9f-f9aacd6922d6'::uuid AND removed_at IS NOT NULL`,
    );
    expect(kept!.n).toBe(11);

    // The file comes back: the same rows are restored, not duplicated.
    await r.write(SEED_PATH, SEED);
    const back = await r.sync(store);
    expect(back.plan.workstreams[0]?.revived).toBe(true);
    const [all] = await queryRows<{ n: number }>(
      store,
      `SELECT count(*)::int AS n FROM tasks WHERE repository_id = (SELECT id FROM repositories WHERE slug = $1)`,
      r.slug,
    );
    expect(all!.n).toBe(11);
    expect((await counts(store, r.slug)).tasks).toBe(11);
  });

  it('treats a renamed file as a move: the rows keep their identity', async () => {
    const store = await db.openStore();
    const r = await repo({ [SEED_PATH]: SEED });
    await r.sync(store);
    await r.remove(SEED_PATH);
    await r.write('workplans/archive/cust-wp-0005.md', SEED);
    const result = await r.sync(store);
    expect(result.plan.removedWorkstreams).toEqual([]);
    expect(result.plan.counts.removed).toBe(0);
    const [ws] = await queryRows<{ file_path: string }>(
      store,
      `SELECT file_path FROM workstreams WHERE id = '2271eb55-62ca-4bcc-8d9f-f9aacd6922d6'::uuid`,
    );
    expect(ws!.file_path).toBe('workplans/archive/cust-wp-0005.md');
  });

  it('applies field-level updates from an edited file and leaves files with errors untouched in the mirror', async () => {
    const store = await db.openStore();
    const r = await repo({ [SEED_PATH]: SEED });
    await r.sync(store);
    await r.write(SEED_PATH, SEED.replace('### P1.2 — Domain ORM model + Pydantic schemas', '### P1.2 — Domain ORM model and schemas'));
    const edited = await r.sync(store);
    expect(edited.plan.counts.updated).toBe(1);
    expect(edited.plan.workstreams[0]!.tasks.update[0]!.changes).toEqual([
      { field: 'title', from: 'Domain ORM model + Pydantic schemas', to: 'Domain ORM model and schemas' },
    ]);

    const stamps = await writeStamps(store, r.slug);
    await r.write(
      SEED_PATH,
      SEED.replace('status: done\npriority: high\n\nNew table: `domains`', 'status: complete-ish\npriority: high\n\nNew table: `domains`'),
    );
    const broken = await r.sync(store);
    expect(broken.diagnostics.some((d) => d.ruleId === 'task-status-invalid' && d.path === SEED_PATH)).toBe(true);
    expect(broken.plan.counts.removed).toBe(0);
    expect(await writeStamps(store, r.slug)).toBe(stamps);
  });

  it('syncs ADRs in both formats and skips non-ADR files in the adr folder', async () => {
    const store = await db.openStore();
    const r = await repo({
      'adr/0001-record-architecture-decisions.md':
        '# 1. Record architecture decisions\n\nDate: 2024-01-02\n\n## Status\n\nSuperseded by [2. Use MADR](0002-use-madr.md)\n\n## Context\n\nWe need records.\n',
      'adr/0002-use-madr.md':
        '---\nstatus: accepted\ndate: 2024-02-03\nsupersedes: [ADR-001]\n---\n\n# Use MADR\n\n## Context and Problem Statement\n\nFormats.\n',
      'adr/README.md': '# Decisions\n\nIndex of decisions.\n',
    });
    const result = await r.sync(store);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const adrs = await queryRows<{ file_id: string; status: string; superseded_by: string[]; supersedes: string[] }>(
      store,
      `SELECT file_id, status, superseded_by, supersedes FROM adrs WHERE repository_id = (SELECT id FROM repositories WHERE slug = $1) ORDER BY file_id`,
      r.slug,
    );
    expect(adrs.map((a) => [a.file_id, a.status])).toEqual([
      ['ADR-001', 'superseded'],
      ['ADR-002', 'accepted'],
    ]);
    expect((await r.sync(store)).outcome).toBe('noop');
  });

  it('rolls back the whole plan when a write fails midway', async () => {
    const store = await db.openStore();
    const r = await repo({ [SEED_PATH]: SEED });
    await r.sync(store);
    await r.write(SEED_PATH, SEED.replace(/status: done/g, 'status: in_progress').replace('status: completed', 'status: active'));
    const stamps = await writeStamps(store, r.slug);
    const { mirrorDatabaseFor } = await import('../../src/app/open-mirror.js');
    const real = mirrorDatabaseFor(store);
    let statements = 0;
    const failing = {
      db: real.db,
      withRepositoryLock: <T>(key: string, fn: (tx: typeof real.db) => Promise<T>) =>
        real.withRepositoryLock(key, (tx) =>
          fn({
            $queryRawUnsafe: (q: string, ...v: unknown[]) => tx.$queryRawUnsafe(q, ...v),
            $executeRawUnsafe: async (q: string, ...v: unknown[]) => {
              if (++statements === 3) throw new Error('injected failure after two statements');
              return tx.$executeRawUnsafe(q, ...v);
            },
          } as typeof real.db),
        ),
    };
    await expect(r.sync(store, { mirror: failing })).rejects.toThrow(/injected failure/);
    expect(await writeStamps(store, r.slug)).toBe(stamps);
    expect((await counts(store, r.slug)).done).toBe(11);
    const converged = await r.sync(store);
    expect(converged.plan.counts.updated).toBe(12);
    expect((await counts(store, r.slug)).done).toBe(0);
  });

  it('incremental syncs of given paths follow edits, moves and deletes, and a copied file never takes over the original rows', async () => {
    const store = await db.openStore();
    const r = await repo({
      [SEED_PATH]: SEED,
      'workplans/other.md': SEED.replace(/CUST-WP-0005/g, 'CUST-WP-0006')
        .replace(/^state_hub_(workstream|task)_id: .*\n/gm, '')
        .replace(/^- \*\*state_hub_dependency_id:\*\* .*\n/m, ''),
    });
    await r.sync(store);

    await r.write(SEED_PATH, SEED.replace('### P1.3 — Domain API router', '### P1.3 — Domain router'));
    const edit = await r.sync(store, { paths: [SEED_PATH] });
    expect(edit.files.scanned).toBe(1);
    expect(edit.plan.counts.updated).toBe(1);

    // A copy with the same ids, synced on its own: reported, and the original keeps its rows.
    await r.write('workplans/copy.md', SEED);
    const copy = await r.sync(store, { paths: ['workplans/copy.md'] });
    expect(copy.diagnostics.map((d) => d.ruleId)).toContain('workplan-id-duplicate');
    expect(copy.plan.counts).toMatchObject({ created: 0, updated: 0, removed: 0 });
    const [path] = await queryRows<{ file_path: string }>(
      store,
      `SELECT file_path FROM workstreams WHERE id = '2271eb55-62ca-4bcc-8d9f-f9aacd6922d6'::uuid`,
    );
    expect(path!.file_path).toBe(SEED_PATH);
    await r.remove('workplans/copy.md');

    // A move, given as its old and new paths.
    const moved = 'workplans/done/CUST-WP-0005.md';
    await r.write(moved, await r.read(SEED_PATH));
    await r.remove(SEED_PATH);
    const move = await r.sync(store, { paths: [SEED_PATH, moved] });
    expect(move.plan.counts.removed).toBe(0);
    const [after] = await queryRows<{ file_path: string }>(
      store,
      `SELECT file_path FROM workstreams WHERE id = '2271eb55-62ca-4bcc-8d9f-f9aacd6922d6'::uuid`,
    );
    expect(after!.file_path).toBe(moved);

    // A delete of one path removes that file's rows only.
    await r.remove('workplans/other.md');
    const del = await r.sync(store, { paths: ['workplans/other.md'], allowMassRemoval: true });
    expect(del.plan.removedWorkstreams.map((w) => w.fileId)).toEqual(['CUST-WP-0006']);
    expect((await counts(store, r.slug)).tasks).toBe(11);
  });
});
