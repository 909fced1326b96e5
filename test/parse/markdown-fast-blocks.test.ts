// The fast block path (src/parse/markdown-fast-blocks.ts) against micromark: on every input, each
// top-level node the scanner reads — types, positions (line, column, offset of start and end), children,
// values, list spread / ordered / start / checked, heading depth, code lang / meta / value, table align —
// is the node micromark's block pass gives, and where it stops, micromark's next node starts. Inputs:
// the CommonMark specification's examples, a soup of Markdown fragments, generated workplan-like
// documents, the fixtures, the repository's own plans and ADRs, and the benchmark corpora.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { RootContent } from 'mdast';
import { fromMarkdown, type Options } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfmTable } from 'micromark-extension-gfm-table';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/src/corpus.js';
import { scanBlocks, type FastBlocks } from '../../src/parse/markdown-fast-blocks.js';
import { parseInChunks, type ParseBudget } from '../../src/parse/markdown-chunks.js';
import { BLOCK_COMPLEXITY_BUDGET, INLINE_COMPLEXITY_BUDGET } from '../../src/parse/markdown-limits.js';
import { markdownDocument, markdownSoup } from './markdown-generators.js';

const INLINE_CONSTRUCTS = [
  'attention',
  'autolink',
  'codeText',
  'hardBreakEscape',
  'htmlText',
  'labelEnd',
  'labelStartImage',
  'labelStartLink',
];
type Extension = NonNullable<Options['extensions']>[number];
const BLOCKS_ONLY: Extension = { disable: { null: INLINE_CONSTRUCTS } };
/** micromark's block pass, as markdown.ts runs it on a later chunk (no frontmatter) and on the first. */
const BLOCK_PASS: Options = { extensions: [gfmTable(), BLOCKS_ONLY], mdastExtensions: [gfmTableFromMarkdown()] };
const BLOCK_PASS_FIRST: Options = {
  extensions: [frontmatter(['yaml']), gfmTable(), BLOCKS_ONLY],
  mdastExtensions: [frontmatterFromMarkdown(['yaml']), gfmTableFromMarkdown()],
};

interface Checked {
  scan: FastBlocks;
  /** micromark's top-level nodes. */
  reference: RootContent[];
}

/** Scans `text` both ways and expects the fast nodes to be micromark's, up to where the scan stopped. */
function expectSameAsMicromark(text: string, frontmatterAtStart = false): Checked {
  const reference = fromMarkdown(text, frontmatterAtStart ? BLOCK_PASS_FIRST : BLOCK_PASS).children;
  const scan = scanBlocks(text, 0, text.length, { line: 1, origin: 0, frontmatter: frontmatterAtStart });
  const read = reference.filter((node) => node.position!.start.offset! < scan.until);
  expect(JSON.stringify(scan.nodes)).toBe(JSON.stringify(read));
  if (scan.until < text.length) {
    // The scan stops at a line or block start: nothing micromark read runs across it.
    const across = reference.find((node) => node.position!.start.offset! < scan.until && node.position!.end.offset! > scan.until);
    expect(across).toBeUndefined();
  } else expect(scan.nodes.length).toBe(reference.length);
  return { scan, reference };
}

function specExamples(): Array<{ markdown: string; number: number; section: string }> {
  const spec = readFileSync(join('node_modules', 'commonmark-spec', 'spec.txt'), 'utf8')
    .replace(/\r\n?/g, '\n')
    .replace(/^<!-- END TESTS -->[\s\S]*/m, '');
  const examples: Array<{ markdown: string; number: number; section: string }> = [];
  let section = '';
  for (const m of spec.matchAll(/^`{32} example\n([\s\S]*?)^\.\n[\s\S]*?^`{32}$|^#{1,6} *(.*)$/gm)) {
    if (m[2] !== undefined) section = m[2];
    else examples.push({ markdown: m[1]!.replace(/→/g, '\t'), number: examples.length + 1, section });
  }
  return examples;
}

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...markdownFiles(path));
    else if (name.endsWith('.md')) out.push(path);
  }
  return out;
}

const budget = (): ParseBudget => ({ block: BLOCK_COMPLEXITY_BUDGET, inline: INLINE_COMPLEXITY_BUDGET });

