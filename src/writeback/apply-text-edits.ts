// Splices TextEdits into a text. Pure. Never touches the filesystem.
// Every byte outside the edited ranges is kept exactly; the document is never re-serialised.
// Bad edits (overlaps, out-of-range offsets) are programming errors, not user input: they throw.
import type { TextEdit } from '../model/text-edit.js';

/**
 * Orders edits by (start, end), keeping the caller's order for several insertions at one offset.
 * An insertion at the start of a replacement therefore lands before it, one at its end after it.
 */
export function sortTextEdits(edits: readonly TextEdit[]): TextEdit[] {
  return edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.index - b.index)
    .map((x) => x.edit);
}

/** Applies non-overlapping edits to `text`, keeping every character outside them. Throws on overlap. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  if (edits.length === 0) return text;
  for (const edit of edits) {
    if (!Number.isInteger(edit.start) || !Number.isInteger(edit.end) || edit.start < 0 || edit.end < edit.start || edit.end > text.length) {
      throw new RangeError(`applyTextEdits: edit [${edit.start}, ${edit.end}) is outside the text (length ${text.length})`);
    }
  }
  const sorted = sortTextEdits(edits);
  const parts: string[] = [];
  let cursor = 0;
  for (const edit of sorted) {
    // `edit.start < cursor` means it begins inside the previous edit's replaced range.
    if (edit.start < cursor) {
      throw new RangeError(`applyTextEdits: edit [${edit.start}, ${edit.end}) overlaps an earlier edit ending at ${cursor}`);
    }
    parts.push(text.slice(cursor, edit.start), edit.text);
    cursor = edit.end;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
}
