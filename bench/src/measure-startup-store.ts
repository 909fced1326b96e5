// `npm run bench -- --only startup`: just what start-up targets need, on one store, without the
// library measurements (parse-only passes, in-process cold sync, one-file repetitions) that take most
// of a full run: the corpus is synced cold by a `workplan sync` process (timed, with its peak RSS), then
// the no-op processes beside `node -e 0`, then the pre-commit hook on the synced corpus.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

import { openWorkspace } from '#lib/app/workspace.js';
import type { StoreKind } from '#lib/db/store.js';
import type { BenchStores } from './bench-stores.js';
import { copyCorpus } from './corpus-files.js';
import { chooseFlipTarget } from './flip-task-status.js';
import { formatMs } from './format.js';
import { measureChildCold, type ChildColdResult } from './measure-child.js';
import { HookUnavailable, measureHook, type HookResult } from './measure-hook.js';
import { measureStartup, type StartupResult } from './measure-startup.js';
import type { Maybe, NotAvailable } from './results.js';

export interface StartupStoreResult {
  store: StoreKind;
  size: number;
  /** The cold sync that made the mirror the others start from (a `workplan sync` process). */
  cold: ChildColdResult;
  startup: Maybe<StartupResult>;
  hook: Maybe<HookResult>;
}

export async function measureStartupStore(run: {
  kind: StoreKind;
  stores: BenchStores;
  size: number;
  pristine: string;
  workplanPaths: string[];
  workDir: string;
  skipHook: boolean;
  log: (line: string) => void;
  failed: (what: string, error: unknown) => NotAvailable;
}): Promise<StartupStoreResult> {
  const { kind, size, log } = run;
  const root = join(run.workDir, `${kind}-${size}-startup`);
  await copyCorpus(run.pristine, root);
  const mirror = await run.stores.create(root);
  log('cold sync as a `workplan sync` process …');
  const cold = await measureChildCold(root, mirror);
  log(`cold process ${formatMs(cold.wallMs)}, peak RSS ${(cold.maxRssKb / 1024).toFixed(0)} MB`);
  log('no-op `workplan sync` processes beside `node -e 0` …');
  const startup = await measureStartup({ root, mirror, repetitions: 5 }).catch((error: unknown) =>
    run.failed(`${kind} ${size} startup`, error),
  );
  if (!('na' in startup)) log(`no-op process ${formatMs(startup.noopMedian)}, node -e 0 ${formatMs(startup.floorMedian)}`);
  let hook: Maybe<HookResult> = { na: 'skipped' };
  if (!run.skipHook) {
    log('pre-commit hook …');
    const ws = await openWorkspace(root, root);
    const target = await chooseFlipTarget(root, run.workplanPaths, ws.config!);
    hook = await measureHook({ root, mirror, target, config: ws.config!, repetitions: 5, budgetMs: 60_000 }).catch((error: unknown) =>
      error instanceof HookUnavailable ? { na: `hook not available: ${error.message}` } : run.failed(`${kind} ${size} hook`, error),
    );
    if (!('na' in hook)) log(`hooked commit ${formatMs(hook.median)}, --no-verify ${formatMs(hook.noVerifyMedian)}`);
  }
  await rm(root, { recursive: true, force: true });
  return { store: kind, size, cold, startup, hook };
}
