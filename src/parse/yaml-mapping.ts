// A YAML mapping embedded in a larger text (frontmatter, a ```yaml metadata fence) → plain data plus
// the source span of every top-level key. Pure; the only module that imports `yaml`.
// YAML 1.2 core schema, so `2026-02-28` stays the string it was written as, never a Date.
// Problems are located exactly: the yaml package's offsets into the slice, plus the slice's offset, resolved
// with the file's LineIndex (equivalent to a yaml LineCounter shifted by the frontmatter offset).
import { parseDocument, isMap, isScalar, visit, type Node as YamlNode } from 'yaml';
import type { FieldSource } from '../model/workplan.js';
import type { Reporter } from './reporter.js';
import { findLineEnd } from './line-breaks.js';
import { readSimpleMapping, type SimpleEntry } from './yaml-simple-mapping.js';

/** Rule ids used for the three ways a mapping can be malformed. */
export interface YamlMappingRules {
  /** YAML syntax error, or alias explosion. */
  syntax: string;
  /** The same top-level key twice. */
  duplicateKey: string;
  /** The document is not a mapping. */
  notMapping: string;
  /** Names the block in messages, e.g. "Frontmatter". */
  label: string;
}

export interface YamlMapping {
  /** Top-level values as YAML parsed them ({} when the YAML is invalid). */
  data: Record<string, unknown>;
  /** Top-level keys in source order. */
  fields: FieldSource[];
  /** False when a syntax error or a non-mapping document was reported. */
  ok: boolean;
}

/** Guards against "billion laughs" alias bombs. */
const MAX_ALIAS_COUNT = 100;

/**
 * Parses text[start, end) as a YAML mapping, reporting problems at their exact positions. Plain
 * `key: string` blocks are read by yaml-simple-mapping.ts, exactly as the `yaml` package reads them.
 */
export function parseYamlMapping(text: string, start: number, end: number, reporter: Reporter, rules: YamlMappingRules): YamlMapping {
  const simple = readSimpleMapping(text, start, end);
  if (simple) return { data: simple.data, fields: toFields(text, simple.entries, reporter, rules), ok: true };
  return parseWithYaml(text, start, end, reporter, rules);
}

