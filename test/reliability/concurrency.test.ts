// Concurrency (shared/RELIABILITY.md, "The database"): several `workplan sync` processes started at
// once against one repository and one mirror. On Postgres they really run concurrently and are
// serialised by the per-repository advisory lock; on the embedded store they queue on its lock
// file. Every process exits 0, prints no error (a "Waiting for …" line is the only thing allowed
// besides the normal output), no row is duplicated, every id is written into its file exactly
// once and matches the mirror, and the final mirror equals what one clean sync gives.
// A second scenario adds the live writers: `workplan watch` (the daemon; on the embedded store the
// syncs and the hook hand their work to it) and the pre-commit hook (`workplan sync --staged`),
// while a person edits files — then one more `workplan sync` must converge to a clean single sync.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/db/store.js';
import { describeEachDatabase, type DatabaseTarget } from '../support/databases.js';
import { createTempRepo, queryRows, syncRepo, type TempRepo } from '../support/sync-harness.js';
import { buildCli, spawnNode, type CliBuild } from './support/cli-build.js';
import { adrPath, adrText, readRepoFiles, workplanPath, workplanText, writeRepoFiles, type Files } from './support/corpus.js';
import { fileURLToPath } from 'node:url';
import { countNote, scenarioFigures } from './support/figures.js';
import { budgetMs, iterations, LONG } from './support/level.js';
import { diffDigests, digestMirror, FILE_HASH_COLUMNS, storeQuery, type MirrorDigest, SYNC_BOOKKEEPING } from './support/mirror-digest.js';

const figures = scenarioFigures('concurrency');

let build: CliBuild;
beforeAll(async () => {
  build = await buildCli();
}, 120_000);
afterAll(async () => {
  await build?.dispose();
});

/** A repository whose workplans all lack ids: every sync that gets there first writes them back. */
function corpus(round: number): Files {
  const files: Files = {};
  for (let n = 1; n <= 8; n++) {
    files[workplanPath(n)] = workplanText(n, {
      tasks: 0,
      newTasks: 4 + (n % 3),
      ids: false,
      eol: n % 2 ? '\n' : '\r\n',
      ...(n > 1 ? { dependsOn: n - 1 } : {}),
    });
  }
  for (let n = 1; n <= 3; n++) files[adrPath(n)] = adrText(n, `Decision ${n} of round ${round}`);
  return files;
}

/** What may appear on stderr besides nothing: the wait announcements. */
const ALLOWED_STDERR = /^(Waiting for .*…|)$/;
/** Random ids (and the file hashes covering them) differ between two otherwise equal runs. */
const SEMANTIC = {
  withoutUuids: true,
  withoutTables: SYNC_BOOKKEEPING.withoutTables,
  withoutColumns: [...FILE_HASH_COLUMNS, ...SYNC_BOOKKEEPING.withoutColumns],
};

