// `## Closure Review — YYYY-MM-DD` sections (ADR-001's Workstream Closure Protocol). Pure.
//   **Outcome:** …  and  **Context:** …  paragraphs;
//   `### Completed …` / `### Cancelled …` / `### Carry-forward …` subsections whose bullet items
//   (`` `CUST-WP-0005-T01` — Title [→ CUST-WP-0007] ``) are entries; a paragraph there yields none;
//   and/or a classification table (Task | Title | Classification | Note/Target).
import type { Heading as MdastHeading, List, ListItem, Paragraph, RootContent, Table } from 'mdast';
import type { Classification, ClosureEntry, ClosureReview } from '../model/workplan.js';
import type { WorkplanContext } from './workplan-context.js';
import { readHeading } from './heading.js';
import { getNodeRange } from './node-range.js';
import { toPlainText } from './plain-text.js';
import { readLeadingLabel } from './leading-label.js';
import { parseClosureHeading } from './section-kind.js';
import { findWorkplanIds } from './id-patterns.js';
import { isIsoDate } from './value-formats.js';
import { trimBlankLines } from './line-breaks.js';

const TASK_ID = /^[A-Za-z][A-Za-z0-9_.]*(?:-[A-Za-z0-9_.]+)*$/;
const ENTRY_SEPARATOR = /^\s*(?:—|–|-|:)\s*/u;
const ARROW = /\s*(?:→|->|⇒)\s*/u;

/** Reads one closure review section; undefined (with a `date-invalid` diagnostic) when its heading has no valid date. */
export function readClosureReview(
  ctx: WorkplanContext,
  headingNode: MdastHeading,
  nodes: readonly RootContent[],
  sectionEnd: number,
): ClosureReview | undefined {
  const { text, lines, reporter } = ctx;
  const heading = readHeading(text, headingNode, lines);
  const date = parseClosureHeading(heading.text);
  if (date === undefined || !isIsoDate(date)) {
    reporter.reportAt(
      'date-invalid',
      heading.span,
      date === undefined
        ? `Closure Review heading "${heading.text}" has no date`
        : `Closure Review date "${date}" is not a YYYY-MM-DD date`,
      'Write the heading as "## Closure Review — 2026-03-02".',
    );
    return undefined;
  }
  const review: ClosureReview = { date, entries: [], heading, span: lines.spanOf(heading.span.start.offset, sectionEnd) };
  let classification: Classification | undefined;
  for (const node of nodes) {
    if (node.type === 'heading') {
      classification = classifySubsection(toPlainText(node));
    } else if (node.type === 'paragraph') {
      readLabelledParagraph(ctx, node, review);
    } else if (node.type === 'list' && classification) {
      readEntryList(ctx, node, classification, review.entries);
    } else if (node.type === 'table') {
      readEntryTable(ctx, node, classification, review.entries);
    }
  }
  return dropListEntriesInTable(review, nodes);
}

/**
 * A review may classify its tasks both in a table and in the Completed / Cancelled / Carry-forward lists
 * (generated reviews do, ADR-001's example does): a task in both is one entry, the table row's (it has
 * the Note column). A task listed twice in lists alone stays two entries, as written.
 */
function dropListEntriesInTable(review: ClosureReview, nodes: readonly RootContent[]): ClosureReview {
  const tableRows = new Set<number>();
  for (const node of nodes) if (node.type === 'table') for (const row of node.children) tableRows.add(getNodeRange(row).start);
  if (tableRows.size === 0) return review;
  const inTable = new Set(review.entries.filter((e) => tableRows.has(e.span.start.offset)).map((e) => e.taskId));
  review.entries = review.entries.filter((e) => tableRows.has(e.span.start.offset) || !inTable.has(e.taskId));
  return review;
}

function classifySubsection(headingText: string): Classification | undefined {
  const t = headingText.trim().toLowerCase();
  if (/^(?:completed|done|complete)\b/.test(t)) return 'done';
  if (/^(?:cancell?ed|canceled|dropped)\b/.test(t)) return 'cancelled';
  if (/^carr(?:y|ied)[\s_-]*forwards?\b/.test(t)) return 'carry_forward';
  return undefined;
}

function readLabelledParagraph(ctx: WorkplanContext, paragraph: Paragraph, review: ClosureReview): void {
  const label = readLeadingLabel(ctx.text, paragraph, false);
  if (!label || (label.label !== 'outcome' && label.label !== 'context')) return;
  if (review[label.label] !== undefined) return;
  const { start, end } = trimBlankLines(ctx.text, label.valueStart, getNodeRange(paragraph).end);
  review[label.label] = ctx.text.slice(start, end);
}

function readEntryList(ctx: WorkplanContext, list: List, classification: Classification, entries: ClosureEntry[]): void {
  for (const item of list.children) {
    const entry = readEntryItem(ctx, item, classification);
    if (entry) entries.push(entry);
  }
}

