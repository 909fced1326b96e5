// An agent's set_task_status racing a person's edit of the same workplan file (shared/RELIABILITY.md,
// "Compare-and-swap"): neither loses a byte. The agent's edit is a compare-and-swap of exactly the
// status line; a person's edit that lands between its read and its write is a WRITE_CONFLICT (nothing
// written, retryable), and the retry applies the status change to the person's text.
//
// 1. In process, the person's edit injected at a random stage of the agent's call (before its read,
//    right after its read, after its write and before its sync, while its sync reads the file), both
//    stores, many runs: the final file is exactly the person's text with the agent's status line, and
//    the mirror row agrees with the file.
// 2. Real processes: `workplan mcp` driven by the SDK's client while this process saves the file
//    (temp file + rename, as editors do) at random moments around each call.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createPlanContext } from '../../src/app/plan-context.js';
import { setTask } from '../../src/app/set-task.js';
import { runSync, type MirrorDatabase } from '../../src/app/sync.js';
import { mirrorDatabaseFor } from '../../src/app/open-mirror.js';
import type { SourceProvider } from '../../src/model/source-file.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { createEditSchemas } from '../../src/model/edit-input.js';
import { isSyncError } from '../../src/model/errors.js';
import type { Store } from '../../src/db/store.js';
import { copyEmptyPGliteDir, describeEachDatabase } from '../support/databases.js';
import { createTempRepo, type TempRepo } from '../support/sync-harness.js';
import { assertBuilt, CLI } from '../hook/support/git-repo.js';
import { workplanId, workplanPath, workplanText } from './support/corpus.js';
import { countNote, scenarioFigures } from './support/figures.js';
import { budgetMs, iterations } from './support/level.js';

const figures = scenarioFigures('agent-edits');
const config = structuredClone(DEFAULT_CONFIG);
const schemas = createEditSchemas(config);

type Stage = 'before-read' | 'after-read' | 'after-write' | 'during-sync-read';
const STAGES: Stage[] = ['before-read', 'after-read', 'after-write', 'during-sync-read'];
const STATUSES = ['todo', 'in_progress', 'done', 'blocked'];
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** The person's edit: something people do to a workplan, never the agent's status line, with a marker. */
function personEdit(text: string, n: number, marker: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  switch (pick(['append', 'description', 'other-status', 'same-task-title', 'shrink'] as const)) {
    case 'append':
      return `${text}${eol}Note from a person: ${marker}.${eol}`;
    case 'description':
      return text.replace(`Do thing 2 for plan ${n}; keep it.`, `Do thing 2 for plan ${n}; keep it. ${marker}`);
    case 'other-status':
      return text
        .replace(new RegExp(`(id: ${workplanId(n)}-T02${eol}(?:state_hub_task_id: .*${eol})?)status: \\w+`), `$1status: cancelled`)
        .replace('Do thing 3', `Do thing 3 (${marker})`);
    case 'same-task-title':
      return text.replace(`### P1.1 — Task 1 of plan ${n}`, `### P1.1 — Task 1 of plan ${n} (${marker})`);
    case 'shrink':
      return text.replace(`Do thing 3 for plan ${n}; keep it.`, marker.slice(0, 6));
  }
}

/** The agent's edit as it must appear in the file: task T01's status value, nothing else. */
function withStatus(text: string, n: number, status: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return text.replace(new RegExp(`(id: ${workplanId(n)}-T01${eol}(?:state_hub_task_id: .*${eol})?)status: \\w+`), `$1status: ${status}`);
}

/** Bytes by which `actual` differs from `expected` (0 when equal). */
function bytesDiffering(expected: string, actual: string): number {
  if (expected === actual) return 0;
  let start = 0;
  while (start < expected.length && expected[start] === actual[start]) start++;
  return Math.max(expected.length, actual.length) - start;
}

