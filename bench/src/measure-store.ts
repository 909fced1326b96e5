// Every measurement on one store for one corpus size, in an order that keeps them independent:
// parse-only around the in-process cold sync, then no-op / raw upsert / one-file on that mirror, the
// watch daemon and the pre-commit hook on the same (now synced) corpus, and last the cold sync as a
// separate process on a fresh copy (peak RSS; optionally CPU-profiled).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

import { openWorkspace } from '#lib/app/workspace.js';
import type { StoreKind } from '#lib/db/store.js';
import type { BenchStores } from './bench-stores.js';
import { copyCorpus } from './corpus-files.js';
import { summariseCpuProfiles } from './cpu-profile.js';
import { formatMs } from './format.js';
import { measureChildCold } from './measure-child.js';
import { HookUnavailable, measureHook } from './measure-hook.js';
import { combineParseOnly, measureParseOnly, type ParseOnlyResult } from './measure-parse-only.js';
import { measureColdOnly, measureLibrary } from './measure-sync.js';
import { measureWatchLatency } from './measure-watch.js';
import { measureStartup } from './measure-startup.js';
import { measureCheck } from './measure-check.js';
import { measureSharedMirror } from './measure-shared-mirror.js';
import type { NotAvailable, StoreResult } from './results.js';

export type Skip = 'child' | 'watch' | 'hook' | 'raw' | 'startup' | 'first-run' | 'check' | 'shared';

export interface StoreRun {
  kind: StoreKind;
  stores: BenchStores;
  size: number;
  /** The written corpus, never modified: every measurement works on its own copy. */
  pristine: string;
  paths: string[];
  workplanPaths: string[];
  workDir: string;
  repetitions: number;
  skip: ReadonlySet<Skip>;
  profile: boolean;
  compareWorkers: boolean;
  /** Repositories in the shared-mirror measurement (Postgres). */
  sharedRepositories: number;
  log: (line: string) => void;
  /** Records a failed optional measurement (the run's exit code becomes non-zero) and returns its n/a. */
  failed: (what: string, error: unknown) => NotAvailable;
}

