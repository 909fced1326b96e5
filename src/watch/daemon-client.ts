// Asking a running `workplan watch` daemon to run a sync (it owns the embedded store). Adapter glue
// over daemon-socket.ts: resolves undefined when no daemon answers, so the caller opens the store
// itself — or, while the store's holder is a daemon that does not listen yet, asks again
// (src/app/open-mirror.ts, openMirrorOrHandOff).
import type { SyncResult } from '../reconcile/sync-result.js';
import { SyncError, type SyncErrorCode } from '../model/errors.js';
import { DAEMON_PROTOCOL_VERSION, decodeSyncResult, encodeFiles } from './daemon-protocol.js';
import { DaemonTimeoutError, requestDaemon } from './daemon-socket.js';

export interface DaemonSyncRequest {
  trigger: 'cli' | 'hook';
  paths?: string[];
  /** Bytes to sync instead of the working tree (e.g. staged blobs). Requires `paths`. */
  files?: ReadonlyMap<string, Uint8Array>;
  /** With `files`: every source path of the snapshot (default: the keys of `files`). */
  listing?: string[];
  writeBack?: boolean;
  dryRun?: boolean;
  allowMassRemoval?: boolean;
}

export interface DaemonSyncOutcome {
  result: SyncResult;
  /** The daemon's process id, for "synced by the running watch daemon (pid N)". */
  daemonPid: number;
}

const KNOWN_CODES = new Set<SyncErrorCode>([
  'WRITE_CONFLICT',
  'PATH_OUTSIDE_ROOT',
  'FILE_TOO_LARGE',
  'LOCK_UNAVAILABLE',
  'DB_UNREACHABLE',
  'DB_URL_INVALID',
  'MIGRATION_FAILED',
  'MASS_REMOVAL_REFUSED',
  'INVALID_INPUT',
  'INTERNAL',
]);

/** Has the daemon at `socketPath` run the sync; undefined when no daemon is listening there. */
export async function requestDaemonSync(
  socketPath: string,
  root: string,
  request: DaemonSyncRequest,
  options: { responseTimeoutMs?: number } = {},
): Promise<DaemonSyncOutcome | undefined> {
  let response;
  try {
    response = await requestDaemon(
      socketPath,
      {
        op: 'sync',
        version: DAEMON_PROTOCOL_VERSION,
        root,
        trigger: request.trigger,
        ...(request.paths ? { paths: request.paths } : {}),
        ...(request.files ? { files: encodeFiles(request.files) } : {}),
        ...(request.listing ? { listing: request.listing } : {}),
        ...(request.writeBack !== undefined ? { writeBack: request.writeBack } : {}),
        ...(request.dryRun ? { dryRun: true } : {}),
        ...(request.allowMassRemoval ? { allowMassRemoval: true } : {}),
      },
      options.responseTimeoutMs !== undefined ? { responseTimeoutMs: options.responseTimeoutMs } : {},
    );
  } catch (error) {
    if (error instanceof DaemonTimeoutError) {
      throw new SyncError('LOCK_UNAVAILABLE', `${error.message} Its sync may still complete.`, {
        hint: "Check the daemon's log; the next sync converges either way.",
      });
    }
    throw error;
  }
  if (!response) return undefined;
  if (!response.ok) {
    const code = KNOWN_CODES.has(response.error.code as SyncErrorCode) ? (response.error.code as SyncErrorCode) : 'INTERNAL';
    throw new SyncError(code, `${response.error.message} (reported by the running watch daemon, pid ${response.pid})`, {
      ...(response.error.hint ? { hint: response.error.hint } : {}),
    });
  }
  if (!response.result) throw new SyncError('INTERNAL', `The watch daemon (pid ${response.pid}) answered without a result.`);
  return { result: decodeSyncResult(response.result), daemonPid: response.pid };
}
