// Lost updates (shared/RELIABILITY.md, "Compare-and-swap"): someone else edits a workplan between
// the moment the sync read it and the moment it writes the assigned ids back. The sync must
// detect it (write-back outcome 'conflict'; exit 3 from the CLI), leave their bytes exactly as
// they wrote them, and converge on the next run (their edit synced, the ids written into it).
//
// The other writer is injected at a random stage of the sync: right after our read (a
// SourceProvider wrapper), after parsing, inside the mirror transaction, or after COMMIT just
// before the write-back (a MirrorDatabase wrapper).
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runSync, type MirrorDatabase } from '../../src/app/sync.js';
import type { SyncProgress } from '../../src/reconcile/sync-result.js';
import { mirrorDatabaseFor } from '../../src/app/open-mirror.js';
import { workingTreeSource } from '../../src/fs/source-files.js';
import type { SourceProvider } from '../../src/model/source-file.js';
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import type { Store } from '../../src/db/store.js';
import { describeEachDatabase } from '../support/databases.js';
import { createTempRepo, queryRows, type TempRepo } from '../support/sync-harness.js';
import { workplanId, workplanPath, workplanText } from './support/corpus.js';
import { countNote, scenarioFigures } from './support/figures.js';
import { budgetMs, iterations } from './support/level.js';

const figures = scenarioFigures('lost-updates');

type Stage = 'after-read' | 'after-parse' | 'in-transaction' | 'after-commit';
const STAGES: Stage[] = ['after-read', 'after-parse', 'in-transaction', 'after-commit'];

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** Their edit: one of the things a person (or another tool) does to a workplan, with a unique marker. */
function theirEdit(text: string, marker: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const kind = pick(['retitle', 'status', 'append', 'insert-line', 'shrink'] as const);
  switch (kind) {
    case 'retitle':
      return text.replace('Task 2 of plan', `Task 2 (${marker}) of plan`);
    case 'status':
      return text.replace(/status: todo/, 'status: in_progress').replace('Do thing 1', `Do thing 1 (${marker})`);
    case 'append':
      return `${text}${eol}Note added by someone else: ${marker}.${eol}`;
    case 'insert-line':
      return text.replace(`Do thing 2`, `Someone else's line ${marker}.${eol}${eol}Do thing 2`);
    case 'shrink':
      // Shorter than before: a naive size check would not notice, a stale write would resurrect bytes.
      return text.replace(/Do thing 3 for plan \d+; keep it\./, marker.slice(0, 8));
  }
}

/** Lines of `after` that are not in `before`, in order (the ids our write-back inserted). */
function insertedLines(before: string, after: string): string[] {
  const left = before.split(/\r?\n/);
  const out: string[] = [];
  let i = 0;
  for (const line of after.split(/\r?\n/)) {
    if (i < left.length && left[i] === line) i++;
    else out.push(line);
  }
  return i === left.length ? out : [...out, `<${left.length - i} original lines missing>`];
}