/** The chunked block pass with and without the fast path: the same nodes, or the same refusal. */
function expectSameChunkedParse(text: string): void {
  const shift = { offset: 0, lines: 0, columns: 0, columnLine: 1 };
  const options = { first: BLOCK_PASS_FIRST, rest: BLOCK_PASS };
  const slow = parseInChunks(text, 0, text.length, shift, options, budget());
  const fast = parseInChunks(text, 0, text.length, shift, { ...options, fast: { frontmatter: true } }, budget());
  expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
}

describe('the fast block path reads exactly what micromark reads', () => {
  it('on every example of the CommonMark specification (and reads most of them)', () => {
    const examples = specExamples();
    expect(examples.length).toBeGreaterThan(600);
    let whole = 0;
    for (const example of examples) {
      try {
        const { scan } = expectSameAsMicromark(example.markdown);
        expectSameAsMicromark(example.markdown, true);
        if (scan.until === example.markdown.length) whole++;
      } catch (error) {
        throw new Error(`CommonMark example ${example.number} (${example.section}): ${JSON.stringify(example.markdown)}\n${String(error)}`);
      }
    }
    // The fast path is not a stub: it reads most examples whole (the rest decline, as they should).
    expect(whole / examples.length).toBeGreaterThan(0.4);
  });

  it('on the counterexamples the soup found (kept as cases of their own)', () => {
    // A table whose delimiter row sits behind the quote's marker on the next line.
    for (const text of [
      '> * sync\n> - sync\n\n# sync\n',
      '> 1. a\n> 2) b',
      '> * a\n> > b',
      '> * * a\n> - b',
      '> a\n> |---|',
      '> a | b\n> --- | ---\n> 1 | 2',
      '- a\n  |---|',
      '> > a\n> > |:-:|',
    ])
      expectSameAsMicromark(text);
  });

  it('on a soup of Markdown fragments, LF, CRLF and CR', () => {
    fc.assert(
      fc.property(markdownSoup, (text) => void expectSameAsMicromark(text)),
      { numRuns: 3000 },
    );
  }, 120_000);

  it('on generated workplan-like documents, and reads many of them whole', () => {
    let whole = 0;
    let runs = 0;
    fc.assert(
      fc.property(markdownDocument, (text) => {
        runs++;
        if (expectSameAsMicromark(text).scan.until === text.length) whole++;
      }),
      { numRuns: 500 },
    );
    // The generator mixes in what the fast path declines (raw HTML, tabs inside lists, empty items).
    expect(whole / runs).toBeGreaterThan(0.15);
  }, 120_000);

  it("on the fixtures and on this repository's own workplans and ADRs", () => {
    const files = [...markdownFiles('test/fixtures'), ...markdownFiles('workplans'), ...markdownFiles('adr')];
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      // parseMarkdown starts after a byte order mark (micromark drops it without counting it).
      const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      try {
        expectSameAsMicromark(text, true);
        expectSameChunkedParse(text);
      } catch (error) {
        throw new Error(`${file}: ${String(error)}`);
      }
    }
  });

  it('on the benchmark corpora (both shapes), reading every file whole', () => {
    for (const shape of ['standard', 'varied'] as const) {
      for (const file of generateCorpus({ size: 60, shape }).files) {
        const { scan } = expectSameAsMicromark(file.text.replace(/^---\n[\s\S]*?\n---\n/, ''));
        expect({ file: file.path, declined: scan.declined }).toEqual({ file: file.path, declined: undefined });
      }
    }
  }, 120_000);
});

describe('the chunked block pass with the fast path', () => {
  it('gives the nodes and refusals it gives without it (chunk cuts, budgets and limits unchanged)', () => {
    fc.assert(
      fc.property(fc.oneof(markdownDocument, markdownSoup), (text) => expectSameChunkedParse(text)),
      { numRuns: 400 },
    );
    // Long enough for several chunks, with constructs the fast path declines between them.
    fc.assert(
      fc.property(fc.array(fc.oneof(markdownDocument, markdownSoup), { minLength: 4, maxLength: 12 }), (parts) =>
        expectSameChunkedParse(parts.join('\n\n## Part\n\n')),
      ),
      { numRuns: 60 },
    );
  }, 180_000);
});