function readEntryItem(ctx: WorkplanContext, item: ListItem, classification: Classification): ClosureEntry | undefined {
  const { start, end } = getNodeRange(item);
  const paragraph = item.children[0];
  if (paragraph?.type !== 'paragraph') return undefined;
  const first = paragraph.children[0];
  const plain = toPlainText(paragraph).replace(/\s+/g, ' ').trim();
  let taskId: string;
  let rest: string;
  if (first?.type === 'inlineCode') {
    taskId = first.value.trim();
    rest = toPlainText({ type: 'paragraph', children: paragraph.children.slice(1) })
      .replace(/\s+/g, ' ')
      .trim();
  } else {
    const space = plain.search(/\s/);
    taskId = space === -1 ? plain : plain.slice(0, space);
    rest = space === -1 ? '' : plain.slice(space + 1);
  }
  if (!TASK_ID.test(taskId) || !/\d/.test(taskId)) {
    ctx.reporter.report(
      'closure-entry-invalid',
      start,
      end,
      `Closure Review entry "${truncate(plain)}" does not start with a task id`,
      'Write each entry as "- `CUST-WP-0005-T01` — Title" (carry-forwards may add "→ CUST-WP-0007").',
      'warning',
    );
    return undefined;
  }
  const entry: ClosureEntry = { taskId, title: '', classification, span: ctx.lines.spanOf(start, end) };
  const body = rest.replace(ENTRY_SEPARATOR, '');
  const arrow = ARROW.exec(body);
  entry.title = (arrow ? body.slice(0, arrow.index) : body).trim();
  if (arrow) applyNoteAndTarget(ctx, entry, body.slice(arrow.index + arrow[0].length));
  return entry;
}

function readEntryTable(ctx: WorkplanContext, table: Table, subsection: Classification | undefined, entries: ClosureEntry[]): void {
  const [header, ...rows] = table.children;
  if (!header) return;
  const columns = header.children.map((cell) => toPlainText(cell).trim().toLowerCase());
  const find = (re: RegExp): number => columns.findIndex((c) => re.test(c));
  const taskColumn = find(/^(?:task(?: id)?|id)$/);
  if (taskColumn === -1) return;
  const titleColumn = find(/^(?:title|task title|name)$/);
  const classColumn = find(/^(?:classification|class|disposition|outcome|status)$/);
  const noteColumn = find(/^(?:notes?|note\s*\/\s*target|target\s*\/\s*note|reason|comment|target)$/);
  for (const row of rows) {
    const cell = (index: number): string =>
      index === -1
        ? ''
        : toPlainText(row.children[index] ?? { type: 'text', value: '' })
            .replace(/\s+/g, ' ')
            .trim();
    const { start, end } = getNodeRange(row);
    const taskId = cell(taskColumn).split(' ')[0] ?? '';
    if (taskId === '') continue;
    let classification = subsection;
    if (classColumn !== -1) {
      const written = cell(classColumn);
      classification = normalizeClassification(written);
      if (!classification) {
        const at = row.children[classColumn] ? getNodeRange(row.children[classColumn]!) : { start, end };
        ctx.reporter.report(
          'closure-classification-invalid',
          at.start,
          at.end,
          `Unknown classification "${written}" for ${taskId}; use one of done, cancelled, carry-forward`,
          'Classify every task as done, cancelled or carry-forward (ADR-001).',
        );
        continue;
      }
    }
    if (!classification) continue;
    const entry: ClosureEntry = { taskId, title: cell(titleColumn), classification, span: ctx.lines.spanOf(start, end) };
    if (noteColumn !== -1) applyNoteAndTarget(ctx, entry, cell(noteColumn));
    entries.push(entry);
  }
}

/** A carry-forward note such as "→ CUST-WP-0007 (phase 2)": the workplan id is the target, the rest the note. */
function applyNoteAndTarget(ctx: WorkplanContext, entry: ClosureEntry, written: string): void {
  const target = findWorkplanIds(ctx.ids, written)[0];
  if (target !== undefined) entry.target = target;
  const note = (target === undefined ? written : written.replace(target, ''))
    .replace(/^[\s→>⇒:;,—–-]+/u, '')
    .replace(/^\((.*)\)$/u, '$1')
    .trim();
  if (note !== '') entry.note = note;
}

function normalizeClassification(written: string): Classification | undefined {
  const key = written
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (key === 'done' || key === 'completed' || key === 'complete') return 'done';
  if (key === 'cancelled' || key === 'canceled' || key === 'dropped') return 'cancelled';
  if (key === 'carry_forward' || key === 'carried_forward' || key === 'carryforward' || key === 'carry_forwarded') return 'carry_forward';
  return undefined;
}

function truncate(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}
