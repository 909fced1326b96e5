// The Markdown structure of an ADR read from the mdast tree: the title heading, the H2 sections,
// and the source lines of top-level blocks. Pure. Only root-level headings are structure, so a
// `## Status` inside a code block, an HTML comment, a block quote or a list item is just text.
import type { Heading as MdastHeading, Root, RootContent, Table } from 'mdast';
import type { LineIndex } from '../model/position.js';
import type { Heading, Section } from '../model/workplan.js';
import { readHeading } from './heading.js';
import { findNextLineStart } from './line-breaks.js';
import { getNodeRange } from './node-range.js';

/** A root-level heading node with its offsets. */
export interface LocatedHeading {
  node: MdastHeading;
  heading: Heading;
  start: number;
  end: number;
}

/** One source line of a block, with the offset of its first character. */
export interface SourceLine {
  text: string;
  start: number;
}

/** Every root-level heading, in order. */
export function listRootHeadings(tree: Root, text: string, lines: LineIndex): LocatedHeading[] {
  const out: LocatedHeading[] = [];
  for (const node of tree.children) {
    if (node.type !== 'heading') continue;
    const { start, end } = getNodeRange(node);
    out.push({ node, heading: readHeading(text, node, lines), start, end });
  }
  return out;
}

/**
 * The H2 sections: each from its heading to the next root-level heading of depth ≤ 2 (or EOF),
 * with the body verbatim from the line after the heading.
 */
export function listH2Sections(headings: readonly LocatedHeading[], text: string, lines: LineIndex): Section[] {
  const sections: Section[] = [];
  // Walked backwards, so each section's end (the next heading of depth ≤ 2) is known in one pass:
  // a search forward from every heading was quadratic in the number of sections.
  let end = text.length;
  for (let i = headings.length - 1; i >= 0; i--) {
    const h = headings[i]!;
    if (h.heading.depth === 2) {
      const bodyStart = Math.min(findNextLineStart(text, h.end), end);
      sections.push({ kind: 'other', heading: h.heading, span: lines.spanOf(h.start, end), body: text.slice(bodyStart, end) });
    }
    if (h.heading.depth <= 2) end = h.start;
  }
  return sections.reverse();
}

/** Root-level nodes whose start lies in [from, to). */
export function listRootNodesBetween(tree: Root, from: number, to: number): RootContent[] {
  return tree.children.filter((node) => {
    const { start } = getNodeRange(node);
    return start >= from && start < to;
  });
}

/** The source lines of a node, each with its offset (line breaks excluded). */
export function listSourceLines(text: string, start: number, end: number): SourceLine[] {
  const out: SourceLine[] = [];
  const re = /\r\n|\n|\r/g;
  const slice = text.slice(start, end);
  let lineStart = 0;
  for (let m = re.exec(slice); m; m = re.exec(slice)) {
    out.push({ text: slice.slice(lineStart, m.index), start: start + lineStart });
    lineStart = m.index + m[0].length;
  }
  out.push({ text: slice.slice(lineStart), start: start + lineStart });
  return out;
}

/** Section names of the common templates: a heading so named is a section, never the title. */
const SECTION_NAME =
  /^(?:context(?:\s+and\s+problem\s+statement)?|problem(?:\s+statement)?|status|decision(?:\s+(?:outcome|drivers?))?|consequences?|considered\s+options|options|pros\s+and\s+cons.*|alternatives(?:\s+considered)?|rationale|links|references|more\s+information|notes|summary|background|validation|confirmation|implementation(?:\s+notes)?|metadata|date|deciders|table\s+of\s+contents)\s*:?$/i;

/**
 * The heading that titles the ADR: the first H1; without one, the first heading when it is shallower
 * than every other and not a section name (`## 1. Record decisions` above `### Status`, `### Context`).
 */
export function chooseTitleHeading(headings: readonly LocatedHeading[]): LocatedHeading | undefined {
  const h1 = headings.find((h) => h.heading.depth === 1);
  if (h1) return h1;
  const first = headings[0];
  if (!first || SECTION_NAME.test(first.heading.text)) return undefined;
  return headings.slice(1).every((h) => h.heading.depth > first.heading.depth) ? first : undefined;
}

/** The root-level nodes from `from` up to the next root-level heading (binary searches: linear in what it returns). */
export function listNodesUntilHeading(tree: Root, headings: readonly LocatedHeading[], from: number, text: string): RootContent[] {
  const next = headings[firstIndexAtOrAfter(headings.length, (i) => headings[i]!.start, from)];
  const to = next ? next.start : text.length;
  const children = tree.children;
  const out: RootContent[] = [];
  for (let i = firstIndexAtOrAfter(children.length, (j) => getNodeRange(children[j]!).start, from); i < children.length; i++) {
    if (getNodeRange(children[i]!).start >= to) break;
    out.push(children[i]!);
  }
  return out;
}

/** The first index whose key is ≥ `value`, keys ascending. */
function firstIndexAtOrAfter(length: number, key: (i: number) => number, value: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(mid) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One cell of a table row: its text as written (pipes and padding removed, `\|` unescaped) and offsets. */
export interface TableCell {
  text: string;
  start: number;
  end: number;
}

/** The rows of a GFM table node, header row first. */
export function listTableRows(table: Table, text: string): TableCell[][] {
  return table.children.map((row) =>
    row.children.map((cell) => {
      const { start, end } = getNodeRange(cell);
      let from = start;
      let to = end;
      while (from < to && /[|\s]/.test(text[from]!)) from++;
      while (to > from && /\s/.test(text[to - 1]!)) to--;
      if (to > from && text[to - 1] === '|' && text[to - 2] !== '\\') to--;
      while (to > from && /\s/.test(text[to - 1]!)) to--;
      return { text: text.slice(from, to).replace(/\\\|/g, '|'), start: from, end: to };
    }),
  );
}
