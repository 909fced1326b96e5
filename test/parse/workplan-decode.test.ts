// The layers under parseWorkplan: strict UTF-8 decoding, frontmatter location, mdast positions.
import { describe, expect, it } from 'vitest';
import { createLineIndex } from '../../src/model/position.js';
import { decodeSource, findInvalidUtf8 } from '../../src/parse/decode.js';
import { parseFrontmatter } from '../../src/parse/frontmatter.js';
import { parseMarkdown } from '../../src/parse/markdown.js';
import { createReporter } from '../../src/parse/reporter.js';

/** The tree of `text` parsed from `from`, failing the test on a refusal. */
function parseMarkdownTree(text: string, from = 0) {
  const root = parseMarkdown(text, createReporter('x.md', createLineIndex(text)), from).root;
  if (!root) throw new Error('refused');
  return root;
}

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);
const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...encode(p)] : p)));

describe('decodeSource', () => {
  it('decodes UTF-8 and keeps the BOM in the text', () => {
    const result = decodeSource('a.md', bytes([0xef, 0xbb, 0xbf], 'hé\n'));
    expect(result).toEqual({ value: { text: '\uFEFFhé\n', hasBom: true }, diagnostics: [] });
    expect(decodeSource('a.md', encode('x')).value).toEqual({ text: 'x', hasBom: false });
  });

  it('reports the first invalid byte at its line and column', () => {
    const result = decodeSource('a.md', bytes('ok\r\nab', [0xc3, 0x28], 'z'));
    expect(result.value).toBeUndefined();
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({
      path: 'a.md',
      ruleId: 'encoding-invalid',
      severity: 'error',
      span: { start: { line: 2, column: 3, offset: 6 } },
    });
    expect(result.diagnostics[0]!.message).toContain('0xc3 0x28');
  });

  it.each([
    ['a lone continuation byte', [0x80], 0],
    ['an overlong encoding', [0xc0, 0xaf], 0],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80], 0],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a truncated sequence at the end', [0x61, 0xe2, 0x82], 1],
    ['a UTF-16 BOM', [0xff, 0xfe, 0x61, 0x00], 0],
  ])('refuses %s', (_name, input, at) => {
    const data = Uint8Array.from(input);
    expect(findInvalidUtf8(data)).toBe(at);
    expect(decodeSource('a.md', data).diagnostics[0]!.ruleId).toBe('encoding-invalid');
  });

  it('accepts every valid UTF-8 width', () => {
    const data = encode('a é € 😀');
    expect(findInvalidUtf8(data)).toBe(data.length);
  });

  it('refuses NUL bytes at their position', () => {
    const result = decodeSource('a.md', bytes('é\n\nx', [0], 'y'));
    expect(result.value).toBeUndefined();
    expect(result.diagnostics[0]).toMatchObject({ ruleId: 'encoding-nul', span: { start: { line: 3, column: 2, offset: 4 } } });
  });
});

describe('parseFrontmatter', () => {
  const parse = (text: string) => parseFrontmatter('a.md', text, createLineIndex(text));

  it('returns the block bounds, fields and eol; dates stay strings', () => {
    const text = '---\r\nid: X-WP-1 # c\r\ncreated: 2026-02-28\r\nempty:\r\n---\r\nbody';
    const { value, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(value!.data).toEqual({ id: 'X-WP-1', created: '2026-02-28', empty: null });
    expect(value!.eol).toBe('\r\n');
    expect(text.slice(value!.bodyStart, value!.bodyEnd)).toBe('id: X-WP-1 # c\r\ncreated: 2026-02-28\r\nempty:\r\n');
    expect(text.slice(value!.contentStart)).toBe('body');
    expect(value!.span.end).toMatchObject({ line: 5, column: 4 });
    const [id, created, empty] = value!.fields;
    expect(id).toMatchObject({ key: 'id', raw: 'X-WP-1', valueSpan: { start: { line: 2, column: 5 } } });
    expect(text.slice(id!.lineSpan.start.offset, id!.lineSpan.end.offset)).toBe('id: X-WP-1 # c');
    expect(created!.raw).toBe('2026-02-28');
    expect(empty).toMatchObject({ raw: '', valueSpan: { start: { line: 4, column: 7 }, end: { line: 4, column: 7 } } });
  });

  it('locates YAML errors exactly, after a BOM and CRLF lines', () => {
    const text = '\uFEFF---\r\na: 1\r\nb: [1, 2\r\nc: 3\r\n---\r\n';
    const { value, diagnostics } = parse(text);
    expect(value!.valid).toBe(false);
    expect(value!.data).toEqual({});
    expect(diagnostics[0]!.ruleId).toBe('frontmatter-yaml-invalid');
    expect(diagnostics[0]!.span.start.line).toBe(4);
  });

  it('accepts a BOM before the opening fence and an empty block', () => {
    const { value, diagnostics } = parse('\uFEFF---\n---\n# T\n');
    expect(diagnostics).toEqual([]);
    expect(value).toMatchObject({ data: {}, fields: [], bodyStart: 5, bodyEnd: 5, contentStart: 9 });
  });

  it('reports a missing or unclosed block', () => {
    expect(parse('# Title\n').diagnostics[0]!.ruleId).toBe('frontmatter-missing');
    expect(parse('\n---\nid: x\n---\n').diagnostics[0]!.ruleId).toBe('frontmatter-missing');
    expect(parse('---\nid: x\n').diagnostics[0]!.ruleId).toBe('frontmatter-unclosed');
    expect(parse('---').diagnostics[0]!.ruleId).toBe('frontmatter-unclosed');
  });
});

describe('parseMarkdown', () => {
  it('gives positions in the whole text when parsing from an offset or after a BOM', () => {
    const text = '\uFEFF---\nid: x\n---\n\n## Heading\n';
    const tree = parseMarkdownTree(text, 15);
    const heading = tree.children[0]!;
    expect(heading.type).toBe('heading');
    expect(heading.position!.start).toEqual({ line: 5, column: 1, offset: 16 });
    const bom = parseMarkdownTree('\uFEFF# T\n');
    expect(bom.children[0]!.position!.start).toEqual({ line: 1, column: 2, offset: 1 });
  });

  it('parses GFM tables and YAML frontmatter nodes', () => {
    const tree = parseMarkdownTree('---\na: 1\n---\n\n| a | b |\n| - | - |\n| 1 | 2 |\n');
    expect(tree.children.map((c) => c.type)).toEqual(['yaml', 'table']);
  });
});
