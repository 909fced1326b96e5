// Builds an organisation-scale shared mirror cheaply: set-based SQL copies of one synced repository's
// rows under other repository ids, instead of N full syncs (one INSERT … SELECT per table for all
// copies at once). Every uuid a row holds (its id and the ids it references) is mapped the same way in
// every table — md5(old id ‖ copy number) — so the copies keep their internal references; the
// repository id is the copy's and a domain (shared by all repositories) is kept. Events are not copied.
// Each copy's rows are inserted together (ORDER BY copy), as that repository's own cold sync would
// write them: copies interleaved row by row would put every task of a workplan on a different page,
// a layout no sequence of syncs produces, and measure that instead of the queries.
// Bench only: it writes the engine's tables directly, which nothing else may do.
import type pg from 'pg';

/** The mirrored tables in the order their references need, and how to find one repository's rows. */
const TABLES: Array<{ table: string; ofRepository: string }> = [
  { table: 'workstreams', ofRepository: 't.repository_id = $1::uuid' },
  { table: 'phases', ofRepository: 't.workstream_id IN (SELECT id FROM workstreams WHERE repository_id = $1::uuid)' },
  { table: 'tasks', ofRepository: 't.repository_id = $1::uuid' },
  { table: 'dependencies', ofRepository: 't.workstream_id IN (SELECT id FROM workstreams WHERE repository_id = $1::uuid)' },
  { table: 'closure_reviews', ofRepository: 't.workstream_id IN (SELECT id FROM workstreams WHERE repository_id = $1::uuid)' },
  {
    table: 'closure_entries',
    ofRepository:
      't.closure_review_id IN (SELECT c.id FROM closure_reviews c JOIN workstreams w ON w.id = c.workstream_id WHERE w.repository_id = $1::uuid)',
  },
  { table: 'adrs', ofRepository: 't.repository_id = $1::uuid' },
  { table: 'sync_runs', ofRepository: 't.repository_id = $1::uuid' },
];

export interface CloneResult {
  copies: number;
  /** Rows per table in the whole mirror afterwards. */
  rows: Record<string, number>;
  ms: number;
}

/**
 * Adds `copies` copies of repository `sourceId` (slugs `<slugPrefix>-1` …) in one transaction, then
 * ANALYZEs, as autovacuum would soon after a bulk load.
 */
export async function cloneRepository(client: pg.Client, sourceId: string, copies: number, slugPrefix: string): Promise<CloneResult> {
  const started = performance.now();
  await client.query('BEGIN');
  try {
    await client.query(
      `CREATE TEMP TABLE bench_copies ON COMMIT DROP AS
      SELECT n, md5($1::text || ':repository:' || n)::uuid AS id, $2::text || '-' || n AS slug
        FROM generate_series(1, $3::int) AS n`,
      [sourceId, slugPrefix, copies],
    );
    await client.query(
      `INSERT INTO repositories (${await columnList(client, 'repositories')})
       SELECT ${(await columnsOf(client, 'repositories'))
         .map((c) =>
           c.name === 'id' ? 'c.id' : c.name === 'slug' ? 'c.slug' : c.name === 'root' ? `t.root || '/' || c.slug` : `t.${c.name}`,
         )
         .join(', ')}
         FROM repositories t CROSS JOIN bench_copies c WHERE t.id = $1::uuid`,
      [sourceId],
    );
    for (const { table, ofRepository } of TABLES) {
      const columns = await columnsOf(client, table);
      const select = columns.map((c) => copiedValue(c)).join(', ');
      await client.query(
        `INSERT INTO ${table} (${columns.map((c) => c.name).join(', ')})
         SELECT ${select} FROM bench_copies c CROSS JOIN ${table} t WHERE ${ofRepository} ORDER BY c.n`,
        [sourceId],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  await client.query('ANALYZE');
  // The copies are only worth measuring if their references stayed inside each copy.
  const crossed = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM tasks t JOIN workstreams w ON w.id = t.workstream_id WHERE w.repository_id <> t.repository_id`,
  );
  if (Number(crossed.rows[0]!.n) !== 0)
    throw new Error(`clone: ${crossed.rows[0]!.n} copied tasks reference another repository's workstream`);
  const rows: Record<string, number> = {};
  for (const { table } of [{ table: 'repositories' }, ...TABLES]) {
    rows[table] = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  }
  return { copies, rows, ms: performance.now() - started };
}

interface Column {
  name: string;
  type: string;
}

async function columnsOf(client: pg.Client, table: string): Promise<Column[]> {
  const r = await client.query<{ name: string; type: string }>(
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER'
      ORDER BY ordinal_position`,
    [table],
  );
  if (r.rows.length === 0) throw new Error(`clone: no table ${table}`);
  return r.rows;
}

async function columnList(client: pg.Client, table: string): Promise<string> {
  return (await columnsOf(client, table)).map((c) => c.name).join(', ');
}

/** A row's id and the uuids it references map to the copy's; the repository is the copy; a domain is shared. */
function copiedValue(c: Column): string {
  if (c.name === 'repository_id') return 'c.id';
  if (c.type === 'uuid' && c.name !== 'domain_id' && (c.name === 'id' || c.name.endsWith('_id')))
    return `md5(t.${c.name}::text || ':' || c.n)::uuid`;
  return `t.${c.name}`;
}
