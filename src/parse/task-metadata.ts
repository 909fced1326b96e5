// The metadata block directly under a task heading, in one of three forms (docs/format.md):
//   lines       `key: value` lines forming one paragraph (the seed's form)
//   yaml-fence  a ```yaml fenced code block holding a YAML mapping
//   list        a bullet list whose every item is one `key: value` line
// Pure. Reads source offsets from the mdast; never searches the raw text for structure.
import type { Code, List, Paragraph, RootContent } from 'mdast';
import type { FieldSource, TaskMetadata } from '../model/workplan.js';
import type { WorkplanContext } from './workplan-context.js';
import { findLineEnd, findNextLineStart, skipLineBreak } from './line-breaks.js';
import { getNodeRange } from './node-range.js';
import { parseKeyValueLine } from './key-value-line.js';
import { parseYamlMapping } from './yaml-mapping.js';
import { unquoteValue } from './value-formats.js';

export interface MetadataValue {
  /** The interpreted value (quotes removed), undefined when empty or null. */
  value: string | undefined;
  field: FieldSource;
}

export interface ReadMetadata {
  metadata: TaskMetadata;
  /** Interpreted values by key (the first occurrence wins). */
  values: Map<string, MetadataValue>;
  /** False when the block's YAML could not be read (already reported). */
  valid: boolean;
}

const FENCE_LINE = /^[ \t]*(`{3,}|~{3,})[ \t]*$/;

/** Reads `node` as a task metadata block, or undefined when it is not one. */
export function readTaskMetadata(ctx: WorkplanContext, node: RootContent | undefined, taskLabel: string): ReadMetadata | undefined {
  if (!node) return undefined;
  if (node.type === 'paragraph') return readLinesForm(ctx, node, taskLabel);
  if (node.type === 'code') return readFenceForm(ctx, node, taskLabel);
  if (node.type === 'list') return readListForm(ctx, node, taskLabel);
  return undefined;
}

function readLinesForm(ctx: WorkplanContext, node: Paragraph, taskLabel: string): ReadMetadata | undefined {
  const { text, lines } = ctx;
  const { start, end } = getNodeRange(node);
  const fields: FieldSource[] = [];
  let lineStart = lines.lineStart(lines.positionAt(start).line);
  let lastLineEnd = start;
  while (lineStart < end) {
    const lineEnd = findLineEnd(text, lineStart);
    const pair = parseKeyValueLine(text, lineStart, lineEnd);
    if (!pair) return undefined;
    fields.push(toField(ctx, pair.key, lineStart, lineEnd, pair.valueStart, pair.valueEnd));
    lastLineEnd = lineEnd;
    lineStart = skipLineBreak(text, lineEnd);
    if (lineStart === lineEnd) break;
  }
  if (fields.length === 0) return undefined;
  return finish(
    ctx,
    {
      form: 'lines',
      span: lines.spanOf(start, end),
      fields,
      insertOffset: skipLineBreak(text, lastLineEnd),
      linePrefix: '',
    },
    taskLabel,
    (value) => unquoteValue(value),
  );
}

function readListForm(ctx: WorkplanContext, node: List, taskLabel: string): ReadMetadata | undefined {
  if (node.ordered) return undefined;
  const { text, lines } = ctx;
  const fields: FieldSource[] = [];
  let linePrefix = '- ';
  let lastLineEnd = 0;
  for (const item of node.children) {
    const only = item.children[0];
    if (item.children.length !== 1 || !only || only.type !== 'paragraph' || item.checked != null) return undefined;
    const { start, end } = getNodeRange(only);
    const lineEnd = findLineEnd(text, start);
    if (lineEnd < end) return undefined; // more than one line
    const pair = parseKeyValueLine(text, start, end);
    if (!pair) return undefined;
    const lineStart = lines.lineStart(lines.positionAt(getNodeRange(item).start).line);
    if (fields.length === 0) linePrefix = text.slice(lineStart, start);
    fields.push(toField(ctx, pair.key, lineStart, lineEnd, pair.valueStart, pair.valueEnd));
    lastLineEnd = lineEnd;
  }
  if (fields.length === 0) return undefined;
  const { start, end } = getNodeRange(node);
  return finish(
    ctx,
    {
      form: 'list',
      span: lines.spanOf(start, end),
      fields,
      insertOffset: skipLineBreak(text, lastLineEnd),
      linePrefix,
    },
    taskLabel,
    (value) => unquoteValue(value),
  );
}

function readFenceForm(ctx: WorkplanContext, node: Code, taskLabel: string): ReadMetadata | undefined {
  const lang = (node.lang ?? '').toLowerCase();
  if (lang !== 'yaml' && lang !== 'yml') return undefined;
  const { text, lines } = ctx;
  const { start, end } = getNodeRange(node);
  const contentStart = findNextLineStart(text, start);
  const lastLineStart = lines.lineStart(lines.positionAt(end).line);
  const closed = lastLineStart > start && FENCE_LINE.test(text.slice(lastLineStart, end));
  const contentEnd = Math.max(contentStart, closed ? lastLineStart : end);
  const mapping = parseYamlMapping(text, contentStart, contentEnd, ctx.reporter, {
    syntax: 'task-metadata-yaml-invalid',
    duplicateKey: 'task-metadata-key-duplicate',
    notMapping: 'task-metadata-not-mapping',
    label: `The metadata of task "${taskLabel}"`,
  });
  const fields = mapping.fields;
  const last = fields[fields.length - 1];
  const first = fields[0];
  let linePrefix = '';
  if (first) {
    const s = first.lineSpan.start.offset;
    let i = s;
    while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
    linePrefix = text.slice(s, i);
  }
  const insertOffset = last ? skipLineBreak(text, findLineEnd(text, last.valueSpan.end.offset)) : contentStart;
  const read = finish(
    ctx,
    {
      form: 'yaml-fence',
      span: lines.spanOf(start, end),
      fields,
      insertOffset: Math.min(insertOffset, contentEnd),
      linePrefix,
    },
    taskLabel,
    (raw, key) => stringifyYamlValue(mapping.data[key], raw),
  );
  return { ...read, valid: mapping.ok };
}

/** Collects interpreted values and reports keys written twice (the fence form's YAML reports its own). */
function finish(
  ctx: WorkplanContext,
  metadata: TaskMetadata,
  taskLabel: string,
  interpret: (raw: string, key: string) => string | undefined,
): ReadMetadata {
  const values = new Map<string, MetadataValue>();
  for (const field of metadata.fields) {
    const seen = values.get(field.key);
    if (seen) {
      if (metadata.form !== 'yaml-fence') {
        ctx.reporter.reportAt(
          'task-metadata-key-duplicate',
          field.lineSpan,
          `The metadata of task "${taskLabel}" sets "${field.key}" twice (first on line ${seen.field.lineSpan.start.line})`,
          `Keep one "${field.key}" line and delete the other.`,
        );
      }
      continue;
    }
    const value = interpret(field.raw, field.key);
    values.set(field.key, { value: value === undefined || value.trim() === '' ? undefined : value.trim(), field });
  }
  return { metadata, values, valid: true };
}

function toField(ctx: WorkplanContext, key: string, lineStart: number, lineEnd: number, valueStart: number, valueEnd: number): FieldSource {
  return {
    key,
    raw: ctx.text.slice(valueStart, valueEnd),
    lineSpan: ctx.lines.spanOf(lineStart, lineEnd),
    valueSpan: ctx.lines.spanOf(valueStart, valueEnd),
  };
}

/** A YAML value as the string the model keeps: scalars as text, anything else as written. */
function stringifyYamlValue(value: unknown, raw: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return raw;
}
