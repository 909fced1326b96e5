// Plans `workplan add-task <WORKPLAN-ID> --phase N --title …`: one new task section at the end of
// phase N (or, with a phase title, a new `## Phase N — …` holding it, placed in number order). Pure:
// no filesystem; only inserts, never deletes a byte. The new task is written the way the file
// already writes tasks: the same label scheme (`P2.4`, `2.4`, `T07` or none), the same separator
// between label and title, the same metadata form (plain lines, a list, or a YAML fence) as the
// file's last task. Its id is the next free `<WORKPLAN-ID>-T<n>`; the mirror id is assigned by the
// sync that follows and written back then.
import type { TextEdit } from '../model/text-edit.js';
import type { Phase, Task, Workplan } from '../model/workplan.js';
import { listTasks } from '../model/workplan.js';
import { formatFieldValue } from './field-line.js';
import { readTaskIdSequence } from './plan-close.js';
import { planSectionInsert } from './plan-section-insert.js';

export interface NewTaskSpec {
  phase: number;
  /** Creates the phase when the workplan has none with that number. */
  phaseTitle?: string | undefined;
  title: string;
  /** Canonical values. */
  status: string;
  priority: string;
  description?: string | undefined;
}

export type TaskInsertPlan =
  | { kind: 'planned'; edit: TextEdit; taskId: string; label: string; phaseCreated: boolean }
  | { kind: 'phase-not-found'; phases: number[] };

/** Plans the insertion of a new task; refuses when the phase is missing and no title for it is given. */
export function planTaskInsert(text: string, workplan: Workplan, spec: NewTaskSpec): TaskInsertPlan {
  const phase = workplan.phases.find((p) => p.number === spec.phase);
  if (!phase && spec.phaseTitle === undefined) return { kind: 'phase-not-found', phases: workplan.phases.map((p) => p.number) };
  const tasks = listTasks(workplan);
  const template = tasks[tasks.length - 1];
  const { next, width } = readTaskIdSequence(workplan);
  const taskId = `${workplan.frontmatter.data.id}-T${String(next).padStart(width, '0')}`;
  const label = nextLabel(spec.phase, phase?.tasks ?? [], template, next, width);
  const block = renderTaskBlock({ ...spec, taskId, label }, template);
  if (phase) {
    return {
      kind: 'planned',
      edit: planSectionInsert(text, phase.span.end.offset, block, workplan.eol),
      taskId,
      label,
      phaseCreated: false,
    };
  }
  const heading = `## Phase ${spec.phase}${phaseSeparator(workplan)}${spec.phaseTitle}`;
  const edit = planSectionInsert(text, newPhaseOffset(workplan, text, spec.phase), `${heading}\n\n${block}`, workplan.eol);
  return { kind: 'planned', edit, taskId, label, phaseCreated: true };
}

/** The label of the next task in phase `n`, in the scheme of the file's last task. */
function nextLabel(n: number, phaseTasks: readonly Task[], template: Task | undefined, taskNumber: number, width: number): string {
  const scheme = template?.label ?? 'P1.1';
  if (scheme === '') return '';
  if (/^T\d+$/i.test(scheme)) return `${scheme[0]}${String(taskNumber).padStart(Math.max(width, scheme.length - 1), '0')}`;
  const dotted = /^([A-Za-z]*)\d+\.\d+[a-z]?$/.exec(scheme);
  const prefix = dotted ? dotted[1]! : 'P';
  const inPhase = new RegExp(`^${prefix}${n}\\.(\\d+)`);
  const used = phaseTasks
    .map((t) => inPhase.exec(t.label))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
  return `${prefix}${n}.${Math.max(phaseTasks.length, ...used) + 1}`;
}

/** The separator the file puts between a task's label and its title (default an em dash). */
function labelSeparator(template: Task | undefined): string {
  if (!template || template.label === '') return ' — ';
  const after = template.heading.raw.trim().slice(template.label.length);
  const m = /^(\s*(?:—|–|--|-|:)\s*)/.exec(after);
  return m ? m[1]! : ' — ';
}

/** The separator of the file's phase headings (`Phase 1 — Title`, `Phase 1: Title`; default an em dash). */
function phaseSeparator(workplan: Workplan): string {
  for (const p of workplan.phases) {
    const m = /^Phase\s+\d+(\s*(?:—|–|--|-|:)\s*)/i.exec(p.heading.raw.trim());
    if (m) return m[1]!;
  }
  return ' — ';
}

function renderTaskBlock(spec: NewTaskSpec & { taskId: string; label: string }, template: Task | undefined): string {
  const heading = spec.label === '' ? `### ${spec.title}` : `### ${spec.label}${labelSeparator(template)}${spec.title}`;
  const fields: Array<[string, string]> = [
    ['id', spec.taskId],
    ['status', spec.status],
    ['priority', spec.priority],
  ];
  const parts = [heading, '', ...renderMetadata(fields, template)];
  const description = spec.description?.replace(/\r\n?/g, '\n').replace(/^\s*\n|\n\s*$/g, '');
  if (description) parts.push('', description);
  return parts.join('\n');
}

/** The metadata block in the form of the template task's (plain lines when there is none). */
function renderMetadata(fields: Array<[string, string]>, template: Task | undefined): string[] {
  const form = template?.metadata.form ?? 'lines';
  const prefix = template?.metadata.linePrefix ?? '';
  switch (form) {
    case 'lines':
      return fields.map(([k, v]) => `${k}: ${v}`);
    case 'list':
      return fields.map(([k, v]) => `${prefix || '- '}${k}: ${v}`);
    case 'yaml-fence':
      return ['```yaml', ...fields.map(([k, v]) => `${prefix}${k}: ${formatFieldValue(v, undefined, 'yaml')}`), '```'];
  }
}

/** Where a new phase `n` goes: before the first phase with a higher number, else after the last phase. */
function newPhaseOffset(workplan: Workplan, text: string, n: number): number {
  const later = workplan.phases.find((p) => p.number > n);
  if (later) return later.span.start.offset;
  const last: Phase | undefined = workplan.phases[workplan.phases.length - 1];
  if (last) return last.span.end.offset;
  const after = workplan.sections.find((s) => s.kind === 'notes' || s.kind === 'closure-review');
  return after ? after.span.start.offset : text.length;
}
