// Finding the workplan file an edit is about, in the files themselves (they are the source of truth,
// and a dry run needs no database): every workplan file is read, only those whose text mentions the
// id are parsed, and the one whose model declares it is the answer. Read-only.
import type { WorkplanConfig } from '../model/config.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { listTasks, type Task, type Workplan } from '../model/workplan.js';
import { decodeSource } from '../parse/decode.js';
import { parseWorkplan } from '../parse/workplan.js';
import { isSourceFile, type SourceProvider } from '../model/source-file.js';

/** A workplan file as read for an edit: its text, the hash of its bytes (the CAS precondition), its parse. */
export interface LocatedWorkplan {
  path: string;
  hash: string;
  text: string;
  workplan: Workplan;
  diagnostics: Diagnostic[];
}

export type LocateResult =
  | { kind: 'found'; file: LocatedWorkplan; task?: Task }
  | { kind: 'ambiguous'; paths: string[] }
  | { kind: 'not-found'; unparsable: string[] };

/** What to look for: the workplan with this id, or the workplan holding the task with this id. */
export type LocateTarget = { workplanId: string } | { taskId: string };

/** Finds the workplan file declaring `target`. */
export async function locateWorkplan(source: SourceProvider, config: WorkplanConfig, target: LocateTarget): Promise<LocateResult> {
  const needle = 'workplanId' in target ? target.workplanId : target.taskId;
  const listing = await source.list(config);
  const found: Array<{ file: LocatedWorkplan; task?: Task }> = [];
  const unparsable: string[] = [];
  for (const entry of listing.files) {
    if (entry.kind !== 'workplan') continue;
    const read = await source.read(entry.path, entry.kind, config);
    if (!isSourceFile(read)) continue;
    // Cheap first: a file that does not contain the id cannot declare it.
    if (!Buffer.from(read.bytes).includes(needle)) continue;
    const decoded = decodeSource(read.path, read.bytes);
    const parsed = decoded.value ? parseWorkplan(read.path, decoded.value.text, config) : undefined;
    if (!decoded.value || !parsed?.value) {
      unparsable.push(read.path);
      continue;
    }
    const workplan = parsed.value;
    const file = { path: read.path, hash: read.hash, text: decoded.value.text, workplan, diagnostics: parsed.diagnostics };
    if ('workplanId' in target) {
      if (workplan.frontmatter.data.id === target.workplanId) found.push({ file });
    } else {
      const task = listTasks(workplan).find((t) => t.id === target.taskId);
      if (task) found.push({ file, task });
    }
  }
  if (found.length > 1) return { kind: 'ambiguous', paths: found.map((f) => f.file.path) };
  const only = found[0];
  if (!only) return { kind: 'not-found', unparsable };
  return { kind: 'found', ...only };
}

/** Every workplan id the working tree's workplan files declare, with their paths (for `workplan new`). */
export async function listDeclaredWorkplanIds(source: SourceProvider, config: WorkplanConfig, id: string): Promise<string[]> {
  const located = await locateWorkplan(source, config, { workplanId: id });
  if (located.kind === 'found') return [located.file.path];
  if (located.kind === 'ambiguous') return located.paths;
  return [];
}
