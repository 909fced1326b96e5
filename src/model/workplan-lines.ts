// Source lines of a parsed workplan's parts, keyed the way the mirror keys them (phase number,
// dependency and closure-review position), so an answer read from the mirror can say `file:line`
// for parts the mirror does not store lines of. Pure.
import type { Workplan } from './workplan.js';

export interface WorkplanLines {
  phases: Map<number, number>;
  dependencies: Map<number, number>;
  closureReviews: Map<number, number>;
}

/** Lines of the phases (by number), dependencies and closure reviews (by position in the file). */
export function readWorkplanLines(workplan: Workplan): WorkplanLines {
  return {
    phases: new Map(workplan.phases.map((p) => [p.number, p.heading.span.start.line])),
    dependencies: new Map(workplan.dependencies.map((d, i) => [i, d.span.start.line])),
    closureReviews: new Map(workplan.closureReviews.map((r, i) => [i, r.heading.span.start.line])),
  };
}

/** No lines known (the file is not this repository's, or it changed since it was synced). */
export function noWorkplanLines(): WorkplanLines {
  return { phases: new Map(), dependencies: new Map(), closureReviews: new Map() };
}
