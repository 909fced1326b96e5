// parseMarkdown (src/parse/markdown.ts): the chunked, block-first parse gives exactly the tree a
// plain full parse gives wherever the format reads it, and refuses — with located diagnostics, never
// an exception — what micromark cannot parse in linear time and bounded memory.
import fc from 'fast-check';
import type { Root, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfmTable } from 'micromark-extension-gfm-table';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { createLineIndex } from '../../src/model/position.js';
import { parseMarkdown, type MarkdownTree } from '../../src/parse/markdown.js';
import {
  MAX_BLOCK_WEIGHT,
  MAX_NESTED_CONTAINERS_PER_LINE,
  MAX_NESTED_LISTS_PER_LINE,
  MIN_CHUNK_BYTES,
} from '../../src/parse/markdown-limits.js';
import { createReporter } from '../../src/parse/reporter.js';
import { markdownDocument } from './markdown-generators.js';

/** The reference: one plain parse of the whole text with the same syntax extensions. */
function parseFully(text: string): Root {
  return fromMarkdown(text, {
    extensions: [frontmatter(['yaml']), gfmTable()],
    mdastExtensions: [frontmatterFromMarkdown(['yaml']), gfmTableFromMarkdown()],
  });
}

function parse(text: string, from = 0): { tree: MarkdownTree; diagnostics: Diagnostic[] } {
  const reporter = createReporter('x.md', createLineIndex(text));
  return { tree: parseMarkdown(text, reporter, from), diagnostics: reporter.diagnostics };
}

const json = (value: unknown): string => JSON.stringify(value);

// Lines built from the pieces of Markdown that change structure: containers, fences, HTML, tables,
// setext underlines, definitions, and every inline delimiter.
const PIECES = [
  'a',
  'b c',
  '*',
  '**',
  '_',
  '`',
  '``',
  '[',
  ']',
  '(',
  ')',
  '![',
  '](x)',
  '[x]',
  '[X]: /u',
  '<',
  '>',
  '<a>',
  '</a>',
  '<div>',
  '<!--',
  '-->',
  '&amp;',
  '\\',
  '\\*',
  '|',
  ' | ',
  '#',
  '## ',
  '- ',
  '* ',
  '1. ',
  '2) ',
  '  ',
  '    ',
  '\t',
  '```',
  '~~~',
  '---',
  '===',
  '|---|',
  '**Blocks:**',
  'X-WP-0001',
  '\n',
  '\n',
  '\n\n',
  '> ',
];
const line = fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }).map((pieces) => pieces.join(''));
const document = fc.array(line, { maxLength: 30 }).map((lines) => lines.join('\n'));
/** Long enough to be parsed in several chunks: the document repeated under headings. */
const chunked = document.map((text) =>
  Array.from({ length: Math.ceil((2 * MIN_CHUNK_BYTES) / (text.length + 8)) }, (_, i) => `## H${i}\n\n${text}`).join('\n\n'),
);

