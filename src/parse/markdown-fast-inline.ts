// The fast inline path: the inline Markdown of a paragraph, heading or table cell — code spans and
// `*`/`_` emphasis and strong emphasis — read into exactly the nodes micromark's full parse gives
// (the attention resolver ported as is: flanking, the rule of three, nesting). A leaf holding
// anything else (a link or image bracket, `<`, a backslash, `&`, a hard break, a code span over
// several lines, a block quote's lines) declines and keeps micromark's reading. Pure.
// See adr/0010-a-line-scanner-reads-block-structure.md.
import type { Nodes, PhrasingContent, RootContent, Text } from 'mdast';
import type { Point } from 'unist';
import { declineFastPath, FastPathDeclined } from './markdown-fast-decline.js';

const BACKTICK = 96;
const STAR = 42;
const UNDERSCORE = 95;
/** Per ASCII character: 1 starts a construct the fast inline path does not read (`[` `]` `<` `\` `&`), 2 markup it reads. */
const CLASS = new Uint8Array(128);
for (const c of [91, 93, 60, 92, 38]) CLASS[c] = 1;
for (const c of [BACKTICK, STAR, UNDERSCORE]) CLASS[c] = 2;

/**
 * The nodes of `nodes` (top-level nodes of the block pass) with their inline Markdown read, or
 * undefined when some leaf holds what the fast path does not read.
 */
export function readInlineFast(text: string, nodes: readonly RootContent[]): RootContent[] | undefined {
  try {
    return nodes.map((node) => withInline(text, node, false));
  } catch (error) {
    if (error instanceof FastPathDeclined) return undefined;
    throw error;
  }
}

function withInline<T extends Nodes>(text: string, node: T, inQuote: boolean): T {
  switch (node.type) {
    case 'paragraph':
    case 'heading':
    case 'tableCell':
      return { ...node, children: readLeaf(text, node.children, inQuote) } as T;
    case 'list':
    case 'listItem':
    case 'table':
    case 'tableRow':
    case 'blockquote':
      return {
        ...node,
        children: (node.children as Nodes[]).map((child) => withInline(text, child, inQuote || node.type === 'blockquote')),
      } as T;
    case 'code':
    case 'html':
    case 'thematicBreak':
    case 'yaml':
      return node;
    default:
      return declineFastPath(`inline content of ${node.type}`);
  }
}

/** One line of a leaf's content, and where its line break (in the virtual text) maps to. */
interface Segment {
  /** Source range of the line's content, and where it starts in the virtual text. */
  start: number;
  end: number;
  virtual: number;
  line: number;
  origin: number;
  /** Source offset of the line break after the content (the end of the line), and the break's length. */
  breakStart: number;
  breakLength: number;
}

/** A leaf's inline content, from its block-pass children (one text node, or none). */
function readLeaf(text: string, children: readonly PhrasingContent[], inQuote: boolean): PhrasingContent[] {
  if (children.length === 0) return [];
  const only = children[0]!;
  if (children.length > 1 || only.type !== 'text') declineFastPath('hard break');
  const value = only.value;
  let markup = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128) continue;
    const kind = CLASS[c];
    if (kind === 1) declineFastPath('inline construct');
    if (kind === 2) markup = true;
  }
  if (!markup) return [only];
  if (inQuote) declineFastPath('inline content in a block quote');
  const segments = segmentsOf(text, only);
  return new InlineReader(text, value, segments).read();
}

/** The source lines of a text node: the first from its start, the others from their first non-blank character. */
function segmentsOf(text: string, node: Text): Segment[] {
  const start = node.position!.start;
  const end = node.position!.end.offset!;
  const segments: Segment[] = [];
  let at = start.offset!;
  let line = start.line;
  let origin = start.offset! - start.column + 1;
  let virtual = 0;
  for (;;) {
    let lineEnd = at;
    while (lineEnd < end && text.charCodeAt(lineEnd) !== 10 && text.charCodeAt(lineEnd) !== 13) lineEnd++;
    let contentEnd = lineEnd;
    if (lineEnd < end)
      while (contentEnd > at && (text.charCodeAt(contentEnd - 1) === 32 || text.charCodeAt(contentEnd - 1) === 9)) contentEnd--;
    const breakLength = lineEnd >= end ? 0 : text.charCodeAt(lineEnd) === 13 && text.charCodeAt(lineEnd + 1) === 10 ? 2 : 1;
    segments.push({ start: at, end: contentEnd, virtual, line, origin, breakStart: lineEnd, breakLength });
    virtual += contentEnd - at + breakLength;
    if (lineEnd >= end) break;
    origin = lineEnd + breakLength;
    line++;
    at = origin;
    while (at < end && (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9)) at++;
  }
  // The virtual text (lines joined by their breaks) must be the block pass's value; else the lines are not plain.
  let joined = '';
  for (const s of segments) joined += text.slice(s.start, s.end) + text.slice(s.breakStart, s.breakStart + s.breakLength);
  if (joined !== node.value) declineFastPath('inline content over container prefixes');
  return segments;
}

