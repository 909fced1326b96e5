// Parses a range of Markdown in chunks cut at top-level block boundaries, so that micromark's costs
// that grow with everything parsed so far (it copies its whole event list each time a nested list
// item or block quote closes) and its memory (1–2 KB per byte while a block is open) grow with one
// chunk, not with the file. Pure.
//
// A cut is exact: a chunk ending before line M is parsed together with line M, and the cut is kept
// only when line M comes out as the start of the last top-level node. Then nothing before M was still
// open at M (a fence, an HTML block, a list, a quote), so the parser's state at M is the initial one —
// the same as when the next chunk's parse starts at M. A chunk starts clean by induction, and the parse
// of its lines never depends on what follows them, so the chunks' nodes are the whole text's nodes.
import type { Root, RootContent } from 'mdast';
import { fromMarkdown, type Options } from 'mdast-util-from-markdown';
import {
  BLOCK_COMPLEXITY_BUDGET,
  CUT_LINE_BYTES,
  formatCount,
  isRefusal,
  MAX_BLOCK_WEIGHT,
  MIN_CHUNK_BYTES,
  scanLines,
  type Refusal,
} from './markdown-limits.js';
import { createFastChunkReader } from './markdown-fast-chunks.js';

/** What the parse may still spend, shared by every parse of one file. */
export interface ParseBudget {
  /** Σ (container markers × lines) left (see BLOCK_COMPLEXITY_BUDGET). */
  block: number;
  /** Σ (inline markup × length) left (see INLINE_COMPLEXITY_BUDGET). */
  inline: number;
}

export interface ChunkOptions {
  /** Options of the first chunk's parse (e.g. with the frontmatter extension, which only matches at line 1). */
  first: Options;
  /** Options of every later chunk's parse. */
  rest: Options;
  /** False to parse the range whole (still within the limits). */
  cut?: boolean;
  /**
   * Read the block structure with the fast block path where it can (the block pass only: its nodes
   * carry inline Markdown as plain text); `frontmatter` when `first` tries YAML frontmatter.
   */
  fast?: { frontmatter: boolean };
}

/** Where a position of a parsed slice lies in the whole text. */
export interface Shift {
  /** Offset, in the whole text, of the slice's first character. */
  offset: number;
  /** Line number, in the whole text, of the slice's first line, minus 1. */
  lines: number;
  /** Columns to add on line `columnLine` of the slice (its first line: where the slice may start mid-line). */
  columns: number;
  columnLine: number;
}

/**
 * Parses text[start, end) into top-level mdast nodes positioned in the whole `text`; `startShift`
 * says where `start` lies (line and column). Refuses (without parsing) what the limits forbid.
 */
