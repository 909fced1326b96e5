// Markdown → mdast. The only module that imports the Markdown parser. Pure; never touches the filesystem.
// It calls remark-parse's own engine (mdast-util-from-markdown over micromark) directly with exactly the
// syntax extensions the format needs: CommonMark, YAML frontmatter and GFM tables (Closure Review
// classification tables). The rest of GFM (autolink literals, footnotes, strikethrough, task list items)
// never changes structure here, and autolink-literal scanning alone costs ~20% of a remark-gfm parse.
//
// Two passes keep the parse linear in time and bounded in memory (markdown-limits.ts says why):
// 1. Block structure, in chunks cut at top-level block boundaries (markdown-chunks.ts), with the inline
//    constructs (emphasis, links, images, code spans, inline HTML, autolinks, escaped line breaks)
//    switched off: descriptions and bodies are kept as verbatim source slices, so their inline
//    structure is never read, and micromark's inline resolvers are where its quadratic cases live.
// 2. Inline Markdown for what the format does read: every top-level heading (titles, task and phase
//    headings are plain text without emphasis or link syntax) and the nodes a caller asks for
//    (Dependencies, Closure Review). Those nodes' lines are parsed again with every construct on and
//    the link reference definitions of the whole file, so their trees are exactly a full parse's.
import type { Nodes, Root, RootContent } from 'mdast';
import type { Options } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfmTable } from 'micromark-extension-gfm-table';
import { parseInChunks, shiftNode, type ParseBudget, type Shift } from './markdown-chunks.js';
import { BLOCK_COMPLEXITY_BUDGET, formatCount, INLINE_COMPLEXITY_BUDGET, isRefusal, type Refusal } from './markdown-limits.js';
import { findLineEnd, skipLineBreak } from './line-breaks.js';
import { readInlineFast } from './markdown-fast-inline.js';
import type { Reporter } from './reporter.js';

type Extension = NonNullable<Options['extensions']>[number];

/** micromark's names of the inline (text) constructs; character escapes and references stay on (code fence info strings use them). */
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
const BLOCKS_ONLY: Extension = { disable: { null: INLINE_CONSTRUCTS } };

const BLOCK_FIRST_CHUNK: Options = {
  extensions: [frontmatter(['yaml']), gfmTable(), BLOCKS_ONLY],
  mdastExtensions: [frontmatterFromMarkdown(['yaml']), gfmTableFromMarkdown()],
};
// Frontmatter only opens a document: a later chunk starting with `---` is a thematic break.
const BLOCK_LATER_CHUNK: Options = { extensions: [gfmTable(), BLOCKS_ONLY], mdastExtensions: [gfmTableFromMarkdown()] };

const BOM = 0xfeff;
/** Characters that can start or end inline Markdown: each may make micromark walk over its paragraph. */
const INLINE_MARKUP = new Set([33, 38, 42, 60, 91, 92, 93, 95, 96]); // ! & * < [ \ ] _ `

export interface MarkdownTree {
  /** The tree, positioned in the whole text; undefined when a limit refused the text (a diagnostic says why). */
  root: Root | undefined;
  /**
   * `nodes` (consecutive top-level nodes of `root`) with their inline Markdown parsed. On a refusal
   * (reported) the nodes come back as they were, their inline Markdown as plain text.
   */
  parseInline(nodes: readonly RootContent[]): RootContent[];
}

/**
 * Parses `text` (from offset `from`, default 0) into an mdast tree whose positions index the whole
 * `text`: offsets, lines and columns are those of the original string, a leading BOM included.
 * Headings carry their inline Markdown; other nodes carry it as plain text until `parseInline`.
 * A text that would cost too much to parse is refused with a diagnostic on `reporter`.
 */
