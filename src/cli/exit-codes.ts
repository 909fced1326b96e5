// The one place where outcomes become process exit codes. Codes are documented in the README and
// never change meaning.
import type { SyncErrorCode } from '../model/errors.js';

export const EXIT = {
  ok: 0,
  /** Validation errors in the files (diagnostics). */
  invalid: 1,
  /** Bad command line. */
  usage: 2,
  /** A file changed between read and write-back; nothing was overwritten. */
  conflict: 3,
  /** Another process holds the store or the repository lock. */
  locked: 4,
  /** The database is unreachable or its URL is invalid. */
  database: 5,
  /** A migration failed. */
  migration: 6,
  /** The sync would remove too many rows. */
  massRemoval: 7,
  /** A path outside the repository, a file too large, or other refused input. */
  refused: 8,
  /** The mirror's schema differs from what the migrations make. */
  schema: 9,
  /** A bug. */
  internal: 70,
  /** Interrupted by SIGINT / SIGTERM. */
  sigint: 130,
  sigterm: 143,
} as const;

export function exitCodeFor(code: SyncErrorCode): number {
  switch (code) {
    case 'WRITE_CONFLICT':
      return EXIT.conflict;
    case 'LOCK_UNAVAILABLE':
      return EXIT.locked;
    case 'DB_UNREACHABLE':
    case 'DB_URL_INVALID':
      return EXIT.database;
    case 'MIGRATION_FAILED':
      return EXIT.migration;
    case 'MASS_REMOVAL_REFUSED':
      return EXIT.massRemoval;
    case 'PATH_OUTSIDE_ROOT':
    case 'FILE_TOO_LARGE':
    case 'INVALID_INPUT':
      return EXIT.refused;
    case 'SCHEMA_MISMATCH':
      return EXIT.schema;
    case 'INTERNAL':
      return EXIT.internal;
  }
}
