// Whether the mirror's schema is still what the migrations make. A column dropped or a table removed by
// hand must be named, not crashed on (exit 70 with "column t.priority does not exist") nor missed.
//
// Two checks. The cheap one runs on every open: one catalogue query hashes the mirror's tables,
// columns, indexes, constraints, triggers and functions, and compares the hash with the one recorded
// in `schema_state` when the schema was last known to be right (a fresh database or an upgrade of a
// right one needs no more than that). The full one runs only when they differ, or when nothing was
// recorded yet (a mirror made by an older version): the wasm schema engine replays the migrations
// into an in-memory PGlite and diffs that with the live database (tables, columns, indexes, keys),
// and the hand-written objects Prisma does not model (triggers, functions) are compared from the same
// replay. A clean comparison records the hash; differences are a SyncError SCHEMA_MISMATCH, listed.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { SyncError } from '../model/errors.js';
import { DEFAULT_MIGRATIONS_DIR, readMigrationFiles, runSchemaEngineExclusively, type QueryFn } from './migrate.js';
import type { MigrationTarget } from './migration-connection.js';

/** The tables the migrations create (a test keeps this list equal to them). Others in the schema are not ours. */
export const MIRROR_TABLES = [
  'adrs',
  'closure_entries',
  'closure_reviews',
  'dependencies',
  'domains',
  'events',
  'phases',
  'repositories',
  'schema_state',
  'sync_runs',
  'tasks',
  'workstreams',
] as const;

/** Our hand-written functions are named so (migration 20261125174239_drift_flags). */
const FUNCTION_PREFIX = 'workplan\\_%';

/** One row per catalogue object of the mirror's tables: kind, name, definition. */
const CATALOGUE_SQL = `
  WITH t AS (
    SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname = ANY($1::text[]))
  SELECT 'table' AS kind, t.relname AS name, '' AS def FROM t
  UNION ALL
  SELECT 'column', t.relname || '.' || a.attname,
         format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
         || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
    FROM t JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  UNION ALL
  SELECT 'index', t.relname || '.' || ic.relname, pg_get_indexdef(i.indexrelid)
    FROM t JOIN pg_index i ON i.indrelid = t.oid JOIN pg_class ic ON ic.oid = i.indexrelid
  UNION ALL
  SELECT 'constraint', t.relname || '.' || co.conname, pg_get_constraintdef(co.oid)
    FROM t JOIN pg_constraint co ON co.conrelid = t.oid
  UNION ALL
  SELECT 'trigger', t.relname || '.' || tg.tgname, tg.tgenabled::text || ' ' || pg_get_triggerdef(tg.oid)
    FROM t JOIN pg_trigger tg ON tg.tgrelid = t.oid AND NOT tg.tgisinternal
  UNION ALL
  SELECT 'function', p.proname, md5(p.prosrc)
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname = current_schema() AND p.proname LIKE '${FUNCTION_PREFIX}'`;

interface CatalogueRow {
  kind: string;
  name: string;
  def: string;
}

/**
 * The fingerprint: the catalogue's raw columns (no deparsing functions such as pg_get_indexdef, which
 * doubled its cost on a cold embedded store), enough to change with any column, default, index,
 * constraint, trigger or function of the mirror's tables. Stable only within one database, which
 * is all it is compared with.
 */
const FINGERPRINT_SQL = `
  WITH t AS (
    SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname = ANY($1::text[]))
  SELECT md5(concat_ws(E'\\n',
    (SELECT string_agg(relname, ',' ORDER BY relname) FROM t),
    (SELECT string_agg(t.relname || '.' || a.attname || ':' || a.atttypid || ':' || a.atttypmod || ':' || a.attnotnull
                       || ':' || coalesce(d.adbin::text, ''), ',' ORDER BY t.relname, a.attname)
       FROM t JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum),
    (SELECT string_agg(t.relname || '.' || ic.relname || ':' || i.indisunique || ':' || i.indkey::text || ':' || i.indclass::text
                       || ':' || coalesce(i.indexprs::text, '') || ':' || coalesce(i.indpred::text, '') || ':' || ic.relam, ',' ORDER BY 1)
       FROM t JOIN pg_index i ON i.indrelid = t.oid JOIN pg_class ic ON ic.oid = i.indexrelid),
    (SELECT string_agg(t.relname || '.' || co.conname || ':' || co.contype::text || ':' || coalesce(co.conkey::text, '') || ':'
                       || co.confrelid || ':' || coalesce(co.confkey::text, '') || ':' || co.confupdtype::text || co.confdeltype::text, ',' ORDER BY 1)
       FROM t JOIN pg_constraint co ON co.conrelid = t.oid),
    (SELECT string_agg(t.relname || '.' || tg.tgname || ':' || tg.tgenabled::text || ':' || tg.tgtype || ':' || tg.tgfoid
                       || ':' || coalesce(tg.tgqual::text, ''), ',' ORDER BY 1)
       FROM t JOIN pg_trigger tg ON tg.tgrelid = t.oid AND NOT tg.tgisinternal),
    (SELECT string_agg(p.proname || ':' || md5(p.prosrc), ',' ORDER BY 1)
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = current_schema() AND p.proname LIKE '${FUNCTION_PREFIX}')))`;