type Token =
  | { kind: 'data'; start: number; end: number }
  | { kind: 'code'; start: number; end: number; valueStart: number; valueEnd: number }
  | { kind: 'sequence'; start: number; end: number; marker: number; open: boolean; close: boolean }
  | { kind: 'group'; type: 'emphasis' | 'strong'; start: number; end: number; children: Token[] };

/** Reads one leaf's virtual text (offsets below are into it) into phrasing nodes. */
class InlineReader {
  constructor(
    _text: string,
    private readonly value: string,
    private readonly segments: readonly Segment[],
  ) {}

  read(): PhrasingContent[] {
    return this.toNodes(resolveAttention(this.tokenize()));
  }

  /** Data, code spans and attention sequences, left to right (micromark's text tokenizer, restricted). */
  private tokenize(): Token[] {
    const { value } = this;
    const tokens: Token[] = [];
    let dataStart = 0;
    let i = 0;
    const flush = (to: number) => {
      if (to > dataStart) tokens.push({ kind: 'data', start: dataStart, end: to });
    };
    while (i < value.length) {
      const c = value.charCodeAt(i);
      if (c === BACKTICK) {
        let run = i;
        while (run < value.length && value.charCodeAt(run) === BACKTICK) run++;
        const close = findClosingRun(value, run, run - i);
        if (close === -1) {
          i = run;
          continue;
        }
        flush(i);
        let valueStart = run;
        let valueEnd = close;
        if (value.charCodeAt(valueStart) === 32 && value.charCodeAt(valueEnd - 1) === 32 && hasNonSpace(value, valueStart, valueEnd)) {
          valueStart++;
          valueEnd--;
        }
        tokens.push({ kind: 'code', start: i, end: close + (run - i), valueStart, valueEnd });
        i = dataStart = close + (run - i);
      } else if (c === STAR || c === UNDERSCORE) {
        let run = i;
        while (run < value.length && value.charCodeAt(run) === c) run++;
        flush(i);
        tokens.push(classifySequence(value, i, run, c));
        i = dataStart = run;
      } else i++;
    }
    flush(value.length);
    return tokens;
  }

  private toNodes(tokens: readonly Token[]): PhrasingContent[] {
    const out: PhrasingContent[] = [];
    let text: { start: number; end: number } | undefined;
    const flushText = () => {
      if (!text) return;
      out.push({
        type: 'text',
        value: this.value.slice(text.start, text.end),
        position: { start: this.startPoint(text.start), end: this.endPoint(text.end) },
      });
      text = undefined;
    };
    for (const token of tokens) {
      if (token.kind === 'data' || token.kind === 'sequence') {
        if (token.end === token.start) continue;
        if (text) text.end = token.end;
        else text = { start: token.start, end: token.end };
        continue;
      }
      flushText();
      const position = { start: this.startPoint(token.start), end: this.endPoint(token.end) };
      if (token.kind === 'code') out.push({ type: 'inlineCode', value: this.value.slice(token.valueStart, token.valueEnd), position });
      else out.push({ type: token.type, children: this.toNodes(token.children), position } as PhrasingContent);
    }
    flushText();
    return out;
  }

  /** The source point of the virtual character at v. */
  private startPoint(v: number): Point {
    const s = this.segmentAt(v);
    const within = v - s.virtual;
    const length = s.end - s.start;
    const offset = within < length ? s.start + within : s.breakStart + within - length;
    return { line: s.line, column: offset - s.origin + 1, offset };
  }

