// Opening the mirror a workspace uses: Postgres when the configured URL variable is set, else the
// embedded store inside the repository (adr/ADR-002). Migrations are applied on first use.
//
// The embedded store belongs to one process at a time. While a `workplan watch` daemon holds it, a
// command does not wait for it (the daemon keeps it for its lifetime): a sync or the hook hands its
// work to the daemon over its socket (openMirrorOrHandOff), any other command fails at once naming
// the daemon. A daemon that is still starting holds the store before it listens, so while the holder
// is a daemon the socket is tried again until it answers; and a wait for another holder is cut into
// short slices, so that a daemon taking the store meanwhile is noticed too.
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkplanConfig } from '../model/config.js';
import { openStore, type Store } from '../db/store.js';
import { withRepositoryLock } from '../db/advisory-lock.js';
import { redactMessage, resolveDatabaseUrl } from '../db/connection-url.js';
import {
  describeLockOwner,
  formatLockWait,
  formatWaitTime,
  isLockWaitTimeout,
  lockWaitTimeout,
  readLiveLockOwner,
  type LockOwner,
} from '../db/embedded-lock.js';
import { SyncError, isSyncError } from '../model/errors.js';
import { isConnectionLoss } from '../db/connection-loss.js';
import { DAEMON_LOCK_COMMAND } from '../watch/daemon-protocol.js';
import { daemonSocketPath } from '../watch/daemon-socket.js';
import type { MirrorDatabase } from './sync.js';
import { embeddedDirFor } from './workspace.js';
import { ensureStateDir } from '../fs/state-dir.js';

export interface OpenMirror {
  store: Store;
  mirror: MirrorDatabase;
  close(): Promise<void>;
}

export interface OpenMirrorOptions {
  /** Called once when the command has to wait for another process. */
  onWait?: (message: string) => void;
  /** How long to wait for the store, in ms (default 30 s). */
  waitForLockMs?: number;
  /** Called as slow steps of opening start: creating the embedded store, applying migrations. */
  onProgress?: (message: string) => void;
  /** Construct `store.prisma` (default true); the sync never uses it (OpenStoreOptions.prismaClient). */
  prismaClient?: boolean;
}

/** The store, or the result of the work the watch daemon did instead. */
export type MirrorOrHandOff<T> = { kind: 'opened'; opened: OpenMirror } | { kind: 'handed-off'; value: T };

const DEFAULT_WAIT_MS = 30_000;
/** A wait for a holder that is not a daemon checks this often whether a daemon has taken the store. */
const WAIT_SLICE_MS = 250;
/** How often a daemon that is starting is asked again. */
const HAND_OFF_RETRY_MS = 150;

/**
 * Opens the mirror. With the embedded store held by a watch daemon it fails at once (LOCK_UNAVAILABLE
 * naming the daemon) instead of waiting for a store the daemon does not release.
 */
export async function openMirror(
  workspace: { root: string; config: WorkplanConfig },
  env: NodeJS.ProcessEnv,
  options: OpenMirrorOptions = {},
): Promise<OpenMirror> {
  const outcome = await openOrHandOff<never>(workspace, env, undefined, options);
  if (outcome.kind !== 'opened') throw new SyncError('INTERNAL', 'A store was handed off without a hand-off.');
  return outcome.opened;
}

/**
 * Opens the mirror, or has the watch daemon that owns the embedded store do the work: `handOff`
 * sends it (resolving undefined when no daemon answers on the socket) and is tried first, then
 * whenever the store's holder is a watch daemon, until it answers or the wait runs out.
 */
export async function openMirrorOrHandOff<T>(
  workspace: { root: string; config: WorkplanConfig },
  env: NodeJS.ProcessEnv,
  handOff: (socketPath: string) => Promise<T | undefined>,
  options: OpenMirrorOptions = {},
): Promise<MirrorOrHandOff<T>> {
  return openOrHandOff(workspace, env, handOff, options);
}

