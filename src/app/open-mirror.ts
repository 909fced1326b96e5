// Opening the mirror a workspace uses: Postgres when the configured URL variable is set, else the
// embedded store inside the repository (adr/ADR-002). Migrations are applied on first use.
import type { WorkplanConfig } from '../model/config.js';
import { openStore, type Store } from '../db/store.js';
import { withRepositoryLock } from '../db/advisory-lock.js';
import { redactMessage } from '../db/connection-url.js';
import { SyncError, isSyncError } from '../model/errors.js';
import { isConnectionLoss } from '../watch/connection-loss.js';
import type { MirrorDatabase } from './sync.js';
import { embeddedDirFor } from './workspace.js';
import { ensureStateDir } from '../fs/state-dir.js';

export interface OpenMirror {
  store: Store;
  mirror: MirrorDatabase;
  close(): Promise<void>;
}

export async function openMirror(
  workspace: { root: string; config: WorkplanConfig },
  env: NodeJS.ProcessEnv,
  options: { onWait?: (message: string) => void; waitForLockMs?: number } = {},
): Promise<OpenMirror> {
  const url = env[workspace.config.database.urlEnv];
  await ensureStateDir(workspace.root);
  const store = await openStore({
    ...(url ? { databaseUrl: url } : {}),
    embeddedDir: embeddedDirFor(workspace),
    ...(options.onWait ? { onWait: options.onWait } : {}),
    ...(options.waitForLockMs !== undefined ? { waitForLockMs: options.waitForLockMs } : {}),
  });
  return { store, mirror: mirrorDatabaseFor(store, options), close: () => store.close() };
}

/**
 * The sync's view of a store: raw SQL, and transactions under the repository's advisory lock.
 * A connection lost midway (server stopped, network cut) surfaces as SyncError DB_UNREACHABLE with a
 * password-free message, not as a raw driver error (which the CLI would report as a bug, exit 70).
 */
export function mirrorDatabaseFor(store: Store, options: { onWait?: (message: string) => void } = {}): MirrorDatabase {
  const prisma = store.prisma as unknown as MirrorDatabase['db'];
  const target = store.migrationTarget;
  const translate = (error: unknown): never => {
    if (isSyncError(error) || !isConnectionLoss(error)) throw error;
    const raw = error instanceof Error ? error.message : String(error);
    const detail = redactMessage(raw.split('\n').find((l) => l.trim() !== '')?.trim() ?? 'connection lost', target?.kind === 'postgres' ? target.databaseUrl : undefined);
    throw new SyncError(
      'DB_UNREACHABLE',
      `Lost the connection to the database at ${store.describe}: ${detail.replace(/\.$/, '')}. ` +
        'The transaction in progress was rolled back (unless the connection broke while it was committing).',
      { hint: 'Check that the server is up and reachable, then run the command again: it converges either way.', cause: new Error(detail) },
    );
  };
  return {
    db: {
      $queryRawUnsafe: <T>(query: string, ...values: unknown[]) => prisma.$queryRawUnsafe<T>(query, ...values).catch(translate),
      $executeRawUnsafe: (query, ...values) => prisma.$executeRawUnsafe(query, ...values).catch(translate),
    },
    withRepositoryLock: (key, fn) =>
      withRepositoryLock(store.prisma, key, (tx) => fn(tx as unknown as MirrorDatabase['db']), {
        // A cold sync of a large repository writes tens of thousands of rows in this transaction.
        timeoutMs: 10 * 60_000,
        ...(options.onWait ? { onWait: options.onWait } : {}),
      }).catch(translate),
  };
}
