// Row-shaped views of the files (desired state) and of the mirror (current state), in the same
// shape so the planner can compare them field by field. Pure data. The fields of each row are the
// column tables' (model/mirror-columns.ts): one place names a mirrored field.
import type {
  ADR_COLUMNS,
  CLOSURE_ENTRY_COLUMNS,
  CLOSURE_REVIEW_COLUMNS,
  DEPENDENCY_COLUMNS,
  FieldsOf,
  PHASE_COLUMNS,
  TASK_COLUMNS,
  WORKSTREAM_COLUMNS,
} from '../model/mirror-columns.js';

/** Fields of a workstream row that come from its file (the column table: model/mirror-columns.ts). */
export type WorkstreamFields = FieldsOf<typeof WORKSTREAM_COLUMNS>;
/** A task's fields; `phaseNumber` is its phase in the workstream (the phase row id is resolved when written). */
export type TaskFields = FieldsOf<typeof TASK_COLUMNS>;
export type DependencyFields = FieldsOf<typeof DEPENDENCY_COLUMNS>;
export type PhaseFields = FieldsOf<typeof PHASE_COLUMNS>;
export type ClosureEntryFields = FieldsOf<typeof CLOSURE_ENTRY_COLUMNS>;
export type ClosureReviewFields = FieldsOf<typeof CLOSURE_REVIEW_COLUMNS> & { entries: ClosureEntryFields[] };
/**
 * An ADR's fields: `fileId` is `ADR-007` or the slug of an ADR without a number; `status` the canonical
 * status (null when none is written or the written one is not in the vocabulary), `statusText` and
 * `dateText` as written.
 */
export type AdrFields = FieldsOf<typeof ADR_COLUMNS>;

/** One parsed workplan file, as rows. `uuid` fields are the ids written in the file, if any. */
export interface DesiredWorkstream {
  uuid: string | null;
  fields: WorkstreamFields;
  contentHash: string;
  tasks: Array<{ uuid: string | null; fields: TaskFields }>;
  dependencies: Array<{ uuid: string | null; fields: DependencyFields }>;
  phases: PhaseFields[];
  closureReviews: ClosureReviewFields[];
}

export interface DesiredAdr {
  fields: AdrFields;
  contentHash: string;
}

/** A mirror row with its id, removal mark and whether it drifted from what the last sync wrote. */
export interface MirrorRow<F> {
  id: string;
  fields: F;
  removed: boolean;
  /** The row's values no longer match the fingerprint the last sync stored: changed behind the file's back. */
  drifted: boolean;
}

export interface MirrorWorkstream extends MirrorRow<WorkstreamFields> {
  contentHash: string;
  tasks: Array<MirrorRow<TaskFields>>;
  dependencies: Array<MirrorRow<DependencyFields>>;
  phases: PhaseFields[];
  closureReviews: ClosureReviewFields[];
}

export interface MirrorAdr extends MirrorRow<AdrFields> {
  contentHash: string;
}

/** The cheap per-file index read first, to skip unchanged files without parsing them. */
export interface MirrorIndexEntry {
  kind: 'workstream' | 'adr';
  id: string;
  fileId: string;
  filePath: string;
  contentHash: string;
  removed: boolean;
  /** Any row of this file (the workstream, its tasks or dependencies; or the ADR) drifted. */
  drifted: boolean;
  /** Live task rows (for the mass-removal guard). */
  taskCount: number;
}
