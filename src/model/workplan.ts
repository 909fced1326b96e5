// The typed model of a workplan file (see docs/format.md). Pure data; every element keeps
// the span it was parsed from so that diagnostics and surgical write-back can point at it.
import type { Span } from './diagnostic.js';

/** How a task's metadata block was written, kept so write-back can insert lines in the same form. */
export type MetadataForm = 'lines' | 'yaml-fence' | 'list';

/** A `key: value` occurrence in frontmatter or a metadata block. */
export interface FieldSource {
  /** The key as written. */
  key: string;
  /** The value text exactly as written (quotes included). */
  raw: string;
  /** Span of the whole line (from its first character to the end of the line, excluding the line break). */
  lineSpan: Span;
  /** Span of the value text only (empty span right after the separator when the value is empty). */
  valueSpan: Span;
}

export interface WorkplanFrontmatter {
  id: string;
  type: 'workplan';
  title: string;
  /** Domain slug, e.g. `custodian`. */
  domain: string;
  /** Normalised workstream status (canonical vocabulary value). */
  status: string;
  owner?: string;
  topicSlug?: string;
  /** `state_hub_workstream_id`: the mirror UUID, absent until assigned. */
  workstreamUuid?: string;
  /** Dates exactly as the user wrote them (YYYY-MM-DD strings, never Date objects). */
  created?: string;
  updated?: string;
  completed?: string;
  /** Every key not listed above, with its value as YAML parsed it (dates kept as strings). */
  extra: Record<string, unknown>;
}

export interface Frontmatter<T> {
  data: T;
  /** Span of the whole block, from the opening `---` to the end of the closing `---` line. */
  span: Span;
  /** Offset in the text where the YAML body starts (the line after the opening `---`). */
  bodyStart: number;
  /** Offset where the closing `---` line starts (insertions of new keys go here). */
  bodyEnd: number;
  /** Top-level keys in source order, with their spans. */
  fields: FieldSource[];
  /** The line ending used in the file (`\r\n` or `\n`), for write-back. */
  eol: '\n' | '\r\n';
}

export interface Heading {
  depth: number;
  /** Heading text with inline Markdown reduced to plain text (backticks removed). */
  text: string;
  /** The heading's source text exactly as written, without the `#` marks. */
  raw: string;
  span: Span;
}

export type SectionKind = 'summary' | 'context' | 'dependencies' | 'phase' | 'notes' | 'closure-review' | 'other';

export interface Section {
  kind: SectionKind;
  heading: Heading;
  /** Span from the heading's first character to the start of the next heading of depth ≤ 2 (or EOF). */
  span: Span;
  /** The section body's source text verbatim (after the heading line, up to the next section). */
  body: string;
}

/** A kind of the configured vocabulary (`vocabularies.dependencyKind`): by default blocks, depends_on or related. */
export type DependencyKind = string;

export interface Dependency {
  kind: DependencyKind;
  /** Workplan ids mentioned in the item, in order (e.g. `CUST-WP-0003`). */
  targets: string[];
  /** The list item's text verbatim, without the list marker. */
  text: string;
  /** `state_hub_dependency_id`, when the following list item (or an inline field) gives it. */
  dependencyUuid?: string;
  span: Span;
  /** Where a `state_hub_dependency_id` item line would be inserted (offset of the line after this item). */
  insertOffset: number;
  /**
   * The item's indentation and list marker as written (e.g. `- `, `+ `, `  * `): an inserted item line
   * must reuse the marker, since a different bullet character would start a new list.
   */
  linePrefix?: string;
}

export interface TaskMetadata {
  form: MetadataForm;
  /** Span of the whole block (for the fence form, including the fences). */
  span: Span;
  fields: FieldSource[];
  /** Offset where a new metadata line is inserted (after the last field line). */
  insertOffset: number;
  /** Prefix used by the block's lines: '' for lines, '- ' for lists, the indentation inside a fence. */
  linePrefix: string;
}

export interface Task {
  /** `id:` value, e.g. `CUST-WP-0005-T01`. */
  id: string;
  /** `state_hub_task_id`, absent until assigned. */
  taskUuid?: string;
  /** Label before the dash in the heading, e.g. `P1.1` (empty when the heading has none). */
  label: string;
  title: string;
  /** Normalised task status. */
  status: string;
  /** Normalised priority. */
  priority: string;
  /** The task body after the metadata block, verbatim Markdown (trimmed of leading/trailing blank lines). */
  description: string;
  /** 0-based order of the task in the file. */
  order: number;
  /** Number of the phase that holds it. */
  phaseNumber: number;
  heading: Heading;
  metadata: TaskMetadata;
  /** Span of the whole task section (heading to next heading of depth ≤ 3). */
  span: Span;
  /** Extra metadata keys besides id / state_hub_task_id / status / priority, kept as strings. */
  extra: Record<string, string>;
}

export interface Phase {
  number: number;
  title: string;
  heading: Heading;
  span: Span;
  tasks: Task[];
}

export type Classification = 'done' | 'cancelled' | 'carry_forward';

export interface ClosureEntry {
  taskId: string;
  title: string;
  classification: Classification;
  /** Note, or the carry-forward target workplan id. */
  note?: string;
  target?: string;
  span: Span;
}

export interface ClosureReview {
  /** `YYYY-MM-DD` from the heading. */
  date: string;
  outcome?: string;
  context?: string;
  entries: ClosureEntry[];
  heading: Heading;
  span: Span;
}

export interface Workplan {
  kind: 'workplan';
  path: string;
  frontmatter: Frontmatter<WorkplanFrontmatter>;
  /** The `# Title` heading. */
  title?: Heading;
  sections: Section[];
  summary?: string;
  context?: string;
  notes?: string;
  dependencies: Dependency[];
  phases: Phase[];
  closureReviews: ClosureReview[];
  /** Line ending used by the file. */
  eol: '\n' | '\r\n';
  hasBom: boolean;
}

/** All tasks of a workplan in file order. */
export function listTasks(workplan: Workplan): Task[] {
  return workplan.phases.flatMap((p) => p.tasks);
}