export async function measureStore(run: StoreRun): Promise<StoreResult> {
  const { kind, size, log, skip } = run;
  const libRoot = join(run.workDir, `${kind}-${size}-lib`);
  await copyCorpus(run.pristine, libRoot);
  const libMirror = await run.stores.create(libRoot);

  // The parse-only reference runs just before and just after the cold sync; its mean is the reference,
  // so a machine that gets busier or quieter during the cold sync skews the ratio less.
  const passes: ParseOnlyResult[] = [];
  const aroundCold = async () => {
    log('parse-only …');
    const pass = await measureParseOnly(libRoot, run.paths);
    log(`parse-only ${formatMs(pass.ms)}`);
    passes.push(pass);
  };
  const library = await measureLibrary({
    root: libRoot,
    mirror: libMirror,
    workplanPaths: run.workplanPaths,
    repetitions: run.repetitions,
    noopRepetitions: 3,
    log,
    aroundCold,
    skipRaw: skip.has('raw'),
  });
  const parseOnly = combineParseOnly(passes);
  log(
    `cold ${formatMs(library.cold.ms)} (writeMs ${formatMs(library.cold.writeMs)}), noop ${formatMs(library.noop.ms)}, one-file ${formatMs(library.oneFile.median)}`,
  );
  if ('error' in library.raw && library.raw.error !== 'skipped') run.failed(`${kind} ${size} raw upsert`, library.raw.error);

  let coldMainThread: StoreResult['coldMainThread'];
  if (run.compareWorkers) {
    log('cold sync (library), parsing on the main thread …');
    const root = join(run.workDir, `${kind}-${size}-main-thread`);
    await copyCorpus(run.pristine, root);
    coldMainThread = await measureColdOnly(root, await run.stores.create(root), { workers: 0 });
    log(`cold, main-thread parse ${formatMs(coldMainThread.ms)}`);
    await rm(root, { recursive: true, force: true });
  }

  let watch: StoreResult['watch'] = { na: 'skipped' };
  if (!skip.has('watch')) {
    log('watch latency …');
    watch = await measureWatchLatency({ root: libRoot, mirror: libMirror, target: library.oneFile.target, repetitions: 10, log }).catch(
      (error: unknown) => run.failed(`${kind} ${size} watch`, error),
    );
  }
  let hook: StoreResult['hook'] = { na: 'skipped' };
  if (!skip.has('hook')) {
    log('pre-commit hook …');
    const ws = await openWorkspace(libRoot, libRoot);
    hook = await measureHook({
      root: libRoot,
      mirror: libMirror,
      target: library.oneFile.target,
      config: ws.config!,
      repetitions: 5,
      budgetMs: 20_000,
    }).catch((error: unknown) =>
      error instanceof HookUnavailable ? { na: `hook not available: ${error.message}` } : run.failed(`${kind} ${size} hook`, error),
    );
  }
  let startup: StoreResult['startup'] = { na: 'skipped' };
  if (!skip.has('startup')) {
    log('no-op `workplan sync` processes beside `node -e 0` …');
    startup = await measureStartup({ root: libRoot, mirror: libMirror, repetitions: 5 }).catch((error: unknown) =>
      run.failed(`${kind} ${size} startup`, error),
    );
    if (!('na' in startup)) log(`no-op process ${formatMs(startup.noopMedian)}, node -e 0 ${formatMs(startup.floorMedian)}`);
  }
  await rm(libRoot, { recursive: true, force: true });

  let child: StoreResult['child'] = { na: 'skipped' };
  let profile: StoreResult['profile'];
  if (!skip.has('child')) {
    log('cold sync as a `workplan sync` process …');
    const root = join(run.workDir, `${kind}-${size}-child`);
    await copyCorpus(run.pristine, root);
    const c = await measureChildCold(root, await run.stores.create(root));
    child = c;
    log(`process ${formatMs(c.wallMs)}, peak RSS ${(c.maxRssKb / 1024).toFixed(0)} MB`);
    await rm(root, { recursive: true, force: true });
    if (run.profile) {
      log('CPU profile of the cold `workplan sync` process …');
      const profRoot = join(run.workDir, `${kind}-${size}-prof`);
      await copyCorpus(run.pristine, profRoot);
      const p = await measureChildCold(profRoot, await run.stores.create(profRoot), {
        profileDir: join(run.workDir, `${kind}-${size}-cpuprof`),
      });
      if (p.cpuProfiles?.length) profile = await summariseCpuProfiles(p.cpuProfiles, 20);
      await rm(profRoot, { recursive: true, force: true });
    }
  }

  let check: StoreResult['check'] = { na: 'skipped' };
  if (!skip.has('check')) {
    const root = join(run.workDir, `${kind}-${size}-check`);
    await copyCorpus(run.pristine, root);
    check = await measureCheck(root, await run.stores.create(root), log).catch((error: unknown) =>
      run.failed(`${kind} ${size} check`, error),
    );
    await rm(root, { recursive: true, force: true });
  }
  let sharedMirror: StoreResult['sharedMirror'] = { na: kind === 'postgres' ? 'skipped' : 'Postgres only' };
  if (kind === 'postgres' && !skip.has('shared')) {
    const root = join(run.workDir, `${kind}-${size}-shared`);
    await copyCorpus(run.pristine, root);
    sharedMirror = await measureSharedMirror({
      root,
      mirror: await run.stores.create(root),
      workplanPaths: run.workplanPaths,
      repositories: run.sharedRepositories,
      repetitions: Math.min(run.repetitions, 5),
      log,
    }).catch((error: unknown) => run.failed(`${kind} ${size} shared mirror`, error));
    await rm(root, { recursive: true, force: true });
  }

  return {
    store: kind,
    check,
    sharedMirror,
    parseOnly,
    library,
    child,
    watch,
    hook,
    startup,
    ...(coldMainThread ? { coldMainThread } : {}),
    ...(profile ? { profile } : {}),
  };
}
