// How the fast Markdown paths (markdown-fast-blocks.ts, markdown-fast-inline.ts) give up: a line or
// construct they do not read exactly throws a FastPathDeclined, and the caller hands that part of the
// text to micromark. Pure.

/** Thrown where the fast path is unsure; `reason` names the construct (for tests and the ADR's counts). */
export class FastPathDeclined extends Error {
  constructor(readonly reason: string) {
    super(`fast Markdown path declined: ${reason}`);
  }
}

/** Gives up the fast path here. */
export function declineFastPath(reason: string): never {
  throw new FastPathDeclined(reason);
}