/** The hash of the mirror's catalogue: one query, a few milliseconds. */
export async function readSchemaFingerprint(query: QueryFn): Promise<string> {
  const [row] = await query<{ fingerprint: string }>(`SELECT (${FINGERPRINT_SQL}) AS fingerprint`, [MIRROR_TABLES]);
  return row?.fingerprint ?? '';
}

/** The live fingerprint and the recorded one (undefined when none was recorded), in one round trip. */
export async function readFingerprints(query: QueryFn): Promise<{ live: string; recorded: string | undefined }> {
  try {
    const [row] = await query<{ live: string; recorded: string | null }>(
      `SELECT (${FINGERPRINT_SQL}) AS live, (SELECT fingerprint FROM schema_state WHERE id = 1) AS recorded`,
      [MIRROR_TABLES],
    );
    return { live: row?.live ?? '', recorded: row?.recorded ?? undefined };
  } catch (error) {
    // No schema_state table: a mirror made by a version before it (or the table was dropped).
    if ((error as { code?: string })?.code !== '42P01') throw error;
    return { live: await readSchemaFingerprint(query), recorded: undefined };
  }
}

/** Records the live schema's fingerprint as verified. */
export async function recordSchemaFingerprint(query: QueryFn): Promise<void> {
  const fingerprint = await readSchemaFingerprint(query);
  await query(
    `INSERT INTO schema_state (id, fingerprint, recorded_at) VALUES (1, $1, now())
     ON CONFLICT (id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, recorded_at = EXCLUDED.recorded_at`,
    [fingerprint],
  );
}

/** Whether the schema is known to be what the migrations made: no mirror table yet, or the recorded fingerprint. */
export async function isSchemaKnownRight(query: QueryFn): Promise<boolean> {
  const [row] = await query<{ n: number | string }>(
    `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname = ANY($1::text[])`,
    [MIRROR_TABLES],
  );
  if (Number(row?.n ?? 0) === 0) return true;
  const { live, recorded } = await readFingerprints(query);
  return recorded === live;
}

/**
 * The cheap check of every open: the recorded fingerprint; when it differs or is missing, the full
 * comparison, which records it when the schema is right and throws SCHEMA_MISMATCH when it is not.
 */
export async function ensureSchemaMatches(
  target: MigrationTarget,
  query: QueryFn,
  describe: string,
  migrationsDir = DEFAULT_MIGRATIONS_DIR,
): Promise<void> {
  const { live, recorded } = await readFingerprints(query);
  if (recorded === live) return;
  await verifySchema(target, query, describe, migrationsDir);
}

/** The full comparison; records the fingerprint when there is no difference, else throws SCHEMA_MISMATCH. */
export async function verifySchema(
  target: MigrationTarget,
  query: QueryFn,
  describe: string,
  migrationsDir = DEFAULT_MIGRATIONS_DIR,
): Promise<void> {
  const differences = await compareSchemaWithMigrations(target, query, migrationsDir);
  if (differences.length > 0) throw schemaMismatch(describe, differences);
  await recordSchemaFingerprint(query);
}

/** The SyncError that lists the differences. */
export function schemaMismatch(describe: string, differences: readonly string[]): SyncError {
  return new SyncError(
    'SCHEMA_MISMATCH',
    `The mirror's schema at ${describe} differs from what workplan-sync's migrations make; nothing was changed:\n${differences.map((d) => `  - ${d}`).join('\n')}`,
    {
      hint: 'Undo the change made by hand (or move the mirror to a new database, where `workplan sync` rebuilds it from the files), then check with `workplan db status`.',
    },
  );
}

/**
 * Each difference between the live schema and the one the migrations make, as a line
 * ("tasks: removed column `priority`"); empty when they are the same.
 */
export async function compareSchemaWithMigrations(
  target: MigrationTarget,
  query: QueryFn,
  migrationsDir = DEFAULT_MIGRATIONS_DIR,
): Promise<string[]> {
  return runSchemaEngineExclusively(() => compareExclusively(target, query, migrationsDir)).catch((error: unknown) => {
    if (error instanceof SyncError) throw error;
    // A schema the engine cannot even describe is not the one the migrations make.
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
    throw new SyncError(
      'SCHEMA_MISMATCH',
      `The mirror's schema could not be compared with the migrations: ${reason}. Nothing was changed.`,
      {
        hint: 'Check the database with `workplan db status`; if its tables were changed by hand, restore them or move the mirror to a new database.',
        cause: error,
      },
    );
  });
}

