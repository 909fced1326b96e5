// The cross-file summaries the pre-commit hook judges unchanged files by: a summary derived after a
// write-back is exactly the summary of parsing the written text, anything else gets none, and the
// summaries file survives torn lines, other processes and compaction.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  crossFileKeys,
  deriveWrittenSummary,
  expandWorkplanSummary,
  openFileSummaryStore,
  sharesKey,
  summarizePreparedFile,
  summaryKey,
  type CompactWorkplan,
  type FileSummary,
} from '../../src/cache/file-summaries.js';
import { openPreparedCache } from '../../src/cache/prepared-cache.js';
import { PLACEHOLDER_UUID, prepareFile, type PreparedFile } from '../../src/reconcile/prepare-file.js';
import { prepareFiles } from '../../src/app/parse-pool.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { gitBlobHash, hashBytes } from '../../src/model/content-hash.js';
import { applyTextEdits } from '../../src/writeback/apply-text-edits.js';
import { checkWorkplanSet, type WorkplanSummary } from '../../src/reconcile/check-repository.js';
import { workplanText } from '../watch/support/workplans.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

const prepare = (filePath: string, text: string): PreparedFile => {
  const bytes = Buffer.from(text, 'utf8');
  return prepareFile({ path: filePath, kind: 'workplan', bytes, hash: hashBytes(bytes) }, DEFAULT_CONFIG);
};

/** What a sync writes: the pending edits with a fresh uuid each. */
const writeBack = (prepared: PreparedFile, text: string): string =>
  applyTextEdits(
    text,
    prepared.pendingIds.map((p) => ({ ...p.edit, text: p.edit.text.replace(PLACEHOLDER_UUID, randomUUID()) })),
  );

/** Every fixture workplan that parses without errors and lacks some ids. */
function workplansNeedingIds(): Array<{ name: string; text: string }> {
  const out: Array<{ name: string; text: string }> = [];
  for (const group of ['workplan', 'writeback']) {
    for (const name of readdirSync(join(FIXTURES, group)).sort()) {
      const input = join(FIXTURES, group, name, 'input.md');
      if (!existsSync(input)) continue;
      const text = readFileSync(input).toString('utf8');
      const p = prepare(`workplans/${name}.md`, text);
      if (p.kind === 'workplan' && p.desired && p.pendingIds.length > 0) out.push({ name: `${group}/${name}`, text });
    }
  }
  out.push({ name: 'generated', text: workplanText({ id: 'S-WP-0001', tasks: [{}, { status: 'done' }, {}], withIds: false }) });
  return out;
}

