// Opening the embedded store while a `workplan watch` daemon holds it (src/app/open-mirror.ts): the
// daemon keeps the store for its lifetime, so nobody waits for it. A sync hands its work to the daemon
// (retrying while the daemon starts: it takes the store before it listens), any other command fails
// at once naming it. The "daemon" here is this process holding the lock file under the daemon's name;
// no store is opened.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { openMirror, openMirrorOrHandOff } from '../../src/app/open-mirror.js';
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';
import { embeddedDirFor } from '../../src/app/workspace.js';
import { acquireEmbeddedLock, type EmbeddedLock } from '../../src/db/embedded-lock.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { isSyncError } from '../../src/model/errors.js';
import { DAEMON_LOCK_COMMAND } from '../../src/watch/daemon-protocol.js';
import { daemonSocketPath } from '../../src/watch/daemon-socket.js';

let root: string;
const workspace = () => ({ root, config: structuredClone(DEFAULT_CONFIG) });
const env: NodeJS.ProcessEnv = {};
const locks: EmbeddedLock[] = [];
const hold = async (command: string) => {
  const lock = await acquireEmbeddedLock(embeddedDirFor(workspace()), { command });
  locks.push(lock);
  return lock;
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wps-hand-off-'));
  await mkdir(join(root, '.workplan'));
});
afterEach(() => {
  for (const lock of locks.splice(0)) lock.release();
});
afterAll(() => rm(root, { recursive: true, force: true }));

it('a command that cannot hand off fails at once, naming the daemon, instead of waiting for the store', async () => {
  await hold(DAEMON_LOCK_COMMAND);
  const waits: string[] = [];
  const started = Date.now();
  const error = await openMirror(workspace(), env, { waitForLockMs: 5_000, onWait: (m) => waits.push(m) }).catch((e: unknown) => e);
  expect(Date.now() - started).toBeLessThan(2_000);
  expect(isSyncError(error, 'LOCK_UNAVAILABLE')).toBe(true);
  expect((error as Error).message).toContain(`held by the watch daemon (process ${process.pid} (workplan watch)`);
  expect((error as Error).message).toMatch(/Nothing was changed\.$/);
  expect(waits).toEqual([]);
});

it('a sync keeps handing off to a daemon that is still starting, announcing the wait once', async () => {
  await hold(DAEMON_LOCK_COMMAND);
  const waits: string[] = [];
  const sockets: string[] = [];
  const outcome = await openMirrorOrHandOff(
    workspace(),
    env,
    async (socket) => {
      sockets.push(socket);
      return sockets.length >= 4 ? 'synced by the daemon' : undefined; // listening from the 4th try on
    },
    { waitForLockMs: 5_000, onWait: (m) => waits.push(m) },
  );
  expect(outcome).toEqual({ kind: 'handed-off', value: 'synced by the daemon' });
  expect(new Set(sockets)).toEqual(new Set([daemonSocketPath(embeddedDirFor(workspace()))]));
  expect(waits).toHaveLength(1);
  expect(waits[0]).toMatch(
    /^Waiting for the watch daemon \(pid \d+\), which holds the embedded store at .* and is still starting, to hand it this sync \(up to 5 s\) …$/,
  );
});

it('a sync waiting for another command notices a daemon taking the store meanwhile, and hands off to it', async () => {
  const other = await hold('workplan sync');
  let handOffs = 0;
  const waits: string[] = [];
  const outcome = openMirrorOrHandOff(
    workspace(),
    env,
    async () => {
      handOffs++;
      return locks.some((l) => l !== other) ? 'synced by the daemon' : undefined;
    },
    { waitForLockMs: 10_000, onWait: (m) => waits.push(m) },
  );
  await new Promise((r) => setTimeout(r, 400));
  // The other command finishes, and the daemon (waiting for it too) gets the store first.
  other.release();
  await hold(DAEMON_LOCK_COMMAND);
  expect(await outcome).toEqual({ kind: 'handed-off', value: 'synced by the daemon' });
  expect(handOffs).toBeGreaterThanOrEqual(2); // once at the start, again once the daemon held the store
  expect(waits).toHaveLength(1);
  expect(waits[0]).toMatch(/^Waiting for process \d+ \(workplan sync\), since .*, which holds the embedded store at .* \(up to 10 s\) …$/);
});

it('a daemon that never answers ends the wait with LOCK_UNAVAILABLE after the wait budget', async () => {
  await hold(DAEMON_LOCK_COMMAND);
  const started = Date.now();
  const error = await openMirrorOrHandOff(workspace(), env, async () => undefined, { waitForLockMs: 500 }).catch((e: unknown) => e);
  expect(Date.now() - started).toBeGreaterThanOrEqual(480);
  expect(isSyncError(error, 'LOCK_UNAVAILABLE')).toBe(true);
  expect((error as Error).message).toMatch(/in use by process \d+ \(workplan watch\).*gave up after 0\.5 s\. Nothing was changed\./);
});

it('`workplan status` exits 4 at once naming the daemon, and a second `workplan watch` refuses to start while the first is starting', async () => {
  await hold(DAEMON_LOCK_COMMAND);
  const run = async (...argv: string[]) => {
    const stderr: string[] = [];
    const out: Output = { print: () => undefined, error: (l) => void stderr.push(l), progress: () => undefined, isTTY: false };
    const started = Date.now();
    const code = await main([...argv, '--root', root], { cwd: root, env, out });
    return { code, stderr: stderr.join('\n'), ms: Date.now() - started };
  };
  const status = await run('status');
  expect(status).toMatchObject({ code: 4 });
  expect(status.stderr).toContain(`held by the watch daemon (process ${process.pid} (workplan watch)`);
  expect(status.ms).toBeLessThan(5_000);
  const second = await run('watch');
  expect(second).toMatchObject({ code: 4 });
  expect(second.stderr).toBe(`workplan watch: a watch daemon (pid ${process.pid}) is already running for ${root}; nothing was started.`);
});
