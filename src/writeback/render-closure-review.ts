// Renders the Markdown of a `## Closure Review — YYYY-MM-DD` section (ADR-001, Workstream Closure
// Protocol) in the seed workplan's style, and of the cleanup addendum. Pure string building: no
// filesystem, no clock (the date is passed in). The output is read back by src/parse/closure-review.ts
// into exactly the entries it was rendered from (test/closure/render-closure-review.test.ts).
//
// Layout (docs/format.md, "Generated Closure Reviews"):
//   ## Closure Review — 2026-03-02
//   **Outcome:** 9 of 11 tasks completed. 1 carried forward to CUST-WP-0007. 1 cancelled.
//   **Context:** optional paragraph
//   | Task | Title | Classification | Note |       one row per task, in file order
//   ### Completed / ### Cancelled / ### Carry-forward   lists of `- \`ID\` — Title [→ \`TARGET\`]`
// Titles are the task headings' Markdown as written (inline code kept), without the `P1.1 —` label.
import type { Classification, Task, Workplan } from '../model/workplan.js';
import { listTasks } from '../model/workplan.js';
import { parseTaskHeading } from '../parse/section-kind.js';

/** How one task ends in a Closure Review. */
export interface TaskClassification {
  taskId: string;
  classification: Classification;
  /** The carry-forward target workplan id. */
  target?: string;
  /** A short note (the table's Note column), e.g. why a task was cancelled. */
  note?: string;
}

export interface ClosureReviewInput {
  /** `YYYY-MM-DD`. */
  date: string;
  workplan: Workplan;
  /** One per task of the workplan (extra ones are ignored; a missing one throws). */
  classifications: readonly TaskClassification[];
  context?: string;
}

const HEADING_DASH = '—';

/** The Markdown of a whole Closure Review section (ends with a line break). */
export function renderClosureReview(input: ClosureReviewInput): string {
  assertDate(input.date);
  const byId = new Map(input.classifications.map((c) => [c.taskId, c]));
  const rows = listTasks(input.workplan).map((task) => {
    const c = byId.get(task.id);
    if (!c) throw new RangeError(`renderClosureReview: task ${task.id} has no classification`);
    return { task, c, title: readTaskTitleMarkdown(task) };
  });
  const blocks: string[] = [`## Closure Review ${HEADING_DASH} ${input.date}`];
  blocks.push(`**Outcome:** ${formatOutcome(rows.map((r) => r.c))}`);
  const context = toOneParagraph(input.context ?? '');
  if (context !== '') blocks.push(`**Context:** ${context}`);
  if (rows.length > 0) {
    const table = ['| Task | Title | Classification | Note |', '|---|---|---|---|'];
    for (const { task, c, title } of rows) {
      table.push(renderTableRow([`\`${task.id}\``, escapeTableCell(title), CLASS_WORD[c.classification], escapeTableCell(formatNote(c))]));
    }
    blocks.push(table.join('\n'));
  }
  for (const [classification, heading] of SUBSECTIONS) {
    blocks.push(`### ${heading}`);
    const items = rows.filter((r) => r.c.classification === classification);
    blocks.push(items.length === 0 ? 'None.' : items.map(({ task, c, title }) => renderEntryItem(task.id, title, c.target)).join('\n'));
  }
  return `${blocks.join('\n\n')}\n`;
}

export interface CleanupAddendumTask {
  taskId: string;
  /** Title Markdown (see readTaskTitleMarkdown). */
  title: string;
  /** The open status it had before the cleanup. */
  previousStatus: string;
}

/**
 * The subsection `workplan cleanup` appends to a Closure Review when it cancels open tasks of a closed
 * workplan. Its heading starts with "Cancelled", so the parser reads its items as cancelled entries.
 */
export function renderCleanupAddendum(date: string, workplanStatus: string, tasks: readonly CleanupAddendumTask[]): string {
  assertDate(date);
  if (tasks.length === 0) throw new RangeError('renderCleanupAddendum: no tasks');
  const was = tasks.map((t) => `\`${t.taskId}\` was ${t.previousStatus}`).join(', ');
  const n = tasks.length;
  const lines = [
    `### Cancelled in cleanup ${HEADING_DASH} ${date}`,
    '',
    `\`workplan cleanup\` cancelled ${n} task${n === 1 ? '' : 's'} that ${n === 1 ? 'was' : 'were'} still open in this ${workplanStatus} workplan (${was}).`,
    '',
    ...tasks.map((t) => renderEntryItem(t.taskId, t.title, undefined)),
  ];
  return `${lines.join('\n')}\n`;
}

