// GFM tables as micromark-extension-gfm-table reads them: whether a line and the next start a table
// (head row cell count, delimiter row), and a row's cells with their positions. Pure. Part of the
// fast block path (markdown-fast-blocks.ts, ADR 0010).
import type { AlignType, TableCell, TableRow } from 'mdast';
import { countSpaces, isSpaceOrTab } from './markdown-fast-lines.js';
import { buildTextNodes, point } from './markdown-fast-text.js';

const PIPE = 124;
const BACKSLASH = 92;
const DASH = 45;
const COLON = 58;

/** The number of cells of a head row at p, or undefined when the line cannot head a table. */
export function countHeadCells(text: string, p: number, end: number): number | undefined {
  let size = 0;
  let sizeB = 0;
  let seen = false;
  if (text.charCodeAt(p) !== PIPE) {
    seen = true;
    sizeB = 1;
  }
  let i = p;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (isSpaceOrTab(c)) {
      i++;
      continue;
    }
    sizeB++;
    if (seen) {
      seen = false;
      size++;
    }
    if (c === PIPE) {
      seen = true;
      i++;
    } else i = skipCellData(text, i, end);
  }
  return sizeB > 1 ? size : undefined;
}

/** After a run of cell data at i: stops at a pipe or whitespace; `\|` and `\\` stay inside it. */
function skipCellData(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === PIPE || isSpaceOrTab(c)) break;
    i++;
    if (c === BACKSLASH && i < end && (text.charCodeAt(i) === BACKSLASH || text.charCodeAt(i) === PIPE)) i++;
  }
  return i;
}

/**
 * The alignment of each column when text[p, end) (a line's start, up to three spaces of indentation
 * allowed) is a delimiter row with `size` cells, else undefined.
 */
export function readDelimiterRow(text: string, p: number, end: number, size: number): AlignType[] | undefined {
  let i = p + countSpaces(text, p, end, 4);
  if (i - p > 3) return undefined;
  const align: AlignType[] = [];
  let seen = false;
  let c = text.charCodeAt(i);
  if (c === PIPE) {
    seen = true;
    i = skipSpaces(text, i + 1, end);
  } else if (c !== DASH && c !== COLON) return undefined;
  for (;;) {
    if (i >= end) break; // after a pipe: the row ends
    c = text.charCodeAt(i);
    let left = false;
    if (c === COLON) {
      left = true;
      seen = true;
      i++;
      if (text.charCodeAt(i) !== DASH) return undefined;
    } else if (c !== DASH) return undefined;
    while (i < end && text.charCodeAt(i) === DASH) i++;
    let right = false;
    if (i < end && text.charCodeAt(i) === COLON) {
      right = true;
      seen = true;
      i++;
    }
    align.push(left ? (right ? 'center' : 'left') : right ? 'right' : null);
    i = skipSpaces(text, i, end);
    if (i >= end) break;
    if (text.charCodeAt(i) !== PIPE) return undefined;
    seen = true;
    i = skipSpaces(text, i + 1, end);
  }
  return seen && align.length === size ? align : undefined;
}

function skipSpaces(text: string, i: number, end: number): number {
  while (i < end && isSpaceOrTab(text.charCodeAt(i))) i++;
  return i;
}

interface Segment {
  start: number;
  /** First and last data of the segment (contentStart === -1: none). */
  contentStart: number;
  contentEnd: number;
}

/** The row at p (line `line`, column 1 at `origin`, content ending at `end`), its cells as micromark resolves them. */
export function buildTableRow(text: string, p: number, end: number, line: number, origin: number): TableRow {
  const segments: Segment[] = [{ start: p, contentStart: -1, contentEnd: -1 }];
  let i = p;
  let leading = true;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (isSpaceOrTab(c)) {
      i++;
    } else if (c === PIPE) {
      // A pipe before any data opens the row; every later one starts a cell.
      if (!leading) segments.push({ start: i, contentStart: -1, contentEnd: -1 });
      leading = false;
      i++;
    } else {
      leading = false;
      const segment = segments[segments.length - 1]!;
      if (segment.contentStart === -1) segment.contentStart = i;
      i = skipCellData(text, i, end);
      segment.contentEnd = i;
    }
  }
  // A last segment without data (after a closing pipe) is no cell: the cell before it runs to the row's end.
  if (segments.length > 1 && segments[segments.length - 1]!.contentStart === -1) segments.pop();
  const children: TableCell[] = [];
  for (let s = 0; s < segments.length; s++) {
    const segment = segments[s]!;
    const cellEnd = s + 1 < segments.length ? segments[s + 1]!.start : end;
    const cell: TableCell = {
      type: 'tableCell',
      children: [],
      position: { start: point(line, origin, segment.start), end: point(line, origin, cellEnd) },
    };
    if (segment.contentStart !== -1) {
      cell.children = buildTextNodes(text, [
        { start: segment.contentStart, end: segment.contentEnd, next: end, line, origin },
      ]) as TableCell['children'];
    }
    children.push(cell);
  }
  return { type: 'tableRow', children, position: { start: point(line, origin, p), end: point(line, origin, end) } };
}
