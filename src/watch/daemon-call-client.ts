// Asking a running `workplan watch` daemon to run one of the library's calls (a query or an edit:
// src/app/plan-calls.ts) with the store it owns. Adapter glue over daemon-socket.ts: resolves
// undefined when no daemon answers, so the caller opens the store itself (src/app/plan-session.ts).
import { SyncError, isSyncErrorCode } from '../model/errors.js';
import { DAEMON_PROTOCOL_VERSION } from './daemon-protocol.js';
import { DaemonTimeoutError, requestDaemon } from './daemon-socket.js';

export interface DaemonCall {
  name: string;
  input: unknown;
  trigger: 'cli' | 'mcp';
  readOnly?: boolean;
}

export interface DaemonCallOutcome {
  value: unknown;
  /** The daemon's process id. */
  daemonPid: number;
}

/** Has the daemon at `socketPath` run the call; undefined when no daemon is listening there. */
export async function requestDaemonCall(
  socketPath: string,
  root: string,
  call: DaemonCall,
  options: { responseTimeoutMs?: number } = {},
): Promise<DaemonCallOutcome | undefined> {
  let response;
  try {
    response = await requestDaemon(
      socketPath,
      {
        op: 'call',
        version: DAEMON_PROTOCOL_VERSION,
        root,
        name: call.name,
        input: call.input,
        trigger: call.trigger,
        ...(call.readOnly ? { readOnly: true } : {}),
      },
      options.responseTimeoutMs !== undefined ? { responseTimeoutMs: options.responseTimeoutMs } : {},
    );
  } catch (error) {
    if (error instanceof DaemonTimeoutError) {
      throw new SyncError('LOCK_UNAVAILABLE', `${error.message} It may still complete the ${call.name}.`, {
        hint: "Check the daemon's log before running an edit again.",
      });
    }
    throw error;
  }
  if (!response) return undefined;
  if (!response.ok) {
    if (/^Unknown request "call"/.test(response.error.message)) {
      throw new SyncError(
        'LOCK_UNAVAILABLE',
        `The running watch daemon (pid ${response.pid}) is an older version that cannot answer ${call.name}. Nothing was changed.`,
        {
          hint: 'Restart `workplan watch` (it then runs this version), or stop it to let the command open the store itself.',
        },
      );
    }
    const code = isSyncErrorCode(response.error.code) ? response.error.code : 'INTERNAL';
    throw new SyncError(code, `${response.error.message} (reported by the running watch daemon, pid ${response.pid})`, {
      ...(response.error.hint ? { hint: response.error.hint } : {}),
    });
  }
  return { value: response.value, daemonPid: response.pid };
}
