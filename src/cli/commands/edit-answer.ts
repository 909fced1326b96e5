// Printing an edit's answer and choosing its exit code, for `set`, `add-task`, `new` and `adr new`.
import type { EditView } from '../../index.js';
import { EXIT } from '../exit-codes.js';
import type { CliContext } from '../context.js';
import { renderEdit } from '../render-plan-views.js';

/** Prints the answer (or its JSON); returns the exit code it earns. */
export function reportEdit(ctx: CliContext, view: EditView): number {
  if (ctx.values.json) ctx.out.print(JSON.stringify(view, null, 2));
  else {
    const { stdout, stderr } = renderEdit(view);
    for (const line of stdout) ctx.out.print(line);
    for (const line of stderr) ctx.out.error(line);
  }
  if (view.outcome === 'refused') return view.reason === 'not-found' || view.reason === 'ambiguous' ? EXIT.usage : EXIT.invalid;
  if (view.sync?.writeBacks.some((w) => w.outcome !== 'written')) return EXIT.conflict;
  return EXIT.ok;
}