export function parseMarkdown(text: string, reporter: Reporter, from = 0): MarkdownTree {
  let start = Math.max(0, Math.min(from, text.length));
  // micromark drops a leading BOM without counting it; skip it ourselves so offsets stay exact.
  if (text.charCodeAt(start) === BOM) start++;
  const budget: ParseBudget = { block: BLOCK_COMPLEXITY_BUDGET, inline: INLINE_COMPLEXITY_BUDGET };
  const refused: MarkdownTree = { root: undefined, parseInline: (nodes) => [...nodes] };
  if (opensUnclosedFrontmatter(text, start)) return parseAsOneBlock(text, start, reporter, budget);
  const nodes = parseInChunks(
    text,
    start,
    text.length,
    shiftOf(text, start),
    { first: BLOCK_FIRST_CHUNK, rest: BLOCK_LATER_CHUNK, fast: { frontmatter: true } },
    budget,
  );
  if (isRefusal(nodes)) {
    report(reporter, nodes);
    return refused;
  }
  const root: Root = { type: 'root', children: nodes };
  const inline = createInlineParser(text, start, root, budget);
  const headings = inline.parseHeadings();
  if (headings) {
    report(reporter, headings);
    return refused;
  }
  return {
    root,
    parseInline(run) {
      if (run.length === 0) return [];
      const parsed = inline.parse(run);
      if (!isRefusal(parsed)) return parsed;
      report(reporter, parsed);
      return [...run];
    },
  };
}

/**
 * A text whose first line is `---` with no closing `---` line: micromark's frontmatter extension tries
 * the whole text as frontmatter before giving up, and meanwhile reads no list or block quote anywhere
 * in it (so they come out as paragraphs). Chunks would each start afresh, so such a text — its
 * frontmatter is broken anyway — is parsed as before: whole, inline Markdown included.
 */
function opensUnclosedFrontmatter(text: string, start: number): boolean {
  if (!/^---[ \t]*(?:\r\n|\r|\n)/.test(text.slice(start, start + 64))) return false;
  return !/(?:\r\n|\r|\n)---[ \t]*(?:\r\n|\r|\n|$)/.test(text.slice(start + 3));
}

function parseAsOneBlock(text: string, start: number, reporter: Reporter, budget: ParseBudget): MarkdownTree {
  const refused: MarkdownTree = { root: undefined, parseInline: (nodes) => [...nodes] };
  // Lexically, each stretch between blank lines as one inline run (at least as costly as its paragraphs).
  const blankLine = /(?:\r\n|\r|\n)[ \t]*(?=\r\n|\r|\n|$)/g;
  let from = start;
  for (const m of text.slice(start).matchAll(blankLine)) {
    const charged = chargeInlineRange(text, from, start + m.index, 'text', 0, budget);
    if (charged) {
      report(reporter, charged);
      return refused;
    }
    from = start + m.index + m[0].length;
  }
  const charged = chargeInlineRange(text, from, text.length, 'text', 0, budget);
  if (charged) {
    report(reporter, charged);
    return refused;
  }
  const options = inlineOptions([], true);
  const nodes = parseInChunks(text, start, text.length, shiftOf(text, start), { first: options, rest: options, cut: false }, budget);
  if (isRefusal(nodes)) {
    report(reporter, nodes);
    return refused;
  }
  return { root: { type: 'root', children: nodes }, parseInline: (run) => [...run] };
}

/** The line and column where `start` lies, as a shift for positions parsed from text.slice(start). */
function shiftOf(text: string, start: number): Shift {
  let lines = 0;
  let lineStart = 0;
  for (let i = 0; i < start; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      lines++;
      lineStart = i + 1;
    }
  }
  return { offset: start, lines, columns: start - lineStart, columnLine: 1 };
}

function report(reporter: Reporter, refusal: Refusal): void {
  reporter.report(refusal.ruleId, refusal.start, refusal.end, refusal.message, refusal.hint, 'error');
}

