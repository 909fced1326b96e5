import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSyncError } from '../../src/model/errors.js';
import { acquireFileLock, removeStaleLock } from '../../src/fs/file-lock.js';
import { isProcessAlive } from '../../src/fs/process-liveness.js';
import { lockPathFor } from '../../src/fs/sibling-files.js';
import { createTempRepo, type TempRepo } from './support/temp-repo.js';
import { deadPid } from '../support/processes.js';

let repo: TempRepo;
let target: string;
beforeEach(async () => {
  repo = await createTempRepo();
  target = await repo.write('a.md', 'a');
});
afterEach(() => repo.remove());

describe('acquireFileLock', () => {
  it('creates `.<basename>.lock` next to the target and removes it on release', async () => {
    const lock = await acquireFileLock(target);
    expect(lock.path).toBe(lockPathFor(target));
    expect(JSON.parse(await readFile(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    await lock.release();
    expect(await readdir(repo.root)).toEqual(['a.md']);
  });

  it('waits for a held lock and gets it once released', async () => {
    const first = await acquireFileLock(target);
    setTimeout(() => void first.release(), 40);
    const t0 = Date.now();
    const second = await acquireFileLock(target, { timeoutMs: 2000 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(30);
    await second.release();
  });

  it('gives up with LOCK_UNAVAILABLE when a live holder keeps it', async () => {
    const held = await acquireFileLock(target);
    await expect(acquireFileLock(target, { timeoutMs: 50 })).rejects.toSatisfy((e: unknown) => isSyncError(e, 'LOCK_UNAVAILABLE'));
    await held.release();
  });

  it('breaks the lock of a dead process at once', async () => {
    await writeFile(lockPathFor(target), JSON.stringify({ pid: deadPid(), host: hostname(), token: 'x' }));
    const lock = await acquireFileLock(target, { timeoutMs: 100 });
    await lock.release();
    expect(await readdir(repo.root)).toEqual(['a.md']);
  });

  it('breaks a lock older than staleMs even when its pid looks alive', async () => {
    await writeFile(lockPathFor(target), JSON.stringify({ pid: process.ppid, host: 'elsewhere', token: 'x' }));
    const old = new Date(Date.now() - 60_000);
    await utimes(lockPathFor(target), old, old);
    const lock = await acquireFileLock(target, { timeoutMs: 100, staleMs: 30_000 });
    await lock.release();
  });

  it('does not break a fresh lock of a live process on another host', async () => {
    await writeFile(lockPathFor(target), JSON.stringify({ pid: 1, host: 'elsewhere', token: 'x' }));
    await expect(acquireFileLock(target, { timeoutMs: 50 })).rejects.toSatisfy((e: unknown) => isSyncError(e, 'LOCK_UNAVAILABLE'));
  });

  it('release never removes a lock that is no longer its own', async () => {
    const lock = await acquireFileLock(target);
    await writeFile(lock.path, JSON.stringify({ pid: 1, host: hostname(), token: 'someone-else' }));
    await lock.release();
    expect(JSON.parse(await readFile(lock.path, 'utf8'))).toMatchObject({ token: 'someone-else' });
  });
});

describe('removeStaleLock / isProcessAlive', () => {
  it('removes only abandoned locks', async () => {
    await writeFile(lockPathFor(target), JSON.stringify({ pid: process.pid === 1 ? 2 : 1, host: hostname(), token: 'x' }));
    expect(await removeStaleLock(target)).toBe(false);
    await writeFile(lockPathFor(target), JSON.stringify({ pid: deadPid(), host: hostname(), token: 'x' }));
    expect(await removeStaleLock(target)).toBe(true);
    expect(await removeStaleLock(target)).toBe(false);
  });

  it('knows live and dead pids', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(deadPid())).toBe(false);
    expect(isProcessAlive(0)).toBe(false);
    expect(isProcessAlive(-1)).toBe(false);
  });
});
