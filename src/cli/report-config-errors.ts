// The answer of every command to a configuration with errors: its diagnostics, and "nothing was done".
import type { Diagnostic } from '../model/diagnostic.js';
import { EXIT } from './exit-codes.js';
import { formatDiagnostic, toJsonDiagnostic } from './render-diagnostics.js';
import type { CliContext } from './context.js';

/** Prints the configuration's diagnostics (JSON with --json) and returns the exit code for invalid input. */
export function reportConfigErrors(ctx: CliContext, diagnostics: Diagnostic[]): number {
  if (ctx.values.json) {
    ctx.out.print(JSON.stringify({ version: 1, ok: false, diagnostics: diagnostics.map(toJsonDiagnostic) }, null, 2));
  } else {
    for (const d of diagnostics) ctx.out.print(formatDiagnostic(d));
    ctx.out.error('workplan: the configuration has errors; nothing was done.');
  }
  return EXIT.invalid;
}
