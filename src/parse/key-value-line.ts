// One `key: value` line of a task metadata block (the plain-line and list forms). Pure.
// Not YAML: the value is the rest of the line, trimmed; one pair of surrounding quotes is dropped
// when the value is interpreted (the FieldSource keeps it as written).

export interface KeyValueLine {
  key: string;
  keyStart: number;
  /** The value's [start, end) offsets; equal (right after the colon) when the value is empty. */
  valueStart: number;
  valueEnd: number;
}

const KEY = /^[ \t]*([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:/;

/** Reads text[lineStart, lineEnd) as `key: value`, or undefined when the line is not one. */
export function parseKeyValueLine(text: string, lineStart: number, lineEnd: number): KeyValueLine | undefined {
  // Keys are short: looking at the first 200 characters keeps this linear on huge lines.
  const head = text.slice(lineStart, Math.min(lineEnd, lineStart + 200));
  const m = KEY.exec(head);
  if (!m) return undefined;
  const afterColon = lineStart + m[0].length;
  const next = text.charCodeAt(afterColon);
  // `key:value` is not a pair (URLs, times); a space, a tab or the end of the line must follow.
  if (afterColon < lineEnd && next !== 32 && next !== 9) return undefined;
  let valueStart = afterColon;
  while (valueStart < lineEnd && isBlank(text.charCodeAt(valueStart))) valueStart++;
  let valueEnd = lineEnd;
  while (valueEnd > valueStart && isBlank(text.charCodeAt(valueEnd - 1))) valueEnd--;
  if (valueStart === valueEnd) valueStart = valueEnd = afterColon;
  return { key: m[1]!, keyStart: lineStart + m[0].indexOf(m[1]!), valueStart, valueEnd };
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}
