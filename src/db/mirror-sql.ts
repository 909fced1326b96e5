// SQL generated from the column tables (model/mirror-columns.ts): the record a row is written as, the
// set-based upsert that writes a batch of them, the select list and decoding that read them back.
// Column names come from our tables, never from input. Pure string building (adr/0015).
import { canonicalJson } from '../model/canonical-json.js';
import type { ColumnType, MirrorColumn, MirrorEntity } from '../model/mirror-columns.js';
import { fingerprintSql } from './fingerprint-sql.js';

/**
 * How a resolved column (a `via` column) is joined when written and read: a domain slug is the id of
 * the domain row with that slug; a phase number the id of its workstream's phase of that number.
 */
const RESOLVED: Record<string, { write: string; join: string; read: string; readJoin: (alias: string) => string }> = {
  'workstreams.domain_id': {
    write: 'd.id',
    join: 'JOIN domains d ON d.slug = r.domain',
    read: 'd.slug',
    readJoin: (a) => `JOIN domains d ON d.id = ${a}.domain_id`,
  },
  'tasks.phase_id': {
    write: 'p.id',
    join: 'LEFT JOIN phases p ON p.workstream_id = r.workstream_id AND p.number = r.phase_number',
    read: 'p.number',
    readJoin: (a) => `LEFT JOIN phases p ON p.id = ${a}.phase_id`,
  },
};

function resolvedOf(table: string, column: MirrorColumn) {
  const resolved = RESOLVED[`${table}.${column.name}`];
  if (!resolved) throw new Error(`No join is known for the resolved column ${table}.${column.name}`);
  return resolved;
}

/** A column's name and type in the written record (JSON arrays for text[] columns). */
function recordColumn(column: MirrorColumn): { name: string; type: ColumnType } {
  if (column.via) return { name: column.via.record, type: column.via.type };
  return { name: column.name, type: column.type === 'text[]' ? 'jsonb' : column.type };
}

/** The record a row is written as: its fields by the table, and the other columns from `others` (keys, provenance). */
export function toRecord(
  columns: readonly MirrorColumn[],
  fields: Readonly<Record<string, unknown>>,
  others: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of columns) {
    const { name } = recordColumn(column);
    const value = column.field ? fields[column.field] : others[column.name];
    // jsonb fields travel as their canonical JSON text in the row; the record carries the value itself.
    out[name] = column.type === 'jsonb' && typeof value === 'string' ? (JSON.parse(value) as unknown) : (value ?? null);
  }
  return out;
}

/** `r(id uuid, file_id text, …)`: the definition of the written records' columns for jsonb_to_recordset. */
function recordDefinition(columns: readonly MirrorColumn[]): string {
  return [
    'id uuid',
    ...columns.map((c) => {
      const r = recordColumn(c);
      return `${r.name} ${r.type}`;
    }),
  ].join(', ');
}

/** The value a column is written with, from the record `r` (resolved through its join, arrays unpacked). */
function writtenValue(table: string, column: MirrorColumn): string {
  if (column.via) return `${resolvedOf(table, column).write} AS ${column.name}`;
  if (column.type === 'text[]') return `ARRAY(SELECT jsonb_array_elements_text(r.${column.name})) AS ${column.name}`;
  return `r.${column.name}`;
}

export interface UpsertOptions {
  /** The parameter holding the records as a JSON array ($2 when $1 is the repository id). */
  recordsParam: number;
  /** Stamp `synced_at` (workstreams and ADRs record when the sync last wrote them). */
  synced: boolean;
  /** On conflict, move the row to this repository too (workstreams and tasks; an ADR row keeps its repository). */
  updatesRepository: boolean;
}

/**
 * One set-based upsert of an entity's rows: `INSERT … SELECT FROM jsonb_to_recordset ON CONFLICT (id) DO
 * UPDATE`, with the sync fingerprint computed over the written values and the removal mark cleared.
 * Repository-scoped tables take the repository id from $1.
 */
