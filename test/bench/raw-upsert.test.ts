// The benchmark's raw-SQL reference writes what the engine writes: both are generated from the column
// tables (model/mirror-columns.ts), so the same plan leaves the same rows and the same fingerprints.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/store.js';
import type { Plan } from '../../src/reconcile/plan.js';
import { createRawSchema, joinPlanParts, pgliteConnection, RAW_SCHEMA, runRawUpsert } from '../../bench/src/raw-upsert.js';
import { readSampleFiles, tempRepos } from '../support/sync-harness.js';
import { MIRROR_ENTITIES } from '../../src/model/mirror-columns.js';
import { selectFieldsSql, selectJoinsSql } from '../../src/db/mirror-sql.js';

const TABLES = ['workstreams', 'phases', 'tasks', 'dependencies', 'closure_reviews', 'closure_entries', 'adrs'];

describe('the raw upsert reference', () => {
  const repo = tempRepos();
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('writes the rows and fingerprints the engine writes for the same plan', async () => {
    const r = await repo(await readSampleFiles());
    const dir = await mkdtemp(join(tmpdir(), 'wps-raw-'));
    dirs.push(dir);
    const store = await openStore({ embeddedDir: join(dir, 'store') });
    try {
      const parts: Plan[] = [];
      await r.sync(store, { onPlanPart: (part) => parts.push(part) });
      const target = store.migrationTarget;
      if (target.kind !== 'embedded') throw new Error('expected the embedded store');
      const conn = pgliteConnection(target.pglite);
      await createRawSchema(conn);
      const raw = await runRawUpsert(conn, joinPlanParts(parts), { id: randomUUID(), slug: r.slug, root: r.root });
      for (const table of TABLES) {
        const [engine] = await store.prisma.$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM public.${table}`);
        expect(raw.rows[table], table).toBe(Number(engine!.n));
      }
      // Every mirrored field as read back (domains and phases have ids of their own in each schema).
      for (const [name, entity] of Object.entries(MIRROR_ENTITIES)) {
        if (!['workstream', 'task', 'dependency', 'adr'].includes(name)) continue;
        const read = async (schema: string) => {
          await target.pglite.exec(`SET search_path TO ${schema}`);
          const rows = await target.pglite.query<Record<string, unknown>>(
            `SELECT x.id::text AS id, ${selectFieldsSql(entity, 'x')} FROM ${entity.table} x ${selectJoinsSql(entity, 'x')} ORDER BY x.id`,
          );
          await target.pglite.exec('RESET search_path');
          return rows.rows;
        };
        const engine = await read('public');
        expect(engine.length, name).toBeGreaterThan(0);
        expect(await read(RAW_SCHEMA), name).toEqual(engine);
      }
      // Fingerprints over no resolved id match exactly.
      for (const table of ['dependencies', 'adrs']) {
        const fingerprints = (schema: string) =>
          store.prisma.$queryRawUnsafe<Array<{ id: string; f: string }>>(
            `SELECT id::text AS id, sync_fingerprint AS f FROM ${schema}.${table} ORDER BY id`,
          );
        const engine = await fingerprints('public');
        expect(engine.length, table).toBeGreaterThan(0);
        expect(await fingerprints(RAW_SCHEMA), table).toEqual(engine);
      }
    } finally {
      await store.close();
    }
  });
});