describe('parseMarkdown', () => {
  it("gives a full parse's tree: headings at once, any run of top-level nodes through parseInline", () => {
    fc.assert(
      fc.property(fc.oneof(document, chunked, markdownDocument), fc.nat(), fc.nat(), (text, a, b) => {
        const full = parseFully(text).children;
        const { tree, diagnostics } = parse(text);
        expect(diagnostics).toEqual([]);
        const root = tree.root!;
        expect(json(root.children.filter((n) => n.type === 'heading'))).toBe(json(full.filter((n) => n.type === 'heading')));
        // Block structure (types and offsets) is the full parse's everywhere.
        expect(json(root.children.map(outline))).toBe(json(full.map(outline)));
        expect(json(tree.parseInline(root.children))).toBe(json(full));
        if (full.length === 0) return;
        const from = a % full.length;
        const to = from + 1 + (b % (full.length - from));
        expect(json(tree.parseInline(root.children.slice(from, to)))).toBe(json(full.slice(from, to)));
      }),
      { numRuns: 150 },
    );
  }, 180_000);

  it('resolves `[label]` references against definitions anywhere in the file', () => {
    const text = '# See [the spec] and [Other][]\n\n- **Blocks:** [the spec]\n\n> [THE   SPEC]: https://example.com\n\n[other]: /o\n';
    const { tree } = parse(text);
    const full = parseFully(text).children;
    expect(json(tree.root!.children[0])).toBe(json(full[0]));
    expect(json(tree.parseInline([tree.root!.children[1]!]))).toBe(json([full[1]]));
    expect(json(full[0])).toContain('linkReference');
  });

  it('parses a text whose first line opens a frontmatter that never closes as micromark does (no lists, no quotes)', () => {
    const text = `---\ntitle: x\n\n- a\n\n> b\n\n# *H*\n\n${'para\n\n'.repeat(MIN_CHUNK_BYTES / 3)}- c\n`;
    const { tree } = parse(text);
    expect(json(tree.root!.children)).toBe(json(parseFully(text).children));
  });

  it('refuses a line nested deeper than the limits with markdown-too-deeply-nested on that line', () => {
    const cases = [
      ['>'.repeat(MAX_NESTED_CONTAINERS_PER_LINE + 1), 'block quotes'],
      [`${'- '.repeat(MAX_NESTED_LISTS_PER_LINE + 1)}x`, 'list items'],
      ['> - 1. '.repeat(400), 'mixed'],
    ] as const;
    for (const [deep, name] of cases) {
      const text = `# T\n\nintro\n\n${deep}\n`;
      const { tree, diagnostics } = parse(text);
      expect(tree.root, name).toBeUndefined();
      expect(
        diagnostics.map((d) => [d.ruleId, d.severity, d.span.start.line, d.span.start.column]),
        name,
      ).toEqual([['markdown-too-deeply-nested', 'error', 5, 1]]);
    }
    // At the limits, and thematic breaks (`- - - -`), it parses.
    const fine = `${'>'.repeat(MAX_NESTED_LISTS_PER_LINE)} x\n\n${'- '.repeat(MAX_NESTED_LISTS_PER_LINE)}x\n\n${'- '.repeat(500)}\n`;
    expect(parse(fine).diagnostics).toEqual([]);
  });

  it('refuses a block too large to hold in memory with markdown-block-too-large, and splits the same content into blocks', () => {
    const items = '- item\n'.repeat(Math.ceil(MAX_BLOCK_WEIGHT / 9) + 10);
    const { tree, diagnostics } = parse(`# T\n\n${items}`);
    expect(tree.root).toBeUndefined();
    // Located on the part of the file that could not be split (here from its start).
    expect(diagnostics.map((d) => [d.ruleId, d.span.start.line <= 3 && d.span.end.line > 3])).toEqual([['markdown-block-too-large', true]]);
    const split = `# T\n\n${'- item\n'.repeat(1_000)}\nbetween\n\n`.repeat(8);
    const parsed = parse(split);
    expect(parsed.diagnostics).toEqual([]);
    expect(json(parsed.tree.root!.children.map(outline))).toBe(json(parseFully(split).children.map(outline)));
  });

  it('refuses nested containers too costly to close (quadratic in micromark) with markdown-too-complex', () => {
    const { tree, diagnostics } = parse(`# T\n\n${'- a\n  - b\n'.repeat(2_500)}`);
    expect(tree.root).toBeUndefined();
    expect(diagnostics.map((d) => d.ruleId)).toEqual(['markdown-too-complex']);
    // The same nested lists with headings between them are cheap chunks: parsed.
    expect(parse(`${'# T\n\n- a\n  - b\n'.repeat(2_000)}`).diagnostics).toEqual([]);
  });

  it('refuses too much inline markup where it is read (a heading; parseInline) with markdown-too-complex, located', () => {
    const heading = parse(`intro\n\n### ${'*a'.repeat(5_000)}\n`);
    expect(heading.tree.root).toBeUndefined();
    expect(heading.diagnostics.map((d) => [d.ruleId, d.span.start.line])).toEqual([['markdown-too-complex', 3]]);
    // In a description nobody reads its inline Markdown: no cost, no refusal.
    const description = parse(`# T\n\n${'*a'.repeat(50_000)}\n`);
    expect(description.diagnostics).toEqual([]);
    const nodes = description.tree.root!.children;
    expect(description.tree.parseInline(nodes)).toEqual(nodes);
    expect(description.diagnostics.map((d) => [d.ruleId, d.span.start.line])).toEqual([['markdown-too-complex', 3]]);
  });
});

/** A node's type and offsets, and its children's (inline children left out). */
function outline(node: RootContent): unknown {
  const kids =
    'children' in node && node.type !== 'paragraph' && node.type !== 'heading' && node.type !== 'tableCell'
      ? (node.children as RootContent[]).map(outline)
      : undefined;
  return [node.type, node.position?.start.offset, node.position?.end.offset, kids];
}
