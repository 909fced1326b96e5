import { setTimeout as sleep } from 'node:timers/promises';

import { afterEach, expect, it } from 'vitest';

import { withRepositoryLock } from '../../src/db/advisory-lock.js';
import type { Store } from '../../src/db/store.js';
import { isSyncError } from '../../src/model/errors.js';
import { describeEachDatabase } from '../support/databases.js';
import { startHolder, type Child } from './children/spawn-child.js';

interface Span {
  name: string;
  start: number;
  end: number;
}

/** Runs a locked section that takes `ms`, recording when it ran. */
async function lockedSpan(store: Store, key: string, name: string, ms: number, spans: Span[]): Promise<void> {
  await withRepositoryLock(store.sql, key, async (tx) => {
    const start = Date.now();
    await tx.$queryRawUnsafe('SELECT 1');
    await sleep(ms);
    spans.push({ name, start, end: Date.now() });
  });
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

let children: Child[] = [];
afterEach(() => {
  for (const child of children) child.process.kill('SIGKILL');
  children = [];
});

describeEachDatabase('withRepositoryLock', (db) => {
  it('runs fn in one transaction and returns its result', async () => {
    const store = await db.openStore();
    const result = await withRepositoryLock(store.sql, 'repo-result', async (tx) => {
      await tx.$executeRawUnsafe(`INSERT INTO domains (id, slug, name) VALUES (gen_random_uuid(), $1, 'x')`, 'in-lock');
      return 42;
    });
    expect(result).toBe(42);
    expect(await store.prisma.domain.count({ where: { slug: 'in-lock' } })).toBe(1);
  });

  it('rolls back everything fn wrote when fn throws', async () => {
    const store = await db.openStore();
    await expect(
      withRepositoryLock(store.sql, 'repo-rollback', async (tx) => {
        await tx.$executeRawUnsafe(`INSERT INTO domains (id, slug, name) VALUES (gen_random_uuid(), $1, 'x')`, 'rolled-back');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.prisma.domain.count({ where: { slug: 'rolled-back' } })).toBe(0);
  });

  it('serialises two syncs of the same repository', async () => {
    const a = await db.openStore();
    // Postgres: a second store is a second pool, as a second process would have.
    const b = db.kind === 'postgres' ? await db.openStore() : a;
    const spans: Span[] = [];
    await Promise.all([lockedSpan(a, 'repo-same', 'a', 300, spans), lockedSpan(b, 'repo-same', 'b', 300, spans)]);
    expect(spans).toHaveLength(2);
    expect(overlaps(spans[0] as Span, spans[1] as Span)).toBe(false);
  });

  it.runIf(db.kind === 'postgres')('lets syncs of different repositories run at the same time', async () => {
    const a = await db.openStore();
    const b = await db.openStore();
    const spans: Span[] = [];
    await Promise.all([lockedSpan(a, 'repo-one', 'a', 500, spans), lockedSpan(b, 'repo-two', 'b', 500, spans)]);
    expect(overlaps(spans[0] as Span, spans[1] as Span)).toBe(true);
  });

  it.runIf(db.kind === 'postgres')('announces the wait once and gives up with LOCK_UNAVAILABLE after lockWaitMs', async () => {
    const a = await db.openStore();
    const b = await db.openStore();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked: () => void = () => {};
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = withRepositoryLock(a.sql, 'repo-busy', async () => {
      locked();
      await held;
    });
    await isLocked;
    const waits: string[] = [];
    const started = Date.now();
    const error = await withRepositoryLock(b.sql, 'repo-busy', async () => 'never', {
      lockWaitMs: 400,
      onWait: (m) => waits.push(m),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    expect(isSyncError(error, 'LOCK_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/The mirror was not changed/);
    expect(waits).toEqual(['Waiting for another sync of repo-busy to finish …']);
    release();
    await holder;
    // The failed waiter left nothing behind: the lock is free again.
    expect(await withRepositoryLock(b.sql, 'repo-busy', async () => 'free', { lockWaitMs: 100 })).toBe('free');
  });

  it.runIf(db.kind === 'postgres')('hands the lock over the moment the holder commits', async () => {
    const a = await db.openStore();
    const b = await db.openStore();
    const spans: Span[] = [];
    const first = lockedSpan(a, 'repo-handover', 'a', 300, spans);
    await sleep(50);
    const waits: string[] = [];
    await withRepositoryLock(
      b.sql,
      'repo-handover',
      async () => {
        spans.push({ name: 'b', start: Date.now(), end: Date.now() });
      },
      { onWait: (m) => waits.push(m) },
    );
    await first;
    expect(waits).toHaveLength(1);
    const [spanA, spanB] = [spans.find((s) => s.name === 'a'), spans.find((s) => s.name === 'b')];
    expect((spanB?.start ?? 0) - (spanA?.end ?? 0)).toBeLessThan(250);
  });

  it.runIf(db.kind === 'postgres')('releases the lock of a holder killed mid-transaction, and none of its writes remain', async () => {
    const url = db.url ?? '';
    const store = await db.openStore();
    const holder = await startHolder(['hold-repository-lock', url, 'repo-killed']);
    children.push(holder);

    const waits: string[] = [];
    const blocked = await withRepositoryLock(store.sql, 'repo-killed', async () => 'got it', {
      lockWaitMs: 300,
      onWait: (m) => waits.push(m),
    }).then(
      () => 'acquired',
      (e: unknown) => (isSyncError(e, 'LOCK_UNAVAILABLE') ? 'blocked' : e),
    );
    expect(blocked).toBe('blocked'); // the child really holds it

    holder.process.kill('SIGKILL');
    expect(await holder.exited).toBe('SIGKILL');
    const started = Date.now();
    expect(await withRepositoryLock(store.sql, 'repo-killed', async () => 'got it', { lockWaitMs: 10_000 })).toBe('got it');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await store.prisma.domain.count({ where: { slug: `locked-${holder.pid}` } })).toBe(0);
  });
});
