// The first run (issue #18, target 1; adr/0013): creating and migrating a new embedded store, from the
// migrated template and, for comparison, in place (initdb and the migrations, as before the
// template); and a fresh clone of this repository synced for the first time by `workplan sync`, next
// to the no-op syncs that follow it. The template is the one `npm run build` made (as `npm install` of
// a clone does); if it is missing it is made first, and that is reported.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { findEmbeddedTemplate, templateCaches, templateKey } from '#lib/db/embedded-template.js';
import { readMigrationFiles } from '#lib/db/migrate.js';
import { openStore, prepareEmbeddedTemplate } from '#lib/db/store.js';
import { envFor } from './bench-stores.js';
import { runProcess } from './run-process.js';
import { median } from './stats.js';

export interface FirstRunResult {
  /** Whether the build had made the template, or this run had to (its time is then `templateMadeMs`). */
  templateWasReady: boolean;
  templateMadeMs: number | null;
  /** openStore + close on a new directory, from the template, ms. */
  createSamples: number[];
  createMedian: number;
  /** The same without the template (initdb in a child, migrations through the wasm engine), ms. */
  createInPlaceMs: number;
  /** openStore + close of the same stores again, now existing: what any command pays to open, ms. */
  reopenSamples?: number[];
  reopenMedian?: number;
  /** A fresh clone of this repository: first `workplan sync` and the no-op ones after it, spawn → exit. */
  clone: { files: number; firstMs: number; noopSamples: number[]; noopMedian: number } | { na: string };
}

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(PACKAGE_ROOT, 'bin', 'workplan.js');

export async function measureFirstRun(options: {
  workDir: string;
  repetitions: number;
  log: (line: string) => void;
}): Promise<FirstRunResult> {
  const base = join(options.workDir, 'first-run');
  const templateWasReady = (await findEmbeddedTemplate(templateKey(await readMigrationFiles()), templateCaches())) !== undefined;
  const started = performance.now();
  if (!(await prepareEmbeddedTemplate())) throw new Error('no embedded store template could be made');
  const madeMs = performance.now() - started;
  const createSamples: number[] = [];
  for (let i = 0; i < options.repetitions; i++) createSamples.push(await timeNewStore(join(base, `store-${i}`), true));
  const createInPlaceMs = await timeNewStore(join(base, 'store-in-place'), false);
  const reopenSamples: number[] = [];
  for (let i = 0; i < options.repetitions; i++) reopenSamples.push(await timeNewStore(join(base, `store-${i}`), true));
  options.log(
    `new embedded store: ${createSamples.map((ms) => Math.round(ms)).join(', ')} ms from the template, ${Math.round(createInPlaceMs)} ms in place`,
  );
  const clone = await measureClone(join(base, 'clone'), options.repetitions);
  return {
    templateWasReady,
    templateMadeMs: templateWasReady ? null : madeMs,
    createSamples,
    createMedian: median(createSamples),
    createInPlaceMs,
    reopenSamples,
    reopenMedian: median(reopenSamples),
    clone,
  };
}

/** openStore + close of the store in repository directory `root` (new unless opened before). */
async function timeNewStore(root: string, template: boolean): Promise<number> {
  await mkdir(root, { recursive: true });
  const t0 = performance.now();
  const store = await openStore({ embeddedDir: join(root, '.workplan', 'db'), root, prismaClient: false, embeddedTemplate: template });
  await store.close();
  return performance.now() - t0;
}

async function measureClone(dir: string, repetitions: number): Promise<FirstRunResult['clone']> {
  if (!existsSync(join(PACKAGE_ROOT, '.git'))) return { na: 'the package is not a git checkout' };
  const cloned = await runProcess('git', ['clone', '-q', PACKAGE_ROOT, dir], { timeoutMs: 120_000 });
  if (cloned.code !== 0) return { na: `git clone failed: ${cloned.stderr.trim().slice(0, 200)}` };
  // The embedded store, as on a machine without DATABASE_URL; this build's CLI stands for the clone's own.
  const env = envFor({ kind: 'embedded' }, process.env);
  const sync = async (expected: string) => {
    const run = await runProcess(process.execPath, [BIN, 'sync', '--json'], { cwd: dir, env, timeoutMs: 10 * 60_000 });
    if (run.code !== 0)
      throw new Error(`workplan sync in the clone exited ${run.code ?? run.signal}: ${(run.stderr || run.stdout).trim().slice(0, 600)}`);
    const json = JSON.parse(run.stdout) as { outcome: string; files: { scanned: number } };
    if (json.outcome !== expected) throw new Error(`workplan sync in the clone: outcome ${json.outcome}, expected ${expected}`);
    return { wallMs: run.wallMs, files: json.files.scanned };
  };
  const first = await sync('applied');
  const noopSamples: number[] = [];
  for (let i = 0; i < repetitions; i++) noopSamples.push((await sync('noop')).wallMs);
  return { files: first.files, firstMs: first.wallMs, noopSamples, noopMedian: median(noopSamples) };
}