describeEachDatabase('an edit made between our read and our write-back', (db) => {
  const repos: TempRepo[] = [];
  afterAll(async () => {
    await Promise.all(repos.map((r) => r.dispose()));
  });

  const runs = iterations(50, 500);
  it(
    `is detected, never overwritten, and the next sync converges (${runs} runs, random stage)`,
    async () => {
      const store = await db.openStore();
      const byStage: Record<string, number> = {};
      for (let i = 0; i < runs; i++) {
        const stage = STAGES[i % STAGES.length]!;
        byStage[stage] = (byStage[stage] ?? 0) + 1;
        const n = 1 + (i % 50);
        const rel = workplanPath(n);
        const ours = workplanText(n, { tasks: 0, newTasks: 3, ids: false, eol: pick(['\n', '\r\n'] as const) });
        const repo = await createTempRepo({ [rel]: ours, 'workplans/REL-WP-9999-other.md': workplanText(9999, { tasks: 2, ids: true }) });
        repos.push(repo);
        const marker = `edit-${i}-${randomUUID()}`;
        const theirs = theirEdit(ours, marker);
        const abs = path.join(repo.root, ...rel.split('/'));
        let injected = false;
        // Synchronous: runSync calls onProgress without awaiting it.
        const inject = () => {
          if (injected) return;
          injected = true;
          writeFileSync(abs, theirs);
        };

        const inner = workingTreeSource(repo.root);
        const source: SourceProvider = {
          list: (config) => inner.list(config),
          async read(p, kind, config) {
            const result = await inner.read(p, kind, config);
            if (stage === 'after-read' && p === rel) inject();
            return result;
          },
        };
        const base = mirrorDatabaseFor(store);
        const mirror: MirrorDatabase = {
          db: base.db,
          async withRepositoryLock(key, fn) {
            const result = await base.withRepositoryLock(key, fn);
            if (stage === 'after-commit') inject();
            return result;
          },
        };
        const onProgress = (p: SyncProgress) => {
          if (stage === 'after-parse' && p.kind === 'parsed' && p.done === p.total) inject();
          if (stage === 'in-transaction' && p.kind === 'applying') inject();
        };
        const sync = (options: { source?: SourceProvider; mirror?: MirrorDatabase; onProgress?: (p: SyncProgress) => void } = {}) =>
          runSync({
            root: repo.root,
            config: structuredClone(DEFAULT_CONFIG),
            repository: { slug: repo.slug, root: repo.root },
            source: options.source ?? workingTreeSource(repo.root),
            mirror: options.mirror ?? mirrorDatabaseFor(store),
            trigger: 'cli',
            newId: randomUUID,
            now: () => new Date(),
            workers: 0,
            ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          });

        const first = await sync({ source, mirror, onProgress });
        figures.cases++;
        expect(injected, `stage ${stage} was never reached`).toBe(true);
        figures.faults++;
        const conflict = first.writeBacks.find((w) => w.path === rel);
        expect(conflict, JSON.stringify(first.writeBacks)).toMatchObject({ outcome: 'conflict' });
        expect(conflict!.message).toMatch(/nothing was written/);
        const now = await readFile(abs, 'utf8');
        if (now !== theirs) figures.bytesLost += Math.abs(now.length - theirs.length) || theirs.length;
        expect(now, `${stage} #${i}: their edit was overwritten`).toBe(theirs);
        countNote(figures, `conflicts detected (${stage})`);

        // The next sync converges: their edit is in the mirror, the ids the first run assigned are
        // written into THEIR text (only whole id lines added), and a third sync is a no-op.
        const second = await sync();
        expect(second.writeBacks, `${stage} #${i}`).toEqual([{ path: rel, outcome: 'written', ids: 4 }]);
        const final = await readFile(abs, 'utf8');
        const added = insertedLines(theirs, final);
        expect(
          added.every((l) => /^state_hub_(workstream|task)_id: [0-9a-f-]{36}$/.test(l)),
          added.join('\n'),
        ).toBe(true);
        expect(added).toHaveLength(4);
        const mirrorIds = await taskIds(store, workplanId(n), repo.slug);
        expect(added.filter((l) => l.startsWith('state_hub_task_id')).map((l) => l.split(': ')[1])).toEqual(mirrorIds);
        if (theirs.includes(`Task 2 (${marker})`)) {
          const [row] = await queryRows<{ title: string }>(
            store,
            `SELECT t.title FROM tasks t JOIN repositories r ON r.id = t.repository_id WHERE r.slug = $1 AND t.file_id = $2`,
            repo.slug,
            `${workplanId(n)}-T02`,
          );
          expect(row?.title).toContain(marker);
        }
        const third = await sync();
        expect(third.outcome).toBe('noop');
        await repo.dispose();
      }
      expect(Object.values(byStage).every((n) => n > 0)).toBe(true);
    },
    budgetMs(120_000, 1_800_000),
  );

  it('the CLI exits 3, says nothing was written, and a re-run exits 0', async () => {
    const n = 77;
    const rel = workplanPath(n);
    const ours = workplanText(n, { tasks: 0, newTasks: 2, ids: false });
    const repo = await createTempRepo({ [rel]: ours });
    repos.push(repo);
    const theirs = `${ours}\nTheir line.\n`;
    const abs = path.join(repo.root, ...rel.split('/'));
    const stdout: string[] = [];
    const stderr: string[] = [];
    // `workplan sync` reports "writing the mirror…" from inside the transaction: edit the file then.
    const out: Output = {
      isTTY: false,
      print: (l) => void stdout.push(l),
      error: (l) => void stderr.push(l),
      progress: (l) => {
        if (l.startsWith('writing the mirror')) writeFileSync(abs, theirs);
      },
    };
    const env = db.kind === 'postgres' ? { DATABASE_URL: db.url! } : {};
    // The CLI opens the suite's (already migrated) embedded store itself: close this process's handle.
    if (db.kind === 'embedded') await (await db.openStore()).close();
    // … from a copy where the CLI looks for it (the embedded store lives inside the repository).
    if (db.kind === 'embedded') await cp(db.embeddedDir, path.join(repo.root, '.workplan', 'db'), { recursive: true });
    const code = await main(['sync', '--root', repo.root], { cwd: repo.root, env, out });
    figures.cases++;
    figures.faults++;
    expect(code, stderr.join('\n')).toBe(3);
    expect(stderr.join('\n')).toMatch(new RegExp(`${rel.replace(/\./g, '\\.')}: ids not written back \\(conflict\\).*nothing was written`));
    expect(await readFile(abs, 'utf8')).toBe(theirs);
    const again = await main(['sync', '--root', repo.root, '--quiet'], { cwd: repo.root, env, out: { ...out, progress: () => undefined } });
    expect(again).toBe(0);
    expect(insertedLines(theirs, await readFile(abs, 'utf8'))).toHaveLength(3);
    countNote(figures, 'CLI exit 3 then 0');
  }, 60_000);
});

async function taskIds(store: Store, fileId: string, slug: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    store,
    `SELECT t.id::text AS id FROM tasks t JOIN workstreams w ON w.id = t.workstream_id JOIN repositories r ON r.id = w.repository_id
      WHERE r.slug = $1 AND w.file_id = $2 AND t.removed_at IS NULL ORDER BY t.position`,
    slug,
    fileId,
  );
  return rows.map((r) => r.id);
}
