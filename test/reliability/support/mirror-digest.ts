// A digest of the whole mirror: every table but `_prisma_migrations` and `schema_state` (schema bookkeeping), every row, every column except
// timestamps (set by the server's clock). Two mirrors with equal digests hold the same rows. Used
// to prove "wholly old or wholly new" after a fault, and "converges to a clean single sync".
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Store } from '../../../src/db/store.js';
import {
  adrFingerprintSql,
  dependencyFingerprintSql,
  taskFingerprintSql,
  workstreamFingerprintSql,
} from '../../../src/db/fingerprint-sql.js';

/** Runs one SQL query and returns its rows. */
export type QueryRows = <Row = Record<string, unknown>>(sql: string) => Promise<Row[]>;

export interface DigestOptions {
  /** Leave out uuid columns (ids chosen by randomUUID differ between otherwise equal runs). */
  withoutUuids?: boolean;
  /** Tables to leave out, e.g. `sync_runs` (a run's own bookkeeping) when comparing convergence. */
  withoutTables?: string[];
  /** Columns to leave out, as `table.column`. */
  withoutColumns?: string[];
}

/** A sync's own bookkeeping: its run records and the repository's count of applied syncs. */
export const SYNC_BOOKKEEPING = { withoutTables: ['sync_runs'], withoutColumns: ['repositories.sync_generation'] };

/** The hashes of a written-back workplan cover the ids in it: leave them out with withoutUuids. */
export const FILE_HASH_COLUMNS = ['workstreams.content_hash', 'workstreams.git_blob'];

export interface MirrorDigest {
  digest: string;
  /** Row counts and content hash per table. */
  tables: Record<string, { rows: number; hash: string }>;
  /** Every row as text, per table (for messages when two digests differ). */
  rows: Record<string, string[]>;
}

/** The rows that are in one digest and not in the other, per table: what a failed comparison prints. */
export function diffDigests(a: MirrorDigest, b: MirrorDigest): string {
  const out: string[] = [];
  for (const table of new Set([...Object.keys(a.rows), ...Object.keys(b.rows)])) {
    const left = new Set(a.rows[table] ?? []);
    const right = new Set(b.rows[table] ?? []);
    for (const r of left) if (!right.has(r)) out.push(`- ${table} ${r}`);
    for (const r of right) if (!left.has(r)) out.push(`+ ${table} ${r}`);
  }
  return out.slice(0, 40).join('\n');
}

/** Queries through an open store (embedded or Postgres). */
export function storeQuery(store: Store): QueryRows {
  return <Row>(sql: string) => store.prisma.$queryRawUnsafe<Row[]>(sql);
}

/** Queries through a short-lived pg client on `url`. */
export async function withPgQuery<T>(url: string, fn: (query: QueryRows) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(async <Row>(sql: string) => (await client.query(sql)).rows as Row[]);
  } finally {
    await client.end();
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Columns the server fills with gen_random_uuid() (phases and closure reviews are rewritten as a
 * whole): left out, and references to them replaced by the natural key of the row they point to.
 */
const SERVER_IDS: Record<string, string | null> = {
  'phases.id': null,
  'closure_reviews.id': null,
  'closure_entries.id': null,
  'tasks.phase_id': "(SELECT p.workstream_id::text || '#' || p.number FROM phases p WHERE p.id = tasks.phase_id)",
  'closure_entries.closure_review_id':
    "(SELECT c.workstream_id::text || '@' || c.review_date || '#' || c.position FROM closure_reviews c WHERE c.id = closure_entries.closure_review_id)",
  // A task's fingerprint covers its (server-random) phase_id: only whether it matches the row counts.
  'tasks.sync_fingerprint': `(tasks.sync_fingerprint = ${taskFingerprintSql('tasks')})`,
  'workstreams.sync_fingerprint': `(workstreams.sync_fingerprint = ${workstreamFingerprintSql('workstreams')})`,
  'dependencies.sync_fingerprint': `(dependencies.sync_fingerprint = ${dependencyFingerprintSql('dependencies')})`,
  'adrs.sync_fingerprint': `(adrs.sync_fingerprint = ${adrFingerprintSql('adrs')})`,
};

/** The digest of every mirror table reachable through `query`. */
export async function digestMirror(query: QueryRows, options: DigestOptions = {}): Promise<MirrorDigest> {
  const columns = await query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT table_name::text AS table_name, column_name::text AS column_name, data_type::text AS data_type
       FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name NOT IN ('_prisma_migrations', 'schema_state')
      ORDER BY table_name, ordinal_position`,
  );
  const byTable = new Map<string, string[]>();
  for (const c of columns) {
    if (options.withoutTables?.includes(c.table_name)) continue;
    if (!byTable.has(c.table_name)) byTable.set(c.table_name, []);
    // Timestamps come from the server's clock: only whether one is set counts (removed_at!).
    if (c.data_type.startsWith('timestamp')) {
      byTable.get(c.table_name)!.push(`(${quote(c.column_name)} IS NULL)`);
      continue;
    }
    if (options.withoutUuids && c.data_type === 'uuid') continue;
    const key = `${c.table_name}.${c.column_name}`;
    if (options.withoutColumns?.includes(key)) continue;
    if (key in SERVER_IDS) {
      const expression = SERVER_IDS[key];
      if (expression) byTable.get(c.table_name)!.push(expression);
      continue;
    }
    byTable.get(c.table_name)!.push(quote(c.column_name));
  }
  const tables: MirrorDigest['tables'] = {};
  const rows: MirrorDigest['rows'] = {};
  for (const [table, cols] of [...byTable].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const list = cols.length > 0 ? cols.join(', ') : 'NULL';
    const texts = await query<{ r: string }>(`SELECT (ROW(${list}, NULL))::text AS r FROM ${quote(table)} AS ${quote(table)} ORDER BY 1`);
    const sorted = texts.map((t) => t.r).sort();
    rows[table] = sorted;
    tables[table] = { rows: sorted.length, hash: sorted.length === 0 ? '' : createHash('md5').update(sorted.join('\n')).digest('hex') };
  }
  const digest = createHash('sha256').update(JSON.stringify(tables)).digest('hex').slice(0, 16);
  return { digest, tables, rows };
}

/** Live (not removed) rows per table, for "rows lost" figures. */
export function liveRowCount(d: MirrorDigest): number {
  return Object.values(d.tables).reduce((n, t) => n + t.rows, 0);
}
