// `### P1.1 — Title` task sections inside a phase → Task models. Pure.
// A task is its heading, the metadata block directly under it (task-metadata.ts) and a verbatim
// description: everything after the metadata block up to the next heading of depth ≤ 3.
import type { Heading as MdastHeading, RootContent } from 'mdast';
import type { Task } from '../model/workplan.js';
import { normalizeVocabularyValue } from '../model/vocabulary.js';
import type { Vocabulary } from '../model/config.js';
import type { WorkplanContext } from './workplan-context.js';
import { readHeading } from './heading.js';
import { getNodeRange } from './node-range.js';
import { parseTaskHeading } from './section-kind.js';
import { readTaskMetadata, type MetadataValue } from './task-metadata.js';
import { trimBlankLines } from './line-breaks.js';
import { isUuid } from './value-formats.js';

const KNOWN_KEYS = new Set(['id', 'state_hub_task_id', 'status', 'priority']);

export interface TaskSlice {
  heading: MdastHeading;
  /** Root children after the heading, up to the next heading of depth ≤ 3. */
  body: RootContent[];
  /** Offset where the task section ends. */
  end: number;
}

/** Splits root children [from, to) into task slices at depth-3 headings; returns the slices. */
export function sliceTasks(children: readonly RootContent[], from: number, to: number, sectionEnd: number): TaskSlice[] {
  const slices: TaskSlice[] = [];
  let current: { heading: MdastHeading; body: RootContent[] } | undefined;
  for (let i = from; i < to; i++) {
    const node = children[i]!;
    if (node.type === 'heading' && node.depth <= 3) {
      if (current) slices.push({ ...current, end: getNodeRange(node).start });
      current = node.depth === 3 ? { heading: node, body: [] } : undefined;
    } else if (current) current.body.push(node);
  }
  if (current) slices.push({ ...current, end: sectionEnd });
  return slices;
}

/** True when a depth-3 slice looks like a task: a `P1.1 —` label or a metadata block with an id. */
export function looksLikeTask(ctx: WorkplanContext, slice: TaskSlice): boolean {
  const heading = readHeading(ctx.text, slice.heading, ctx.lines);
  // `P1.1 — …` outside a phase is a misplaced task; `T3: …` could be anything, so it needs an id.
  if (/^(?:[A-Z]{1,3})?\d+\.\d+/.test(heading.text) && parseTaskHeading(heading.text).labelled) return true;
  const quiet = { ...ctx, reporter: { ...ctx.reporter, report: () => {}, reportAt: () => {} } };
  return readTaskMetadata(quiet, slice.body[0], heading.text)?.values.has('id') ?? false;
}

/** Reads one task; undefined (with diagnostics) when it has no usable metadata or id. */
export function readTask(ctx: WorkplanContext, slice: TaskSlice, phaseNumber: number, order: number): Task | undefined {
  const { text, lines, reporter, config } = ctx;
  const heading = readHeading(text, slice.heading, lines);
  const { label, title } = parseTaskHeading(heading.text);
  const shown = heading.text || `line ${heading.span.start.line}`;
  const read = readTaskMetadata(ctx, slice.body[0], shown);
  if (!read) {
    reporter.reportAt(
      'task-metadata-missing',
      heading.span,
      `Task "${shown}" has no metadata block under its heading`,
      explainMissingMetadata(ctx, slice),
    );
    return undefined;
  }
  if (!read.valid) return undefined;
  const { metadata, values } = read;
  const id = values.get('id');
  if (!id?.value) {
    reporter.reportAt(
      'task-id-missing',
      id?.field.valueSpan ?? metadata.span,
      `Task "${shown}" has no id`,
      `Add an "id: ${ctx.workplanId ?? '<WORKPLAN-ID>'}-T<n>" line to its metadata block.`,
    );
    return undefined;
  }
  if (ctx.workplanId !== undefined && ctx.taskIdPattern && !ctx.taskIdPattern.test(id.value)) {
    reporter.reportAt(
      'task-id-prefix',
      id.field.valueSpan,
      `Task id "${id.value}" does not match ${config.idPatterns.task.split('{workplan}').join(ctx.workplanId)}`,
      `Task ids start with the workplan id: use ${ctx.workplanId}-T<n>.`,
    );
  }
  const task: Task = {
    id: id.value,
    label,
    title,
    status: readVocabulary(ctx, values.get('status'), config.vocabularies.taskStatus, 'task-status-invalid', 'task status'),
    priority: readVocabulary(ctx, values.get('priority'), config.vocabularies.priority, 'task-priority-invalid', 'priority'),
    description: readDescription(text, metadata.span.end.offset, slice.end),
    order,
    phaseNumber,
    heading,
    metadata,
    span: lines.spanOf(heading.span.start.offset, slice.end),
    extra: {},
  };
  const uuid = values.get('state_hub_task_id');
  if (uuid?.value !== undefined) {
    if (isUuid(uuid.value)) task.taskUuid = uuid.value;
    else {
      reporter.reportAt(
        'uuid-invalid',
        uuid.field.valueSpan,
        `state_hub_task_id "${uuid.value}" of task ${task.id} is not a UUID`,
        'Use the UUID the mirror assigned (8-4-4-4-12 hex digits), or delete the line and let workplan-sync fill it in.',
      );
    }
  }
  for (const [key, entry] of values) if (!KNOWN_KEYS.has(key)) task.extra[key] = entry.value ?? '';
  return task;
}

function explainMissingMetadata(ctx: WorkplanContext, slice: TaskSlice): string {
  const first = slice.body[0];
  if (first?.type === 'list' && first.children.length > 1) {
    const item = first.children[0]?.children[0];
    if (
      item?.type === 'paragraph' &&
      /^[A-Za-z_][A-Za-z0-9_-]*[ \t]*:/.test(ctx.text.slice(item.position?.start.offset ?? 0, item.position?.end.offset ?? 0))
    ) {
      return 'The list under the heading mixes `key: value` items with other items. A list right after list-form metadata must use another bullet character or follow a paragraph.';
    }
  }
  return 'Put `id: <task id>` (and status, priority) lines directly under the heading, followed by a blank line.';
}

function readVocabulary(
  ctx: WorkplanContext,
  entry: MetadataValue | undefined,
  vocabulary: Vocabulary,
  ruleId: string,
  what: string,
): string {
  if (entry?.value === undefined) return vocabulary.default;
  const normalized = normalizeVocabularyValue(vocabulary, entry.value);
  if (normalized.ok) return normalized.value;
  const allowed = normalized.allowed.join(', ');
  ctx.reporter.reportAt(
    ruleId,
    entry.field.valueSpan,
    `Unknown ${what} "${entry.value}"; use one of ${allowed}`,
    `Set ${entry.field.key} to one of ${allowed}.`,
  );
  return vocabulary.default;
}

function readDescription(text: string, from: number, to: number): string {
  const { start, end } = trimBlankLines(text, Math.min(from, to), to);
  return text.slice(start, end);
}