/** A new review section holding only a cleanup addendum (when no review of that date exists yet). */
export function renderCleanupReview(date: string, workplanStatus: string, tasks: readonly CleanupAddendumTask[]): string {
  const n = tasks.length;
  const head = [
    `## Closure Review ${HEADING_DASH} ${date}`,
    '',
    `**Outcome:** Cleanup: ${n} open task${n === 1 ? '' : 's'} cancelled after the workplan was ${workplanStatus}.`,
    '',
  ];
  return `${head.join('\n')}\n${renderCleanupAddendum(date, workplanStatus, tasks)}`;
}

/** The Outcome line's text, e.g. "All 11 tasks completed. No carry-forwards. No dropped tasks." */
export function formatOutcome(classifications: readonly TaskClassification[]): string {
  const total = classifications.length;
  const done = classifications.filter((c) => c.classification === 'done').length;
  const carried = classifications.filter((c) => c.classification === 'carry_forward');
  const cancelled = classifications.filter((c) => c.classification === 'cancelled').length;
  const parts: string[] = [];
  if (total === 0) parts.push('No tasks.');
  else if (done === total) parts.push(`All ${total} ${plural(total, 'task')} completed.`);
  else parts.push(`${done} of ${total} ${plural(total, 'task')} completed.`);
  if (carried.length === 0) parts.push('No carry-forwards.');
  else {
    const targets = [...new Set(carried.flatMap((c) => (c.target ? [c.target] : [])))];
    parts.push(`${carried.length} carried forward${targets.length > 0 ? ` to ${joinWords(targets)}` : ''}.`);
  }
  parts.push(cancelled === 0 ? 'No dropped tasks.' : `${cancelled} cancelled.`);
  return parts.join(' ');
}

/** A task's title as Markdown: the heading as written, without its `P1.1 —` label, on one line. */
export function readTaskTitleMarkdown(task: Task): string {
  const raw = task.heading.raw.replace(/[ \t]*(?:\r\n|\r|\n)[ \t]*/g, ' ').trim();
  const parsed = parseTaskHeading(raw);
  const title = parsed.labelled ? parsed.title : raw;
  return title === '' ? task.title : title;
}

/** `` - `ID` — Title `` (carry-forwards: `` → `TARGET` ``). */
export function renderEntryItem(taskId: string, title: string, target: string | undefined): string {
  return `- \`${taskId}\` ${HEADING_DASH} ${title}${target ? ` → \`${target}\`` : ''}`;
}

const CLASS_WORD: Record<Classification, string> = { done: 'done', cancelled: 'cancelled', carry_forward: 'carry-forward' };

const SUBSECTIONS: ReadonlyArray<[Classification, string]> = [
  ['done', 'Completed'],
  ['cancelled', 'Cancelled'],
  ['carry_forward', 'Carry-forward'],
];

function formatNote(c: TaskClassification): string {
  const note = toOneParagraph(c.note ?? '');
  if (c.classification === 'carry_forward' && c.target) return `→ \`${c.target}\`${note ? ` (${note})` : ''}`;
  return note;
}

/** `| a | b | |`: an empty cell is one space, as in the ADR's example. */
function renderTableRow(cells: readonly string[]): string {
  return `|${cells.map((c) => (c === '' ? ' ' : ` ${c} `)).join('|')}|`;
}

/** Pipes that would end a table cell are escaped; a cell is one line. */
function escapeTableCell(value: string): string {
  return value.replace(/(?<!\\)\|/g, '\\|');
}

/** One paragraph: line breaks (and blank lines, which would end it) become spaces. */
function toOneParagraph(value: string): string {
  return value.replace(/\s*(?:\r\n|\r|\n)\s*/g, ' ').trim();
}

function assertDate(date: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
