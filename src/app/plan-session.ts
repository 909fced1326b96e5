// A session over one repository's plans: the front door the CLI's query and edit commands and the MCP
// server share. `call(name, input)` validates the input, then runs the call (src/app/plan-calls.ts):
// - with no mirror when it needs none (a dry-run edit);
// - handed to the running `workplan watch` daemon when it owns the embedded store (the daemon runs
//   the same use case with its store, serialised with its syncs);
// - else with the mirror this session opens: Postgres (DATABASE_URL), or the embedded store.
// Calls run one at a time. The store is closed after each call, or kept open `lingerMs` for the next
// one (a long-lived MCP server answering an agent's bursts); it is closed on SIGINT/SIGTERM too.
import { randomUUID } from 'node:crypto';
import type { WorkplanConfig } from '../model/config.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { SyncError, isSyncError } from '../model/errors.js';
import { closeOnSignals } from '../db/close-on-signals.js';
import { requestDaemonCall } from '../watch/daemon-call-client.js';
import { openMirrorOrHandOff, type OpenMirror } from './open-mirror.js';
import {
  executePlanCall,
  isWritingCall,
  validatePlanCall,
  type PlanCallInput,
  type PlanCallName,
  type PlanCallOutput,
  type ValidatedCall,
} from './plan-calls.js';
import { createPlanContext } from './plan-context.js';
import type { RepositoryIdentity } from '../db/repository-row.js';
import { openWorkspace } from './workspace.js';

export interface PlanSessionOptions {
  /** Where the command runs; the repository is its git top level unless `root` is given. */
  cwd: string;
  root?: string;
  env: NodeJS.ProcessEnv;
  /** Recorded with the syncs the session runs. Default `cli`. */
  trigger?: 'cli' | 'mcp';
  /** Refuse every call that changes files; syncs write no ids into files. */
  readOnly?: boolean;
  /** Keep the store open this long after a call, in ms (default 0: closed at once). */
  lingerMs?: number;
  /** Told once when a call waits for another process holding the store. */
  onWait?: (message: string) => void;
  /** Told when the running watch daemon answered a call instead of this process. */
  onHandedOff?: (call: PlanCallName, daemonPid: number) => void;
  newId?: () => string;
  now?: () => Date;
}

/** An open session over a repository's plans. Close it when done. */
export interface PlanSession {
  readonly root: string;
  readonly repository: RepositoryIdentity;
  readonly config: WorkplanConfig;
  /** Warnings about the configuration (errors prevent a session). */
  readonly configDiagnostics: Diagnostic[];
  readonly readOnly: boolean;
  /** Runs a query or edit. Throws SyncError (INVALID_INPUT for bad input, WRITE_CONFLICT, database errors). */
  call<N extends PlanCallName>(name: N, input: PlanCallInput<N>): Promise<PlanCallOutput<N>>;
  /** Closes the store if it is open. Idempotent. */
  close(): Promise<void>;
}

export type OpenPlanSessionResult =
  | { kind: 'ready'; session: PlanSession }
  | { kind: 'invalid-config'; root: string; diagnostics: Diagnostic[] };

/** Opens a session over the repository at `cwd` (or `root`); refuses a configuration with errors. */
export async function openPlanSession(options: PlanSessionOptions): Promise<OpenPlanSessionResult> {
  const ws = await openWorkspace(options.cwd, options.root, options.env);
  if (!ws.config) return { kind: 'invalid-config', root: ws.root, diagnostics: ws.configDiagnostics };
  return { kind: 'ready', session: new Session(options, ws.root, ws.config, ws.repository, ws.configDiagnostics) };
}

class Session implements PlanSession {
  readonly readOnly: boolean;
  private opened: { mirror: OpenMirror; unregister: () => void } | undefined;
  private lingerTimer: NodeJS.Timeout | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly newId: () => string;
  private readonly now: () => Date;

  constructor(
    private readonly options: PlanSessionOptions,
    readonly root: string,
    readonly config: WorkplanConfig,
    readonly repository: RepositoryIdentity,
    readonly configDiagnostics: Diagnostic[],
  ) {
    this.readOnly = options.readOnly ?? false;
    this.newId = options.newId ?? randomUUID;
    this.now = options.now ?? (() => new Date());
  }

  call<N extends PlanCallName>(name: N, input: PlanCallInput<N>): Promise<PlanCallOutput<N>> {
    if (this.closed) return Promise.reject(new SyncError('INTERNAL', 'The session is closed.'));
    let call: ValidatedCall;
    try {
      call = validatePlanCall(this.config, name, input);
      if (this.readOnly && isWritingCall(name)) {
        throw new SyncError('INVALID_INPUT', `${name} changes files, and this session is read-only. Nothing was changed.`);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    const run = this.tail.then(() => this.run(call));
    this.tail = run.catch(() => undefined);
    return run as Promise<PlanCallOutput<N>>;
  }

  private async run(call: ValidatedCall): Promise<unknown> {
    const context = (mirror?: OpenMirror) =>
      createPlanContext({
        root: this.root,
        config: this.config,
        repository: this.repository,
        trigger: this.options.trigger ?? 'cli',
        readOnly: this.readOnly,
        ...(mirror ? { mirror: mirror.mirror } : {}),
        newId: this.newId,
        now: this.now,
      });
    if (!call.needsMirror) return executePlanCall(await context(), call);
    this.cancelLinger();
    if (!this.opened) {
      const outcome = await openMirrorOrHandOff(
        { root: this.root, config: this.config },
        this.options.env,
        async (socket) => {
          const answered = await requestDaemonCall(socket, this.root, {
            name: call.name,
            input: call.input,
            trigger: this.options.trigger ?? 'cli',
            readOnly: this.readOnly,
          });
          if (answered) this.options.onHandedOff?.(call.name, answered.daemonPid);
          return answered;
        },
        this.options.onWait ? { onWait: this.options.onWait } : {},
      );
      if (outcome.kind === 'handed-off') return outcome.value.value;
      this.opened = { mirror: outcome.opened, unregister: closeOnSignals(outcome.opened) };
    }
    try {
      return await executePlanCall(await context(this.opened.mirror), call);
    } catch (error) {
      // A lost connection (or anything unexpected) leaves the store in doubt: open it afresh next time.
      if (!isSyncError(error) || error.code === 'DB_UNREACHABLE' || error.code === 'INTERNAL') await this.releaseStore();
      throw error;
    } finally {
      await this.scheduleRelease();
    }
  }

  /** Closes the store now, or after `lingerMs` without another call. */
  private async scheduleRelease(): Promise<void> {
    const linger = this.options.lingerMs ?? 0;
    if (linger <= 0) return this.releaseStore();
    this.cancelLinger();
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = undefined;
      this.tail = this.tail.then(() => this.releaseStore());
    }, linger);
    this.lingerTimer.unref();
  }

  private cancelLinger(): void {
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
  }

  private async releaseStore(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    if (!opened) return;
    opened.unregister();
    await opened.mirror.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelLinger();
    await this.tail.catch(() => undefined);
    await this.releaseStore();
  }
}
