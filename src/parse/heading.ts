// An mdast heading → the model's Heading (plain text, raw source text, span). Pure.
import type { Heading as MdastHeading } from 'mdast';
import type { LineIndex } from '../model/position.js';
import type { Heading } from '../model/workplan.js';
import { getNodeRange } from './node-range.js';
import { toPlainText } from './plain-text.js';

/** Reads a heading node: `text` is plain and trimmed, `raw` the content exactly as written. */
export function readHeading(text: string, node: MdastHeading, lines: LineIndex): Heading {
  const { start, end } = getNodeRange(node);
  const first = node.children[0];
  const last = node.children[node.children.length - 1];
  const raw = first && last ? text.slice(getNodeRange(first).start, getNodeRange(last).end) : '';
  return {
    depth: node.depth,
    text: toPlainText(node).replace(/\s+/g, ' ').trim(),
    raw,
    span: lines.spanOf(start, end),
  };
}