export function parseInChunks(
  text: string,
  start: number,
  end: number,
  startShift: Shift,
  options: ChunkOptions,
  budget: ParseBudget,
): RootContent[] | Refusal {
  const table = scanLines(text, start, end);
  if (isRefusal(table)) return table;
  const { starts, markersBefore, weightBefore, nextCandidate } = table;
  const nodes: RootContent[] = [];
  const fast = options.fast ? createFastChunkReader(text, end, options.fast.frontmatter) : undefined;
  let line = 0;
  while (line < starts.length) {
    const chunkStart = starts[line]!;
    const shift: Shift = line === 0 ? startShift : { offset: chunkStart, lines: startShift.lines + line, columns: 0, columnLine: 1 };
    const chunkOptions = line === 0 ? options.first : options.rest;
    let minEnd = chunkStart + MIN_CHUNK_BYTES;
    for (;;) {
      const cut = options.cut === false ? undefined : findCandidate(starts, nextCandidate, line + 1, minEnd);
      // Line `cut` is parsed with its line break (micromark reads a last line without one
      // differently), or its first CUT_LINE_BYTES when it is longer (enough to see a block start).
      const lineEnd = cut === undefined ? end : cut + 1 < starts.length ? starts[cut + 1]! : end;
      const parseEnd = cut === undefined ? end : Math.min(lineEnd, starts[cut]! + CUT_LINE_BYTES);
      const lastLine = cut ?? starts.length - 1;
      const weight =
        weightBefore[lastLine]! - weightBefore[line]! + Math.min(weightBefore[lastLine + 1]! - weightBefore[lastLine]!, CUT_LINE_BYTES + 1);
      if (weight > MAX_BLOCK_WEIGHT) return refuseBlock(chunkStart, parseEnd, shift.lines + 1, startShift.lines + lastLine + 1);
      const cost = (markersBefore[lastLine + 1]! - markersBefore[line]!) * (lastLine + 1 - line);
      budget.block -= cost;
      if (budget.block < 0) return refuseComplexity(chunkStart, parseEnd);
      const known = fast?.read(
        chunkStart,
        shift.lines + 1,
        chunkStart - shift.columns,
        line === 0,
        cut === undefined ? undefined : starts[cut]!,
      );
      if (known) {
        if (cut === undefined || known.startsAtCut) {
          for (const node of known.nodes) nodes.push(node);
          if (cut === undefined) return nodes;
          line = cut;
          break;
        }
        minEnd = chunkStart + 2 * (parseEnd - chunkStart);
        continue;
      }
      const children = parseSlice(text, chunkStart, parseEnd, chunkOptions).children;
      if (cut === undefined) {
        for (const child of children) nodes.push(shiftNode(child, shift));
        return nodes;
      }
      const cutOffset = starts[cut]! - chunkStart;
      if (children[children.length - 1]?.position?.start.offset === cutOffset) {
        // Keep what starts before the cut (a definition and the setext heading after it may both start there).
        for (const child of children) if (child.position!.start.offset! < cutOffset) nodes.push(shiftNode(child, shift));
        line = cut;
        break;
      }
      // Line `cut` continues something opened before it: look further, twice as far, so that the
      // re-parses add up to at most twice the text.
      minEnd = chunkStart + 2 * (parseEnd - chunkStart);
    }
  }
  return nodes;
}

function findCandidate(
  starts: readonly number[],
  nextCandidate: readonly number[],
  fromLine: number,
  minOffset: number,
): number | undefined {
  // The first line starting at or after minOffset (binary search), then the next candidate from it.
  let lo = fromLine;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! < minOffset) lo = mid + 1;
    else hi = mid;
  }
  const candidate = nextCandidate[lo]!;
  return candidate < starts.length ? candidate : undefined;
}

function parseSlice(text: string, start: number, end: number, options: Options): Root {
  return fromMarkdown(start === 0 && end === text.length ? text : text.slice(start, end), options);
}

interface Point {
  line: number;
  column: number;
  offset?: number | undefined;
}

interface PositionedNode {
  position?: { start: Point; end: Point } | undefined;
  children?: PositionedNode[];
}

/** Moves every position of `node` (parsed from a slice) by `shift`; iterative, so depth cannot overflow the stack. */
export function shiftNode<T>(node: T, shift: Shift): T {
  if (shift.offset === 0 && shift.lines === 0 && shift.columns === 0) return node;
  const move = (p: Point): void => {
    if (p.line === shift.columnLine) p.column += shift.columns;
    p.line += shift.lines;
    if (p.offset !== undefined) p.offset += shift.offset;
  };
  const stack: PositionedNode[] = [node as PositionedNode];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.position) {
      move(current.position.start);
      move(current.position.end);
    }
    if (current.children) for (const child of current.children) stack.push(child);
  }
  return node;
}

function refuseBlock(start: number, end: number, firstLine: number, lastLine: number): Refusal {
  return {
    ruleId: 'markdown-block-too-large',
    start,
    end,
    message: `Lines ${formatCount(firstLine)}–${formatCount(lastLine)} hold no top-level block boundary and too much for one parse (over ${formatCount(MAX_BLOCK_WEIGHT)} lines, list items and markup characters): one list, block quote, table, code block, HTML block or paragraph this large is not parsed`,
    hint: 'Split it: put a blank line and a heading or an unindented paragraph between its parts, or move part of it to another file.',
  };
}

function refuseComplexity(start: number, end: number): Refusal {
  return {
    ruleId: 'markdown-too-complex',
    start,
    end,
    message: `The nested lists and block quotes from here on are too many to parse in reasonable time (more than ${formatCount(BLOCK_COMPLEXITY_BUDGET)} container-line steps)`,
    hint: 'Split the file, or flatten deeply nested lists and block quotes; headings between parts keep each part cheap.',
  };
}
