// A paragraph that starts with a label: `**Blocks:** …`, `**Outcome**: …` or (when allowed) `Blocks: …`.
// Pure. Reads the mdast's inline nodes; the value's offset points into the source text.
import type { Paragraph } from 'mdast';
import { getNodeRange } from './node-range.js';
import { toPlainText } from './plain-text.js';

export interface LeadingLabel {
  /** The label, lower-cased, spaces collapsed, without its colon (e.g. `depends on`). */
  label: string;
  /** Offset where the value after the label (and its colon and spaces) starts. */
  valueStart: number;
}

const PLAIN = /^([A-Za-z][A-Za-z0-9_ -]{0,40}?)[ \t]*:(?=[ \t]|$)/;

/** Reads the label at the start of a paragraph, or undefined when it does not start with one. */
export function readLeadingLabel(text: string, paragraph: Paragraph, allowPlain: boolean): LeadingLabel | undefined {
  const first = paragraph.children[0];
  if (!first) return undefined;
  const paragraphEnd = getNodeRange(paragraph).end;
  if (first.type === 'strong') {
    let label = toPlainText(first).trim();
    let end = getNodeRange(first).end;
    if (label.endsWith(':')) label = label.slice(0, -1);
    else {
      let i = end;
      while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
      if (text.charCodeAt(i) === 58) end = i + 1;
    }
    return { label: normalizeLabel(label), valueStart: skipBlanks(text, end, paragraphEnd) };
  }
  if (allowPlain && first.type === 'text') {
    const start = getNodeRange(first).start;
    const m = PLAIN.exec(text.slice(start, Math.min(getNodeRange(first).end, start + 64)));
    if (m) return { label: normalizeLabel(m[1]!), valueStart: skipBlanks(text, start + m[0].length, paragraphEnd) };
  }
  return undefined;
}

function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

function skipBlanks(text: string, from: number, limit: number): number {
  let i = from;
  while (i < limit && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i;
}
