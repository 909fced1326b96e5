// Typed errors for exceptional conditions (not problems in a user's files: those are Diagnostics).
// Pure. Each code is permanent: the CLI maps codes to exit codes in exactly one place, and
// users may search for them. Messages say what happened and what state things are in
// ("… nothing was written."); `hint` says what to do.

/** Permanent error codes. Never rename one; add new ones at the end. */
export type SyncErrorCode =
  | 'WRITE_CONFLICT'
  | 'PATH_OUTSIDE_ROOT'
  | 'FILE_TOO_LARGE'
  | 'LOCK_UNAVAILABLE'
  | 'DB_UNREACHABLE'
  | 'DB_URL_INVALID'
  | 'MIGRATION_FAILED'
  | 'MASS_REMOVAL_REFUSED'
  | 'INVALID_INPUT'
  | 'INTERNAL'
  /** The mirror's schema differs from what the migrations make (changed by hand). */
  | 'SCHEMA_MISMATCH';

/** Every code, for code that receives one as text (the watch daemon's answers). */
export const SYNC_ERROR_CODES: readonly SyncErrorCode[] = [
  'WRITE_CONFLICT',
  'PATH_OUTSIDE_ROOT',
  'FILE_TOO_LARGE',
  'LOCK_UNAVAILABLE',
  'DB_UNREACHABLE',
  'DB_URL_INVALID',
  'MIGRATION_FAILED',
  'MASS_REMOVAL_REFUSED',
  'INVALID_INPUT',
  'INTERNAL',
];

/** True when `code` is one of the permanent codes. */
export function isSyncErrorCode(code: unknown): code is SyncErrorCode {
  return typeof code === 'string' && (SYNC_ERROR_CODES as readonly string[]).includes(code);
}

export interface SyncErrorOptions {
  /** What the user can do about it. */
  hint?: string;
  /** The underlying error, kept for debugging (never printed with secrets). */
  cause?: unknown;
}

/** An exceptional condition with a permanent code. */
export class SyncError extends Error {
  readonly code: SyncErrorCode;
  readonly hint: string | undefined;

  constructor(code: SyncErrorCode, message: string, options: SyncErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SyncError';
    this.code = code;
    this.hint = options.hint;
  }
}

/** True when `error` is a SyncError (optionally with the given code). */
export function isSyncError(error: unknown, code?: SyncErrorCode): error is SyncError {
  return error instanceof SyncError && (code === undefined || error.code === code);
}
