// The benchmark corpus generator: deterministic, and every file it writes is valid input (the
// benchmark measures syncs of good files, so a generated error would silently shrink the work).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/src/corpus.js';
import { createRandom, deriveSeed } from '../../bench/src/random.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { listTasks, type Workplan } from '../../src/model/workplan.js';
import type { Adr } from '../../src/model/adr.js';
import { parseWorkplan } from '../../src/parse/workplan.js';
import { parseAdr, checkAdrLinks } from '../../src/parse/adr.js';
import { checkWorkplanSet, summarizeWorkplan } from '../../src/reconcile/check-repository.js';

const corpus = generateCorpus({ size: 60, seed: 7 });

function parseAll(files = corpus.files) {
  const workplans: Workplan[] = [];
  const adrs: Adr[] = [];
  const diagnostics = [];
  for (const file of files) {
    if (file.kind === 'workplan') {
      const r = parseWorkplan(file.path, file.text, DEFAULT_CONFIG);
      diagnostics.push(...r.diagnostics);
      if (r.value) workplans.push(r.value);
    } else {
      const r = parseAdr(file.path, file.text, DEFAULT_CONFIG);
      diagnostics.push(...r.diagnostics);
      if (r.value) adrs.push(r.value);
    }
  }
  diagnostics.push(...checkWorkplanSet(workplans.map(summarizeWorkplan)), ...checkAdrLinks(adrs));
  return { workplans, adrs, diagnostics };
}

describe('the benchmark corpus generator', () => {
  it('generates byte-identical corpora from the same seed and size', () => {
    const again = generateCorpus({ size: 60, seed: 7 });
    expect(again.files).toEqual(corpus.files);
  });

  it('generates a different corpus from another seed', () => {
    const other = generateCorpus({ size: 60, seed: 8 });
    expect(other.files.map((f) => f.text)).not.toEqual(corpus.files.map((f) => f.text));
  });

  it('keeps a workplan the same whatever the corpus size (file i depends only on the seed and i)', () => {
    const small = generateCorpus({ size: 20, seed: 7 });
    const smallWorkplans = small.files.filter((f) => f.kind === 'workplan');
    expect(smallWorkplans).toEqual(corpus.files.filter((f) => f.kind === 'workplan').slice(0, 20));
  });

  it('writes N workplans and N/5 ADRs with unique paths', () => {
    expect(corpus.files.filter((f) => f.kind === 'workplan')).toHaveLength(60);
    expect(corpus.files.filter((f) => f.kind === 'adr')).toHaveLength(12);
    expect(new Set(corpus.files.map((f) => f.path)).size).toBe(corpus.files.length);
  });

  it('produces files that parse with no diagnostic at all, single-file and cross-file', () => {
    const { diagnostics, workplans, adrs } = parseAll();
    expect(diagnostics.map((d) => `${d.path}:${d.span.start.line}:${d.span.start.column} ${d.ruleId} ${d.message}`)).toEqual([]);
    expect(workplans).toHaveLength(60);
    expect(adrs).toHaveLength(12);
  });

  it('stays valid over other seeds', () => {
    for (const seed of [1, 2, 3]) {
      const { diagnostics } = parseAll(generateCorpus({ size: 40, seed }).files);
      expect(diagnostics.map((d) => `${d.path}:${d.span.start.line} ${d.ruleId} ${d.message}`)).toEqual([]);
    }
  });

  it('is shaped like the seed workplan: four phases, about twenty tasks, about 12 KB a file', () => {
    const { workplans } = parseAll();
    for (const wp of workplans) expect(wp.phases.map((p) => p.number)).toEqual([1, 2, 3, 4]);
    const tasks = workplans.map((wp) => listTasks(wp).length);
    const mean = tasks.reduce((a, b) => a + b, 0) / tasks.length;
    expect(mean).toBeGreaterThanOrEqual(17);
    expect(mean).toBeLessThanOrEqual(23);
    const wpBytes = corpus.files.filter((f) => f.kind === 'workplan').map((f) => Buffer.byteLength(f.text));
    const meanBytes = wpBytes.reduce((a, b) => a + b, 0) / wpBytes.length;
    expect(meanBytes).toBeGreaterThan(10_000);
    expect(meanBytes).toBeLessThan(14_000);
  });

  it('mixes what real repositories contain: ids for most files, all three metadata forms, dependencies, closure reviews, both ADR styles with supersession', () => {
    const { workplans, adrs } = parseAll(generateCorpus({ size: 120, seed: 7 }).files);
    const withIds = workplans.filter((w) => w.frontmatter.data.workstreamUuid).length;
    expect(withIds / workplans.length).toBeGreaterThan(0.6);
    expect(withIds).toBeLessThan(workplans.length);
    const forms = new Set(workplans.flatMap((w) => listTasks(w).map((t) => t.metadata.form)));
    expect([...forms].sort()).toEqual(['lines', 'list', 'yaml-fence']);
    expect(workplans.some((w) => w.dependencies.some((d) => d.dependencyUuid))).toBe(true);
    expect(workplans.some((w) => w.dependencies.some((d) => !d.dependencyUuid))).toBe(true);
    const reviews = workplans.filter((w) => w.closureReviews.length > 0);
    expect(reviews.length).toBeGreaterThan(12);
    expect(reviews.some((w) => w.closureReviews.some((c) => c.entries.some((e) => e.classification === 'carry_forward' && e.target)))).toBe(
      true,
    );
    expect(new Set(adrs.map((a) => a.format))).toEqual(new Set(['madr', 'nygard']));
    expect(adrs.some((a) => a.status === 'superseded' && a.supersededBy.length > 0)).toBe(true);
    expect(adrs.some((a) => a.supersedes.length > 0)).toBe(true);
  });
});

