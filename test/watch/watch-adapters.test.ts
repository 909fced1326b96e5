// Small adapters of the daemon: which paths the watcher lets through, which errors mean "the
// database went away", the retry delays, the socket path.
import { describe, expect, it } from 'vitest';
import type { Stats } from 'node:fs';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { SyncError } from '../../src/model/errors.js';
import { sourceTreeFilter } from '../../src/watch/file-watcher.js';
import { isConnectionLoss } from '../../src/db/connection-loss.js';
import { backoffDelayMs } from '../../src/watch/backoff.js';
import { daemonSocketPath } from '../../src/watch/daemon-socket.js';

const file = { isDirectory: () => false, isFile: () => true } as Stats;
const dir = { isDirectory: () => true, isFile: () => false } as Stats;

describe('sourceTreeFilter', () => {
  const config = { ...structuredClone(DEFAULT_CONFIG), roots: { workplans: ['workplans'], adr: ['docs/adr'] } };
  const ignored = sourceTreeFilter('/repo', config);

  it('lets through source files and the directories leading to them', () => {
    expect(ignored('/repo', dir)).toBe(false);
    expect(ignored('/repo/workplans', dir)).toBe(false);
    expect(ignored('/repo/workplans/sub', dir)).toBe(false);
    expect(ignored('/repo/workplans/X-WP-1.md', file)).toBe(false);
    expect(ignored('/repo/docs', dir)).toBe(false);
    expect(ignored('/repo/docs/adr/0001-x.md', file)).toBe(false);
    expect(ignored('/repo/docs/adr/use-postgres.md', file)).toBe(false); // an ADR named by its slug
  });

  it('ignores editor artefacts, our temp and lock files, other directories and non-source names', () => {
    for (const p of [
      '/repo/workplans/.X-WP-1.md.swp',
      '/repo/workplans/X-WP-1.md~',
      '/repo/workplans/4913',
      '/repo/workplans/.X-WP-1.md.1234.abcd.tmp',
      '/repo/workplans/.X-WP-1.md.lock',
      '/repo/workplans/README.md',
      '/repo/docs/adr/README.md',
      '/repo/docs/adr/adr-template.md',
      '/repo/docs/guide.md',
    ]) {
      expect(ignored(p, file), p).toBe(true);
    }
    for (const p of ['/repo/.git', '/repo/node_modules', '/repo/src', '/repo/workplans/.hidden', '/repo/docs/other']) {
      expect(ignored(p, dir), p).toBe(true);
    }
    expect(ignored('/elsewhere/workplans/X-WP-1.md', file)).toBe(true);
  });
});

describe('isConnectionLoss', () => {
  it('recognises the ways a lost database shows up', () => {
    expect(isConnectionLoss(new SyncError('DB_UNREACHABLE', 'x'))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error('x'), { code: 'P1001' }))).toBe(true);
    expect(isConnectionLoss(new Error('wrapped', { cause: Object.assign(new Error('terminating'), { code: '57P01' }) }))).toBe(true);
    expect(isConnectionLoss(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('does not mistake real failures for an outage', () => {
    expect(isConnectionLoss(new SyncError('MASS_REMOVAL_REFUSED', 'x'))).toBe(false);
    expect(isConnectionLoss(new SyncError('LOCK_UNAVAILABLE', 'x'))).toBe(false);
    expect(isConnectionLoss(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isConnectionLoss(new Error('boom'))).toBe(false);
  });
});

describe('backoffDelayMs', () => {
  it('doubles from the initial delay up to the cap', () => {
    expect([0, 1, 2, 3, 10, 100].map((n) => backoffDelayMs(n, { initialMs: 500, maxMs: 30_000 }))).toEqual([
      500, 1000, 2000, 4000, 30000, 30000,
    ]);
  });
});

describe('daemonSocketPath', () => {
  it('sits next to the embedded store, falls back to the temp dir for long paths, and is a named pipe on Windows', () => {
    expect(daemonSocketPath('/repo/.workplan/db', 'linux')).toBe('/repo/.workplan/daemon.sock');
    const long = `/${'x'.repeat(120)}/.workplan/db`;
    expect(daemonSocketPath(long, 'linux')).toMatch(/workplan-[0-9a-f]{16}\.sock$/);
    expect(daemonSocketPath(long, 'linux')).toBe(daemonSocketPath(long, 'linux'));
    expect(daemonSocketPath('C:\\repo\\.workplan\\db', 'win32')).toMatch(/^\\\\\.\\pipe\\workplan-[0-9a-f]{16}$/);
  });
});
