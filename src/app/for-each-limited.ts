// Runs an async step over items with at most `limit` in flight (reads and fsyncs overlap; memory stays bounded).
import pLimit from 'p-limit';

/** Calls `fn` for every item, at most `limit` at a time; resolves when all are done. */
export async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const run = pLimit(limit);
  await Promise.all(items.map((item) => run(() => fn(item))));
}
