// Plans the write-back of mirror UUIDs into a workplan file. Pure: the id source is passed in.
// Never touches the filesystem; the only bytes that change are the inserted lines (or, when a
// key is present with an empty value, that empty value).
//
// Where the lines go (docs/format.md shows the same layout as the seed workplan):
// - `state_hub_workstream_id: <uuid>` — a new frontmatter line right after the last of the
//   identity keys id / type / title / domain / status / owner / topic_slug (the seed has it after
//   `topic_slug`), written like that key's line. Precisely: at the start of the line of the key
//   that follows it (or of the closing `---`) — the same place in the usual layout, and always a
//   top-level YAML boundary even when that key's value spans several lines; comment lines
//   between the two keys stay above the new line. Without any identity key: before the `---`.
// - `state_hub_task_id: <uuid>` — right after the task's `id:` line, written like it: a plain
//   line, a `- ` list item, or inside the ```yaml fence with the same indentation.
// - `- **state_hub_dependency_id:** <uuid>` — a list item right after the dependency item, with
//   the same bullet and indentation as that item. An empty `state_hub_dependency_id` item right
//   after it gets the value filled in instead.
// A new line ends with the line break of the line it follows; after a last line without a final
// line break, the break goes before the new line and the file still ends without one.
// A key that is present with a non-empty value that did not parse as a UUID is left alone (the
// parser reports it); nothing is ever overwritten.
import type { TextEdit } from '../model/text-edit.js';
import type { FieldSource, Task, Workplan } from '../model/workplan.js';
import { assertFieldMatchesText, mirrorFieldLine } from './field-line.js';
import { planFieldValueReplace } from './plan-field-edit.js';
import { lineEndAt, lineStartAt, planLineInsertAfter, planLineInsertAt } from './line-insert.js';

export const WORKSTREAM_ID_KEY = 'state_hub_workstream_id';
export const TASK_ID_KEY = 'state_hub_task_id';
export const DEPENDENCY_ID_KEY = 'state_hub_dependency_id';

/** Frontmatter keys after which the workstream id line is placed (the last one present wins). */
const IDENTITY_KEYS: ReadonlySet<string> = new Set(['id', 'type', 'title', 'domain', 'status', 'owner', 'topic_slug']);

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export type AssignedKind = 'workstream' | 'task' | 'dependency';

export interface AssignedId {
  kind: AssignedKind;
  /** Workplan id, task id, or `<workplan id>#dep<index>` (0-based index into `dependencies`). */
  key: string;
  uuid: string;
}

export interface IdAssignmentPlan {
  edits: TextEdit[];
  assigned: AssignedId[];
}

/** The key naming a dependency in `assigned`: `<workplan id>#dep<0-based index>`. */
export function dependencyKey(workplanId: string, index: number): string {
  return `${workplanId}#dep${index}`;
}

function takeUuid(newUuid: () => string): string {
  const uuid = newUuid();
  // The id source is code, but its output is written into a user's file: never let it inject lines.
  if (typeof uuid !== 'string' || !UUID.test(uuid)) {
    throw new TypeError(`planIdAssignment: the id source returned ${JSON.stringify(uuid)}, which is not a UUID`);
  }
  return uuid;
}

function planWorkstreamIdEdit(text: string, workplan: Workplan, uuid: string): TextEdit {
  const frontmatter = workplan.frontmatter;
  const fields = frontmatter.fields;
  let anchorIndex = -1;
  fields.forEach((field, index) => {
    if (IDENTITY_KEYS.has(field.key)) anchorIndex = index;
  });
  const anchor = fields[anchorIndex];
  if (!anchor) {
    return { start: frontmatter.bodyEnd, end: frontmatter.bodyEnd, text: `${WORKSTREAM_ID_KEY}: ${uuid}${frontmatter.eol}` };
  }
  assertFieldMatchesText(text, anchor);
  const line = mirrorFieldLine(text, anchor, WORKSTREAM_ID_KEY, uuid) ?? `${WORKSTREAM_ID_KEY}: ${uuid}`;
  // The start of the next key's line (or of the closing `---`): right after the anchor line in
  // the usual layout, and a top-level boundary even when the anchor's value spans lines.
  const boundary = fields[anchorIndex + 1]?.lineSpan.start.offset ?? frontmatter.bodyEnd;
  return { start: boundary, end: boundary, text: line + frontmatter.eol };
}

