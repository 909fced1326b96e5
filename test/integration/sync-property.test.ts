// Property: no repository makes a sync fail as a bug (exit 70), whatever it holds — workplan ids used
// twice, task ids repeated in a file and across files, two ADRs of one number, mirror ids copied
// between files, ids and titles past the mirror's limits, values the database cannot store, and ADRs
// in every style. Every file without an error is mirrored; `check`, `sync --dry-run` and `sync` find
// errors in the same files; and the dry run plans exactly what the sync then applies.
import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { runCheck } from '../../src/app/check.js';
import { mirrorDatabaseFor } from '../../src/app/open-mirror.js';
import { memorySource } from '../../src/fs/source-files.js';
import { classifySourcePath } from '../../src/model/source-path.js';
import { runSync } from '../../src/app/sync.js';
import type { SyncResult } from '../../src/reconcile/sync-result.js';
import { exitCodeFor } from '../../src/cli/exit-codes.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { hashBytes } from '../../src/model/content-hash.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { isSyncError } from '../../src/model/errors.js';
import type { Store } from '../../src/db/store.js';

interface TaskSpec {
  n: number;
  uuid: number | null;
  longId: number;
  title: 'plain' | 'long' | 'nul';
}
interface WorkplanSpec {
  wp: number;
  uuid: number | null;
  tasks: TaskSpec[];
  repeatTask: boolean;
}
interface AdrSpec {
  number: number;
  style: 'nygard' | 'madr2' | 'madr4' | 'log4brains' | 'bare' | 'broken-yaml' | 'template';
}

const task = fc.record({
  n: fc.integer({ min: 1, max: 3 }),
  uuid: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
  longId: fc.constantFrom(0, 0, 0, 300, 3000),
  title: fc.constantFrom('plain', 'plain', 'plain', 'long', 'nul') as fc.Arbitrary<TaskSpec['title']>,
});
// Task numbers are mostly distinct within a file, sometimes repeated (a task id used twice in one file).
const workplan = fc.record({
  wp: fc.integer({ min: 1, max: 5 }),
  uuid: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
  tasks: fc.uniqueArray(task, { minLength: 1, maxLength: 3, selector: (t) => t.n }),
  repeatTask: fc.constantFrom(false, false, false, true),
});
const adr = fc.record({
  number: fc.integer({ min: 1, max: 3 }),
  style: fc.constantFrom('nygard', 'madr2', 'madr4', 'log4brains', 'bare', 'broken-yaml', 'template') as fc.Arbitrary<AdrSpec['style']>,
});
/** `synced` files are synced first, on their own: the rest then meet them as unchanged rows in the mirror. */
const repository = fc.record({
  workplans: fc.array(workplan, { maxLength: 4 }),
  adrs: fc.array(adr, { maxLength: 4 }),
  synced: fc.nat({ max: 8 }),
});

/** The files of a generated repository; mirror ids come from a pool unique to the run (so runs never share rows). */
function renderRepository(spec: { workplans: WorkplanSpec[]; adrs: AdrSpec[]; synced?: number }): Map<string, Uint8Array> {
  const nonce = randomBytes(4).toString('hex');
  const uuid = (i: number) => `${nonce}-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const files = new Map<string, Uint8Array>();
  spec.workplans.forEach((w, i) => {
    const id = `PROP-WP-000${w.wp}`;
    const tasks = (w.repeatTask ? [...w.tasks, w.tasks[0]!] : w.tasks).map((t: TaskSpec) => {
      // Digits that do not compress: the database compresses a long index entry before it measures it.
      const taskId = t.longId > 0 ? `${id}-T${incompressibleDigits(t.longId - id.length - 2)}` : `${id}-T0${t.n}`;
      const title = t.title === 'long' ? 'L'.repeat(1200) : `Task ${t.n}`;
      const extra = t.title === 'nul' ? 'note: "a\\0b"\n' : '';
      return `### P1.${t.n} — ${title}\n\nid: ${taskId}\n${t.uuid === null ? '' : `state_hub_task_id: ${uuid(t.uuid)}\n`}status: todo\n${extra}`;
    });
    const text = `---\nid: ${id}\ntype: workplan\ntitle: Plan ${i}\ndomain: prop\nstatus: active\n${w.uuid === null ? '' : `state_hub_workstream_id: ${uuid(w.uuid)}\n`}---\n\n# Plan ${i}\n\n## Phase 1 — Work\n\n${tasks.join('\n')}`;
    files.set(`workplans/f${i}.md`, Buffer.from(text));
  });
  spec.adrs.forEach((a, i) => {
    const n = String(a.number).padStart(4, '0');
    const [path, text] = {
      nygard: [`adr/${n}-nygard-${i}.md`, `# ${a.number}. Nygard ${i}\n\nDate: 2024-01-0${a.number}\n\n## Status\n\nAccepted\n`],
      madr2: [`adr/${n}-madr2-${i}.md`, `# MADR 2 ${i}\n\n* Status: superseded by [ADR-000${a.number}](${n}-x.md)\n* Date: 02.01.2020\n`],
      madr4: [`adr/${n}-madr4-${i}.md`, `---\nstatus: "On hold"\ndate: 2024-06-11\ndecision-makers: [A, B]\n---\n\n# MADR 4 ${i}\n`],
      log4brains: [`adr/2024010${a.number}-log4brains-${i}.md`, `# Log4brains ${i}\n\n- Status: accepted\n- Date: {DATE_YESTERDAY}\n`],
      bare: [`adr/${n}-bare-${i}.md`, `# Bare ${i}\n\n## Context\n\nNo metadata at all.\n`],
      'broken-yaml': [
        `adr/${n}-broken-${i}.md`,
        `---\ntitle: ADR${n}: [TITLE]\nstatus: {proposed | accepted | superseded by [ADR-0005](0005-x.md)}\n---\n`,
      ],
      template: [`adr/${n}-unfilled-${i}.md`, '# NUMBER. TITLE\n\nDate: DATE\n\n## Status\n\nSTATUS\n'],
    }[a.style] as [string, string];
    files.set(path, Buffer.from(text));
  });
  return files;
}

