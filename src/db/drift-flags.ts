// The mirror's drift flags (`drift_suspected` on workstreams and ADRs) are set by triggers when rows
// are written outside the engine (prisma/migrations/*_drift_flags). A sync that re-read such a file
// and restored its rows from it settles the flag; so does the removal of a file that is gone.
import type { MirrorIndexEntry } from '../reconcile/rows.js';
import { jsonTextArray, type SqlExecutor } from './sql-executor.js';

/** Clears the flags of the given index entries. Runs inside the engine's transaction (its writes are not flagged). */
export async function clearDriftFlags(tx: SqlExecutor, entries: readonly MirrorIndexEntry[]): Promise<void> {
  const ids = (kind: MirrorIndexEntry['kind']) => JSON.stringify(entries.filter((e) => e.kind === kind).map((e) => e.id));
  if (entries.some((e) => e.kind === 'workstream')) {
    await tx.$executeRawUnsafe(
      `UPDATE workstreams SET drift_suspected = false WHERE id = ANY(${jsonTextArray(1)}::uuid[]) AND drift_suspected`,
      ids('workstream'),
    );
  }
  if (entries.some((e) => e.kind === 'adr')) {
    await tx.$executeRawUnsafe(
      `UPDATE adrs SET drift_suspected = false WHERE id = ANY(${jsonTextArray(1)}::uuid[]) AND drift_suspected`,
      ids('adr'),
    );
  }
}
