// Issue #18, target 3: `workplan check` shares the sync's parser threads and parse cache. On a fresh
// corpus copy and an empty mirror, in this process: a check with an empty cache (its cost, against the
// cold sync's list + read + parse phases measured on another copy), a second check (everything from the
// cache), then a cold sync (what the check left it to parse), then a check again (what the sync's
// writes — ids written into files — left it to parse). "Parsed" counts cache misses: each is one parse.
import { randomUUID } from 'node:crypto';

import { runCheck } from '#lib/app/check.js';
import { mirrorDatabaseFor } from '#lib/app/open-mirror.js';
import { openPreparedCache, type PreparedCache } from '#lib/cache/prepared-cache.js';
import { openFileHashCache } from '#lib/cache/file-hash-cache.js';
import { workingTreeSource } from '#lib/fs/source-files.js';
import { runSync } from '#lib/app/sync.js';
import { cacheDirFor, openWorkspace } from '#lib/app/workspace.js';
import type { WorkplanConfig } from '#lib/model/config.js';
import { openBenchStore, type BenchMirror } from './bench-stores.js';
import { instrumentSync } from './instrument.js';

export interface CheckRun {
  ms: number;
  files: number;
  /** Files parsed (not answered by the cache). */
  parsed: number;
}

export interface CheckMeasurements {
  /** Empty cache: every file parsed. */
  cold: CheckRun;
  /** Right after: every file from the cache. */
  warm: CheckRun;
  /** The cold sync after those checks: its parse phase and the files it still parsed. */
  syncAfterCheck: { parseMs: number; parsed: number; writtenBack: number };
  /** A check after that sync wrote ids into files. */
  afterSync: CheckRun;
}

export async function measureCheck(root: string, benchMirror: BenchMirror, log: (line: string) => void): Promise<CheckMeasurements> {
  const ws = await openWorkspace(root, root);
  if (!ws.config) throw new Error('corpus configuration has errors');
  const config = ws.config;
  const check = async (): Promise<CheckRun> => {
    const cache = countingCache(openPreparedCache(cacheDirFor(root), config));
    const started = performance.now();
    const result = await runCheck({ config, source: workingTreeSource(root), cache });
    const ms = performance.now() - started;
    if (result.diagnostics.some((d) => d.severity === 'error'))
      throw new Error(`check found errors in the corpus: ${result.diagnostics[0]!.message}`);
    return { ms, files: result.filesChecked, parsed: cache.misses() };
  };
  log('check, empty parse cache …');
  const cold = await check();
  const warm = await check();
  log(
    `check ${Math.round(cold.ms)} ms (${cold.parsed} parsed), again ${Math.round(warm.ms)} ms (${warm.parsed} parsed); cold sync after it …`,
  );
  const syncAfterCheck = await coldSyncAfterCheck(root, config, ws.repository, benchMirror);
  const afterSync = await check();
  log(`sync after check parsed ${syncAfterCheck.parsed}; check after sync ${Math.round(afterSync.ms)} ms (${afterSync.parsed} parsed)`);
  return { cold, warm, syncAfterCheck, afterSync };
}

async function coldSyncAfterCheck(
  root: string,
  config: WorkplanConfig,
  repository: { slug: string; root: string },
  benchMirror: BenchMirror,
): Promise<CheckMeasurements['syncAfterCheck']> {
  const store = await openBenchStore(benchMirror);
  try {
    const cache = countingCache(openPreparedCache(cacheDirFor(root), config));
    const inst = instrumentSync({
      root,
      config,
      repository,
      source: workingTreeSource(root, { hashes: await openFileHashCache(root, cacheDirFor(root)) }),
      mirror: mirrorDatabaseFor(store),
      trigger: 'cli',
      newId: randomUUID,
      now: () => new Date(),
      cache,
    });
    const started = performance.now();
    const result = await runSync(inst.options);
    const breakdown = inst.breakdown(started, performance.now());
    if (result.outcome !== 'applied') throw new Error(`the cold sync after check did not apply (outcome ${result.outcome})`);
    return {
      parseMs: breakdown.parseMs,
      parsed: cache.misses(),
      writtenBack: result.writeBacks.filter((w) => w.outcome === 'written').length,
    };
  } finally {
    await store.close();
  }
}

/** The cache, counting the files it could not answer (each is then parsed). */
function countingCache<C extends PreparedCache>(cache: C): C & { misses(): number } {
  let misses = 0;
  return {
    ...cache,
    get: async (file) => {
      const hit = await cache.get(file);
      if (!hit) misses++;
      return hit;
    },
    misses: () => misses,
  };
}
