// Diagnostics for people (compiler style) and machines (stable JSON). Pure string building.
// Invisible characters in paths, messages and hints are shown escaped (show-invisible.ts).
import type { Diagnostic } from '../model/diagnostic.js';
import { showInvisible } from './show-invisible.js';

/** `path:line:col: error CODE message`, with the hint on an indented second line. */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${showInvisible(d.path)}:${d.span.start.line}:${d.span.start.column}: ${d.severity} ${d.ruleId} ${showInvisible(d.message)}`;
  return d.hint ? `${head}\n    hint: ${showInvisible(d.hint)}` : head;
}

export function formatDiagnosticSummary(diagnostics: readonly Diagnostic[], files: number): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(files, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

/** The documented `--json` shape of one diagnostic (docs/format.md, "Machine output"). */
export function toJsonDiagnostic(d: Diagnostic) {
  return {
    path: d.path,
    line: d.span.start.line,
    column: d.span.start.column,
    endLine: d.span.end.line,
    endColumn: d.span.end.column,
    offset: d.span.start.offset,
    endOffset: d.span.end.offset,
    severity: d.severity,
    ruleId: d.ruleId,
    message: showInvisible(d.message),
    ...(d.hint ? { hint: showInvisible(d.hint) } : {}),
  };
}