describeEachDatabase("an agent's set_task_status racing a person's edit", (db) => {
  const repos: TempRepo[] = [];
  afterAll(async () => {
    await Promise.all(repos.map((r) => r.dispose()));
  });

  const runs = iterations(40, 400);
  it(
    `loses no byte of either, at any stage of the agent's call (${runs} runs)`,
    async () => {
      const store: Store = await db.openStore();
      for (let i = 0; i < runs; i++) {
        const stage = STAGES[i % STAGES.length]!;
        const n = 1 + (i % 40);
        const rel = workplanPath(n);
        const original = workplanText(n, { tasks: 3, ids: true, eol: pick(['\n', '\r\n'] as const) });
        const repo = await createTempRepo({ [rel]: original });
        repos.push(repo);
        const repository = { slug: repo.slug, root: repo.root };
        const mirror = mirrorDatabaseFor(store);
        await runSync({
          root: repo.root,
          config,
          repository,
          source: (
            await createPlanContext({ root: repo.root, config, repository, trigger: 'cli', newId: randomUUID, now: () => new Date() })
          ).source,
          mirror,
          trigger: 'cli',
          newId: randomUUID,
          now: () => new Date(),
          workers: 0,
        });
        const abs = path.join(repo.root, ...rel.split('/'));
        const target = pick(STATUSES.filter((s) => s !== 'todo'));
        const marker = `person-${i}-${randomUUID()}`;
        let theirs: string | undefined;
        let reads = 0;
        const inject = async () => {
          if (theirs !== undefined) return;
          theirs = personEdit(await readFile(abs, 'utf8'), n, marker);
          await writeFile(abs, theirs);
        };
        const ctx = await createPlanContext({
          root: repo.root,
          config,
          repository,
          trigger: 'mcp',
          mirror,
          newId: randomUUID,
          now: () => new Date(),
        });
        const inner = ctx.source;
        const racingSource: SourceProvider = {
          ...inner,
          async read(p, kind, cfg) {
            if (p === rel && stage === 'before-read' && reads === 0) await inject();
            const read = await inner.read(p, kind, cfg);
            if (p === rel) reads++;
            if (p === rel && stage === 'after-read' && reads === 1) await inject();
            if (p === rel && stage === 'during-sync-read' && reads === 2) await inject();
            return read;
          },
        };
        const racingMirror: MirrorDatabase = {
          db: mirror.db,
          async withRepositoryLock(key, fn) {
            if (stage === 'after-write') await inject();
            return mirror.withRepositoryLock(key, fn);
          },
        };
        const input = schemas.setTask.parse({ task: `${workplanId(n)}-T01`, status: target });
        let outcome = await setTask({ ...ctx, source: racingSource, mirror: racingMirror }, input).catch((e: unknown) => e);
        figures.cases++;
        expect(theirs, `stage ${stage} was never reached`).toBeDefined();
        figures.faults++;
        if (isSyncError(outcome, 'WRITE_CONFLICT')) {
          countNote(figures, 'conflicts detected and retried');
          // Nothing was written: the file is exactly the person's.
          const now = await readFile(abs, 'utf8');
          figures.bytesLost += bytesDiffering(theirs!, now);
          expect(now).toBe(theirs);
          outcome = await setTask({ ...ctx }, input);
        }
        expect(outcome, String(outcome)).toMatchObject({ outcome: 'written' });
        countNote(figures, `person's edit ${stage}`);

        const expected = withStatus(theirs!, n, target);
        const final = await readFile(abs, 'utf8');
        figures.bytesLost += bytesDiffering(expected, final);
        expect(final, `${stage} #${i}`).toBe(expected);
        // The mirror converges on the file: the next sync leaves the rows equal to it.
        await runSync({
          root: repo.root,
          config,
          repository,
          source: ctx.source,
          mirror,
          trigger: 'cli',
          newId: randomUUID,
          now: () => new Date(),
          workers: 0,
        });
        const rows = await store.sql.db.$queryRawUnsafe<Array<{ file_id: string; status: string }>>(
          `SELECT t.file_id, t.status FROM tasks t JOIN repositories r ON r.id = t.repository_id WHERE r.slug = $1 AND t.removed_at IS NULL ORDER BY t.file_id`,
          repo.slug,
        );
        const fileStatuses = [...final.matchAll(/id: (\S+-T\d+)\r?\n(?:state_hub_task_id: .*\r?\n)?status: (\w+)/g)].map((m) => ({
          file_id: m[1]!,
          status: m[2]!,
        }));
        const disagreeing = fileStatuses.filter((f) => !rows.some((r) => r.file_id === f.file_id && r.status === f.status)).length;
        figures.rowsLost += disagreeing;
        expect(rows).toEqual(fileStatuses);
        await repo.dispose();
      }
      if (db.kind === 'embedded') await store.close();
    },
    budgetMs(180_000, 1_800_000),
  );
});

