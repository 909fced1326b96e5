// The fast inline path (src/parse/markdown-fast-inline.ts) against micromark's full parse: for every
// top-level node of the block pass it reads, the node with its inline content — text, code spans,
// emphasis and strong emphasis, their positions and values — is the node a full parse gives.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { fromMarkdown, type Options } from 'mdast-util-from-markdown';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTable } from 'micromark-extension-gfm-table';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/src/corpus.js';
import { readInlineFast } from '../../src/parse/markdown-fast-inline.js';
import { markdownDocument, markdownSoup } from './markdown-generators.js';

type Extension = NonNullable<Options['extensions']>[number];
const BLOCKS_ONLY: Extension = {
  disable: { null: ['attention', 'autolink', 'codeText', 'hardBreakEscape', 'htmlText', 'labelEnd', 'labelStartImage', 'labelStartLink'] },
};
const BLOCK_PASS: Options = { extensions: [gfmTable(), BLOCKS_ONLY], mdastExtensions: [gfmTableFromMarkdown()] };
const FULL_PARSE: Options = { extensions: [gfmTable()], mdastExtensions: [gfmTableFromMarkdown()] };

/** Reads each block-pass node of `text` with the fast inline path; expects micromark's node where it reads one. Returns how many it read. */
function expectFullParse(text: string): number {
  const blocks = fromMarkdown(text, BLOCK_PASS).children;
  const full = fromMarkdown(text, FULL_PARSE).children;
  expect(blocks.length).toBe(full.length);
  let read = 0;
  blocks.forEach((node, i) => {
    const fast = readInlineFast(text, [node]);
    if (!fast) return;
    read++;
    expect(JSON.stringify(fast[0])).toBe(JSON.stringify(full[i]));
  });
  return read;
}

/** Runs of emphasis, code and punctuation around words: the attention resolver's hard cases. */
const attention = fc
  .array(
    fc.constantFrom(
      'a',
      'b',
      'word',
      '*',
      '**',
      '***',
      '_',
      '__',
      '`',
      '``',
      ' ',
      ' ',
      '\n',
      '.',
      ',',
      'é',
      '—',
      '"',
      '(',
      ')',
      '1',
      '\t',
      '  \n',
      '- ',
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

describe('the fast inline path reads exactly what micromark reads', () => {
  it('on the CommonMark specification examples', () => {
    const spec = readFileSync(join('node_modules', 'commonmark-spec', 'spec.txt'), 'utf8')
      .replace(/\r\n?/g, '\n')
      .replace(/^<!-- END TESTS -->[\s\S]*/m, '');
    let read = 0;
    for (const m of spec.matchAll(/^`{32} example\n([\s\S]*?)^\.\n/gm)) read += expectFullParse(m[1]!.replace(/→/g, '\t'));
    expect(read).toBeGreaterThan(400);
  });

  it('on emphasis, strong emphasis and code spans in every arrangement', () => {
    fc.assert(
      fc.property(attention, (text) => void expectFullParse(text)),
      { numRuns: 20_000 },
    );
  }, 120_000);

  it('on generated documents and fragment soup', () => {
    fc.assert(
      fc.property(fc.oneof(markdownDocument, markdownSoup), (text) => void expectFullParse(text)),
      { numRuns: 500 },
    );
  }, 120_000);

  it('on both benchmark corpora, reading nearly every node', () => {
    let nodes = 0;
    let read = 0;
    for (const shape of ['standard', 'varied'] as const) {
      for (const file of generateCorpus({ size: 30, shape }).files) {
        nodes += fromMarkdown(file.text, BLOCK_PASS).children.length;
        read += expectFullParse(file.text);
      }
    }
    expect(read / nodes).toBeGreaterThan(0.9);
  }, 120_000);
});
