// Retry delays for the watch daemon when the mirror is unreachable: exponential, capped. Pure.

export interface BackoffOptions {
  /** First delay in ms (default 500). */
  initialMs?: number;
  /** Largest delay in ms (default 30 s). */
  maxMs?: number;
}

/** The delay before retry number `attempt` (0-based): initial · 2^attempt, at most maxMs. */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}): number {
  const initial = Math.max(1, options.initialMs ?? 500);
  const max = Math.max(initial, options.maxMs ?? 30_000);
  return Math.min(max, initial * 2 ** Math.min(attempt, 30));
}