  /** The source point just after the virtual character at v - 1 (after a line break: the next line's start). */
  private endPoint(v: number): Point {
    const s = this.segmentAt(v - 1);
    const within = v - s.virtual;
    const length = s.end - s.start;
    if (within <= length) return { line: s.line, column: s.start + within - s.origin + 1, offset: s.start + within };
    if (within === length + s.breakLength) return { line: s.line + 1, column: 1, offset: s.breakStart + s.breakLength };
    const offset = s.breakStart + within - length;
    return { line: s.line, column: offset - s.origin + 1, offset };
  }

  private segmentAt(v: number): Segment {
    const segments = this.segments;
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segments[mid]!.virtual <= v) lo = mid;
      else hi = mid - 1;
    }
    return segments[lo]!;
  }
}

/**
 * The backtick run of exactly `size` after `from` that closes a code span on the same line; -1 when
 * none (the opening run is then literal). One on a later line declines (micromark keeps the line's
 * prefix inside the span).
 */
function findClosingRun(value: string, from: number, size: number): number {
  let i = from;
  let sameLine = true;
  while (i < value.length) {
    const c = value.charCodeAt(i);
    if (c === 10 || c === 13) sameLine = false;
    if (c !== BACKTICK) {
      i++;
      continue;
    }
    let run = i;
    while (run < value.length && value.charCodeAt(run) === BACKTICK) run++;
    if (run - i === size) {
      if (!sameLine) declineFastPath('code span over several lines');
      return i;
    }
    i = run;
  }
  return -1;
}

function hasNonSpace(value: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (value.charCodeAt(i) !== 32) return true;
  return false;
}

const WHITESPACE = 1;
const PUNCTUATION = 2;
const UNICODE_WHITESPACE = /\s/;
const UNICODE_PUNCTUATION = /\p{P}|\p{S}/u;

/** micromark-util-classify-character: 1 whitespace (or the text's edge), 2 punctuation, 0 other. */
function classify(value: string, at: number): number {
  if (at < 0 || at >= value.length) return WHITESPACE;
  const c = value.charCodeAt(at);
  if (c === 32 || c === 9 || c === 10 || c === 13) return WHITESPACE;
  const ch = String.fromCharCode(c);
  if (UNICODE_WHITESPACE.test(ch)) return WHITESPACE;
  return UNICODE_PUNCTUATION.test(ch) ? PUNCTUATION : 0;
}

/** An attention sequence [start, end) of `marker`, with micromark's open / close flags. */
function classifySequence(value: string, start: number, end: number, marker: number): Token {
  const before = classify(value, start - 1);
  const after = classify(value, end);
  const open = !after || (after === PUNCTUATION && before !== 0);
  const close = !before || (before === PUNCTUATION && after !== 0);
  return {
    kind: 'sequence',
    start,
    end,
    marker,
    open: marker === STAR ? open : open && (before !== 0 || !close),
    close: marker === STAR ? close : close && (after !== 0 || !open),
  };
}

/** micromark's resolveAllAttention over a token list: pairs sequences into emphasis and strong groups. */
function resolveAttention(tokens: Token[]): Token[] {
  for (let index = 0; index < tokens.length; index++) {
    const closer = tokens[index]!;
    if (closer.kind !== 'sequence' || !closer.close) continue;
    for (let open = index - 1; open >= 0; open--) {
      const opener = tokens[open]!;
      if (opener.kind !== 'sequence' || !opener.open || opener.marker !== closer.marker) continue;
      const closerSize = closer.end - closer.start;
      const openerSize = opener.end - opener.start;
      if ((opener.close || closer.open) && closerSize % 3 && !((openerSize + closerSize) % 3)) continue;
      const use = openerSize > 1 && closerSize > 1 ? 2 : 1;
      const group: Token = {
        kind: 'group',
        type: use > 1 ? 'strong' : 'emphasis',
        start: opener.end - use,
        end: closer.start + use,
        children: resolveAttention(tokens.slice(open + 1, index)),
      };
      opener.end -= use;
      closer.start += use;
      const replacement: Token[] = [];
      if (opener.end > opener.start) replacement.push(opener);
      replacement.push(group);
      const closerLeft = closer.end > closer.start;
      if (closerLeft) replacement.push(closer);
      tokens.splice(open, index - open + 1, ...replacement);
      // Go on from what is left of the closer (it may close an earlier opener), else after the group.
      index = open + replacement.length - (closerLeft ? 2 : 1);
      break;
    }
  }
  return tokens;
}
