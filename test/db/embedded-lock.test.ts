import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { acquireEmbeddedLock, lockPathFor, readLockOwner, type EmbeddedLock } from '../../src/db/embedded-lock.js';
import { isSyncError, type SyncError } from '../../src/model/errors.js';
import { EMBEDDED_SHARED_BUFFERS, openStore, withStore } from '../../src/db/store.js';
import { copyEmptyPGliteDir } from '../support/databases.js';
import { startHolder, type Child } from './children/spawn-child.js';
import { deadPid } from '../support/processes.js';

async function failure(promise: Promise<unknown>): Promise<SyncError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isSyncError(error)) throw new Error(`expected a SyncError, got ${String(error)}`);
  return error;
}

let scratch: string;
const locks: EmbeddedLock[] = [];
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'wps-lock-'));
});
afterEach(() => {
  for (const lock of locks.splice(0)) lock.release();
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('acquireEmbeddedLock', () => {
  it('creates <dir>.lock recording this process, and removes it on release', async () => {
    const dir = join(scratch, 'a');
    const lock = await acquireEmbeddedLock(dir, { command: 'workplan sync' });
    expect(lock.path).toBe(`${dir}.lock`);
    expect(readLockOwner(dir)).toMatchObject({ pid: process.pid, hostname: hostname(), command: 'workplan sync' });
    lock.release();
    lock.release(); // idempotent
    expect(existsSync(lockPathFor(dir))).toBe(false);
  });

  it('makes a second acquirer wait, announcing the wait once, then fail with LOCK_UNAVAILABLE', async () => {
    const dir = join(scratch, 'b');
    locks.push(await acquireEmbeddedLock(dir, { command: 'workplan watch' }));
    const waits: string[] = [];
    const started = Date.now();
    const error = await failure(acquireEmbeddedLock(dir, { waitMs: 400, onWait: (m) => waits.push(m) }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    expect(error.code).toBe('LOCK_UNAVAILABLE');
    expect(error.message).toContain(`process ${process.pid} (workplan watch)`);
    expect(error.message).toMatch(/Nothing was changed/);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatch(new RegExp(`^Waiting for process ${process.pid} \\(workplan watch\\).*holds the embedded store`));
  });

  it('hands the lock to a waiter as soon as the holder releases it', async () => {
    const dir = join(scratch, 'c');
    const first = await acquireEmbeddedLock(dir);
    setTimeout(() => first.release(), 150);
    const second = await acquireEmbeddedLock(dir, { waitMs: 5_000 });
    locks.push(second);
    expect(readLockOwner(dir)?.pid).toBe(process.pid);
  });

  it('breaks a stale lock left by a dead process', async () => {
    const dir = join(scratch, 'd');
    const pid = deadPid();
    await writeFile(
      lockPathFor(dir),
      JSON.stringify({ pid, hostname: hostname(), processStart: null, acquiredAt: '2020-01-01T00:00:00.000Z', command: 'x' }),
    );
    const waits: string[] = [];
    const lock = await acquireEmbeddedLock(dir, { waitMs: 1_000, onWait: (m) => waits.push(m) });
    locks.push(lock);
    expect(waits).toEqual([]);
    expect(readLockOwner(dir)?.pid).toBe(process.pid);
    expect((await readdir(scratch)).filter((name) => name.startsWith('d.lock.'))).toEqual([]);
  });

  it('breaks a lock whose pid was reused by another process (start time differs)', async () => {
    const dir = join(scratch, 'e');
    // pid 1 is alive, but it did not write this lock: its start time is not 42.
    await writeFile(
      lockPathFor(dir),
      JSON.stringify({ pid: 1, hostname: hostname(), processStart: '42', acquiredAt: '2020-01-01T00:00:00.000Z', command: 'x' }),
    );
    if (!existsSync('/proc/1/stat')) return; // only Linux exposes start times
    locks.push(await acquireEmbeddedLock(dir, { waitMs: 1_000 }));
    expect(readLockOwner(dir)?.pid).toBe(process.pid);
  });

  it('never breaks a lock held on another host', async () => {
    const dir = join(scratch, 'f');
    await writeFile(
      lockPathFor(dir),
      JSON.stringify({
        pid: deadPid(),
        hostname: 'elsewhere.example',
        processStart: null,
        acquiredAt: '2020-01-01T00:00:00.000Z',
        command: 'workplan watch',
      }),
    );
    const error = await failure(acquireEmbeddedLock(dir, { waitMs: 200 }));
    expect(error.code).toBe('LOCK_UNAVAILABLE');
    expect(error.message).toContain('on host elsewhere.example');
    await rm(lockPathFor(dir));
  });

  it('lets exactly one of many concurrent acquirers break a stale lock and win', async () => {
    const dir = join(scratch, 'g');
    await writeFile(
      lockPathFor(dir),
      JSON.stringify({ pid: deadPid(), hostname: hostname(), processStart: null, acquiredAt: '2020-01-01T00:00:00.000Z', command: 'x' }),
    );
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => acquireEmbeddedLock(dir, { waitMs: 300, pollMs: 10 })));
    const won = results.filter((r): r is PromiseFulfilledResult<EmbeddedLock> => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    locks.push(...won.map((r) => r.value));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(4);
  });
});

describe('the embedded store across processes', () => {
  let children: Child[] = [];
  afterEach(() => {
    for (const child of children) child.process.kill('SIGKILL');
    children = [];
  });

  it('makes a second opener wait for the holder, then fail cleanly with LOCK_UNAVAILABLE', async () => {
    const dir = join(scratch, 'store-wait');
    await copyEmptyPGliteDir(dir);
    const holder = await startHolder(['hold-store', dir]);
    children.push(holder);

    const waits: string[] = [];
    const error = await failure(openStore({ embeddedDir: dir, waitForLockMs: 1_000, onWait: (m) => waits.push(m) }));
    expect(error.code).toBe('LOCK_UNAVAILABLE');
    expect(error.message).toContain(`process ${holder.pid} (store-holder test child)`);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toContain(`process ${holder.pid}`);
    expect(readLockOwner(dir)?.pid).toBe(holder.pid); // ours was never taken, theirs untouched
  });

  it("runs its Postgres with small shared buffers: they are this process's memory (EMBEDDED_SHARED_BUFFERS)", async () => {
    const dir = join(scratch, 'store-buffers');
    await copyEmptyPGliteDir(dir);
    const store = await openStore({ embeddedDir: dir });
    try {
      const rows = await store.sql.db.$queryRawUnsafe<Array<{ shared_buffers: string }>>('SHOW shared_buffers');
      expect(rows).toEqual([{ shared_buffers: EMBEDDED_SHARED_BUFFERS }]);
      expect(rows[0]?.shared_buffers).not.toBe('128MB'); // PGlite's default
    } finally {
      await store.close();
    }
  });

  it('recovers after the holder is killed with SIGKILL: stale lock broken, committed data intact', async () => {
    const dir = join(scratch, 'store-killed');
    await copyEmptyPGliteDir(dir);
    const holder = await startHolder(['hold-store', dir]);
    holder.process.kill('SIGKILL');
    expect(await holder.exited).toBe('SIGKILL');
    expect(readLockOwner(dir)?.pid).toBe(holder.pid); // left behind

    const store = await openStore({ embeddedDir: dir, waitForLockMs: 2_000 });
    try {
      expect(readLockOwner(dir)?.pid).toBe(process.pid);
      const domains = await store.prisma.domain.findMany();
      expect(domains.map((d) => d.slug)).toEqual([`child-${holder.pid}`]);
      await store.prisma.domain.create({ data: { slug: 'after-recovery', name: 'x' } });
      expect(await store.prisma.domain.count()).toBe(2);
    } finally {
      await store.close();
    }
    expect(existsSync(lockPathFor(dir))).toBe(false);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('closes the store and releases the lock on %s, exiting %i', async (signal, code) => {
    const dir = join(scratch, `store-${signal}`);
    await copyEmptyPGliteDir(dir);
    const holder = await startHolder(['hold-store', dir]);
    holder.process.kill(signal);
    expect(await holder.exited).toBe(code);
    expect(existsSync(lockPathFor(dir))).toBe(false);

    const store = await openStore({ embeddedDir: dir, waitForLockMs: 500 });
    try {
      expect(await store.prisma.domain.count()).toBe(1);
    } finally {
      await store.close();
    }
  });
});

describe('withStore', () => {
  it('closes the store and releases the lock after fn, even when fn throws', async () => {
    const dir = join(scratch, 'with-store');
    await copyEmptyPGliteDir(dir);
    await expect(
      withStore({ embeddedDir: dir }, async (store) => {
        expect(readLockOwner(dir)?.pid).toBe(process.pid);
        await store.prisma.domain.create({ data: { slug: 'kept', name: 'x' } });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(existsSync(lockPathFor(dir))).toBe(false);
    expect(await withStore({ embeddedDir: dir }, (store) => store.prisma.domain.count())).toBe(1);
  });
});
