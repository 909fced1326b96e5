// The cross-file verdict a sync gives the files it reads: the same rules as `workplan check`
// (checkRepository), over the files that changed and the unchanged files that share an id or a
// mirror id with them, plus one rule only the mirror can answer: a mirror id another repository's
// rows already hold. Pure.
import type { Diagnostic } from '../model/diagnostic.js';
import { MAX_ID_LENGTH } from '../model/storage-limits.js';
import type { AdrLinkSubject } from '../parse/adr-links.js';
import { checkRepository, type WorkplanSummary } from './check-repository.js';

/** What the cross-file rules know of one file. */
export interface JudgedFile {
  path: string;
  kind: 'workplan' | 'adr';
  summary?: WorkplanSummary;
  adr?: AdrLinkSubject;
}

/** Values by which files meet in the cross-file rules. */
export interface SharedKeys {
  workplanIds: string[];
  taskIds: string[];
  /** Mirror ids written in the files (workstream, task and dependency), lower-case. */
  uuids: string[];
  adrIds: string[];
}

/** A mirror id that rows of another repository hold, and the table they are in. */
export interface ForeignUuid {
  uuid: string;
  table: 'workstreams' | 'tasks' | 'dependencies';
}

/** The keys of the given files (ids too long to be in the mirror are left out: nothing can hold them). */
export function collectSharedKeys(files: Iterable<JudgedFile>): SharedKeys {
  const keys = { workplanIds: new Set<string>(), taskIds: new Set<string>(), uuids: new Set<string>(), adrIds: new Set<string>() };
  const add = (set: Set<string>, value: string) => {
    if (value.length <= MAX_ID_LENGTH) set.add(value);
  };
  for (const f of files) {
    if (f.adr) add(keys.adrIds, f.adr.id);
    const s = f.summary;
    if (!s) continue;
    add(keys.workplanIds, s.id);
    if (s.workstreamUuid) add(keys.uuids, s.workstreamUuid.value.toLowerCase());
    for (const t of s.tasks) {
      add(keys.taskIds, t.id);
      if (t.uuid) add(keys.uuids, t.uuid.value.toLowerCase());
    }
    for (const d of s.dependencies) if (d.uuid) add(keys.uuids, d.uuid.toLowerCase());
  }
  return { workplanIds: [...keys.workplanIds], taskIds: [...keys.taskIds], uuids: [...keys.uuids], adrIds: [...keys.adrIds] };
}

export function hasSharedKeys(keys: SharedKeys): boolean {
  return keys.workplanIds.length + keys.taskIds.length + keys.uuids.length + keys.adrIds.length > 0;
}

/** The cross-file diagnostics of the files (errors block a file's sync, as its own errors do). */
export function judgeFiles(files: readonly JudgedFile[], foreign: readonly ForeignUuid[]): Diagnostic[] {
  const workplans = files.flatMap((f) => (f.summary ? [f.summary] : []));
  const adrs = files.flatMap((f) => (f.adr ? [f.adr] : []));
  return [...checkRepository({ workplans, adrs }), ...checkForeignUuids(workplans, foreign)];
}

function checkForeignUuids(workplans: readonly WorkplanSummary[], foreign: readonly ForeignUuid[]): Diagnostic[] {
  if (foreign.length === 0) return [];
  const held = new Set(foreign.map((f) => `${f.table}:${f.uuid.toLowerCase()}`));
  const diagnostics: Diagnostic[] = [];
  const report = (path: string, span: Diagnostic['span'], uuid: string, what: string) =>
    diagnostics.push({
      path,
      span,
      severity: 'error',
      ruleId: 'uuid-duplicate',
      message: `Mirror id ${uuid} of ${what} belongs to another repository's row in the mirror`,
      hint: 'The file (or task) was copied from another repository with its state_hub_*_id; delete the id line and the next sync assigns a new one.',
    });
  for (const wp of workplans) {
    if (wp.workstreamUuid && held.has(`workstreams:${wp.workstreamUuid.value.toLowerCase()}`)) report(wp.path, wp.workstreamUuid.span, wp.workstreamUuid.value, `workplan ${wp.id}`);
    for (const t of wp.tasks) if (t.uuid && held.has(`tasks:${t.uuid.value.toLowerCase()}`)) report(wp.path, t.uuid.span, t.uuid.value, `task ${t.id}`);
    wp.dependencies.forEach((d, i) => {
      if (d.uuid && held.has(`dependencies:${d.uuid.toLowerCase()}`)) report(wp.path, d.span, d.uuid, `dependency ${i + 1} of ${wp.id}`);
    });
  }
  return diagnostics;
}