async function compareExclusively(target: MigrationTarget, query: QueryFn, migrationsDir: string): Promise<string[]> {
  const [{ openMigrationConnection }, { startSchemaEngine }, { PGlite }] = await Promise.all([
    import('./migration-connection.js'),
    import('./schema-engine.js'),
    import('@electric-sql/pglite'),
  ]);
  const files = await readMigrationFiles(migrationsDir);
  const schema = await readFile(join(migrationsDir, '..', 'schema.prisma'), 'utf8');
  const lockfile = await readFile(join(migrationsDir, 'migration_lock.toml'), 'utf8').catch(() => 'provider = "postgresql"\n');
  const foreign = await listForeignTables(query);
  // The migrations are replayed into an in-memory database (the engine's "shadow database").
  const shadow: PGlite = new PGlite();
  const connection = await openMigrationConnection(target);
  try {
    const replay = await openMigrationConnection({ kind: 'embedded', pglite: shadow });
    const engine = await startSchemaEngine({ ...connection.factory, connectToShadowDb: () => replay.factory.connect() });
    try {
      const { stdout } = await engine.diff({
        from: {
          tag: 'migrations',
          baseDir: migrationsDir,
          lockfile: { path: 'migration_lock.toml', content: lockfile },
          shadowDbInitScript: '',
          migrationDirectories: files.map((f) => ({
            path: f.name,
            migrationFile: { path: 'migration.sql', content: { tag: 'ok' as const, value: f.sql } },
          })),
        },
        to: { tag: 'schemaDatasource', files: [{ path: 'schema.prisma', content: schema }], configDir: migrationsDir },
        script: false,
        exitCode: true,
        filters: { externalTables: foreign, externalEnums: [] },
      });
      const expected = await readCatalogue((sql, params) => shadow.query(sql, params).then((r) => r.rows as never));
      const live = await readCatalogue(query);
      return [...readEngineSummary(stdout ?? ''), ...compareHandWritten(expected, live)];
    } finally {
      engine.free();
    }
  } finally {
    await connection.close().catch(() => {});
    await shadow.close().catch(() => {});
  }
}

/** Tables in the schema that are not the mirror's (the engine must leave them out of the diff). */
async function listForeignTables(query: QueryFn): Promise<string[]> {
  const rows = await query<{ name: string }>(
    `SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
        AND c.relname <> '_prisma_migrations' AND NOT c.relname = ANY($1::text[])`,
    [MIRROR_TABLES],
  );
  return rows.map((r) => r.name);
}

async function readCatalogue(query: QueryFn): Promise<CatalogueRow[]> {
  return query<CatalogueRow>(CATALOGUE_SQL, [MIRROR_TABLES]);
}

/** Triggers and functions (which Prisma does not model): missing, extra or changed ones. */
function compareHandWritten(expected: readonly CatalogueRow[], live: readonly CatalogueRow[]): string[] {
  const pick = (rows: readonly CatalogueRow[]) =>
    new Map(rows.filter((r) => r.kind === 'trigger' || r.kind === 'function').map((r) => [`${r.kind} ${r.name}`, r.def]));
  const want = pick(expected);
  const have = pick(live);
  const out: string[] = [];
  for (const [key, def] of want) {
    const [kind, name] = key.split(' ') as [string, string];
    const what = kind === 'trigger' ? `${name.split('.')[0]}: trigger ${name.split('.')[1]}` : `function ${name}`;
    if (!have.has(key)) out.push(`${what} is missing`);
    else if (have.get(key) !== def)
      out.push(`${what} differs from the migrations'${have.get(key)!.startsWith('D ') ? ' (it is disabled)' : ''}`);
  }
  for (const key of have.keys()) {
    if (want.has(key)) continue;
    const [kind, name] = key.split(' ') as [string, string];
    out.push(kind === 'trigger' ? `${name.split('.')[0]}: unexpected trigger ${name.split('.')[1]}` : `unexpected function ${name}`);
  }
  return out;
}

/**
 * The engine's human-readable summary as one line per difference:
 * "[-] Removed tables\n  - events" → "removed table events";
 * "[*] Changed the `tasks` table\n  [-] Removed column `priority`" → "tasks: removed column `priority`".
 * The foreign keys of a removed table are not listed again.
 */
export function readEngineSummary(stdout: string): string[] {
  const out: string[] = [];
  const removedTables = new Set<string>();
  let group: { kind: 'tables'; verb: string } | { kind: 'table'; name: string } | undefined;
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (line.trim() === '' || /^no difference detected/i.test(line.trim())) continue;
    const head = /^\[[-+*]\]\s+(Added|Removed)\s+(tables|enums|views)$/i.exec(line);
    if (head) {
      group = { kind: 'tables', verb: head[1]!.toLowerCase() };
      continue;
    }
    const changed = /^\[\*\]\s+Changed the `([^`]+)` table$/i.exec(line);
    if (changed) {
      group = { kind: 'table', name: changed[1]! };
      continue;
    }
    const item = /^\s+(?:-\s+(.*)|\[[-+*]\]\s+(.*))$/.exec(line);
    if (item && group?.kind === 'tables') {
      const name = (item[1] ?? item[2] ?? '').trim();
      if (group.verb === 'removed') removedTables.add(name);
      out.push(`${group.verb} table ${name}`);
    } else if (item && group?.kind === 'table') {
      if (!removedTables.has(group.name)) out.push(`${group.name}: ${lowerFirst((item[2] ?? item[1] ?? '').trim())}`);
    } else {
      out.push(line.trim());
    }
  }
  return out;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
