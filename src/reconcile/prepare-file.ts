// One source file → what a sync needs of it: desired rows, diagnostics, and the id lines it lacks
// (as edits carrying a placeholder uuid, filled in once the plan has chosen the ids). Pure, and
// small enough to cross a worker-thread boundary: the full model with spans stays where it was parsed.
import type { WorkplanConfig } from '../model/config.js';
import type { Diagnostic, Span } from '../model/diagnostic.js';
import { hasErrors } from '../model/diagnostic.js';
import type { TextEdit } from '../model/text-edit.js';
import { parseAdr } from '../parse/adr.js';
import { decodeSource } from '../parse/decode.js';
import { parseWorkplan } from '../parse/workplan.js';
import { toDesiredAdr, toDesiredWorkstream } from './desired.js';
import type { DesiredAdr, DesiredWorkstream } from './rows.js';
import { summarizeWorkplan, type WorkplanSummary } from './check-repository.js';
import type { Adr } from '../model/adr.js';
import { planIdAssignment } from '../writeback/plan-id-assignment.js';
import { findAdrStorageProblems, findWorkstreamStorageProblems } from './storable.js';
import { describeAdrStorageProblems, describeWorkplanStorageProblems } from './storage-diagnostics.js';
import type { SourceKind } from '../model/source-file.js';
import { PLACEHOLDER_UUID } from './placeholder-id.js';

export { PLACEHOLDER_UUID };

export interface PendingId {
  kind: 'workstream' | 'task' | 'dependency';
  key: string;
  edit: TextEdit;
}

export type PreparedFile =
  | {
      kind: 'workplan';
      path: string;
      hash: string;
      diagnostics: Diagnostic[];
      desired: DesiredWorkstream | null;
      pendingIds: PendingId[];
      /** Where the workplan id is written, for cross-file diagnostics. */
      idSpan?: Span;
      /** For cross-file checks; present whenever the parser produced a model, even with errors. */
      summary?: WorkplanSummary;
    }
  | {
      kind: 'adr';
      path: string;
      hash: string;
      diagnostics: Diagnostic[];
      desired: DesiredAdr | null;
      pendingIds: [];
      /** For cross-file checks (supersession links); present whenever the parser produced a model. */
      adr?: Adr;
    };

/** Decodes and parses one file; `desired` is null when the file has errors (its rows are then left alone). */
export function prepareFile(
  file: { path: string; kind: SourceKind; bytes: Uint8Array; hash: string },
  config: WorkplanConfig,
): PreparedFile {
  const decoded = decodeSource(file.path, file.bytes);
  const diagnostics = [...decoded.diagnostics];
  const base = { path: file.path, hash: file.hash, diagnostics };
  if (!decoded.value) {
    return file.kind === 'workplan'
      ? { ...base, kind: 'workplan', desired: null, pendingIds: [] }
      : { ...base, kind: 'adr', desired: null, pendingIds: [] };
  }
  const text = decoded.value.text;
  if (file.kind === 'adr') {
    const result = parseAdr(file.path, text, config);
    diagnostics.push(...result.diagnostics);
    let desired = result.value && !hasErrors(result.diagnostics) ? toDesiredAdr(result.value, file.hash) : null;
    // Every value is checked against the mirror's limits before the database sees it (storable.ts).
    const problems = desired ? findAdrStorageProblems(desired) : [];
    if (problems.length > 0) {
      diagnostics.push(...describeAdrStorageProblems(result.value!, problems));
      desired = null;
    }
    return { ...base, kind: 'adr', desired, pendingIds: [], ...(result.value ? { adr: result.value } : {}) };
  }
  const result = parseWorkplan(file.path, text, config);
  diagnostics.push(...result.diagnostics);
  if (!result.value) return { ...base, kind: 'workplan', desired: null, pendingIds: [] };
  const summary = summarizeWorkplan(result.value);
  if (hasErrors(result.diagnostics)) return { ...base, kind: 'workplan', desired: null, pendingIds: [], summary };
  const plan = planIdAssignment(result.value, text, () => PLACEHOLDER_UUID);
  const pendingIds = plan.assigned.map((a, i) => ({ kind: a.kind, key: a.key, edit: plan.edits[i]! }));
  const desired = toDesiredWorkstream(result.value, file.hash, lineShiftFor(text, plan.edits));
  const problems = findWorkstreamStorageProblems(desired);
  if (problems.length > 0) {
    diagnostics.push(...describeWorkplanStorageProblems(result.value, problems));
    return { ...base, kind: 'workplan', desired: null, pendingIds: [], summary };
  }
  return {
    ...base,
    kind: 'workplan',
    desired,
    pendingIds,
    summary,
    idSpan: result.value.frontmatter.fields.find((f) => f.key === 'id')?.valueSpan ?? result.value.frontmatter.span,
  };
}

/** Maps a source line to its line once `edits` (whole-line insertions) are applied. */
export function lineShiftFor(text: string, edits: readonly TextEdit[]): (line: number) => number {
  if (edits.length === 0) return (line) => line;
  const inserted = edits.map((e) => ({ offset: e.start, lines: countLineBreaks(e.text) })).sort((a, b) => a.offset - b.offset);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  return (line) => {
    const start = lineStarts[line - 1] ?? text.length;
    let shift = 0;
    for (const ins of inserted) if (ins.offset <= start) shift += ins.lines;
    return line + shift;
  };
}

function countLineBreaks(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}