/**
 * Returns a function that parses a run of consecutive top-level nodes of `root` again with every
 * inline construct on and the file's link reference definitions known, and gives back the same
 * nodes (same types and offsets) with their inline content. It parses the run's own lines, and
 * around them what the parser's state depends on: from the last clean start before the run (the
 * text's start, a line after a blank line, a heading) — a list or a quote right after a paragraph
 * reads differently — to two lines into the next node, which close the run's nodes as in the file.
 * A run that does not come back the same (never expected) keeps its nodes.
 */
function createInlineParser(text: string, parseStart: number, root: Root, budget: ParseBudget): InlineParser {
  const children = root.children;
  const index = new Map(children.map((node, i) => [node, i]));
  // A definition's label ends in `]:`; without one in the text there is none to walk the tree for.
  const definitions = text.includes(']:', parseStart) ? collectDefinitionIds(root) : [];
  const replace = (node: RootContent, by: RootContent): void => {
    const i = index.get(node);
    if (i === undefined || node === by) return;
    children[i] = by;
    index.delete(node);
    index.set(by, i);
  };
  const parse = (run: readonly RootContent[]): RootContent[] | Refusal => {
    const first = index.get(run[0]!) ?? 0;
    const last = index.get(run[run.length - 1]!) ?? children.length - 1;
    let from = first;
    while (from > 0 && first - from < MAX_CONTEXT_NODES && !isCleanStart(text, parseStart, children, from)) from--;
    const lineStart = findLineStart(text, offsetOf(children[from]!));
    const start = Math.max(parseStart, lineStart);
    const next = children[last + 1];
    const end = next ? skipLines(text, offsetOf(next), 2) : text.length;
    const charged = chargeInline(
      text,
      children.slice(from, last + 1),
      next ? { start: offsetOf(next), end } : undefined,
      definitions.length,
      budget,
    );
    if (charged) return charged;
    // The fast inline path (code spans, emphasis) where it reads every leaf of the run; else micromark.
    const fast = readInlineFast(text, run);
    if (fast) return fast;
    const shift: Shift = { offset: start, lines: children[from]!.position!.start.line - 1, columns: start - lineStart, columnLine: 1 };
    const rest = inlineOptions(definitions, false);
    // The frontmatter extension changes how a text's first lines parse (even when it finds none).
    const options = { first: start === parseStart ? inlineOptions(definitions, true) : rest, rest };
    const parsed = parseInChunks(text, start, end, shift, options, budget);
    if (isRefusal(parsed)) return parsed;
    return pickSameNodes(run, parsed) ?? [...run];
  };
  // Every heading at once: a heading's lines read the same anywhere (an ATX heading can interrupt
  // anything; a setext heading's text cannot be continued from before), and end it, so the headings'
  // lines joined with a blank line between them parse to the same headings.
  const parseHeadings = (): Refusal | undefined => {
    // Without any inline markup character, a heading's inline content is its plain text already.
    const marked = children.filter((node) => node.type === 'heading' && hasInlineMarkup(text, node));
    if (marked.length === 0) return undefined;
    const charged = chargeInline(text, marked, undefined, definitions.length, budget);
    if (charged) return charged;
    // The fast inline path reads most headings (code spans, emphasis); micromark the rest.
    const headings: RootContent[] = [];
    for (const heading of marked) {
      const fast = readInlineFast(text, [heading]);
      if (fast) replace(heading, fast[0]!);
      else headings.push(heading);
    }
    if (headings.length === 0) return undefined;
    const segments: Segment[] = [];
    let joined = '';
    let joinedLines = 0;
    for (const heading of headings) {
      const lineStart = findLineStart(text, offsetOf(heading));
      const start = Math.max(parseStart, lineStart);
      const end = skipLineBreak(text, findLineEnd(text, heading.position!.end.offset!));
      segments.push({
        joinedStart: joined.length,
        shift: {
          offset: start - joined.length,
          lines: heading.position!.start.line - 1 - joinedLines,
          columns: start - lineStart,
          columnLine: joinedLines + 1,
        },
      });
      const source = text.slice(start, end);
      // The heading's own line break again makes a blank line (a lone CR twice is two line breaks).
      const separator = end === text.length ? '' : source.endsWith('\r') ? '\r' : '\n';
      joined += source + separator;
      joinedLines += countLineBreaks(source) + (separator === '' ? 0 : 1);
    }
    const rest = inlineOptions(definitions, false);
    const first = segments[0]!.shift.offset === parseStart ? inlineOptions(definitions, true) : rest;
    const parsed = parseInChunks(joined, 0, joined.length, { offset: 0, lines: 0, columns: 0, columnLine: 1 }, { first, rest }, budget);
    if (isRefusal(parsed)) {
      const shift = segmentAt(segments, parsed.start).shift.offset;
      return { ...parsed, start: parsed.start + shift, end: Math.min(text.length, Math.max(parsed.start, parsed.end) + shift) };
    }
    const shifted = parsed.map((node) => shiftNode(node, segmentAt(segments, offsetOf(node)).shift));
    const picked = pickSameNodes(headings, shifted);
    if (picked) headings.forEach((heading, i) => replace(heading, picked[i]!));
    return undefined;
  };
  return { parse, parseHeadings };
}

