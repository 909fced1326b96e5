// Row-shaped views of the files (desired state) and of the mirror (current state), in the same
// shape so the planner can compare them field by field. Pure data.

/** Fields of a workstream row that come from its file. */
export interface WorkstreamFields {
  fileId: string;
  domain: string;
  title: string;
  status: string;
  owner: string | null;
  topicSlug: string | null;
  createdOn: string | null;
  updatedOn: string | null;
  completedOn: string | null;
  summary: string | null;
  context: string | null;
  notes: string | null;
  filePath: string;
  extra: string; // canonical JSON text of the extra frontmatter keys
}

export interface TaskFields {
  fileId: string;
  label: string;
  title: string;
  status: string;
  priority: string;
  description: string;
  position: number;
  sourceLine: number;
  /** Phase number in its workstream (the phase row id is resolved at apply time). */
  phaseNumber: number | null;
  extra: string;
}

export interface DependencyFields {
  kind: string;
  targets: string[];
  text: string;
  position: number;
}

export interface PhaseFields {
  number: number;
  title: string;
  position: number;
}

export interface ClosureEntryFields {
  taskFileId: string;
  title: string;
  classification: string;
  note: string | null;
  target: string | null;
}

export interface ClosureReviewFields {
  reviewDate: string;
  position: number;
  outcome: string | null;
  context: string | null;
  entries: ClosureEntryFields[];
}

export interface AdrFields {
  /** `ADR-007`, or the slug of an ADR without a number. */
  fileId: string;
  number: number | null;
  title: string;
  /** Canonical status; null when none is written or the written one is not in the vocabulary. */
  status: string | null;
  /** The status as written. */
  statusText: string | null;
  decidedOn: string | null;
  /** The date as written. */
  dateText: string | null;
  domain: string | null;
  format: string;
  supersedes: string[];
  supersededBy: string[];
  decisionMakers: string[];
  filePath: string;
  extra: string;
}

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
