// Plans edits of one `key: value` field in a workplan's frontmatter or a task's metadata block.
// Pure. Never touches the filesystem; never re-serialises YAML.
// - The key exists: only the value bytes are replaced (a comment after the value, the key's
//   spelling, its separator and the line's break stay). The old quote character is kept.
// - The key is absent: one new line is inserted, written in the same form as the last field line
//   (indentation, `- ` list marker, separator): in the frontmatter right before the closing `---`
//   (safe even after a multi-line value); in a task's metadata block after its last field line
//   (`insertOffset`, inside the fence for the ```yaml form).
// Both functions take the text the model was parsed from (to copy the line form and its line
// break) and refuse (throw) if the model does not match it: a stale model must never produce an
// edit at the wrong offset.
import type { TextEdit } from '../model/text-edit.js';
import type { FieldSource, Frontmatter, Task } from '../model/workplan.js';
import { assertFieldMatchesText, assertSingleLineValue, formatFieldValue, mirrorFieldLine, type ValueContext } from './field-line.js';
import { detectEol, planLineInsertAt } from './line-insert.js';

/** Replaces the value of an existing field, keeping its quoting style. */
export function planFieldValueReplace(text: string, field: FieldSource, value: string, context: ValueContext): TextEdit {
  assertFieldMatchesText(text, field);
  const formatted = formatFieldValue(value, field.raw, context);
  let prefix = '';
  // An empty value may sit right after the colon (`completed:`); `completed:2026-…` would not parse.
  if (field.raw === '' && field.valueSpan.start.offset > 0 && text[field.valueSpan.start.offset - 1] === ':') prefix = ' ';
  return { start: field.valueSpan.start.offset, end: field.valueSpan.end.offset, text: prefix + formatted };
}

function assertKey(key: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) throw new RangeError(`Invalid field key ${JSON.stringify(key)}`);
}

/** Sets a top-level frontmatter key: replaces its value bytes, or inserts a new line when absent. */
export function planFrontmatterFieldEdit(text: string, frontmatter: Frontmatter<unknown>, key: string, value: string): TextEdit[] {
  assertKey(key);
  assertSingleLineValue(value);
  const existing = frontmatter.fields.find((f) => f.key === key);
  if (existing) return [planFieldValueReplace(text, existing, value, 'yaml')];
  const formatted = formatFieldValue(value, undefined, 'yaml');
  // Before the closing `---`: always a top-level boundary, even after a multi-line last value.
  const last = frontmatter.fields[frontmatter.fields.length - 1];
  const line = (last && mirrorFieldLine(text, last, key, formatted)) ?? `${key}: ${formatted}`;
  return [{ start: frontmatter.bodyEnd, end: frontmatter.bodyEnd, text: line + frontmatter.eol }];
}

/** Sets a key in a task's metadata block: replaces its value bytes, or inserts a new line after the last field. */
export function planTaskFieldEdit(text: string, task: Task, key: string, value: string): TextEdit[] {
  assertKey(key);
  assertSingleLineValue(value);
  const metadata = task.metadata;
  const context: ValueContext = metadata.form === 'yaml-fence' ? 'yaml' : 'plain';
  const existing = metadata.fields.find((f) => f.key === key);
  if (existing) return [planFieldValueReplace(text, existing, value, context)];
  const formatted = formatFieldValue(value, undefined, context);
  const last = metadata.fields[metadata.fields.length - 1];
  if (last) assertFieldMatchesText(text, last);
  const line = (last && mirrorFieldLine(text, last, key, formatted)) ?? `${metadata.linePrefix}${key}: ${formatted}`;
  // `insertOffset` is "after the last field line": either the end of that line or the start of
  // the next one; planLineInsertAt lands on the same line boundary for both readings.
  return [planLineInsertAt(text, metadata.insertOffset, line, detectEol(text))];
}
