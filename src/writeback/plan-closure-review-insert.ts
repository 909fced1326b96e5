// Where a generated Closure Review (or an addendum to one) goes in a workplan file. Pure; only
// inserts, never changes a byte that is already there (planSectionInsert).
// - A new review goes after the last existing Closure Review section, else at the end of the file.
// - At most one review per date: when a review of that date exists, no second one is planned
//   (callers append an addendum subsection inside it instead; docs/format.md).
import type { TextEdit } from '../model/text-edit.js';
import type { ClosureReview, Workplan } from '../model/workplan.js';
import { planSectionInsert } from './plan-section-insert.js';

/** The existing Closure Review of `date`, if any. */
export function findClosureReview(workplan: Workplan, date: string): ClosureReview | undefined {
  return workplan.closureReviews.find((r) => r.date === date);
}

/** Offset where a new review section starts: the end of the last review section, else the end of the text. */
export function findClosureReviewOffset(workplan: Workplan, text: string): number {
  const last = workplan.closureReviews[workplan.closureReviews.length - 1];
  return last ? last.span.end.offset : text.length;
}

/**
 * Inserts a whole `## Closure Review — <date>` section; undefined (nothing to do) when the workplan
 * already has a review of that date.
 */
export function planClosureReviewInsert(text: string, workplan: Workplan, date: string, markdown: string): TextEdit | undefined {
  if (findClosureReview(workplan, date)) return undefined;
  return planSectionInsert(text, findClosureReviewOffset(workplan, text), markdown, workplan.eol);
}

/** Appends a `###` subsection at the end of an existing review section. */
export function planClosureAddendumInsert(text: string, workplan: Workplan, review: ClosureReview, markdown: string): TextEdit {
  return planSectionInsert(text, review.span.end.offset, markdown, workplan.eol);
}