describe('a summary derived after a write-back', () => {
  const cases = workplansNeedingIds();

  it('has fixtures to run on (CRLF, BOM, YAML fences, list metadata, dependencies, no final newline)', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  for (const { name, text } of cases) {
    it(`${name}: equals the summary of parsing the written text`, () => {
      const before = prepare('workplans/x.md', text);
      const written = writeBack(before, text);
      const derived = deriveWrittenSummary(before, written);
      expect(derived).toEqual(summarizePreparedFile(prepare('workplans/x.md', written)));
    });
  }

  it('is refused for a text that is not exactly that write-back', () => {
    const text = workplanText({ id: 'S-WP-0002', tasks: [{}, {}], withIds: false });
    const before = prepare('workplans/x.md', text);
    const written = writeBack(before, text);
    expect(deriveWrittenSummary(before, written)).toBeDefined();
    // A uuid line missing, text edited before an insertion, an insertion not a uuid, the text unchanged.
    const firstUuidLine = written.split('\n').findIndex((l) => l.includes('state_hub_workstream_id'));
    expect(
      deriveWrittenSummary(
        before,
        written
          .split('\n')
          .filter((_, i) => i !== firstUuidLine)
          .join('\n'),
      ),
    ).toBeUndefined();
    expect(deriveWrittenSummary(before, `x${written}`)).toBeUndefined();
    expect(
      deriveWrittenSummary(
        before,
        written.replace(/state_hub_task_id: [0-9a-f-]{36}/, 'state_hub_task_id: not-a-uuid-at-all-but-36-chars-long!!'),
      ),
    ).toBeUndefined();
    expect(deriveWrittenSummary(before, text)).toBeUndefined();
  });

  it('is not made for a file that needs no ids (nothing was written)', () => {
    const text = workplanText({ id: 'S-WP-0003', tasks: [{}] });
    expect(deriveWrittenSummary(prepare('workplans/x.md', text), text)).toBeUndefined();
  });
});

describe('summaries for the cross-file rules', () => {
  it('keep what the rules need: ids, uuids, dependency targets and their lines', () => {
    const text = workplanText({ id: 'S-WP-0004', tasks: [{}, {}] });
    const p = prepare('workplans/x.md', text);
    const summary = summarizePreparedFile(p);
    expect(summary.kind === 'workplan' && summary.workplan).toBeTruthy();
    const full = p.kind === 'workplan' ? p.summary! : undefined;
    const expanded = expandWorkplanSummary('workplans/x.md', (summary as Extract<FileSummary, { kind: 'workplan' }>).workplan!);
    expect(expanded.id).toBe(full!.id);
    expect(expanded.idSpan.start.line).toBe(full!.idSpan.start.line);
    expect(expanded.workstreamUuid?.value).toBe(full!.workstreamUuid?.value);
    expect(expanded.tasks.map((t) => [t.id, t.span.start.line, t.uuid?.value, t.uuid?.span.start.line])).toEqual(
      full!.tasks.map((t) => [t.id, t.span.start.line, t.uuid?.value, t.uuid?.span.start.line]),
    );
  });
});

describe('the workplans the cross-file rules need for a few staged ones', () => {
  // Small pools, so ids, task ids, uuids (in either case) and dependency targets collide often.
  const id = fc.constantFrom('A', 'B', 'C', 'D');
  const uuid = fc.constantFrom(
    '0000000a-0000-4000-8000-000000000001',
    '0000000A-0000-4000-8000-000000000001',
    '0000000b-0000-4000-8000-000000000002',
    '0000000c-0000-4000-8000-000000000003',
  );
  const compact = fc
    .record({
      id,
      line: fc.integer({ min: 1, max: 9 }),
      uuid: fc.option(fc.tuple(uuid, fc.integer({ min: 1, max: 9 })), { nil: undefined }),
      tasks: fc.array(
        fc.tuple(
          fc.constantFrom('T1', 'T2', 'T3', 'A'),
          fc.integer({ min: 1, max: 50 }),
          fc.option(uuid, { nil: undefined }),
          fc.integer({ min: 1, max: 50 }),
        ),
        { maxLength: 3 },
      ),
      dependencies: fc.array(
        fc.tuple(fc.array(id, { minLength: 1, maxLength: 2 }), fc.integer({ min: 1, max: 50 }), fc.option(uuid, { nil: undefined })),
        { maxLength: 2 },
      ),
    })
    .map((c) => {
      const out: CompactWorkplan = {
        id: c.id,
        line: c.line,
        tasks: c.tasks.map(([t, l, u, ul]) => (u === undefined ? [t, l] : [t, l, u, ul])),
        dependencies: c.dependencies.map(([ts, l, u]) => (u === undefined ? [ts, l] : [ts, l, u])),
      };
      if (c.uuid) out.uuid = c.uuid;
      return out;
    });

  it('are those sharing a key with them: the rules report exactly the same on the staged files', () => {
    fc.assert(
      fc.property(fc.array(compact, { maxLength: 8 }), fc.array(compact, { minLength: 1, maxLength: 3 }), (others, staged) => {
        const summaries = (list: CompactWorkplan[], prefix: string) =>
          list.map((c, i) => ({ c, s: expandWorkplanSummary(`${prefix}${i}.md`, c) }));
        const o = summaries(others, 'workplans/o');
        const st = summaries(staged, 'workplans/s');
        const onStaged = (all: WorkplanSummary[]) => checkWorkplanSet(all).filter((d) => d.path.startsWith('workplans/s'));
        const keys = crossFileKeys(st.map((x) => x.s));
        const relevant = o.filter((x) => sharesKey(x.c, keys)).map((x) => x.s);
        expect(onStaged([...relevant, ...st.map((x) => x.s)])).toEqual(onStaged([...o.map((x) => x.s), ...st.map((x) => x.s)]));
      }),
      { numRuns: 500 },
    );
  });
});

describe('the summaries file', () => {
  const withDir = async (fn: (dir: string) => Promise<void>) => {
    const dir = await mkdtemp(join(tmpdir(), 'wps-summaries-'));
    try {
      await fn(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  const adr = (id: string): FileSummary => ({ kind: 'adr', adrId: id });

  it('gives back what was recorded, to another process, and skips torn or foreign lines', () =>
    withDir(async (dir) => {
      const writer = openFileSummaryStore(dir, 'k'.repeat(64));
      await writer.record([{ oid: 'a'.repeat(40), path: 'adr/0001-a.md', summary: adr('ADR-001') }]);
      const file = join(dir, (await readdir(dir))[0]!);
      await appendFile(file, '["b","adr/0002-b.md",{"kind":"adr","adrId":"ADR-0'); // a write cut short
      await writer.record([{ oid: 'c'.repeat(40), path: 'adr/0003-c.md', summary: adr('ADR-003') }]);
      await appendFile(file, 'not json\n[1,2]\n["d","adr/0004-d.md",{"kind":"nonsense"}]\n');
      await writer.record([{ oid: 'e'.repeat(40), path: 'adr/0005-e.md', summary: adr('ADR-005') }]);
      const reader = await openFileSummaryStore(dir, 'k'.repeat(64)).load();
      expect(reader.get(summaryKey('a'.repeat(40), 'adr/0001-a.md'))).toEqual(adr('ADR-001'));
      expect(reader.get(summaryKey('c'.repeat(40), 'adr/0003-c.md'))).toBeUndefined(); // glued to the torn line: lost, not wrong
      expect(reader.get(summaryKey('e'.repeat(40), 'adr/0005-e.md'))).toEqual(adr('ADR-005'));
      expect(reader.size).toBe(2);
      expect(await openFileSummaryStore(dir, 'x'.repeat(64)).load()).toEqual(new Map()); // another configuration
    }));

  it('is compacted to the entries still in use once stale ones pile up', () =>
    withDir(async (dir) => {
      const store = openFileSummaryStore(dir, 'k'.repeat(64));
      const entries = Array.from({ length: 1_500 }, (_, i) => ({
        oid: i.toString(16).padStart(40, '0'),
        path: `adr/${i}.md`,
        summary: adr(`ADR-${i}`),
      }));
      await store.record(entries);
      await store.load();
      const keep = new Set(entries.slice(0, 10).map((e) => summaryKey(e.oid, e.path)));
      await store.compact((key) => keep.has(key));
      const [file] = await readdir(dir);
      expect((await readFile(join(dir, file!), 'utf8')).trim().split('\n')).toHaveLength(10);
      expect((await openFileSummaryStore(dir, 'k'.repeat(64)).load()).size).toBe(10);
    }));

  it('is fed by the prepared-file cache for every file it parses, under the blob id git gives the bytes', () =>
    withDir(async (dir) => {
      const text = workplanText({ id: 'S-WP-0005', tasks: [{}] });
      const bytes = Buffer.from(text);
      const cache = openPreparedCache(dir, DEFAULT_CONFIG);
      const [p] = await prepareFiles([{ path: 'workplans/a.md', kind: 'workplan', bytes, hash: hashBytes(bytes) }], DEFAULT_CONFIG, {
        cache,
        workers: 0,
      });
      const loaded = await openPreparedCache(dir, DEFAULT_CONFIG).summaries.load();
      expect(loaded.get(summaryKey(gitBlobHash(bytes), 'workplans/a.md'))).toEqual(summarizePreparedFile(p!));
    }));

  it('learns the text a write-back produced from recordWriteBack, without a parse', () =>
    withDir(async (dir) => {
      const text = workplanText({ id: 'S-WP-0006', tasks: [{}, {}], withIds: false });
      const before = prepare('workplans/a.md', text);
      const written = writeBack(before, text);
      await openPreparedCache(dir, DEFAULT_CONFIG).recordWriteBack(before, written);
      const loaded = await openPreparedCache(dir, DEFAULT_CONFIG).summaries.load();
      expect(loaded.get(summaryKey(gitBlobHash(Buffer.from(written)), 'workplans/a.md'))).toEqual(
        summarizePreparedFile(prepare('workplans/a.md', written)),
      );
    }));
});
