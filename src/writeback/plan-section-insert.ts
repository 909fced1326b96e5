// Plans the insertion of a block of Markdown lines (e.g. a generated `## Closure Review`) into a
// text. Pure. Never touches the filesystem; only inserts, never deletes a user's byte.
// - The block lands on a line boundary: `offset` if it is a line start, else the start of the
//   next line (or the end of the text).
// - Exactly one blank line separates it from the content before it: one is added when there is
//   none; existing blank lines are kept (never removed), so with two or more there stay two.
//   At the start of the text, or after only blank lines, nothing is added.
// - When content follows, one blank line separates the block from it too (a Markdown paragraph
//   or list must not run into what follows).
// - Line breaks in the block (`\n`, `\r\n`, lone `\r`) become `eol`; leading and trailing blank
//   lines of the block are dropped; the block ends with a line break. A text without a final
//   line break gets one before the block, and then ends with the block's final break.
import type { TextEdit } from '../model/text-edit.js';
import { isLineStart, lineBreakLengthAt, lineEndAt, type Eol } from './line-insert.js';

const BLANK = /^[ \t]*$/;

/** Splits a text into lines without their breaks (a trailing break yields no empty last line). */
function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Number of blank lines right before the line boundary `at` (stops at the first non-blank line). */
function countBlankLinesBefore(text: string, at: number): { blank: number; onlyBlankBefore: boolean } {
  const lines = splitLines(text.slice(0, at));
  if (at === 0) return { blank: 0, onlyBlankBefore: true };
  let blank = 0;
  for (let i = lines.length - 1; i >= 0 && BLANK.test(lines[i]!); i--) blank++;
  return { blank, onlyBlankBefore: blank === lines.length };
}

/** Inserts `sectionMarkdown` as whole lines at (or after) `offset`, separated by exactly one blank line. */
export function planSectionInsert(text: string, offset: number, sectionMarkdown: string, eol: Eol): TextEdit {
  if (!Number.isInteger(offset) || offset < 0 || offset > text.length) {
    throw new RangeError(`planSectionInsert: offset ${offset} is outside the text (length ${text.length})`);
  }
  const blockLines = splitLines(sectionMarkdown);
  while (blockLines.length > 0 && BLANK.test(blockLines[0]!)) blockLines.shift();
  while (blockLines.length > 0 && BLANK.test(blockLines[blockLines.length - 1]!)) blockLines.pop();
  if (blockLines.length === 0) throw new RangeError('planSectionInsert: the section is empty');
  const block = blockLines.join(eol) + eol;

  let at = offset;
  let lead = '';
  if (!isLineStart(text, at)) {
    const end = lineEndAt(text, at);
    const breakLength = lineBreakLengthAt(text, end);
    if (breakLength === 0) {
      // The last line has no final break: end it first.
      at = text.length;
      lead = eol;
    } else {
      at = end + breakLength;
    }
  }
  const before = countBlankLinesBefore(text, at);
  if (lead !== '') {
    // The unterminated last line is content unless it is blank.
    const lastLine = text.slice(text.lastIndexOf('\n', at - 1) + 1);
    if (!BLANK.test(lastLine.replace(/^.*\r/s, ''))) lead += eol;
  } else if (!before.onlyBlankBefore && before.blank === 0) {
    lead = eol;
  }
  const rest = text.slice(at);
  const firstRestLine = splitLines(rest)[0] ?? '';
  const trail = rest.length > 0 && !BLANK.test(firstRestLine) ? eol : '';
  return { start: at, end: at, text: lead + block + trail };
}
