// The mirror's column tables: for each mirrored entity, its columns in one ordered list, with the row
// field each mirrors. Everything else is generated from here: the row types the planner compares
// (reconcile/rows.ts), the SQL that writes them (db/apply-plan.ts), reads them (db/mirror-read.ts) and
// fingerprints them (db/fingerprint-sql.ts), and the benchmark's raw-SQL reference (bench/raw-upsert.ts).
// test/db/mirror-columns.test.ts holds the tables to prisma/schema.prisma. Pure data (adr/0015).
//
// Adding a mirrored field: a line here, the parser and model that produce it, the schema and a migration.
// The order of a table is the order of its fingerprint: appending keeps stored fingerprints comparable
// only if the new column is also added by a migration that recomputes them (see docs/architecture.md).

/** A column's SQL type in the mirror's tables. */
export type ColumnType = 'text' | 'int' | 'uuid' | 'jsonb' | 'text[]';

export interface MirrorColumn {
  /** The column in the table. */
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable?: boolean;
  /** The key of the row's fields (reconcile/rows.ts) this column mirrors; absent for keys and provenance. */
  readonly field?: string;
  /** Part of the row's sync fingerprint, in table order: a change to it outside the engine is drift. */
  readonly fingerprint?: boolean;
  /**
   * The field is written as another value and resolved to this column when written (a domain slug to
   * its row's id, a phase number to the phase's id): its name and type in the written record and in the
   * row read back (db/mirror-sql.ts joins the row it resolves through).
   */
  readonly via?: { readonly record: string; readonly type: ColumnType; readonly nullable?: boolean };
}

/** One mirrored entity: its table, its columns in order, and how its rows are scoped and stamped. */
export interface MirrorEntity {
  readonly table: string;
  readonly columns: readonly MirrorColumn[];
  /** The row carries `repository_id` (set from the sync's repository, never from the record). */
  readonly repositoryScoped: boolean;
}

export const WORKSTREAM_COLUMNS = [
  { name: 'file_id', type: 'text', field: 'fileId', fingerprint: true },
  { name: 'domain_id', type: 'uuid', field: 'domain', fingerprint: true, via: { record: 'domain', type: 'text' } },
  { name: 'title', type: 'text', field: 'title', fingerprint: true },
  { name: 'status', type: 'text', field: 'status', fingerprint: true },
  { name: 'owner', type: 'text', nullable: true, field: 'owner', fingerprint: true },
  { name: 'topic_slug', type: 'text', nullable: true, field: 'topicSlug', fingerprint: true },
  { name: 'created_on', type: 'text', nullable: true, field: 'createdOn', fingerprint: true },
  { name: 'updated_on', type: 'text', nullable: true, field: 'updatedOn', fingerprint: true },
  { name: 'completed_on', type: 'text', nullable: true, field: 'completedOn', fingerprint: true },
  { name: 'summary', type: 'text', nullable: true, field: 'summary', fingerprint: true },
  { name: 'context', type: 'text', nullable: true, field: 'context', fingerprint: true },
  { name: 'notes', type: 'text', nullable: true, field: 'notes', fingerprint: true },
  { name: 'file_path', type: 'text', field: 'filePath', fingerprint: true },
  { name: 'content_hash', type: 'text' },
  { name: 'extra', type: 'jsonb', field: 'extra', fingerprint: true },
  { name: 'git_commit', type: 'text', nullable: true },
  { name: 'git_blob', type: 'text', nullable: true },
] as const satisfies readonly MirrorColumn[];

export const TASK_COLUMNS = [
  { name: 'file_id', type: 'text', field: 'fileId', fingerprint: true },
  { name: 'workstream_id', type: 'uuid', fingerprint: true },
  { name: 'label', type: 'text', field: 'label', fingerprint: true },
  { name: 'title', type: 'text', field: 'title', fingerprint: true },
  { name: 'status', type: 'text', field: 'status', fingerprint: true },
  { name: 'priority', type: 'text', field: 'priority', fingerprint: true },
  { name: 'description', type: 'text', field: 'description', fingerprint: true },
  { name: 'position', type: 'int', field: 'position', fingerprint: true },
  { name: 'source_line', type: 'int', field: 'sourceLine', fingerprint: true },
  {
    name: 'phase_id',
    type: 'uuid',
    nullable: true,
    field: 'phaseNumber',
    fingerprint: true,
    via: { record: 'phase_number', type: 'int', nullable: true },
  },
  { name: 'extra', type: 'jsonb', field: 'extra', fingerprint: true },
] as const satisfies readonly MirrorColumn[];

export const DEPENDENCY_COLUMNS = [
  { name: 'workstream_id', type: 'uuid', fingerprint: true },
  { name: 'kind', type: 'text', field: 'kind', fingerprint: true },
  { name: 'targets', type: 'text[]', field: 'targets', fingerprint: true },
  { name: 'text', type: 'text', field: 'text', fingerprint: true },
  { name: 'position', type: 'int', field: 'position', fingerprint: true },
] as const satisfies readonly MirrorColumn[];

