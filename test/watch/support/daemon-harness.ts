// Runs the watch daemon in-process on a temp repository and a test store, recording its events.
// The mirror can be taken "down": every query then fails with DB_UNREACHABLE, as a stopped database.
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_CONFIG } from '../../../src/model/config.js';
import { SyncError } from '../../../src/model/errors.js';
import { mirrorDatabaseFor } from '../../../src/app/open-mirror.js';
import type { MirrorDatabase } from '../../../src/app/sync.js';
import { startWatch, type WatchDaemon, type WatchEvent, type WatchOptions, type WatchSyncEvent } from '../../../src/app/watch.js';
import type { Store } from '../../../src/db/store.js';
import { queryRows, type TempRepo } from '../../support/sync-harness.js';

/** A switchable outage: `down` fails everything; `failures` fails the next N calls. */
export interface Outage {
  down: boolean;
  failures: number;
  /** Calls that failed. */
  failed: number;
}

export interface DaemonHarness {
  daemon: WatchDaemon;
  events: WatchEvent[];
  outage: Outage;
  /** Sync events, optionally of one trigger. */
  syncs(trigger?: WatchSyncEvent['trigger']): WatchSyncEvent[];
  of<K extends WatchEvent['kind']>(kind: K): Array<Extract<WatchEvent, { kind: K }>>;
  waitFor(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Waits for the daemon to be idle, then a quiet period in which nothing else may happen. */
  settle(quietMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export const TEST_DEBOUNCE_MS = 80;
export const TEST_SHRINK_SETTLE_MS = 400;

/** A mirror that fails with DB_UNREACHABLE while the outage lasts. */
export function flakyMirror(inner: MirrorDatabase, outage: Outage): MirrorDatabase {
  const check = () => {
    if (outage.down || outage.failures > 0) {
      if (outage.failures > 0) outage.failures--;
      outage.failed++;
      throw new SyncError('DB_UNREACHABLE', 'Cannot connect to the database at test: the connection was refused (simulated outage).');
    }
  };
  return {
    db: {
      $queryRawUnsafe: async (...args: Parameters<MirrorDatabase['db']['$queryRawUnsafe']>) => {
        check();
        return inner.db.$queryRawUnsafe(...args);
      },
      $executeRawUnsafe: async (...args: Parameters<MirrorDatabase['db']['$executeRawUnsafe']>) => {
        check();
        return inner.db.$executeRawUnsafe(...args);
      },
    } as MirrorDatabase['db'],
    withRepositoryLock: async (key, fn) => {
      check();
      return inner.withRepositoryLock(key, fn);
    },
  };
}

export async function startTestDaemon(
  repo: TempRepo,
  store: Store,
  options: Partial<WatchOptions> = {},
  initialOutage: Partial<Outage> = {},
): Promise<DaemonHarness> {
  const events: WatchEvent[] = [];
  const outage: Outage = { down: false, failures: 0, failed: 0, ...initialOutage };
  const daemon = await startWatch({
    root: repo.root,
    config: structuredClone(DEFAULT_CONFIG),
    repository: { slug: repo.slug, root: repo.root },
    debounceMs: TEST_DEBOUNCE_MS,
    shrinkSettleMs: TEST_SHRINK_SETTLE_MS,
    maxBatchWaitMs: 1_000,
    retry: { initialMs: 100, maxMs: 400 },
    // The suite owns the store: the daemon's close must not close it.
    openMirror: async () => {
      if (outage.down) throw new SyncError('DB_UNREACHABLE', 'simulated outage at open');
      return { mirror: flakyMirror(mirrorDatabaseFor(store), outage), describe: store.describe, close: async () => undefined };
    },
    onEvent: (e) => events.push(e),
    ...options,
  });
  const harness: DaemonHarness = {
    daemon,
    events,
    outage,
    syncs: (trigger) => events.filter((e): e is WatchSyncEvent => e.kind === 'sync' && (!trigger || e.trigger === trigger)),
    of: (kind) => events.filter((e) => e.kind === kind) as never,
    async waitFor(predicate, what, timeoutMs = 6_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) {
          throw new Error(`Timed out waiting for ${what}; events:\n${events.map((e) => JSON.stringify(e)).join('\n')}`);
        }
        await sleep(15);
      }
    },
    async settle(quietMs = TEST_DEBOUNCE_MS * 4) {
      await daemon.idle();
      await sleep(quietMs);
      await daemon.idle();
    },
    stop: () => daemon.stop(),
  };
  return harness;
}

/** Live tasks of the repository: task file id → status. */
export async function taskStatuses(store: Store, slug: string): Promise<Record<string, string>> {
  const rows = await queryRows<{ file_id: string; status: string }>(
    store,
    `SELECT t.file_id, t.status FROM tasks t JOIN repositories r ON r.id = t.repository_id
      WHERE r.slug = $1 AND t.removed_at IS NULL ORDER BY t.file_id`,
    slug,
  );
  return Object.fromEntries(rows.map((r) => [r.file_id, r.status]));
}

/** Live workstreams of the repository: file id → { id, path }. */
export async function workstreams(store: Store, slug: string): Promise<Record<string, { id: string; path: string }>> {
  const rows = await queryRows<{ id: string; file_id: string; file_path: string }>(
    store,
    `SELECT w.id::text AS id, w.file_id, w.file_path FROM workstreams w JOIN repositories r ON r.id = w.repository_id
      WHERE r.slug = $1 AND w.removed_at IS NULL ORDER BY w.file_id`,
    slug,
  );
  return Object.fromEntries(rows.map((r) => [r.file_id, { id: r.id, path: r.file_path }]));
}