async function openOrHandOff<T>(
  workspace: { root: string; config: WorkplanConfig },
  env: NodeJS.ProcessEnv,
  handOff: ((socketPath: string) => Promise<T | undefined>) | undefined,
  options: OpenMirrorOptions,
): Promise<MirrorOrHandOff<T>> {
  const url = resolveDatabaseUrl(workspace.config, env);
  await ensureStateDir(workspace.root);
  const open = async (waitForLockMs: number | undefined, onWait: ((m: string) => void) | undefined): Promise<MirrorOrHandOff<T>> => {
    const store = await openStore({
      ...(url ? { databaseUrl: url, databaseUrlSource: workspace.config.database.urlEnv } : {}),
      embeddedDir: embeddedDirFor(workspace),
      root: workspace.root,
      ...(onWait ? { onWait } : {}),
      ...(waitForLockMs !== undefined ? { waitForLockMs } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.prismaClient === false ? { prismaClient: false } : {}),
    });
    return { kind: 'opened', opened: { store, mirror: mirrorDatabaseFor(store, options), close: () => store.close() } };
  };
  // Postgres: every process connects itself (no daemon owns anything).
  if (url) return open(options.waitForLockMs, options.onWait);

  const embeddedDir = embeddedDirFor(workspace);
  const socket = daemonSocketPath(embeddedDir);
  const waitMs = options.waitForLockMs ?? DEFAULT_WAIT_MS;
  const deadline = Date.now() + waitMs;
  let announced = false;
  const announce = (message: string) => {
    if (announced) return;
    announced = true;
    options.onWait?.(message);
  };
  let lastHolder: LockOwner | 'unreadable' = 'unreadable';

  if (handOff) {
    const value = await handOff(socket);
    if (value !== undefined) return { kind: 'handed-off', value };
  }
  for (;;) {
    const holder = readLiveLockOwner(embeddedDir);
    if (holder) lastHolder = holder;
    if (holder?.command === DAEMON_LOCK_COMMAND) {
      if (!handOff) throw daemonHoldsStore(embeddedDir, holder);
      const value = await handOff(socket);
      if (value !== undefined) return { kind: 'handed-off', value };
      announce(
        `Waiting for the watch daemon (pid ${holder.pid}), which holds the embedded store at ${embeddedDir} ` +
          `and is still starting, to hand it this sync (up to ${formatWaitTime(waitMs)}) …`,
      );
      if (Date.now() >= deadline) throw lockWaitTimeout(embeddedDir, holder, waitMs);
      await sleep(Math.min(HAND_OFF_RETRY_MS, Math.max(1, deadline - Date.now())));
      continue;
    }
    if (holder) announce(formatLockWait(embeddedDir, holder, waitMs));
    try {
      return await open(Math.max(1, Math.min(WAIT_SLICE_MS, deadline - Date.now())), undefined);
    } catch (error) {
      if (!isLockWaitTimeout(error)) throw error;
      if (Date.now() >= deadline) throw lockWaitTimeout(embeddedDir, readLiveLockOwner(embeddedDir) ?? lastHolder, waitMs);
    }
  }
}

/** A watch daemon owns the store for its lifetime: waiting for it is pointless. */
function daemonHoldsStore(embeddedDir: string, holder: LockOwner): SyncError {
  return new SyncError(
    'LOCK_UNAVAILABLE',
    `The embedded store at ${embeddedDir} is held by the watch daemon (${describeLockOwner(holder)}); ` +
      'this command cannot open it meanwhile. Nothing was changed.',
    {
      hint:
        `Stop the daemon (Ctrl-C in its terminal, or kill ${holder.pid}) and run the command again; \`workplan sync\` ` +
        'and the pre-commit hook work through it. To run both at once, point DATABASE_URL at a Postgres server.',
    },
  );
}

/**
 * The sync's view of a store: raw SQL (straight to the driver: direct-sql.ts), and transactions under
 * the repository's advisory lock.
 * A connection lost midway (server stopped, network cut) surfaces as SyncError DB_UNREACHABLE with a
 * password-free message, not as a raw driver error (which the CLI would report as a bug, exit 70).
 */
export function mirrorDatabaseFor(store: Store, options: { onWait?: (message: string) => void } = {}): MirrorDatabase {
  const { db } = store.sql;
  const target = store.migrationTarget;
  const translate = (error: unknown): never => {
    if (isSyncError(error) || !isConnectionLoss(error)) throw error;
    const raw = error instanceof Error ? error.message : String(error);
    const detail = redactMessage(
      raw
        .split('\n')
        .find((l) => l.trim() !== '')
        ?.trim() ?? 'connection lost',
      target?.kind === 'postgres' ? target.databaseUrl : undefined,
    );
    throw new SyncError(
      'DB_UNREACHABLE',
      `Lost the connection to the database at ${store.describe}: ${detail.replace(/\.$/, '')}. ` +
        'The transaction in progress was rolled back (unless the connection broke while it was committing).',
      { hint: 'Check that the server is up and reachable, then run the command again: it converges either way.', cause: new Error(detail) },
    );
  };
  return {
    db: {
      $queryRawUnsafe: <T>(query: string, ...values: unknown[]) => db.$queryRawUnsafe<T>(query, ...values).catch(translate),
      $executeRawUnsafe: (query, ...values) => db.$executeRawUnsafe(query, ...values).catch(translate),
    },
    withRepositoryLock: (key, fn) =>
      withRepositoryLock(store.sql, key, fn, {
        // A cold sync of a large repository writes tens of thousands of rows in this transaction.
        timeoutMs: 10 * 60_000,
        ...(options.onWait ? { onWait: options.onWait } : {}),
      }).catch(translate),
  };
}