describeEachDatabase("workplan mcp's set_task_status while a person saves the same file", (db) => {
  const rounds = iterations(12, 120);
  it(
    `keeps every save of the person and the agent's last status (${rounds} rounds, real processes)`,
    async () => {
      assertBuilt();
      const n = 7;
      const rel = workplanPath(n);
      const repo = await createTempRepo({ [rel]: workplanText(n, { tasks: 3, ids: false }) });
      const env: Record<string, string> = { WORKPLAN_REPOSITORY_SLUG: repo.slug, PATH: process.env.PATH ?? '' };
      if (db.url) env.DATABASE_URL = db.url;
      else await copyEmptyPGliteDir(path.join(repo.root, '.workplan', 'db'));
      const client = new Client({ name: 'agent', version: '1.0.0' });
      await client.connect(
        new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--root', repo.root], env, stderr: 'pipe' }),
      );
      const abs = path.join(repo.root, ...rel.split('/'));
      const saved: string[] = [];
      /**
       * The person's editor: appends a line and saves through a temp file and a rename. Like an editor
       * that notices a file changed on disk, it reloads instead of saving over a change it has not seen
       * (the check and the rename are synchronous: a window of microseconds, as for atomic-write.ts).
       */
      const save = async (line: string) => {
        for (;;) {
          const text = readFileSync(abs, 'utf8');
          const temp = `${abs}.${randomUUID()}.swp`;
          writeFileSync(temp, `${text}${line}\n`);
          if (readFileSync(abs, 'utf8') !== text) {
            rmSync(temp);
            countNote(figures, 'person reloaded a file the agent had just written');
            continue;
          }
          renameSync(temp, abs);
          saved.push(line);
          return;
        }
      };
      try {
        await client.callTool({ name: 'sync', arguments: {} });
        let status = 'todo';
        for (let round = 0; round < rounds; round++) {
          status = STATUSES[(round + 1) % STATUSES.length]!;
          const line = `Saved by a person in round ${round}: ${randomUUID()}.`;
          const delay = Math.floor(Math.random() * 120);
          const person = new Promise<void>((resolve, reject) => setTimeout(() => save(line).then(resolve, reject), delay));
          let attempts = 0;
          for (;;) {
            attempts++;
            const result = (await client.callTool({
              name: 'set_task_status',
              arguments: { task: `${workplanId(n)}-T01`, status },
            })) as CallToolResult;
            if (!result.isError) break;
            const error = JSON.parse((result.content as Array<{ text: string }>)[1]!.text).error as { code: string; retryable: boolean };
            expect(error, JSON.stringify(result.content)).toMatchObject({ retryable: true });
            countNote(figures, `mcp ${error.code} (retried)`);
            if (attempts > 5) throw new Error(`still failing after ${attempts} attempts: ${JSON.stringify(result.content)}`);
          }
          await person;
          figures.cases++;
          figures.faults++;
        }
        const final = await readFile(abs, 'utf8');
        const lost = saved.filter((l) => !final.includes(l));
        figures.bytesLost += lost.reduce((sum, l) => sum + l.length, 0);
        expect(lost).toEqual([]);
        expect(
          final
            .split('\n')
            .filter((l) => l.startsWith('Saved by a person'))
            .map((l) => l),
        ).toEqual(saved);
        expect(final).toMatch(new RegExp(`id: ${workplanId(n)}-T01\\n(?:state_hub_task_id: .*\\n)?status: ${status}\\n`));
        countNote(figures, 'mcp rounds with a concurrent save', rounds);
      } finally {
        await client.close();
        await repo.dispose();
      }
    },
    budgetMs(180_000, 1_800_000),
  );
});
