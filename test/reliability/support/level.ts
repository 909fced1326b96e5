// How hard the reliability suite pushes. `npm test` runs the short version (CI); set
// WORKPLAN_RELIABILITY=long (npm run test:reliability:long) for the long one: the same scenarios
// with more iterations and longer timeouts. Nothing else differs between the two.

/** True when the long version was asked for. */
export const LONG = process.env.WORKPLAN_RELIABILITY === 'long';

/** WORKPLAN_RELIABILITY_RUNS=<n> forces every scenario's iteration count (for debugging one scenario). */
const FORCED = Number(process.env.WORKPLAN_RELIABILITY_RUNS ?? '') || undefined;

/** The iteration count for this run: `short` in CI, `long` when WORKPLAN_RELIABILITY=long. */
export function iterations(short: number, long: number): number {
  return FORCED ?? (LONG ? long : short);
}

/** A test timeout that grows with the iteration count (ms). */
export function budgetMs(shortMs: number, longMs: number): number {
  return LONG ? longMs : shortMs;
}