interface InlineParser {
  /** The run's nodes with their inline content (see createInlineParser). */
  parse(run: readonly RootContent[]): RootContent[] | Refusal;
  /** Puts every heading of the root, with its inline content, in its place; or refuses. */
  parseHeadings(): Refusal | undefined;
}

interface Segment {
  joinedStart: number;
  shift: Shift;
}

/** The segment that holds a joined-text offset. */
function segmentAt(segments: readonly Segment[], offset: number): Segment {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid]!.joinedStart <= offset) lo = mid;
    else hi = mid - 1;
  }
  return segments[lo]!;
}

function hasInlineMarkup(text: string, node: RootContent): boolean {
  const end = node.position?.end.offset ?? 0;
  for (let i = offsetOf(node); i < end; i++) if (INLINE_MARKUP.has(text.charCodeAt(i))) return true;
  return false;
}

function countLineBreaks(source: string): number {
  let count = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) count++;
  }
  return count;
}

/** Most nodes looked back at for a clean start (a run right after a heading needs none). */
const MAX_CONTEXT_NODES = 100;

/**
 * True when the parser's state at node i's line is the initial one as far as the node's parse goes:
 * at the text's start, at a heading (a heading line reads the same anywhere) or right after one.
 * Elsewhere it may not be: an empty list item or an indented code block cannot interrupt a paragraph,
 * and an indented code block keeps the blank lines after it.
 */
function isCleanStart(text: string, parseStart: number, children: readonly RootContent[], i: number): boolean {
  if (findLineStart(text, offsetOf(children[i]!)) <= parseStart) return true;
  return children[i]!.type === 'heading' || children[i - 1]?.type === 'heading';
}

function offsetOf(node: RootContent): number {
  return node.position?.start.offset ?? 0;
}

/** Offset after `count` lines (line breaks included) from `offset`'s line. */
function skipLines(text: string, offset: number, count: number): number {
  let at = offset;
  for (let i = 0; i < count && at < text.length; i++) at = skipLineBreak(text, findLineEnd(text, at));
  return at;
}

/**
 * The re-parsed nodes at the offsets of `before`'s, in order, or undefined when one is missing. A run's
 * lines may also hold a node before its first (a definition on the line a setext heading starts at).
 */
function pickSameNodes(before: readonly RootContent[], after: readonly RootContent[]): RootContent[] | undefined {
  const picked: RootContent[] = [];
  let j = 0;
  for (const node of before) {
    while (j < after.length && !isSameNode(node, after[j]!)) j++;
    if (j === after.length) return undefined;
    picked.push(after[j++]!);
  }
  return picked;
}

function isSameNode(a: RootContent, b: RootContent): boolean {
  return a.type === b.type && a.position?.start.offset === b.position?.start.offset && a.position?.end.offset === b.position?.end.offset;
}

