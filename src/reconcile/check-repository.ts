// Cross-file rules over a whole repository's workplans and ADRs. Pure.
// Single-file rules live in the parsers; these need every file at once, so they work on compact
// summaries (small enough to come back from a parser worker thread).
import type { Diagnostic, Span } from '../model/diagnostic.js';
import { listTasks, type Workplan } from '../model/workplan.js';
import { checkAdrLinks, type AdrLinkSubject } from '../parse/adr-links.js';

/** What the cross-file rules need to know of one workplan. */
export interface WorkplanSummary {
  path: string;
  id: string;
  idSpan: Span;
  workstreamUuid?: { value: string; span: Span };
  tasks: Array<{ id: string; span: Span; uuid?: { value: string; span: Span } }>;
  dependencies: Array<{ targets: string[]; span: Span; uuid?: string }>;
}

/** The summary of a parsed workplan. */
export function summarizeWorkplan(wp: Workplan): WorkplanSummary {
  const field = (key: string) => wp.frontmatter.fields.find((f) => f.key === key)?.valueSpan;
  const data = wp.frontmatter.data;
  return {
    path: wp.path,
    id: data.id,
    idSpan: field('id') ?? wp.frontmatter.span,
    ...(data.workstreamUuid
      ? { workstreamUuid: { value: data.workstreamUuid, span: field('state_hub_workstream_id') ?? wp.frontmatter.span } }
      : {}),
    tasks: listTasks(wp).map((task) => {
      const span = task.metadata.fields.find((f) => f.key === 'id')?.valueSpan ?? task.heading.span;
      const uuidSpan = task.metadata.fields.find((f) => f.key === 'state_hub_task_id')?.valueSpan ?? span;
      return { id: task.id, span, ...(task.taskUuid ? { uuid: { value: task.taskUuid, span: uuidSpan } } : {}) };
    }),
    dependencies: wp.dependencies.map((d) => ({
      targets: [...d.targets],
      span: d.span,
      ...(d.dependencyUuid ? { uuid: d.dependencyUuid } : {}),
    })),
  };
}

/**
 * Duplicate ids and uuids across workplan files, and dependencies naming workplans the repository does
 * not have. A duplicate is reported on every place involved, each naming the others: which copy is
 * "the" original is not the files' to say, and the verdict must not depend on the order files are
 * read in (check, sync --dry-run and sync judge the same files alike).
 */
export function checkWorkplanSet(workplans: readonly WorkplanSummary[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const workplanIds = new Map<string, Place[]>();
  const taskIds = new Map<string, Place[]>();
  const uuids = new Map<string, Place[]>();
  const add = (map: Map<string, Place[]>, key: string, place: Place) => {
    const list = map.get(key);
    if (list) list.push(place);
    else map.set(key, [place]);
  };
  for (const wp of workplans) {
    add(workplanIds, wp.id, { path: wp.path, span: wp.idSpan, what: `workplan ${wp.id}` });
    if (wp.workstreamUuid)
      add(uuids, wp.workstreamUuid.value.toLowerCase(), { path: wp.path, span: wp.workstreamUuid.span, what: `workplan ${wp.id}` });
    for (const task of wp.tasks) {
      add(taskIds, task.id, { path: wp.path, span: task.span, what: `task ${task.id}` });
      if (task.uuid) add(uuids, task.uuid.value.toLowerCase(), { path: wp.path, span: task.uuid.span, what: `task ${task.id}` });
    }
    wp.dependencies.forEach((d, i) => {
      if (d.uuid) add(uuids, d.uuid.toLowerCase(), { path: wp.path, span: d.span, what: `dependency ${i + 1} of ${wp.id}` });
    });
  }
  for (const [id, places] of workplanIds) {
    reportShared(
      diagnostics,
      places,
      WORKPLAN_ID_DUPLICATE,
      (others) => `Workplan id "${id}" is also used by ${others}; neither file is synced until the ids differ`,
      'Every workplan needs its own id: give the copy a new id (and delete its state_hub_* lines).',
    );
  }
  for (const [id, places] of taskIds) {
    // Two tasks of one file sharing an id are the parser's `task-id-duplicate`; here, tasks of several files.
    if (new Set(places.map((p) => p.path)).size < 2) continue;
    reportShared(
      diagnostics,
      places.filter((p, i) => places.findIndex((q) => q.path === p.path) === i),
      'task-id-duplicate',
      (others) => `Task id "${id}" is also used in ${others}`,
      'Task ids are unique across the repository; renumber one of them.',
    );
  }
  for (const [uuid, places] of uuids) {
    reportShared(
      diagnostics,
      places,
      'uuid-duplicate',
      (others, place) => `Mirror id ${uuid} of ${place.what} is also used by ${others}`,
      'A copied file or task keeps its state_hub_*_id; delete the copied id line and the next sync assigns a new one.',
    );
  }
  diagnostics.push(...checkDependencyTargets(workplans, new Set(workplanIds.keys())));
  return diagnostics;
}

/** Where a shared value is written, and what holds it. */
interface Place {
  path: string;
  span: Span;
  what: string;
}

/** The rule of two workplans sharing an id (or a mirror id): neither is synced until they differ. */
const WORKPLAN_ID_DUPLICATE = 'workplan-id-duplicate';

/**
 * The same rule seen by an incremental sync, which reads only some files: a workplan whose id or mirror
 * id is held by the mirror's row of another file that still exists is a copy, and is not synced.
 */
export function workplanIdTakenDiagnostic(path: string, fileId: string, idSpan: Span | undefined, rowPath: string): Diagnostic {
  const at = { line: 1, column: 1, offset: 0 };
  return {
    path,
    span: idSpan ?? { start: at, end: at },
    severity: 'error',
    ruleId: WORKPLAN_ID_DUPLICATE,
    message: `Workplan id "${fileId}" (or its state_hub_workstream_id) is also used by ${rowPath}; this file was not synced`,
    hint: 'A copied workplan keeps its id and mirror id: give the copy a new id and delete its state_hub_* lines.',
  };
}

function reportShared(
  diagnostics: Diagnostic[],
  places: readonly Place[],
  ruleId: string,
  message: (others: string, place: Place) => string,
  hint: string,
): void {
  if (places.length < 2) return;
  for (const place of places) {
    const others = places
      .filter((p) => p !== place)
      .map((p) => (p.path === place.path ? `${p.what} at line ${p.span.start.line}` : `${p.path}:${p.span.start.line}`));
    diagnostics.push({ path: place.path, span: place.span, severity: 'error', ruleId, message: message(others.join(', '), place), hint });
  }
}

function checkDependencyTargets(workplans: readonly WorkplanSummary[], known: ReadonlySet<string>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const wp of workplans) {
    for (const dep of wp.dependencies) {
      for (const target of dep.targets) {
        if (target === wp.id || known.has(target)) continue;
        diagnostics.push({
          path: wp.path,
          span: dep.span,
          severity: 'warning',
          ruleId: 'dependency-target-unknown',
          message: `Dependency names workplan "${target}", which is not in this repository`,
          hint: 'Check the id, or ignore this warning if the workplan lives in another repository.',
        });
      }
    }
  }
  return diagnostics;
}

/**
 * The rules across files, one set for `check`, `sync --dry-run`, `sync` and the pre-commit hook: a
 * file with an error here is not synced, exactly as a file with an error of its own.
 */
export function checkRepository(input: { workplans: readonly WorkplanSummary[]; adrs: readonly AdrLinkSubject[] }): Diagnostic[] {
  return [...checkWorkplanSet(input.workplans), ...checkAdrLinks(input.adrs)];
}