export function upsertSql(entity: MirrorEntity, options: UpsertOptions): string {
  const { table, columns, repositoryScoped } = entity;
  const names = columns.map((c) => c.name);
  const joins = columns.filter((c) => c.via).map((c) => resolvedOf(table, c).join);
  const stamps = options.synced ? ['synced_at', 'created_at', 'updated_at'] : ['created_at', 'updated_at'];
  const insert = ['id', ...(repositoryScoped ? ['repository_id'] : []), ...names, 'sync_fingerprint', 'removed_at', ...stamps];
  const values = [
    'x.id',
    ...(repositoryScoped ? ['$1::uuid'] : []),
    ...names.map((n) => `x.${n}`),
    fingerprintSql(columns, 'x'),
    'NULL',
    ...stamps.map(() => 'now()'),
  ];
  const updated = [...(repositoryScoped && options.updatesRepository ? ['repository_id'] : []), ...names, 'sync_fingerprint'].map(
    (n) => `${n} = EXCLUDED.${n}`,
  );
  updated.push('removed_at = NULL', ...(options.synced ? ['synced_at = now()'] : []), 'updated_at = now()');
  return `INSERT INTO ${table} (${insert.join(', ')})
     SELECT ${values.join(', ')}
       FROM (SELECT r.id, ${columns.map((c) => writtenValue(table, c)).join(', ')}
               FROM jsonb_to_recordset($${options.recordsParam}::jsonb) AS r(${recordDefinition(columns)})
               ${joins.join(' ')}) AS x
     ON CONFLICT (id) DO UPDATE SET ${updated.join(', ')}`;
}

/** A plain insert of rows with new ids (rows replaced wholesale: phases, closure reviews and entries). */
export function insertColumnsSql(columns: readonly MirrorColumn[], alias: string): { columns: string; values: string; record: string } {
  return {
    columns: columns.map((c) => c.name).join(', '),
    values: columns.map((c) => `${alias}.${recordColumn(c).name}`).join(', '),
    record: columns
      .map((c) => {
        const r = recordColumn(c);
        return `${r.name} ${r.type}`;
      })
      .join(', '),
  };
}

/** The select list of an entity's mirrored fields under `alias` (resolved columns read through their join). */
export function selectFieldsSql(entity: MirrorEntity, alias: string): string {
  return entity.columns
    .filter((c) => c.field)
    .map((c) => {
      if (c.via) return `${resolvedOf(entity.table, c).read} AS ${c.via.record}`;
      if (c.type === 'jsonb') return `${alias}.${c.name}::text AS ${c.name}`;
      return `${alias}.${c.name}`;
    })
    .join(', ');
}

/** The joins `selectFieldsSql` reads resolved columns through. */
export function selectJoinsSql(entity: MirrorEntity, alias: string): string {
  return entity.columns
    .filter((c) => c.field && c.via)
    .map((c) => resolvedOf(entity.table, c).readJoin(alias))
    .join(' ');
}

/** An entity's fields from a row read with `selectFieldsSql` (or a JSON object of one). */
export function fieldsFromRow(columns: readonly MirrorColumn[], row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of columns) {
    if (!column.field) continue;
    const { name, type } = recordColumn(column);
    const nullable = column.via ? column.via.nullable : column.nullable;
    const value = row[name];
    if (nullable && (value === null || value === undefined)) out[column.field] = null;
    else if (column.type === 'jsonb') out[column.field] = canonicalJson(JSON.parse(String(value)));
    else if (column.type === 'text[]') out[column.field] = toStringArray(value);
    else out[column.field] = type === 'int' ? Number(value) : String(value);
  }
  return out;
}

function toStringArray(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') {
    // Some adapters return Postgres array literals as text: {a,b}
    const inner = v.replace(/^\{|\}$/g, '');
    return inner === '' ? [] : inner.split(',').map((s) => s.replace(/^"|"$/g, ''));
  }
  return [];
}