describe('the varied corpus shape', () => {
  it('parses with no diagnostic, and mixes long prose, many small tasks, big closure reviews and more ADRs', () => {
    const varied = generateCorpus({ size: 80, shape: 'varied' });
    const { workplans, adrs, diagnostics } = parseAll(varied.files);
    expect(diagnostics.map((d) => `${d.path}:${d.span.start.line} ${d.ruleId} ${d.message}`)).toEqual([]);
    expect(adrs).toHaveLength(40);
    const tasks = workplans.map((wp) => listTasks(wp).length);
    expect(Math.min(...tasks)).toBeLessThanOrEqual(9);
    expect(Math.max(...tasks)).toBeGreaterThanOrEqual(40);
    expect(workplans.filter((w) => w.closureReviews.length > 0).length / workplans.length).toBeGreaterThan(0.3);
    const texts = varied.files.map((f) => f.text).join('\n');
    for (const construct of ['\n> **Note:**', '](https://', '\n- [x] ', '\n  - ', '<!-- ']) expect(texts).toContain(construct);
  });

  it('leaves the standard corpus as it was (earlier results stay comparable)', () => {
    const standard = generateCorpus({ size: 30 });
    // The digest of the 30-workplan corpus as generated before the shape option existed.
    const digest = createHash('sha256')
      .update(standard.files.map((f) => `${f.path}\0${f.text}`).join('\0'))
      .digest('hex');
    expect(digest).toBe('a9a51f6a8b0a8eefbeea54e911a8907920ccbd8ebea58241bcbaea8341c76160');
    expect(generateCorpus({ size: 30, shape: 'standard' }).files).toEqual(standard.files);
    expect(generateCorpus({ size: 30, shape: 'varied' }).files.map((f) => f.text)).not.toEqual(standard.files.map((f) => f.text));
  });
});

describe('the seeded random source', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const a = createRandom(deriveSeed(1, 'x'));
    const b = createRandom(deriveSeed(1, 'x'));
    const c = createRandom(deriveSeed(2, 'x'));
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
  });

  it('draws well-formed UUIDs and integers in range', () => {
    const rng = createRandom(42);
    for (let i = 0; i < 500; i++) {
      expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const n = rng.int(3, 7);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(7);
    }
  });
});
