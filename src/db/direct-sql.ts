// The engine's raw SQL, sent straight to the driver (pg, or PGlite in-process) instead of through
// Prisma's client. Adapter.
//
// Why: every statement the engine runs is raw, set-based SQL with a JSON payload, and Prisma's raw
// path copies that payload several times (serialised into its request, into the query compiler's
// WebAssembly memory and back) before the driver sends it. Measured with one 1.45 MB payload: 22 ms a
// statement and a 177 MB heap through Prisma, 10 ms and 16 MB through pg (ADR 7). Prisma keeps the
// schema, the migrations and the typed client for everything that is not the engine's own SQL.
//
// Values come back as Prisma's raw queries return them, so the SQL modules cannot tell the
// difference: int8 as BigInt, timestamps as Date, json as parsed values, arrays as arrays.
import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import type { CustomTypesConfig, Pool, PoolClient } from 'pg';
import type { SqlExecutor } from './sql-executor.js';

/** A connection-level session the engine runs its SQL on; `transaction` runs fn in one transaction on one connection. */
export interface DirectSql {
  readonly db: SqlExecutor;
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, limits: TransactionLimits): Promise<T>;
}

export interface TransactionLimits {
  /** How long to wait for a connection (or, embedded, for the single session) before TransactionStartTimeout. */
  maxWaitMs: number;
  /** How long fn may run; after it the transaction is rolled back and its next statement fails. */
  timeoutMs: number;
}

/** The transaction could not start in time (no connection, or the embedded session stayed busy). */
export class TransactionStartTimeout extends Error {
  constructor(waitedMs: number) {
    super(`Unable to start a transaction in the given time (${waitedMs} ms).`);
    this.name = 'TransactionStartTimeout';
  }
}

/** The transaction ran past its timeout and was rolled back. */
export class TransactionExpired extends Error {
  constructor(timeoutMs: number) {
    super(`Transaction already closed: it ran longer than its ${timeoutMs} ms timeout and was rolled back.`);
    this.name = 'TransactionExpired';
  }
}

const INT8 = 20;

/** The engine's SQL on a pg pool (the Postgres store); `pgTypes` are pg's own parsers (its `types` export). */
export function pgDirectSql(pool: Pool, pgTypes: CustomTypesConfig): DirectSql {
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8 && format !== 'binary'
        ? (value: string) => BigInt(value)
        : pgTypes.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
  };
  const executor = (run: Run<{ rows: unknown[]; rowCount: number | null }>) => executorOver(run, (r) => r.rowCount);
  return {
    db: executor((text, values) => pool.query({ text, values, types })),
    async transaction(fn, limits) {
      const client = await withStartTimeout(pool.connect(), limits.maxWaitMs, (late: PoolClient) => late.release());
      const guard = expiry(limits.timeoutMs);
      let broken: Error | undefined;
      // A checked-out client whose connection dies emits 'error' (the pool listens only to idle ones):
      // unheard, it would crash the process. The statement in flight fails with it anyway.
      const onError = (error: Error) => (broken = error);
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(
          executor(async (text, values) => {
            guard.check();
            return client.query({ text, values, types });
          }),
        );
        guard.check();
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A failed ROLLBACK (the connection is gone) must not replace the error that got us here.
        await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
      } finally {
        guard.stop();
        client.off('error', onError);
        // A client that failed is destroyed, not returned to the pool.
        client.release(broken);
      }
    },
  };
}

/** The engine's SQL on PGlite (the embedded store): one session, whose transactions PGlite serialises. */
export function pgliteDirectSql(pglite: PGlite): DirectSql {
  const options = { parsers: { [INT8]: (value: string) => BigInt(value) } };
  const executor = (run: Run<{ rows: unknown[]; affectedRows?: number }>) => executorOver(run, (r) => r.affectedRows);
  return {
    db: executor((sql, values) => pglite.query(sql, values, options)),
    async transaction(fn, limits) {
      // PGlite runs one transaction at a time: waiting for the session is waiting for a connection.
      let started: () => void = () => undefined;
      const start = new Promise<void>((resolve) => (started = resolve));
      let abandoned = false;
      let outcome: Promise<unknown> | undefined;
      const run = pglite.transaction(async (tx: PGliteTransaction) => {
        started();
        if (abandoned) throw new TransactionStartTimeout(limits.maxWaitMs);
        const guard = expiry(limits.timeoutMs);
        try {
          const result = await fn(
            executor(async (sql, values) => {
              guard.check();
              return tx.query(sql, values, options);
            }),
          );
          guard.check();
          return result;
        } finally {
          guard.stop();
        }
      });
      outcome = run;
      run.catch(() => undefined); // awaited below unless the wait was abandoned
      try {
        await withStartTimeout(start, limits.maxWaitMs, () => undefined);
      } catch (error) {
        abandoned = true;
        throw error;
      }
      return (await outcome) as Awaited<ReturnType<typeof fn>>;
    },
  };
}

type Run<R> = (sql: string, values: unknown[]) => Promise<R>;

/** The SqlExecutor over a driver's query function; `affected` reads the changed-row count from its result. */
function executorOver<R extends { rows: unknown[] }>(run: Run<R>, affected: (result: R) => number | null | undefined): SqlExecutor {
  return {
    $queryRawUnsafe: async <T>(sql: string, ...values: unknown[]) => (await run(sql, values)).rows as T,
    $executeRawUnsafe: async (sql: string, ...values: unknown[]) => affected(await run(sql, values)) ?? 0,
  };
}

/** `started`, or TransactionStartTimeout after `maxWaitMs`; what arrives late is handed to `giveBack`. */
async function withStartTimeout<T>(started: Promise<T>, maxWaitMs: number, giveBack: (late: T) => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  try {
    return await Promise.race([
      started,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut = true;
          reject(new TransactionStartTimeout(maxWaitMs));
        }, maxWaitMs);
      }),
    ]);
  } catch (error) {
    if (timedOut) started.then(giveBack, () => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** The transaction's deadline: statements after it fail, so fn's error rolls the transaction back. */
function expiry(timeoutMs: number): { check(): void; stop(): void } {
  let expired = false;
  const timer = setTimeout(() => (expired = true), timeoutMs);
  timer.unref?.();
  return {
    check() {
      if (expired) throw new TransactionExpired(timeoutMs);
    },
    stop: () => clearTimeout(timer),
  };
}
