// Diagnostics: expected problems in a user's files, as data (never thrown).
// Pure. Lines and columns are 1-based; offsets are 0-based indices into the decoded text
// (JavaScript string units, after BOM removal is NOT applied: offset 0 is the first character
// of the text as decoded, which may be a BOM).

export interface Position {
  /** 1-based line number. */
  line: number;
  /** 1-based column (in string units). */
  column: number;
  /** 0-based offset into the text. */
  offset: number;
}

export interface Span {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Repository-relative POSIX path (or the path as given by the caller). */
  path: string;
  span: Span;
  severity: Severity;
  /** Permanent rule identifier, kebab-case, e.g. `task-status-invalid`. */
  ruleId: string;
  /** What is wrong, naming the offending value. */
  message: string;
  /** How to fix it. */
  hint?: string;
}

/** The result of every parser: a value when the input could be understood, and all diagnostics. */
export interface ParseResult<T> {
  value: T | undefined;
  diagnostics: Diagnostic[];
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
