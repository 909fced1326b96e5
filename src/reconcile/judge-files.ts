// The cross-file verdict a sync gives the files it reads: the same rules as `workplan check`
// (checkRepository), over the files that changed and the unchanged files that share an id or a
// mirror id with them, so that check, sync --dry-run and sync find errors in the same files. Pure.
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
export function judgeFiles(files: readonly JudgedFile[]): Diagnostic[] {
  const workplans = files.flatMap((f) => (f.summary ? [f.summary] : []));
  const adrs = files.flatMap((f) => (f.adr ? [f.adr] : []));
  return checkRepository({ workplans, adrs });
}
