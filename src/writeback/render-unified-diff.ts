// A unified diff of two texts (what `--dry-run` prints for planned file edits). Pure. jsdiff (`diff`)
// finds the changed lines and groups them into hunks; this module only prints them the way `diff -u`
// and git do: `--- a/path`, `+++ b/path`, `@@ -l,s +l,s @@` hunks with 3 lines of context (`,1`
// omitted), and `\ No newline at end of file` after a last line without a line break. Lines are
// compared with their line breaks, so a changed line ending shows as a change (adr/0014).
import { structuredPatch } from 'diff';

export interface UnifiedDiffOptions {
  /** Lines of context around each change (default 3). */
  context?: number;
  /** Labels for the two sides (default `a/<path>` and `b/<path>`). */
  oldLabel?: string;
  newLabel?: string;
}

/** The unified diff of `before` → `after` for `path`, or '' when they are equal. Ends with a line break. */
export function renderUnifiedDiff(path: string, before: string, after: string, options: UnifiedDiffOptions = {}): string {
  if (before === after) return '';
  const context = Math.max(0, options.context ?? 3);
  const patch = structuredPatch(path, path, before, after, undefined, undefined, { context });
  const out: string[] = [`--- ${options.oldLabel ?? `a/${path}`}`, `+++ ${options.newLabel ?? `b/${path}`}`];
  for (const hunk of patch.hunks) {
    out.push(`@@ -${formatRange(hunk.oldStart, hunk.oldLines)} +${formatRange(hunk.newStart, hunk.newLines)} @@`, ...hunk.lines);
  }
  return `${out.join('\n')}\n`;
}

/** `start,count` as diff prints it: the line before for an empty range, `,1` omitted. */
function formatRange(start: number, count: number): string {
  const first = count === 0 ? start - 1 : start;
  return count === 1 ? `${first}` : `${first},${count}`;
}

/** Lines with their `\n` kept (a `\r` before it stays part of the line). */
export function splitLinesKeepingBreaks(text: string): string[] {
  const lines: string[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      lines.push(text.slice(from, i + 1));
      from = i + 1;
    }
  }
  if (from < text.length) lines.push(text.slice(from));
  return lines;
}
