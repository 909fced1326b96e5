// The write-phase reference: the rows a cold sync wrote, upserted with plain set-based SQL — one
// `INSERT … SELECT FROM unnest($1::uuid[], $2::text[], …) ON CONFLICT DO UPDATE` per table, ids made in
// JavaScript so no statement joins to find a parent — into a fresh copy of the schema (schema
// `bench_raw`, built from the same migrations) on the same database. Columns, constraints, indexes and
// fingerprints are those the engine writes; what differs is only how the rows travel and are written.
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

import type { Plan } from '#lib/reconcile/plan.js';
import { DEFAULT_MIGRATIONS_DIR } from '#lib/db/migrate.js';
import { fingerprintSql } from '#lib/db/fingerprint-sql.js';
import { MIRROR_ENTITIES, type MirrorColumn, type MirrorEntity } from '#lib/model/mirror-columns.js';

export const RAW_SCHEMA = 'bench_raw';

/** A connection the raw run owns (not the engine's Prisma client). */
export interface RawConnection {
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction; `query` inside it runs on the transaction. */
  transaction(fn: (query: (sql: string, params: unknown[]) => Promise<void>) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/** A raw connection on an open PGlite instance (the store's own; it stays open). */
export function pgliteConnection(db: PGlite): RawConnection {
  return {
    exec: async (sql) => void (await db.exec(sql)),
    transaction: (fn) => db.transaction(async (tx) => fn(async (sql, params) => void (await tx.query(sql, params)))),
    close: async () => undefined,
  };
}

/** A raw connection: one pg client on `url`. */
export async function pgConnection(url: string): Promise<RawConnection> {
  const client = new pg.Client({ connectionString: url, application_name: 'workplan-sync-bench-raw' });
  await client.connect();
  return {
    exec: async (sql) => void (await client.query(sql)),
    transaction: async (fn) => {
      await client.query('BEGIN');
      try {
        await fn(async (sql, params) => void (await client.query(sql, params)));
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    close: () => client.end(),
  };
}

/** Creates schema `bench_raw` with the mirror's tables (from the shipped migrations), empty. */
export async function createRawSchema(conn: RawConnection, migrationsDir = DEFAULT_MIGRATIONS_DIR): Promise<void> {
  const dirs = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const scripts = await Promise.all(dirs.map((d) => readFile(join(migrationsDir, d, 'migration.sql'), 'utf8')));
  await conn.exec(`DROP SCHEMA IF EXISTS ${RAW_SCHEMA} CASCADE; CREATE SCHEMA ${RAW_SCHEMA};`);
  // Unqualified names in the migrations land in bench_raw; the session's search_path is restored after.
  await conn.exec(`SET search_path TO ${RAW_SCHEMA}, public;\n${scripts.join('\n;\n')};\nRESET search_path;`);
}

export async function dropRawSchema(conn: RawConnection): Promise<void> {
  await conn.exec(`DROP SCHEMA IF EXISTS ${RAW_SCHEMA} CASCADE`);
}

export interface RawUpsertResult {
  ms: number;
  rows: Record<string, number>;
  /** Per table: the statement's time (parameters serialised and sent, executed). */
  statementMs: Record<string, number>;
}

/** One unnest() argument: values sent as `type[]`, cast to `cast` per row (jsonb, text[]) before use. */
type Column = { name: string; type: string; values: unknown[]; cast?: string };

/** Upserts the plan's rows into bench_raw in one transaction; returns the wall time (array building included). */
/** The parts of a plan applied in batches, as one plan (its rows; counts are not needed here). */
export function joinPlanParts(parts: readonly Plan[]): Pick<Plan, 'domains' | 'workstreams' | 'adrs'> {
  return {
    domains: [...new Set(parts.flatMap((p) => p.domains))].sort(),
    workstreams: parts.flatMap((p) => p.workstreams),
    adrs: {
      create: parts.flatMap((p) => p.adrs.create),
      update: parts.flatMap((p) => p.adrs.update),
      remove: parts.flatMap((p) => p.adrs.remove),
    },
  };
}

// Over 80 lines on purpose: one transaction timed as a whole, its statements in the order the engine
// writes them (domains, workstreams, phases, tasks, dependencies, closure reviews and entries, ADRs).
export async function runRawUpsert(
  conn: RawConnection,
  plan: Pick<Plan, 'domains' | 'workstreams' | 'adrs'>,
  repository: { id: string; slug: string; root: string },
): Promise<RawUpsertResult> {
  const s = RAW_SCHEMA;
  await conn.exec(
    `INSERT INTO ${s}.repositories (id, slug, root) VALUES ('${repository.id}', '${repository.slug.replace(/'/g, "''")}', '${repository.root.replace(/'/g, "''")}')`,
  );
  const started = performance.now();
  const rows: Record<string, number> = {};
  const statementMs: Record<string, number> = {};
  await conn.transaction(async (query) => {
    // As the engine's transactions do: the drift triggers skip these writes. (Without it they would fire
    // per row, and their functions, resolving `workstreams` through the search_path, would flag the
    // public mirror's rows of the same ids as drifted.)
    await query(`SELECT set_config('workplan.engine_write', 'on', true)`, []);
    const upsert = async (table: string, columns: Column[], select: string, conflict: string, update: string[]) => {
      const n = columns[0]?.values.length ?? 0;
      rows[table] = n;
      if (n === 0) return;
      const names = columns.map((c) => c.name);
      const unnest = `unnest(${columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')}) AS u(${names.join(', ')})`;
      const inner = columns.map((c) => (c.cast ? `u.${c.name}::${c.cast} AS ${c.name}` : `u.${c.name}`)).join(', ');
      const t = performance.now();
      await query(
        `INSERT INTO ${s}.${table} AS t (${select.split('|')[0]})
         SELECT ${select.split('|')[1]} FROM (SELECT ${inner} FROM ${unnest}) AS x
         ON CONFLICT (${conflict}) DO ${update.length ? `UPDATE SET ${update.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}` : 'NOTHING'}`,
        columns.map((c) => c.values),
      );
      statementMs[table] = performance.now() - t;
    };
    /** The engine's upsert of an entity, over unnest() of one array per column of its column table. */
    const upsertEntity = async (
      entity: MirrorEntity,
      entityRows: Array<{ id: string; fields: Readonly<Record<string, unknown>>; others: Record<string, unknown> }>,
      options: { synced: boolean; updatesRepository: boolean },
    ) => {
      const names = entity.columns.map((c) => c.name);
      const scoped = entity.repositoryScoped;
      const stamps = options.synced ? ['synced_at', 'created_at', 'updated_at'] : ['created_at', 'updated_at'];
      await upsert(
        entity.table,
        [
          col(
            'id',
            'uuid',
            entityRows.map((r) => r.id),
          ),
          ...entity.columns.map((c) => columnOf(c, entityRows)),
        ],
        `${['id', ...(scoped ? ['repository_id'] : []), ...names, 'sync_fingerprint', ...stamps].join(', ')}|` +
          `${['x.id', ...(scoped ? [`'${repository.id}'::uuid`] : []), ...names.map((n) => `x.${n}`), fingerprintSql(entity.columns, 'x'), ...stamps.map(() => 'now()')].join(', ')}`,
        'id',
        [
          ...(scoped && options.updatesRepository ? ['repository_id'] : []),
          ...names,
          'sync_fingerprint',
          ...(options.synced ? ['synced_at'] : []),
          'updated_at',
        ],
      );
    };

    const domainIds = new Map(plan.domains.map((slug) => [slug, randomUUID()]));
    await upsert(
      'domains',
      [col('id', 'uuid', [...domainIds.values()]), col('slug', 'text', [...domainIds.keys()])],
      'id, slug, name|x.id, x.slug, x.slug',
      'slug',
      [],
    );

    const ws = plan.workstreams;
    await upsertEntity(
      MIRROR_ENTITIES.workstream,
      ws.map((w) => ({ id: w.id, fields: w.fields, others: { domain_id: domainIds.get(w.fields.domain), content_hash: w.contentHash } })),
      { synced: true, updatesRepository: true },
    );

    const phaseIds = new Map<string, string>();
    const phases = ws.flatMap((w) => (w.phases ?? []).map((p) => ({ w: w.id, p, id: randomUUID() })));
    for (const p of phases) phaseIds.set(`${p.w}#${p.p.number}`, p.id);
    await upsert(
      'phases',
      [
        col(
          'id',
          'uuid',
          phases.map((p) => p.id),
        ),
        col(
          'workstream_id',
          'uuid',
          phases.map((p) => p.w),
        ),
        col(
          'number',
          'int',
          phases.map((p) => p.p.number),
        ),
        col(
          'title',
          'text',
          phases.map((p) => p.p.title),
        ),
        col(
          'position',
          'int',
          phases.map((p) => p.p.position),
        ),
      ],
      'id, workstream_id, number, title, position|x.id, x.workstream_id, x.number, x.title, x.position',
      'workstream_id, number',
      ['title', 'position'],
    );

    const tasks = ws.flatMap((w) => [...w.tasks.create, ...w.tasks.update].map((t) => ({ w: w.id, id: t.id, f: t.fields })));
    await upsertEntity(
      MIRROR_ENTITIES.task,
      tasks.map((t) => ({
        id: t.id,
        fields: t.f,
        others: { workstream_id: t.w, phase_id: t.f.phaseNumber === null ? null : (phaseIds.get(`${t.w}#${t.f.phaseNumber}`) ?? null) },
      })),
      { synced: false, updatesRepository: true },
    );

    const deps = ws.flatMap((w) => [...w.dependencies.create, ...w.dependencies.update].map((d) => ({ w: w.id, id: d.id, f: d.fields })));
    await upsertEntity(
      MIRROR_ENTITIES.dependency,
      deps.map((d) => ({ id: d.id, fields: d.f, others: { workstream_id: d.w } })),
      { synced: false, updatesRepository: false },
    );

    const reviews = ws.flatMap((w) => (w.closureReviews ?? []).map((r) => ({ w: w.id, r, id: randomUUID() })));
    await upsert(
      'closure_reviews',
      [
        col(
          'id',
          'uuid',
          reviews.map((r) => r.id),
        ),
        col(
          'workstream_id',
          'uuid',
          reviews.map((r) => r.w),
        ),
        col(
          'review_date',
          'text',
          reviews.map((r) => r.r.reviewDate),
        ),
        col(
          'position',
          'int',
          reviews.map((r) => r.r.position),
        ),
        col(
          'outcome',
          'text',
          reviews.map((r) => r.r.outcome),
        ),
        col(
          'context',
          'text',
          reviews.map((r) => r.r.context),
        ),
      ],
      'id, workstream_id, review_date, position, outcome, context|x.id, x.workstream_id, x.review_date, x.position, x.outcome, x.context',
      'workstream_id, position',
      ['review_date', 'outcome', 'context'],
    );
    const entries = reviews.flatMap((r) => r.r.entries.map((e, i) => ({ review: r.id, i, e })));
    await upsert(
      'closure_entries',
      [
        col(
          'id',
          'uuid',
          entries.map(() => randomUUID()),
        ),
        col(
          'closure_review_id',
          'uuid',
          entries.map((e) => e.review),
        ),
        col(
          'position',
          'int',
          entries.map((e) => e.i),
        ),
        col(
          'task_file_id',
          'text',
          entries.map((e) => e.e.taskFileId),
        ),
        col(
          'title',
          'text',
          entries.map((e) => e.e.title),
        ),
        col(
          'classification',
          'text',
          entries.map((e) => e.e.classification),
        ),
        col(
          'note',
          'text',
          entries.map((e) => e.e.note),
        ),
        col(
          'target',
          'text',
          entries.map((e) => e.e.target),
        ),
      ],
      'id, closure_review_id, position, task_file_id, title, classification, note, target|' +
        'x.id, x.closure_review_id, x.position, x.task_file_id, x.title, x.classification, x.note, x.target',
      'closure_review_id, position',
      ['task_file_id', 'title', 'classification', 'note', 'target'],
    );

    const adrs = [...plan.adrs.create, ...plan.adrs.update].map((a) => ({ id: a.id || randomUUID(), f: a.fields, hash: a.contentHash }));
    await upsertEntity(
      MIRROR_ENTITIES.adr,
      adrs.map((a) => ({ id: a.id, fields: a.f, others: { content_hash: a.hash } })),
      { synced: true, updatesRepository: false },
    );
  });
  return { ms: performance.now() - started, rows, statementMs };
}

/** One unnest() array of a column table's column: a field's values, or a key's from `others` (resolved ids, hashes). */
function columnOf(
  column: MirrorColumn,
  rows: Array<{ fields: Readonly<Record<string, unknown>>; others: Record<string, unknown> }>,
): Column {
  const values = rows.map((r) => (column.field && !column.via ? r.fields[column.field] : r.others[column.name]) ?? null);
  if (column.type === 'jsonb') return col(column.name, 'text', values, 'jsonb');
  if (column.type === 'text[]')
    return col(
      column.name,
      'text',
      values.map((v) => toArrayLiteral(v as string[])),
      'text[]',
    );
  return col(column.name, column.type, values);
}

function col(name: string, type: string, values: unknown[], cast?: string): Column {
  return cast ? { name, type, values, cast } : { name, type, values };
}

/** A Postgres array literal of text values: {"a","b \"c\""}. */
export function toArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