function incompressibleDigits(n: number): string {
  return [...randomBytes(n)].map((b) => String(b % 10)).join('');
}

const errorPaths = (diagnostics: readonly Diagnostic[]) =>
  [...new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.path))].sort();

/** A sync as the CLI runs it; what it throws is what the CLI would map to an exit code. */
async function syncOnce(store: Store, files: Map<string, Uint8Array>, slug: string, dryRun: boolean): Promise<SyncResult> {
  try {
    return await runSync({
      root: '/nonexistent',
      config: DEFAULT_CONFIG,
      repository: { slug, root: '/nonexistent' },
      source: memorySource(files),
      mirror: mirrorDatabaseFor(store),
      trigger: 'cli',
      dryRun,
      writeBack: false,
      newId: randomUUID,
      now: () => new Date(),
      workers: 0,
    });
  } catch (error) {
    // Only a typed error may end a sync; anything else is exit 70 ("internal error").
    if (!isSyncError(error) || exitCodeFor(error.code) === 70) throw new Error(`exit 70: ${String(error).slice(0, 300)}`);
    throw error;
  }
}

/** The content hash of each mirrored file of the repository. */
async function readMirrored(store: Store, slug: string): Promise<Map<string, string>> {
  const rows = await store.sql.db.$queryRawUnsafe<Array<{ file_path: string; content_hash: string }>>(
    `SELECT w.file_path, w.content_hash FROM workstreams w JOIN repositories r ON r.id = w.repository_id WHERE r.slug = $1 AND w.removed_at IS NULL
     UNION ALL SELECT a.file_path, a.content_hash FROM adrs a JOIN repositories r ON r.id = a.repository_id WHERE r.slug = $1 AND a.removed_at IS NULL`,
    slug,
  );
  return new Map(rows.map((r) => [r.file_path, r.content_hash]));
}

describeEachDatabase('sync never fails as a bug, whatever the repository holds', (db) => {
  it('exit is never 70, every valid file is mirrored, and check, dry run and sync agree', async () => {
    const store = await db.openStore();
    await fc.assert(
      fc.asyncProperty(repository, async (spec) => {
        const files = renderRepository(spec);
        const slug = `prop-${randomUUID().slice(0, 8)}`;
        // Some files first: a copy added later must be judged with the original the mirror already holds.
        await syncOnce(store, new Map([...files].slice(0, spec.synced)), slug, false);
        const before = await readMirrored(store, slug);
        const check = await runCheck({ config: DEFAULT_CONFIG, source: memorySource(files), workers: 0 });
        const dry = await syncOnce(store, files, slug, true);
        const synced = await syncOnce(store, files, slug, false);
        expect(errorPaths(dry.diagnostics)).toEqual(errorPaths(check.diagnostics));
        expect(errorPaths(synced.diagnostics)).toEqual(errorPaths(check.diagnostics));
        expect(synced.plan.counts).toEqual(dry.plan.counts);
        // Invalid files keep the rows an earlier sync gave them; the others are mirrored as they are now.

        const invalid = new Set(errorPaths(check.diagnostics));
        const mirrored = await readMirrored(store, slug);
        for (const [path, bytes] of files) {
          expect(classifySourcePath(path, DEFAULT_CONFIG), path).toBeDefined();
          if (invalid.has(path)) expect(mirrored.get(path), `${path} has errors: its rows stay as they were`).toBe(before.get(path));
          else expect(mirrored.get(path), `${path} is valid and must be mirrored`).toBe(hashBytes(bytes));
        }
      }),
      {
        numRuns: 12,
        // The issue's repository: two ADRs numbered 20 (here 1), a task id of thousands of characters, valid files.
        examples: [
          [
            {
              workplans: [
                { wp: 1, uuid: null, tasks: [{ n: 1, uuid: null, longId: 3000, title: 'plain' }], repeatTask: false },
                { wp: 2, uuid: 0, tasks: [{ n: 1, uuid: 1, longId: 0, title: 'plain' }], repeatTask: false },
              ],
              adrs: [
                { number: 1, style: 'nygard' },
                { number: 1, style: 'madr4' },
                { number: 2, style: 'log4brains' },
              ],
              synced: 0,
            },
          ],
          // A copy (same workplan id, a mirror id copied) added after the original was synced.
          [
            {
              workplans: [
                { wp: 1, uuid: 0, tasks: [{ n: 1, uuid: 1, longId: 0, title: 'plain' }], repeatTask: false },
                { wp: 3, uuid: 0, tasks: [{ n: 2, uuid: 1, longId: 0, title: 'plain' }], repeatTask: false },
              ],
              adrs: [
                { number: 1, style: 'nygard' },
                { number: 1, style: 'bare' },
              ],
              synced: 1,
            },
          ],
        ],
      },
    );
  });
});
