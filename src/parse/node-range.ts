// Source offsets of an mdast node. Pure.
import type { Node } from 'mdast';

export interface OffsetRange {
  start: number;
  end: number;
}

/** The node's [start, end) offsets in the parsed text (0 when the parser gave no position). */
export function getNodeRange(node: Node): OffsetRange {
  const start = node.position?.start.offset ?? 0;
  const end = node.position?.end.offset ?? start;
  return { start, end: Math.max(start, end) };
}
