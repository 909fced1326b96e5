// The fast path of yaml-mapping.ts: a block of `key: value` lines as frontmatter and metadata fences
// are usually written — string scalars (plain, or quoted without escapes), flow sequences of them,
// comment and blank lines — read into what the `yaml` package's core schema gives for it. Anything
// else (numbers, booleans, nulls, nested or multi-line values, anchors, tags, escapes, duplicate keys,
// tabs, comments after a value, a lone CR) declines: the `yaml` package reads the block. Pure.
// Why: parsing YAML with the `yaml` package was the largest cost of the parse left after ADR 0010.

/** One `key: value` line: the key and the value's source range. */
export interface SimpleEntry {
  key: string;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
}

export interface SimpleMapping {
  data: Record<string, unknown>;
  entries: SimpleEntry[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Plain scalars the core schema reads as something other than a string (null, bool, int, float). */
const NOT_A_STRING = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^[-+]?[0-9]+$/,
  /^0o[0-7]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
];
/** Characters that may not start a plain scalar we read (YAML indicators, quotes, `[` handled apart). */
const INDICATORS = new Set('-?:,[]{}#&*!|>\'"%@`');

/** text[start, end) read as a simple mapping, or undefined (the caller parses it with `yaml`). */
export function readSimpleMapping(text: string, start: number, end: number): SimpleMapping | undefined {
  const data: Record<string, unknown> = {};
  const entries: SimpleEntry[] = [];
  let lineStart = start;
  while (lineStart < end) {
    let lineEnd = lineStart;
    while (lineEnd < end && text.charCodeAt(lineEnd) !== 10 && text.charCodeAt(lineEnd) !== 13) lineEnd++;
    const line = text.slice(lineStart, lineEnd);
    if (line.includes('\t')) return undefined;
    if (line.trim() !== '' && !line.startsWith('#')) {
      const entry = readEntry(text, line, lineStart);
      if (!entry || Object.hasOwn(data, entry.key)) return undefined;
      data[entry.key] = entry.value;
      entries.push(entry);
    }
    if (text.charCodeAt(lineEnd) === 13) {
      // A lone CR is not a line break to the yaml package.
      if (lineEnd + 1 >= end || text.charCodeAt(lineEnd + 1) !== 10) return undefined;
      lineStart = lineEnd + 2;
    } else lineStart = lineEnd + 1;
  }
  return entries.length > 0 ? { data, entries } : undefined;
}

function readEntry(_text: string, line: string, offset: number): (SimpleEntry & { value: unknown }) | undefined {
  const colon = line.indexOf(': ');
  if (colon <= 0) return undefined;
  const key = line.slice(0, colon);
  if (!KEY.test(key) || NOT_A_STRING.some((re) => re.test(key))) return undefined;
  let from = colon + 2;
  while (line.charCodeAt(from) === 32) from++;
  const written = line.slice(from).replace(/ +$/, '');
  const value = readValue(written);
  if (value === undefined) return undefined;
  return { key, keyStart: offset, keyEnd: offset + colon, valueStart: offset + from, valueEnd: offset + from + written.length, value };
}

/** A value we read: a string, or an array of strings from `[a, b]`; undefined otherwise. */
function readValue(written: string): unknown {
  if (written === '') return undefined;
  const first = written[0]!;
  if (first === '"' || first === "'") {
    const close = written.indexOf(first, 1);
    if (close !== written.length - 1 || written.includes('\\')) return undefined;
    return written.slice(1, -1);
  }
  if (first === '[') {
    if (!written.endsWith(']')) return undefined;
    const inner = written.slice(1, -1);
    if (inner.trim() === '') return [];
    const items = inner.split(',').map((item) => item.trim());
    const values: string[] = [];
    for (const item of items) {
      if (/[[\]{}]/.test(item)) return undefined;
      const value = readPlain(item);
      if (value === undefined) return undefined;
      values.push(value);
    }
    return values;
  }
  return readPlain(written);
}

function readPlain(written: string): string | undefined {
  if (written === '' || INDICATORS.has(written[0]!)) return undefined;
  if (written.includes(': ') || written.includes(' #') || written.endsWith(':')) return undefined;
  if (NOT_A_STRING.some((re) => re.test(written))) return undefined;
  return written;
}