function planTaskIdEdit(text: string, task: Task, uuid: string, eol: Workplan['eol']): TextEdit {
  const idField = task.metadata.fields.find((f) => f.key === 'id');
  if (!idField) {
    return planLineInsertAt(text, task.metadata.insertOffset, `${task.metadata.linePrefix}${TASK_ID_KEY}: ${uuid}`, eol);
  }
  assertFieldMatchesText(text, idField);
  const line = mirrorFieldLine(text, idField, TASK_ID_KEY, uuid) ?? `${task.metadata.linePrefix}${TASK_ID_KEY}: ${uuid}`;
  return planLineInsertAfter(text, idField.lineSpan.end.offset, line, eol);
}

/** `- **state_hub_dependency_id:**` with nothing after it (group 1 ends where the value goes). */
const EMPTY_DEPENDENCY_ID_ITEM =
  /^([ \t]*[-*+][ \t]+(?:\*\*state_hub_dependency_id:\*\*|\*\*state_hub_dependency_id\*\*:|state_hub_dependency_id:))[ \t]*$/;

/**
 * How to give a dependency its UUID, or undefined when the item already carries a
 * `state_hub_dependency_id` label with a value that is not a UUID (the parser reports it; it is
 * never overwritten or duplicated).
 */
function planDependencyIdEdit(text: string, workplan: Workplan, index: number): ((uuid: string) => TextEdit) | undefined {
  const dependency = workplan.dependencies[index]!;
  // Inline or nested label inside the item itself: present but empty or invalid — leave it.
  if (dependency.text.includes(DEPENDENCY_ID_KEY)) return undefined;
  const at = dependency.insertOffset;
  if (at < text.length) {
    const next = text.slice(at, lineEndAt(text, at));
    if (next.includes(DEPENDENCY_ID_KEY)) {
      const empty = EMPTY_DEPENDENCY_ID_ITEM.exec(next);
      if (!empty) return undefined;
      const valueAt = at + empty[1]!.length;
      return (uuid) => ({ start: valueAt, end: valueAt, text: ` ${uuid}` });
    }
  }
  const itemLine = text.slice(lineStartAt(text, dependency.span.start.offset), lineEndAt(text, dependency.span.start.offset));
  const bullet = /^[ \t]*[-*+][ \t]+/.exec(itemLine)?.[0] ?? '- ';
  // `insertOffset` is the start of the line after the item; at the end of a text without a final
  // break, planLineInsertAt puts the break before the new line.
  return (uuid) => planLineInsertAt(text, at, `${bullet}**${DEPENDENCY_ID_KEY}:** ${uuid}`, workplan.eol);
}

/** An existing key with an empty value gets its value filled instead of a second line. */
function findEmptyField(fields: readonly FieldSource[], key: string): FieldSource | 'non-empty' | undefined {
  const field = fields.find((f) => f.key === key);
  if (!field) return undefined;
  return field.raw.trim() === '' ? field : 'non-empty';
}

/**
 * Plans the insertion of missing mirror UUIDs (workstream, tasks, dependencies) into `text`, the
 * text `workplan` was parsed from. UUIDs are drawn from `newUuid` in file order.
 */
export function planIdAssignment(workplan: Workplan, text: string, newUuid: () => string): IdAssignmentPlan {
  const edits: TextEdit[] = [];
  const assigned: AssignedId[] = [];
  const workplanId = workplan.frontmatter.data.id;

  if (!workplan.frontmatter.data.workstreamUuid && workplanId) {
    const existing = findEmptyField(workplan.frontmatter.fields, WORKSTREAM_ID_KEY);
    if (existing !== 'non-empty') {
      const uuid = takeUuid(newUuid);
      edits.push(existing ? planFieldValueReplace(text, existing, uuid, 'yaml') : planWorkstreamIdEdit(text, workplan, uuid));
      assigned.push({ kind: 'workstream', key: workplanId, uuid });
    }
  }

  for (const task of workplan.phases.flatMap((p) => p.tasks)) {
    if (task.taskUuid || !task.id) continue;
    const existing = findEmptyField(task.metadata.fields, TASK_ID_KEY);
    if (existing === 'non-empty') continue;
    const uuid = takeUuid(newUuid);
    const context = task.metadata.form === 'yaml-fence' ? 'yaml' : 'plain';
    edits.push(existing ? planFieldValueReplace(text, existing, uuid, context) : planTaskIdEdit(text, task, uuid, workplan.eol));
    assigned.push({ kind: 'task', key: task.id, uuid });
  }

  workplan.dependencies.forEach((dependency, index) => {
    if (dependency.dependencyUuid || !workplanId) return;
    const planEdit = planDependencyIdEdit(text, workplan, index);
    if (!planEdit) return;
    const uuid = takeUuid(newUuid);
    edits.push(planEdit(uuid));
    assigned.push({ kind: 'dependency', key: dependencyKey(workplanId, index), uuid });
  });

  return { edits, assigned };
}