/** parseYamlMapping with the `yaml` package only (the reference the fast path is tested against). */
export function parseWithYaml(text: string, start: number, end: number, reporter: Reporter, rules: YamlMappingRules): YamlMapping {
  const source = text.slice(start, end);
  const doc = parseDocument(source, {
    version: '1.2',
    schema: 'core',
    uniqueKeys: false,
    prettyErrors: false,
    keepSourceTokens: false,
    // Problems are diagnostics, never lines on the process's stderr (below: keys that are collections).
    logLevel: 'error',
  });
  if (doc.errors.length > 0) {
    for (const error of doc.errors.slice(0, 10)) {
      const [from, to] = error.pos;
      reporter.report(
        rules.syntax,
        start + from,
        start + Math.max(from, to),
        `${rules.label} is not valid YAML: ${firstLine(error.message)}`,
        'Fix the YAML syntax; quote values that contain ": " or start with a special character.',
      );
    }
    return { data: {}, fields: [], ok: false };
  }
  const contents = doc.contents as YamlNode | null;
  if (contents === null || (isScalar(contents) && contents.value === null)) return { data: {}, fields: [], ok: true };
  if (!isMap(contents)) {
    const [from, to] = contents.range ?? [0, 0];
    reporter.report(
      rules.notMapping,
      start + from,
      start + to,
      `${rules.label} is not a YAML mapping of \`key: value\` pairs`,
      'Write one `key: value` pair per line.',
    );
    return { data: {}, fields: [], ok: false };
  }
  // A key that is itself a mapping or a list (`? [a, b]`, `{x: 1}: y`) would be stringified into an
  // object key by toJS (yaml warns on stderr); no field of ours has such a key: it is reported instead.
  const collectionKey = findCollectionKey(contents);
  if (collectionKey) {
    const [from, to] = collectionKey.range ?? [0, 0];
    reporter.report(
      rules.syntax,
      start + from,
      start + Math.max(from, to),
      `${rules.label} has a key that is a YAML mapping or list; keys must be plain names`,
      'Write each key as a plain name (`key: value`); quote it if it contains special characters.',
    );
    return { data: {}, fields: [], ok: false };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    reporter.report(
      rules.syntax,
      start,
      end,
      `${rules.label} could not be read: ${firstLine(String((error as Error)?.message ?? error))}`,
      'Remove the YAML aliases (`*name`); write the values out.',
    );
    return { data: {}, fields: [], ok: false };
  }
  const entries: SimpleEntry[] = [];
  for (const pair of contents.items) {
    const keyNode = pair.key as YamlNode | null;
    const valueNode = pair.value as YamlNode | null;
    const keyRange = keyNode?.range;
    if (!keyRange) continue;
    const keyStart = start + keyRange[0];
    const keyEnd = start + keyRange[1];
    const key = isScalar(keyNode) ? String(keyNode.value) : text.slice(keyStart, keyEnd);
    let valueStart: number;
    let valueEnd: number;
    if (valueNode?.range) {
      valueStart = start + valueNode.range[0];
      valueEnd = trimEndOfValue(text, valueStart, start + valueNode.range[1]);
    } else {
      // `key:` with nothing after it: an empty span right after the separator.
      const colon = text.slice(keyEnd, findLineEnd(text, keyEnd)).indexOf(':');
      valueStart = valueEnd = colon === -1 ? keyEnd : keyEnd + colon + 1;
    }
    entries.push({ key, keyStart, keyEnd, valueStart, valueEnd });
  }
  const record = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  return { data: record, fields: toFields(text, entries, reporter, rules), ok: true };
}

/** The source of each top-level key; a key written twice is reported. */
function toFields(text: string, entries: readonly SimpleEntry[], reporter: Reporter, rules: YamlMappingRules): FieldSource[] {
  const fields: FieldSource[] = [];
  const seen = new Map<string, number>();
  for (const { key, keyStart, keyEnd, valueStart, valueEnd } of entries) {
    const lineStart = reporter.lines.lineStart(reporter.lines.positionAt(keyStart).line);
    const lineEnd = findLineEnd(text, Math.max(valueEnd, keyEnd));
    const first = seen.get(key);
    if (first !== undefined) {
      reporter.report(
        rules.duplicateKey,
        keyStart,
        keyEnd,
        `${rules.label} key "${key}" appears twice (first on line ${reporter.lines.positionAt(first).line})`,
        `Keep one "${key}" line and delete the other.`,
      );
    } else seen.set(key, keyStart);
    fields.push({
      key,
      raw: text.slice(valueStart, valueEnd),
      lineSpan: reporter.lines.spanOf(lineStart, lineEnd),
      valueSpan: reporter.lines.spanOf(valueStart, valueEnd),
    });
  }
  return fields;
}

/** The first key anywhere in the mapping that is not a scalar, if any. */
function findCollectionKey(root: YamlNode): YamlNode | undefined {
  let found: YamlNode | undefined;
  visit(root, {
    Pair(_, pair) {
      const key = pair.key as YamlNode | null;
      if (key && typeof key === 'object' && !isScalar(key)) {
        found = key;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** Drops trailing line breaks and spaces that yaml counts into block values. */
function trimEndOfValue(text: string, from: number, to: number): number {
  let e = to;
  while (e > from) {
    const c = text.charCodeAt(e - 1);
    if (c === 10 || c === 13 || c === 32 || c === 9) e--;
    else break;
  }
  return e;
}

function firstLine(message: string): string {
  const i = message.indexOf('\n');
  return (i === -1 ? message : message.slice(0, i)).replace(/ at line \d+, column \d+:?$/, '').trim();
}
