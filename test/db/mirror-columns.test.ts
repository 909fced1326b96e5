// The column tables (model/mirror-columns.ts) and prisma/schema.prisma describe the same columns: a
// mirrored field added to one and not the other fails here, before any SQL generated from them runs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIRROR_ENTITIES, type ColumnType, type MirrorEntity } from '../../src/model/mirror-columns.js';

const SCHEMA = readFileSync(new URL('../../prisma/schema.prisma', import.meta.url), 'utf8');
/** Columns every mirrored table has that the sync stamps itself, not from a file. */
const BOOKKEEPING = new Set([
  'id',
  'repository_id',
  'sync_fingerprint',
  'drift_suspected',
  'removed_at',
  'synced_at',
  'created_at',
  'updated_at',
]);

interface SchemaColumn {
  type: ColumnType | 'other';
  nullable: boolean;
}

/** The scalar columns of the model mapped to `table`, by column name. */
function schemaColumns(table: string): Map<string, SchemaColumn> {
  const model = [...SCHEMA.matchAll(/^model \w+ \{\n([\s\S]*?)^\}/gm)].map((m) => m[1]!).find((body) => body.includes(`@@map("${table}")`));
  if (!model) throw new Error(`No model is mapped to ${table}`);
  const out = new Map<string, SchemaColumn>();
  for (const line of model.split('\n')) {
    const m = /^\s+(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
    if (!m || line.trim().startsWith('//') || line.includes('@relation')) continue;
    const [, field, scalar, list, optional, rest] = m as unknown as [
      string,
      string,
      string,
      string | undefined,
      string | undefined,
      string,
    ];
    if (!['String', 'Int', 'Json', 'Boolean', 'DateTime'].includes(scalar)) continue; // relation lists
    const name = /@map\("([^"]+)"\)/.exec(rest)?.[1] ?? field;
    const type: SchemaColumn['type'] =
      scalar === 'Int'
        ? 'int'
        : scalar === 'Json'
          ? 'jsonb'
          : scalar === 'String' && list
            ? 'text[]'
            : scalar === 'String' && rest.includes('@db.Uuid')
              ? 'uuid'
              : scalar === 'String'
                ? 'text'
                : 'other';
    out.set(name, { type, nullable: optional === '?' });
  }
  return out;
}

describe('the column tables match prisma/schema.prisma', () => {
  for (const [name, entity] of Object.entries(MIRROR_ENTITIES) as Array<[string, MirrorEntity]>) {
    it(`${name}: every column of ${entity.table}, with its type and nullability, and no other`, () => {
      const schema = schemaColumns(entity.table);
      for (const column of entity.columns) {
        expect(schema.get(column.name), `${entity.table}.${column.name}`).toEqual({
          type: column.type,
          nullable: column.nullable ?? false,
        });
      }
      const listed = new Set<string>(entity.columns.map((c) => c.name));
      const missing = [...schema.keys()].filter((c) => !listed.has(c) && !BOOKKEEPING.has(c));
      expect(missing, `columns of ${entity.table} not in its column table`).toEqual([]);
      expect(schema.has('repository_id')).toBe(entity.repositoryScoped);
    });
  }
});