export const ADR_COLUMNS = [
  { name: 'file_id', type: 'text', field: 'fileId', fingerprint: true },
  { name: 'number', type: 'int', nullable: true, field: 'number', fingerprint: true },
  { name: 'title', type: 'text', field: 'title', fingerprint: true },
  { name: 'status', type: 'text', nullable: true, field: 'status', fingerprint: true },
  { name: 'status_text', type: 'text', nullable: true, field: 'statusText', fingerprint: true },
  { name: 'decided_on', type: 'text', nullable: true, field: 'decidedOn', fingerprint: true },
  { name: 'date_text', type: 'text', nullable: true, field: 'dateText', fingerprint: true },
  { name: 'domain', type: 'text', nullable: true, field: 'domain', fingerprint: true },
  { name: 'format', type: 'text', field: 'format', fingerprint: true },
  { name: 'supersedes', type: 'text[]', field: 'supersedes', fingerprint: true },
  { name: 'superseded_by', type: 'text[]', field: 'supersededBy', fingerprint: true },
  { name: 'decision_makers', type: 'text[]', field: 'decisionMakers', fingerprint: true },
  { name: 'file_path', type: 'text', field: 'filePath', fingerprint: true },
  { name: 'content_hash', type: 'text' },
  { name: 'extra', type: 'jsonb', field: 'extra', fingerprint: true },
  { name: 'git_commit', type: 'text', nullable: true },
  { name: 'git_blob', type: 'text', nullable: true },
] as const satisfies readonly MirrorColumn[];

export const PHASE_COLUMNS = [
  { name: 'workstream_id', type: 'uuid' },
  { name: 'number', type: 'int', field: 'number' },
  { name: 'title', type: 'text', field: 'title' },
  { name: 'position', type: 'int', field: 'position' },
] as const satisfies readonly MirrorColumn[];

export const CLOSURE_REVIEW_COLUMNS = [
  { name: 'workstream_id', type: 'uuid' },
  { name: 'review_date', type: 'text', field: 'reviewDate' },
  { name: 'position', type: 'int', field: 'position' },
  { name: 'outcome', type: 'text', nullable: true, field: 'outcome' },
  { name: 'context', type: 'text', nullable: true, field: 'context' },
] as const satisfies readonly MirrorColumn[];

export const CLOSURE_ENTRY_COLUMNS = [
  { name: 'closure_review_id', type: 'uuid' },
  { name: 'position', type: 'int' },
  { name: 'task_file_id', type: 'text', field: 'taskFileId' },
  { name: 'title', type: 'text', field: 'title' },
  { name: 'classification', type: 'text', field: 'classification' },
  { name: 'note', type: 'text', nullable: true, field: 'note' },
  { name: 'target', type: 'text', nullable: true, field: 'target' },
] as const satisfies readonly MirrorColumn[];

/** Every mirrored entity, by name (the column tables above with their tables). */
export const MIRROR_ENTITIES = {
  workstream: { table: 'workstreams', columns: WORKSTREAM_COLUMNS, repositoryScoped: true },
  task: { table: 'tasks', columns: TASK_COLUMNS, repositoryScoped: true },
  dependency: { table: 'dependencies', columns: DEPENDENCY_COLUMNS, repositoryScoped: false },
  adr: { table: 'adrs', columns: ADR_COLUMNS, repositoryScoped: true },
  phase: { table: 'phases', columns: PHASE_COLUMNS, repositoryScoped: false },
  closureReview: { table: 'closure_reviews', columns: CLOSURE_REVIEW_COLUMNS, repositoryScoped: false },
  closureEntry: { table: 'closure_entries', columns: CLOSURE_ENTRY_COLUMNS, repositoryScoped: false },
} as const satisfies Record<string, MirrorEntity>;

type ValueOf<T extends ColumnType> = T extends 'int' ? number : T extends 'text[]' ? string[] : string;
type FieldValue<C> = C extends { via: { type: infer T extends ColumnType; nullable?: infer N } }
  ? N extends true
    ? ValueOf<T> | null
    : ValueOf<T>
  : C extends { type: infer T extends ColumnType; nullable?: infer N }
    ? N extends true
      ? ValueOf<T> | null
      : ValueOf<T>
    : never;

/**
 * The row fields a column table mirrors, as the planner compares them: each column with a `field`, its
 * value as written (a `jsonb` column is its canonical JSON text, model/canonical-json.ts).
 */
export type FieldsOf<T extends readonly MirrorColumn[]> = {
  -readonly [C in T[number] as C extends { field: infer F extends string } ? F : never]: FieldValue<C>;
};