describeEachDatabase('several `workplan sync` processes at once', (db) => {
  const repos: TempRepo[] = [];
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'wps-concurrency-'));
  });
  afterAll(async () => {
    await Promise.all(repos.map((r) => r.dispose()));
    await rm(scratch, { recursive: true, force: true });
  });

  const rounds = iterations(1, 10);
  const processes = db.kind === 'embedded' ? (LONG ? 5 : 3) : LONG ? 8 : 5;
  it(
    `${processes} processes × ${rounds} round(s): all exit 0, no duplicate row, ids written once, the mirror equals one clean sync`,
    async () => {
      for (let round = 0; round < rounds; round++) {
        const slug = `concurrent-${round}`;
        const files = corpus(round);
        const repo = await createTempRepo(files, slug);
        repos.push(repo);
        const main = await db.createDatabase();

        // The reference: one clean sync of the same files (same root and slug) into another database.
        // (Short run on the embedded store, where the processes are serialised by the store's lock
        // anyway: the row counts of the corpus stand in for it, saving a PGlite start.)
        let expected: MirrorDigest | undefined;
        if (db.kind === 'postgres' || LONG) {
          const refStore = await openTarget(await db.createDatabase(), scratch, `ref-${round}`);
          try {
            await syncRepo(repo.root, slug, refStore, { workers: 0 });
            expected = await digestMirror(storeQuery(refStore), SEMANTIC);
          } finally {
            await refStore.close();
          }
          await writeRepoFiles(repo.root, files);
        }

        // The real thing: N CLI processes at once.
        const embeddedDir = path.join(repo.root, '.workplan', `main-${round}`);
        if (db.kind === 'embedded') await cp(main.embeddedDir, embeddedDir, { recursive: true });
        await writeFile(
          path.join(repo.root, 'workplan.config.json'),
          JSON.stringify({ database: { embeddedDir: `.workplan/main-${round}` } }),
        );
        const env: NodeJS.ProcessEnv = { WORKPLAN_REPOSITORY_SLUG: slug, DATABASE_URL: db.kind === 'postgres' ? main.url! : '' };
        const children = Array.from({ length: processes }, () => spawnNode(build.cli, ['sync', '--root', repo.root], env));
        const exits = await Promise.all(children.map((c) => c.exited));
        figures.cases++;
        figures.faults += processes - 1;
        countNote(figures, 'sync processes run', processes);
        for (const [k, c] of children.entries()) {
          const stderr = c.stderr().trim().split('\n');
          if (stderr.some((l) => /^Waiting for /.test(l))) countNote(figures, 'processes that waited (announced)');
          expect(
            { exit: exits[k]!.code, stderr: stderr.filter((l) => !ALLOWED_STDERR.test(l)) },
            `process ${k}:\n${c.stdout()}\n${c.stderr()}`,
          ).toEqual({
            exit: 0,
            stderr: [],
          });
          expect(c.stdout()).toMatch(/\d+ files, \d+ created, \d+ updated, \d+ removed, \d+ ids assigned/);
        }

        const store = await openTarget(main, scratch, `main-${round}`, embeddedDir);
        try {
          // No duplicate live rows, whatever interleaving happened.
          const dupes = await queryRows<{ t: string; k: string; n: number }>(
            store,
            `SELECT 'workstream' AS t, file_id AS k, count(*)::int AS n FROM workstreams WHERE removed_at IS NULL GROUP BY file_id HAVING count(*) > 1
             UNION ALL SELECT 'task', file_id, count(*)::int FROM tasks WHERE removed_at IS NULL GROUP BY file_id HAVING count(*) > 1
             UNION ALL SELECT 'adr', file_id, count(*)::int FROM adrs WHERE removed_at IS NULL GROUP BY file_id HAVING count(*) > 1
             UNION ALL SELECT 'dependency', workstream_id::text || '#' || position, count(*)::int FROM dependencies WHERE removed_at IS NULL GROUP BY workstream_id, position HAVING count(*) > 1
             UNION ALL SELECT 'repository', slug, count(*)::int FROM repositories GROUP BY slug HAVING count(*) > 1`,
          );
          figures.rowsLost += dupes.reduce((n, d) => n + d.n - 1, 0);
          expect(dupes).toEqual([]);

          // Every id written exactly once, and equal to the mirror's.
          const after = await readRepoFiles(repo.root);
          const taskRows = await queryRows<{ file_id: string; id: string }>(
            store,
            `SELECT file_id, id::text AS id FROM tasks WHERE removed_at IS NULL`,
          );
          const mirrorIds = new Map(taskRows.map((r) => [r.file_id, r.id]));
          for (const [p, bytes] of after) {
            if (!p.startsWith('workplans/')) continue;
            expect(path.basename(p).startsWith('.'), `leftover ${p}`).toBe(false);
            const text = bytes.toString('utf8');
            const withoutIds = text
              .replace(/^state_hub_(workstream|task)_id: .*\r?\n/gm, '')
              .replace(/^- \*\*state_hub_dependency_id:\*\* .*\r?\n/gm, '');
            if (withoutIds !== files[p]) figures.bytesLost += Math.abs(withoutIds.length - files[p]!.length) || 1;
            expect(withoutIds, `${p}: only id lines were added`).toBe(files[p]);
            expect(text.match(/^state_hub_workstream_id: /gm)?.length, p).toBe(1);
            for (const m of text.matchAll(/^id: (\S+)\r?\nstate_hub_task_id: (\S+)/gm))
              expect(m[2], `${p} ${m[1]}`).toBe(mirrorIds.get(m[1]!));
            expect((text.match(/^state_hub_task_id: /gm) ?? []).length, p).toBe((text.match(/^id: REL-WP-\d+-T\d+\r?$/gm) ?? []).length);
          }

          const got = await digestMirror(storeQuery(store), SEMANTIC);
          if (expected) expect(got.digest, diffDigests(got, expected)).toBe(expected.digest);
          else {
            const live = await queryRows<{ ws: number; tasks: number; adrs: number; deps: number }>(
              store,
              `SELECT (SELECT count(*)::int FROM workstreams WHERE removed_at IS NULL) AS ws, (SELECT count(*)::int FROM tasks WHERE removed_at IS NULL) AS tasks,
                      (SELECT count(*)::int FROM adrs WHERE removed_at IS NULL) AS adrs, (SELECT count(*)::int FROM dependencies WHERE removed_at IS NULL) AS deps`,
            );
            const taskCount = Object.values(files).reduce((n, t) => n + (t.match(/^id: REL-WP-\d+-T\d+\r?$/gm)?.length ?? 0), 0);
            expect(live[0]).toEqual({ ws: 8, tasks: taskCount, adrs: 3, deps: 7 });
          }
          // And a further sync has nothing to do.
          const again = await syncRepo(repo.root, slug, store, { workers: 0 });
          expect(again.outcome).toBe('noop');
        } finally {
          await store.close();
        }
      }
    },
    budgetMs(180_000, 1_800_000),
  );

  const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');
  const live = existsSync(path.join(SRC, 'cli/commands/watch.ts')) && existsSync(path.join(SRC, 'cli/commands/hook.ts'));
  // Short run: Postgres only (real concurrency); the embedded variant (everything handed to the
  // daemon) runs in the long run.
  it.runIf(live && (db.kind === 'postgres' || LONG))(
    'sync processes, the watch daemon and the pre-commit hook at once while files are edited: no error, no duplicate, then one sync converges',
    async () => {
      const slug = `live-${db.kind}`;
      // Plans 1-4 carry their ids and are staged (the hook's commit); 5-8 lack ids (the syncs write them).
      const files: Files = {};
      for (let n = 1; n <= 8; n++)
        files[workplanPath(n)] = workplanText(n, { tasks: 3, ids: n <= 4, ...(n > 1 ? { dependsOn: n - 1 } : {}) });
      for (let n = 1; n <= 3; n++) files[adrPath(n)] = adrText(n);
      const repo = await createTempRepo(files, slug);
      repos.push(repo);
      const git = (...args: string[]) => execFileSync('git', args, { cwd: repo.root, stdio: 'pipe' });
      git('init', '-q');
      git('add', ...Object.keys(files).filter((p) => p.startsWith('adr/') || /REL-WP-000[1-4]/.test(p)));
      const main = await db.createDatabase();
      const embeddedDir = path.join(repo.root, '.workplan', `live-${db.kind}`);
      if (db.kind === 'embedded') await cp(main.embeddedDir, embeddedDir, { recursive: true });
      await writeFile(
        path.join(repo.root, 'workplan.config.json'),
        JSON.stringify({ database: { embeddedDir: `.workplan/live-${db.kind}` } }),
      );
      await writeFile(path.join(repo.root, '.gitignore'), 'workplan.config.json\n.workplan/\n');
      const env: NodeJS.ProcessEnv = { WORKPLAN_REPOSITORY_SLUG: slug, DATABASE_URL: db.kind === 'postgres' ? main.url! : '' };

      // On Postgres everything starts at once: the daemon's initial full sync races the CLI syncs and
      // the hook. On the embedded store the daemon owns the store, and syncs hand their work to it
      // (a sync started while it starts is covered by the hand-off test below); they start once it is ready.
      const watch = spawnNode(build.cli, ['watch', '--root', repo.root, '--debounce', '100'], env);
      if (db.kind === 'embedded') await watch.waitFor(/ ready — mirror /, 90_000);
      const edit = async (n: number, from: RegExp, to: string) => {
        const p = path.join(repo.root, workplanPath(n));
        await writeFile(p, (await readFile(p, 'utf8')).replace(from, to));
      };
      const writers = [
        ...Array.from({ length: 3 }, () => spawnNode(build.cli, ['sync', '--root', repo.root], env)),
        spawnNode(build.cli, ['sync', '--staged', '--root', repo.root], env),
      ];
      await watch.waitFor(/ ready — mirror /, 90_000);
      // A person edits two staged files while all that runs. (Files still waiting for their ids are
      // left alone: an edit there while a sync writes ids is a real conflict, refused with exit 3 —
      // the lost-update scenario covers that.)
      await new Promise((r) => setTimeout(r, 150));
      await edit(2, /status: todo/, 'status: in_progress');
      await edit(3, /Do thing 1 for plan 3; keep it\./, 'Do thing 1 for plan 3, edited meanwhile.');
      const exits = await Promise.all(writers.map((w) => w.exited));
      // Let the daemon see the last changes, then stop it.
      let quiet = watch.stdout().length;
      for (let i = 0; i < 40; i++) {
        await new Promise((r) => setTimeout(r, 500));
        if (watch.stdout().length === quiet && i >= 3) break;
        quiet = watch.stdout().length;
      }
      watch.kill('SIGTERM');
      const watchExit = await watch.exited;
      figures.cases++;
      figures.faults += writers.length + 2;
      countNote(figures, 'live rounds (watch + hook + syncs + edits)');

      const problems = (text: string, allowed: RegExp) => text.split('\n').filter((l) => l.trim() !== '' && !allowed.test(l));
      for (const [k, w] of writers.entries()) {
        const isHook = k === writers.length - 1;
        const allowed = isHook ? /^workplan: (Waiting for .*…|.*valid; mirror synced.*)$|^Waiting for .*…$/ : ALLOWED_STDERR;
        expect(
          { exit: exits[k]!.code, stderr: problems(w.stderr(), allowed) },
          `${isHook ? 'hook' : `sync ${k}`}:\n${w.stdout()}\n${w.stderr()}`,
        ).toEqual({ exit: 0, stderr: [] });
      }
      expect(
        { exit: watchExit.code, stderr: problems(watch.stderr(), ALLOWED_STDERR) },
        `watch:\n${watch.stdout()}\n${watch.stderr()}`,
      ).toEqual({ exit: 0, stderr: [] });
      expect(watch.stdout()).toMatch(/ stopped$/m);

      // One more sync converges (the hook mirrors what is staged; the working tree wins now).
      const final = spawnNode(build.cli, ['sync', '--root', repo.root], env);
      expect((await final.exited).code, final.stdout() + final.stderr()).toBe(0);

      const store = await openTarget(main, scratch, 'live', embeddedDir);
      try {
        const dupes = await queryRows<{ n: number }>(
          store,
          `SELECT count(*)::int AS n FROM (
             SELECT file_id FROM workstreams WHERE removed_at IS NULL GROUP BY file_id HAVING count(*) > 1
             UNION ALL SELECT file_id FROM tasks WHERE removed_at IS NULL GROUP BY file_id HAVING count(*) > 1
             UNION ALL SELECT file_id FROM adrs WHERE removed_at IS NULL GROUP BY file_id HAVING count(*) > 1) d`,
        );
        figures.rowsLost += dupes[0]?.n ?? 0;
        expect(dupes[0]?.n).toBe(0);
        const [plan2] = await queryRows<{ status: string }>(store, `SELECT status FROM tasks WHERE file_id = 'REL-WP-0002-T01'`);
        expect(plan2?.status).toBe('in_progress');
        const [plan3] = await queryRows<{ description: string }>(store, `SELECT description FROM tasks WHERE file_id = 'REL-WP-0003-T01'`);
        expect(plan3?.description).toContain('edited meanwhile');
        const taskRows = await queryRows<{ file_id: string; id: string }>(
          store,
          `SELECT file_id, id::text AS id FROM tasks WHERE removed_at IS NULL`,
        );
        const mirrorIds = new Map(taskRows.map((r) => [r.file_id, r.id]));
        for (const [p, bytes] of await readRepoFiles(repo.root)) {
          if (!p.startsWith('workplans/')) continue;
          const text = bytes.toString('utf8');
          expect(text.match(/^state_hub_workstream_id: /gm)?.length, p).toBe(1);
          for (const m of text.matchAll(/^id: (\S+)\r?\nstate_hub_task_id: (\S+)/gm))
            expect(m[2], `${p} ${m[1]}`).toBe(mirrorIds.get(m[1]!));
          expect((text.match(/^state_hub_task_id: /gm) ?? []).length, p).toBe(3);
        }
        expect((await syncRepo(repo.root, slug, store, { workers: 0 })).outcome).toBe('noop');
      } finally {
        await store.close();
      }
    },
    budgetMs(180_000, 1_800_000),
  );

  // The sync/daemon hand-off while the daemon starts (issue #7, once a recorded bug): the daemon takes
  // the embedded store before it listens on its socket, and keeps it. A `workplan sync` that finds the
  // store held by a watch daemon keeps trying the socket (src/app/open-mirror.ts) instead of waiting
  // 30 s for a store that is never released and failing with LOCK_UNAVAILABLE (exit 4).
  it.runIf(live && db.kind === 'embedded')(
    'a `workplan sync` started while the watch daemon starts hands its sync to the daemon, no LOCK_UNAVAILABLE (long run: also racing another sync)',
    async () => {
      const repo = await createTempRepo(corpus(99), 'live-handoff');
      repos.push(repo);
      const main = await db.createDatabase();
      const embeddedDir = path.join(repo.root, '.workplan', 'handoff');
      await cp(main.embeddedDir, embeddedDir, { recursive: true });
      await writeFile(path.join(repo.root, 'workplan.config.json'), JSON.stringify({ database: { embeddedDir: '.workplan/handoff' } }));
      const env: NodeJS.ProcessEnv = { WORKPLAN_REPOSITORY_SLUG: 'live-handoff', DATABASE_URL: '' };
      const allowed = /^Waiting for .*…$/;
      const problems = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !allowed.test(l));

      // 1. Deterministic: the daemon holds the store and is not listening yet (its start-up full sync
      //    writes the corpus's ids) when the sync starts.
      const watch = spawnNode(build.cli, ['watch', '--root', repo.root], env);
      const lockFile = `${embeddedDir}.lock`;
      for (let i = 0; !(await readFile(lockFile, 'utf8').catch(() => '')).includes('"workplan watch"'); i++) {
        if (i > 1_200) throw new Error(`the daemon never took the store:\n${watch.stdout()}\n${watch.stderr()}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      const beforeReady = !/ ready — mirror /.test(watch.stdout());
      const late = spawnNode(build.cli, ['sync', '--root', repo.root], env);
      const lateExit = await late.exited;
      expect({ exit: lateExit.code, stderr: problems(late.stderr()) }, `${late.stdout()}\n${late.stderr()}`).toEqual({
        exit: 0,
        stderr: [],
      });
      expect(late.stdout()).toMatch(/synced by the running watch daemon \(pid \d+\)/);
      if (beforeReady) countNote(figures, 'syncs handed off to a daemon still starting');

      watch.kill('SIGTERM');
      expect((await watch.exited).code, watch.stdout() + watch.stderr()).toBe(0);
      figures.cases++;
      figures.faults++;
      countNote(figures, 'sync/daemon hand-offs while the daemon starts');
      if (!LONG) return;

      // 2. (Long run.) The race as first reported: a sync, the daemon and another sync all at once.
      //    Whoever gets the store first, both syncs succeed (run themselves, or by the daemon).
      const first = spawnNode(build.cli, ['sync', '--root', repo.root], env);
      const racing = spawnNode(build.cli, ['watch', '--root', repo.root], env);
      const second = spawnNode(build.cli, ['sync', '--root', repo.root], env);
      const exits = await Promise.all([first.exited, second.exited]);
      await racing.waitFor(/ ready — mirror /, 90_000); // it gets the store once the syncs that had it are done
      racing.kill('SIGTERM');
      const racingExit = await racing.exited;
      figures.cases++;
      figures.faults += 2;
      countNote(figures, 'sync/daemon races while the daemon starts (long run)');
      expect(
        [first, second].map((c, k) => ({ exit: exits[k]!.code, stderr: problems(c.stderr()) })),
        `${first.stderr()}\n${second.stderr()}`,
      ).toEqual([
        { exit: 0, stderr: [] },
        { exit: 0, stderr: [] },
      ]);
      expect(racingExit.code, racing.stdout() + racing.stderr()).toBe(0);
    },
    budgetMs(120_000, 240_000),
  );
});

/** Opens a target database in this process (embedded: the given or the target's own directory). */
async function openTarget(target: DatabaseTarget, scratch: string, name: string, embeddedDir?: string): Promise<Store> {
  if (target.kind === 'postgres') return openStore({ databaseUrl: target.url!, embeddedDir: path.join(scratch, 'unused') });
  return openStore({ embeddedDir: embeddedDir ?? target.embeddedDir, waitForLockMs: 60_000, command: `test ${name}` });
}
