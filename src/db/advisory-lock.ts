// Serialises syncs of one repository across processes (daemon, CLI, cron): the work runs in ONE
// interactive transaction that first takes a transaction-scoped advisory lock ON THAT TRANSACTION'S
// CONNECTION (shared/RELIABILITY.md, "The database"). The lock is released by commit, rollback, or the
// death of the holder's connection, so a killed sync never leaves it held.
//
// The non-blocking variant is tried first (one round trip that also returns whether it got the lock);
// when another sync holds the lock we report the wait once and block under a `lock_timeout`, which
// hands the lock over the instant it is released.
//
// Every write of the engine goes through here, so this is also where its transactions are marked as
// engine writes (`workplan.engine_write`), which the drift triggers skip.
//
// Inside fn use only `tx`. On the embedded store (one PGlite session) a query through the outer client
// waits for this transaction to end: it would stall until the transaction timeout.
import { SyncError } from '../model/errors.js';
import { TransactionStartTimeout, type DirectSql } from './direct-sql.js';
import type { SqlExecutor } from './sql-executor.js';

/**
 * The advisory lock namespace (first key of the two-key form), so our locks can collide neither with
 * another application's single-key locks nor with `prisma migrate`'s (72707369). 0x77707379 = "wpsy".
 */
export const REPOSITORY_LOCK_NAMESPACE = 0x77707379;

export interface RepositoryLockOptions {
  /** How long fn may run once the lock is held, in ms (default 60 s). */
  timeoutMs?: number;
  /** How long to wait for another holder of the lock, in ms (default 30 s). */
  lockWaitMs?: number;
  /** Called once if another sync holds the lock and we wait. */
  onWait?: (message: string) => void;
}

/** Runs `fn` in one transaction holding the repository's advisory lock; returns its result. */
export async function withRepositoryLock<T>(
  sql: DirectSql,
  repositoryKey: string,
  fn: (tx: SqlExecutor) => Promise<T>,
  options: RepositoryLockOptions = {},
): Promise<T> {
  const lockWaitMs = Math.max(1, Math.round(options.lockWaitMs ?? 30_000));
  const timeoutMs = options.timeoutMs ?? 60_000;
  let locked = false;
  try {
    return await sql.transaction(
      async (tx) => {
        // Also marks the transaction's writes as the engine's own (same round trip): the mirror's drift
        // triggers ignore them (prisma/migrations/*_drift_flags).
        const [row] = await tx.$queryRawUnsafe<Array<{ locked: boolean }>>(
          `SELECT pg_try_advisory_xact_lock($1::int4, hashtext($2::text)) AS locked,
                  set_config('workplan.engine_write', 'on', true) AS engine_write`,
          REPOSITORY_LOCK_NAMESPACE,
          repositoryKey,
        );
        if (!row?.locked) {
          options.onWait?.(`Waiting for another sync of ${repositoryKey} to finish …`);
          // SET cannot take a bind parameter; lockWaitMs is an integer we computed.
          await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = ${lockWaitMs}`);
          try {
            await tx.$queryRawUnsafe(
              `SELECT pg_advisory_xact_lock($1::int4, hashtext($2::text))::text`,
              REPOSITORY_LOCK_NAMESPACE,
              repositoryKey,
            );
          } catch (error) {
            if (isLockTimeout(error)) throw lockUnavailable(repositoryKey, lockWaitMs);
            throw error;
          }
          await tx.$executeRawUnsafe('SET LOCAL lock_timeout = DEFAULT');
        }
        locked = true;
        return fn(tx);
      },
      // maxWaitMs: on the embedded store, a transaction waits for PGlite's single session here.
      { maxWaitMs: lockWaitMs, timeoutMs: lockWaitMs + timeoutMs },
    );
  } catch (error) {
    if (!locked && error instanceof TransactionStartTimeout) throw lockUnavailable(repositoryKey, lockWaitMs);
    throw error;
  }
}

function lockUnavailable(repositoryKey: string, waitedMs: number): SyncError {
  return new SyncError(
    'LOCK_UNAVAILABLE',
    `Another sync of ${repositoryKey} held the database lock for over ${Math.round(waitedMs / 100) / 10} s; gave up. The mirror was not changed.`,
    { hint: 'Retry when it has finished; a sync that died releases its lock automatically.' },
  );
}

function isLockTimeout(error: unknown): boolean {
  // 55P03 lock_not_available.
  const e = error as { code?: unknown; message?: unknown };
  return e?.code === '55P03' || (typeof e?.message === 'string' && /55P03|lock timeout/.test(e.message));
}
