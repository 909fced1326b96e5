// The database connection the schema engine migrates through: a Prisma driver adapter on one
// dedicated connection, whose `executeScript` runs a whole migration as ONE simple-protocol query.
//
// Why not the stock adapters: @prisma/adapter-pg splits scripts on ";" and runs the pieces one by one
// (breaking string literals and function bodies, and committing a failed migration's first half), and
// pglite-prisma-adapter does not await `exec`, so a failing migration is recorded as applied. A
// multi-statement simple query is one implicit transaction in Postgres: a migration either applies
// whole or not at all (statements that refuse to run in a transaction, e.g. CREATE INDEX
// CONCURRENTLY, cannot be used in our migrations).
//
// Why one connection: the engine takes the session-level `pg_advisory_lock(72707369)` (the same lock
// the native `prisma migrate deploy` takes) through the adapter and never releases it; on a pool that
// lock would stay with some pooled connection. Closing this connection releases it.
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { DriverAdapterError, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';

import type { DatabaseUrl } from './connection-url.js';

/** Where to migrate: a Postgres server, or an open embedded PGlite database. */
export type MigrationTarget =
  | { kind: 'postgres'; databaseUrl: DatabaseUrl; connectTimeoutMs: number }
  | { kind: 'embedded'; pglite: PGlite };

/** One connection for the schema engine, plus raw queries on that same connection. */
export interface MigrationConnection {
  readonly factory: SqlMigrationAwareDriverAdapterFactory;
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** The last error a migration script raised, as the driver reported it. */
  readonly lastScriptError: unknown;
  close(): Promise<void>;
}

/** Opens the single connection the schema engine will use. */
export async function openMigrationConnection(target: MigrationTarget): Promise<MigrationConnection> {
  let lastScriptError: unknown;
  const runScript = async (run: () => Promise<unknown>): Promise<void> => {
    try {
      await run();
    } catch (error) {
      lastScriptError = error;
      throw toDriverAdapterError(error);
    }
  };

  if (target.kind === 'embedded') {
    const { pglite } = target;
    const base = new PrismaPGlite(pglite);
    const factory: SqlMigrationAwareDriverAdapterFactory = {
      provider: base.provider,
      adapterName: base.adapterName,
      connect: async () => withScriptRunner(await base.connect(), (script) => runScript(() => pglite.exec(script))),
      connectToShadowDb: async () => {
        throw new Error('The embedded store has no shadow database.');
      },
    };
    return {
      factory,
      query: async <Row>(sql: string, params: unknown[] = []) => (await pglite.query<Row>(sql, params)).rows,
      get lastScriptError() {
        return lastScriptError;
      },
      // The engine's session advisory lock would outlive the migration on PGlite's single session.
      close: async () => {
        await pglite.query('SELECT pg_advisory_unlock_all()');
      },
    };
  }

  const pool = new pg.Pool({
    connectionString: target.databaseUrl.connectionString,
    max: 1,
    idleTimeoutMillis: 0, // never drop the connection (and with it the engine's advisory lock) mid-run
    connectionTimeoutMillis: target.connectTimeoutMs,
    application_name: 'workplan-sync migrate',
  });
  pool.on('error', () => {
    // An idle-client error surfaces on the next query; it must not crash the process.
  });
  const base = new PrismaPg(asAdapterPool(pool));
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => withCharColumnsAsText(withScriptRunner(await base.connect(), (script) => runScript(() => pool.query(script)))),
    connectToShadowDb: async () => {
      throw new Error('Applying migrations needs no shadow database.');
    },
  };
  return {
    factory,
    query: async <Row>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as Row[],
    get lastScriptError() {
      return lastScriptError;
    },
    close: () => pool.end(),
  };
}

/**
 * @prisma/adapter-pg is typed against a newer @types/pg than ours (same runtime `pg`, deduplicated):
 * the Pool types differ only in declarations.
 */
export function asAdapterPool(pool: pg.Pool): ConstructorParameters<typeof PrismaPg>[0] {
  return pool as unknown as ConstructorParameters<typeof PrismaPg>[0];
}

/** The adapter with `executeScript` replaced; everything else is delegated through the prototype. */
function withScriptRunner(adapter: SqlDriverAdapter, executeScript: (script: string) => Promise<void>): SqlDriverAdapter {
  const wrapped = Object.create(adapter) as SqlDriverAdapter;
  Object.defineProperty(wrapped, 'executeScript', { value: executeScript });
  return wrapped;
}

/**
 * @prisma/adapter-pg refuses result columns of Postgres's internal `"char"` type (oid 18), which the
 * schema engine's catalogue queries return when it describes a database (`relkind`, `contype`, …).
 * pg already decodes them as strings: the adapter is told they are text.
 */
function withCharColumnsAsText(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const queryable = adapter as SqlDriverAdapter & { performIO?: (query: unknown) => Promise<{ fields?: Array<{ dataTypeID: number }> }> };
  const performIO = queryable.performIO;
  if (typeof performIO !== 'function') return adapter;
  const wrapped = Object.create(adapter) as SqlDriverAdapter;
  Object.defineProperty(wrapped, 'performIO', {
    value: async (query: unknown) => {
      const result = await performIO.call(adapter, query);
      for (const field of result.fields ?? []) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
      return result;
    },
  });
  return wrapped;
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/** The engine formats Postgres errors it receives in this shape into its own messages. */
function toDriverAdapterError(error: unknown): DriverAdapterError {
  if (error instanceof DriverAdapterError) return error;
  const e = (error ?? {}) as Partial<Record<'code' | 'severity' | 'message' | 'detail' | 'column' | 'hint', unknown>>;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  return new DriverAdapterError({
    kind: 'postgres',
    code: text(e.code) ?? 'N/A',
    severity: text(e.severity) ?? 'ERROR',
    message: text(e.message) ?? String(error),
    detail: text(e.detail),
    column: text(e.column),
    hint: text(e.hint),
  });
}
