// The Markdown structure of an ADR read from the mdast tree: the title heading, the H2 sections,
// and the source lines of top-level blocks. Pure. Only root-level headings are structure, so a
// `## Status` inside a code block, an HTML comment, a block quote or a list item is just text.
import type { Heading as MdastHeading, Root, RootContent } from 'mdast';
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
