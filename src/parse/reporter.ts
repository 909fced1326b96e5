// Collects diagnostics for one file. Pure: diagnostics are data, nothing is printed or thrown.
import type { Diagnostic, Severity, Span } from '../model/diagnostic.js';
import type { LineIndex } from '../model/position.js';

export interface Reporter {
  readonly path: string;
  readonly lines: LineIndex;
  readonly diagnostics: Diagnostic[];
  /** Records a diagnostic between two offsets of the text. */
  report(ruleId: string, start: number, end: number, message: string, hint?: string, severity?: Severity): void;
  /** Records a diagnostic at an existing span. */
  reportAt(ruleId: string, span: Span, message: string, hint?: string, severity?: Severity): void;
}

/** Creates a reporter for `path` whose offsets are resolved with `lines`. */
export function createReporter(path: string, lines: LineIndex, diagnostics: Diagnostic[] = []): Reporter {
  const reportAt = (ruleId: string, span: Span, message: string, hint?: string, severity: Severity = 'error'): void => {
    const d: Diagnostic = { path, span, severity, ruleId, message };
    if (hint !== undefined) d.hint = hint;
    diagnostics.push(d);
  };
  return {
    path,
    lines,
    diagnostics,
    reportAt,
    report: (ruleId, start, end, message, hint, severity) =>
      reportAt(ruleId, lines.spanOf(start, Math.max(start, end)), message, hint, severity),
  };
}

/**
 * The one diagnostic a parser returns when it fails itself: a bug, not a problem in the file, so it
 * is still data and never an exception (the contract of parseWorkplan and parseAdr).
 */
export function internalErrorDiagnostic(path: string, error: unknown, what: string): Diagnostic {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    path,
    span: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
    severity: 'error',
    ruleId: 'internal-error',
    message: `workplan-sync could not parse this ${what} (${reason.slice(0, 200)})`,
    hint: 'This is a bug in workplan-sync, not in your file; please report it with the file attached.',
  };
}
