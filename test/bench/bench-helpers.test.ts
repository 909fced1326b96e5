// The benchmark's pure helpers: judging targets from one run's figures, statement labels, array
// literals for the raw upsert. (No timing is asserted anywhere: the numbers here are made up.)
import { describe, expect, it } from 'vitest';
import { instrumentSync, labelOf } from '../../bench/src/instrument.js';
import type { SyncOptions } from '../../src/app/sync.js';
import type { SourceProvider } from '../../src/model/source-file.js';
import { toArrayLiteral } from '../../bench/src/raw-upsert.js';
import { median } from '../../bench/src/stats.js';
import { evaluateTargets } from '../../bench/src/targets.js';
import type { SizeResult, StoreResult } from '../../bench/src/results.js';

function storeResult(overrides: {
  parse: number;
  cold: number;
  noop: number;
  oneFile: number;
  oneFilePath?: number;
  writeMs: number;
  raw: number;
  rssKb: number;
}): StoreResult {
  const breakdown = {
    totalMs: 0,
    listMs: 0,
    readMs: 0,
    sqlBeforeTxMs: 0,
    parseMs: 0,
    filesParsed: 0,
    txBeginMs: 0,
    sqlReadInTxMs: 0,
    planMs: 0,
    sqlWriteMs: 0,
    statements: [],
    commitMs: 0,
    writeBackMs: 0,
    otherMs: 0,
  };
  const sync = {
    ms: overrides.cold,
    durationMs: overrides.cold,
    writeMs: overrides.writeMs,
    outcome: 'applied' as const,
    counts: { created: 1, updated: 0, removed: 0, drifted: 0, idsAssigned: 0 },
    files: { scanned: 1, changed: 1, parsed: 1, failed: 0 },
    breakdown,
  };
  return {
    store: 'embedded',
    parseOnly: { ms: overrides.parse, readMs: 0, files: 1, bytes: 1, nodes: 1, samples: [overrides.parse] },
    library: {
      cold: sync,
      noop: { ...sync, ms: overrides.noop, samples: [overrides.noop] },
      oneFile: {
        median: overrides.oneFile,
        min: 0,
        max: 0,
        samples: [],
        target: { path: 'x', taskId: 'y' },
        breakdown: {},
        statements: [],
      },
      oneFilePath: { median: overrides.oneFilePath ?? overrides.oneFile, min: 0, max: 0, samples: [] },
      raw: { ms: overrides.raw, rows: {}, statementMs: {}, engineRows: {} },
    },
    child: { wallMs: 1, durationMs: 1, syncWallMs: 1, startupMs: 1, maxRssKb: overrides.rssKb, memoryPeaksMb: {} },
    watch: { na: 'skipped' },
    hook: { na: 'hook not available' },
  };
}

function size(n: number, store: StoreResult): SizeResult {
  return {
    size: n,
    seed: 1,
    corpus: {
      workplans: n,
      adrs: n / 5,
      bytes: 0,
      workplansWithIds: 0,
      completed: 0,
      tasks: 0,
      adrStyles: { madr4: 0, madr2: 0, nygard: 0 },
      files: n * 1.2,
    },
    stores: [store],
    elapsedMs: 0,
  };
}

describe('judging the targets', () => {
  it('passes a ratio at its limit, misses above it, and leaves unmeasured sizes n/a', () => {
    const checks = evaluateTargets(
      [size(1000, storeResult({ parse: 100, cold: 35, noop: 6, oneFile: 50, writeMs: 50, raw: 20, rssKb: 1000 }))],
      ['embedded'],
    );
    const cell = (key: string) => checks.find((c) => c.key === key)!.cells.embedded!;
    expect(cell('cold-vs-parse').pass).toBe(true);
    expect(cell('noop-vs-cold').pass).toBe(false);
    expect(cell('one-file').pass).toBe(true);
    expect(cell('write-vs-raw').pass).toBe(false);
    expect(cell('hook')).toMatchObject({ pass: null, display: 'n/a (hook not available)' });
    expect(cell('cold-scaling')).toMatchObject({ pass: null });
    expect(cell('one-file-scaling')).toMatchObject({ pass: null });
    expect(cell('one-file-path')).toMatchObject({ pass: true, value: 50 });
    expect(cell('one-file-path-scaling')).toMatchObject({ pass: null });
    expect(cell('peak-rss').pass).toBe(null);
  });

  it('judges the cross-size targets only from sizes measured in the same run', () => {
    const checks = evaluateTargets(
      [
        size(100, storeResult({ parse: 1, cold: 1, noop: 0, oneFile: 20, oneFilePath: 10, writeMs: 1, raw: 1, rssKb: 1 })),
        size(1000, storeResult({ parse: 10, cold: 10, noop: 0, oneFile: 25, oneFilePath: 12, writeMs: 1, raw: 1, rssKb: 1 })),
        size(10000, storeResult({ parse: 100, cold: 140, noop: 0, oneFile: 29, oneFilePath: 16, writeMs: 1, raw: 1, rssKb: 600 * 1024 })),
      ],
      ['embedded'],
    );
    const cell = (key: string) => checks.find((c) => c.key === key)!.cells.embedded!;
    expect(cell('one-file-scaling')).toMatchObject({ pass: true, value: 29 / 20 });
    expect(cell('one-file-path-scaling')).toMatchObject({ pass: false, value: 16 / 10 });
    expect(cell('cold-scaling').pass).toBe(false); // 1.4× per file
    expect(cell('peak-rss').pass).toBe(false);
  });
});

describe('the instrumented sync', () => {
  it('offers what the source offers: a sync of known paths must not fall back to walking the tree', async () => {
    const listed: string[][] = [];
    const source: SourceProvider = {
      list: async () => ({ files: [], problems: [] }),
      listPaths: async (paths) => {
        listed.push([...paths]);
        return { files: [], problems: [] };
      },
      read: async () => ({ missing: true }),
      knownHash: () => undefined,
      flush: async () => undefined,
    };
    const mirror = { db: {} as never, withRepositoryLock: async () => undefined as never };
    const { options } = instrumentSync({ source, mirror } as unknown as SyncOptions);
    expect(Object.keys(options.source).sort()).toEqual(Object.keys(source).sort());
    await options.source.listPaths!(['workplans/a.md'], {} as never);
    expect(listed).toEqual([['workplans/a.md']]);
  });
});

describe('helpers', () => {
  it('labels statements by verb and table', () => {
    expect(labelOf('INSERT INTO tasks (id) SELECT …')).toBe('INSERT tasks');
    expect(labelOf('\n  UPDATE workstreams w SET x = 1')).toBe('UPDATE workstreams');
    expect(labelOf('DELETE FROM phases p WHERE …')).toBe('DELETE phases');
    expect(labelOf('SELECT id FROM repositories WHERE slug = $1')).toBe('SELECT repositories');
  });

  it('writes Postgres array literals that survive quotes and backslashes', () => {
    expect(toArrayLiteral([])).toBe('{}');
    expect(toArrayLiteral(['a', 'b c', 'say "hi"', 'back\\slash'])).toBe('{"a","b c","say \\"hi\\"","back\\\\slash"}');
  });

  it('takes the median of odd and even sample counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