/**
 * Charges the budget for the inline runs (headings, paragraphs, table cells) in `nodes` and for
 * `extra` (a range parsed as context): markup characters × length each, plus `]` × definitions
 * (micromark looks each label up in a list). Returns a refusal where the budget runs out.
 */
function chargeInline(
  text: string,
  nodes: readonly RootContent[],
  extra: { start: number; end: number } | undefined,
  definitionCount: number,
  budget: ParseBudget,
): Refusal | undefined {
  const stack: Nodes[] = [...nodes];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell') {
      const start = node.position?.start.offset ?? 0;
      const refusal = chargeInlineRange(
        text,
        start,
        node.position?.end.offset ?? start,
        node.type === 'tableCell' ? 'table cell' : node.type,
        definitionCount,
        budget,
      );
      if (refusal) return refusal;
    } else if ('children' in node) {
      for (const child of node.children as Nodes[]) stack.push(child);
    }
  }
  return extra ? chargeInlineRange(text, extra.start, extra.end, 'text', definitionCount, budget) : undefined;
}

function chargeInlineRange(
  text: string,
  start: number,
  end: number,
  what: string,
  definitionCount: number,
  budget: ParseBudget,
): Refusal | undefined {
  let markup = 0;
  let closers = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (INLINE_MARKUP.has(c)) markup++;
    if (c === 93) closers++;
  }
  budget.inline -= markup * (end - start) + closers * definitionCount;
  if (budget.inline >= 0) return undefined;
  return {
    ruleId: 'markdown-too-complex',
    start,
    end,
    message: `This ${what} has too much inline Markdown to parse in reasonable time (${formatCount(markup)} of \`*\`, \`_\`, \`\`\`\`, \`[\`, \`]\`, \`!\`, \`<\`, \`&\`, \`\\\` in ${formatCount(end - start)} characters)`,
    hint: 'Shorten it, or move long runs of emphasis, link or code markup into a task description (kept as written) or a code block.',
  };
}

/** micromark's identifiers of every link reference definition in the tree (any depth). */
function collectDefinitionIds(root: Root): string[] {
  const ids = new Set<string>();
  const stack: Nodes[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'definition') ids.add(normalizeIdentifier(node.label ?? node.identifier));
    else if ('children' in node) for (const child of node.children as Nodes[]) stack.push(child);
  }
  return [...ids];
}

/** micromark-util-normalize-identifier: how micromark keys its list of defined labels. */
function normalizeIdentifier(value: string): string {
  return value
    .replace(/[\t\n\r ]+/g, ' ')
    .replace(/^ | $/g, '')
    .toLowerCase()
    .toUpperCase();
}

/**
 * Options for the inline pass. A re-parsed run must resolve `[label]` references exactly as the
 * whole file would: a document construct that never matches (it is tried at the start of the first
 * line, before any inline content is read) tells the parser the file's definitions first.
 */
function inlineOptions(definitions: readonly string[], atStart: boolean): Options {
  const extensions: Extension[] = atStart ? [frontmatter(['yaml']), gfmTable()] : [gfmTable()];
  if (definitions.length > 0) {
    const seeded = new WeakSet<object>();
    const seed = {
      name: 'workplanSeedDefinitions',
      tokenize(this: { parser: { defined: string[] } }, _effects: unknown, _ok: unknown, nok: unknown) {
        if (!seeded.has(this.parser)) {
          seeded.add(this.parser);
          for (const id of definitions) this.parser.defined.push(id);
        }
        return nok;
      },
    };
    extensions.push({ document: { null: [seed] } } as unknown as Extension);
  }
  return { extensions, mdastExtensions: atStart ? [frontmatterFromMarkdown(['yaml']), gfmTableFromMarkdown()] : [gfmTableFromMarkdown()] };
}

function findLineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text.charCodeAt(i - 1) !== 10 && text.charCodeAt(i - 1) !== 13) i--;
  return i;
}
