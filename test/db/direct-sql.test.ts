// The engine's SQL goes straight to the driver (direct-sql.ts): it must return what Prisma's raw
// queries returned, so the SQL modules cannot tell the difference, and keep the transaction's limits.
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { TransactionExpired, TransactionStartTimeout } from '../../src/db/direct-sql.js';
import { describeEachDatabase } from '../support/databases.js';

const TYPES_SQL = `SELECT count(*) AS c8, 1::int4 AS i4, 2::int8 AS i8, true AS b, 'x'::text AS t,
  '2d0b8d4e-1c1e-4a55-9a36-3b0b1b7f9e01'::uuid AS u, '2026-03-02T10:11:12.345Z'::timestamptz AS ts,
  '{"a":[1,"two",null]}'::jsonb AS j, '[1,2]'::json AS js, ARRAY['a','b'] AS arr,
  ARRAY['2d0b8d4e-1c1e-4a55-9a36-3b0b1b7f9e01'::uuid] AS uarr, NULL::text AS n, 1.5::float8 AS f8, $1::text AS param`;

describeEachDatabase('direct SQL', (db) => {
  it('returns every type the engine reads as Prisma raw queries return it', async () => {
    const store = await db.openStore();
    const [direct] = await store.sql.db.$queryRawUnsafe<Array<Record<string, unknown>>>(TYPES_SQL, 'é "quoted" \\ text');
    const [viaPrisma] = await store.prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(TYPES_SQL, 'é "quoted" \\ text');
    expect(direct).toEqual(viaPrisma);
    expect(typeof direct!.c8).toBe('bigint');
    expect(direct!.ts).toBeInstanceOf(Date);
    expect(direct!.j).toEqual({ a: [1, 'two', null] });
  });

  it('counts the rows a statement changed, in and out of a transaction', async () => {
    const store = await db.openStore();
    const insert = `INSERT INTO domains (id, slug, name) SELECT gen_random_uuid(), s, 'x' FROM unnest($1::text[]) AS s`;
    expect(await store.sql.db.$executeRawUnsafe(insert, '{direct-a,direct-b}')).toBe(2);
    const changed = await store.sql.transaction((tx) => tx.$executeRawUnsafe(`UPDATE domains SET name = 'y' WHERE slug LIKE 'direct-%'`), {
      maxWaitMs: 1_000,
      timeoutMs: 5_000,
    });
    expect(changed).toBe(2);
  });

  it('rolls back a transaction that ran past its timeout, and its later statements fail', async () => {
    const store = await db.openStore();
    const error = await store.sql
      .transaction(
        async (tx) => {
          await tx.$executeRawUnsafe(`INSERT INTO domains (id, slug, name) VALUES (gen_random_uuid(), 'direct-late', 'x')`);
          await sleep(150);
          await tx.$executeRawUnsafe(`INSERT INTO domains (id, slug, name) VALUES (gen_random_uuid(), 'direct-later', 'x')`);
        },
        { maxWaitMs: 1_000, timeoutMs: 50 },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(TransactionExpired);
    const rows = await store.sql.db.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM domains WHERE slug LIKE 'direct-late%'`);
    expect(rows).toEqual([]);
  });

  it.runIf(db.kind === 'embedded')('gives up waiting for the one embedded session after maxWait, and leaves nothing behind', async () => {
    const store = await db.openStore();
    let release: () => void = () => undefined;
    const held = store.sql.transaction(() => new Promise<void>((resolve) => (release = resolve)), { maxWaitMs: 1_000, timeoutMs: 10_000 });
    await sleep(20);
    const waited = await store.sql
      .transaction(
        async (tx) => tx.$executeRawUnsafe(`INSERT INTO domains (id, slug, name) VALUES (gen_random_uuid(), 'direct-waiter', 'x')`),
        {
          maxWaitMs: 100,
          timeoutMs: 1_000,
        },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(waited).toBeInstanceOf(TransactionStartTimeout);
    release();
    await held;
    await sleep(50); // the abandoned transaction got the session and rolled back at once
    expect(await store.sql.db.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM domains WHERE slug = 'direct-waiter'`)).toEqual([]);
  });
});
