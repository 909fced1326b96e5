// `workplan serve [--port <n>] [--host <addr>] [--allow-writes]`: the HTTP API and the dashboard
// (docs/serve.md, adr/0012) until SIGINT/SIGTERM.
// - On a Postgres mirror (DATABASE_URL) it reads the mirror that other processes keep (their watches,
//   hooks, syncs); it syncs nothing itself.
// - On the embedded store, which has one owner, it runs the watch daemon in this process (as
//   `workplan watch --serve`): the daemon keeps the mirror in step with the files and takes the other
//   commands' hand-offs, and the server reads through it.
import { randomBytes, randomUUID } from 'node:crypto';
import { daemonReader, openMirrorReader, type PlanReader, type PlanReaderWorkspace } from '../../app/plan-reader.js';
import type { WatchDaemon } from '../../app/watch.js';
import { openWorkspace } from '../../app/workspace.js';
import { isLoopbackHost } from '../../http/access.js';
import { DEFAULT_SERVE_HOST, DEFAULT_SERVE_PORT, startPlanServer, type PlanServer } from '../../http/server.js';
import { EXIT } from '../exit-codes.js';
import type { CliContext } from '../context.js';
import { reportConfigErrors } from '../report-config-errors.js';

/** The environment variable a token is taken from (else `--allow-writes` makes one and prints it). */
export const SERVE_TOKEN_ENV = 'WORKPLAN_SERVE_TOKEN';

export interface ServeSettings {
  host: string;
  port: number;
  allowWrites: boolean;
  token?: string;
  /** True when this process made the token (it is printed once, as the user asked for it). */
  generated: boolean;
}

const USAGE = 'Usage: workplan serve [--port <n>] [--host <address>] [--allow-writes]';

export async function runServeCommand(ctx: CliContext): Promise<number> {
  if (ctx.positionals.length > 0) {
    ctx.out.error(`workplan serve: unexpected argument "${ctx.positionals[0]}".\n${USAGE}`);
    return EXIT.usage;
  }
  const settings = readServeSettings(ctx, 'serve');
  if (typeof settings === 'number') return settings;
  const ws = await openWorkspace(ctx.cwd, ctx.values.root, ctx.env);
  if (!ws.config) return reportConfigErrors(ctx, ws.configDiagnostics);
  if (!ctx.env[ws.config.database.urlEnv]?.trim()) {
    // The embedded store has one owner: the watch daemon, in this process, with the server.
    const { runWatchCommand } = await import('./watch.js');
    return runWatchCommand({ ...ctx, values: { ...ctx.values, serve: true } });
  }
  const workspace = { root: ws.root, config: ws.config, repository: ws.repository };
  const reader = await openMirrorReader(workspace, ctx.env, {
    readOnly: !settings.allowWrites,
    newId: randomUUID,
    now: () => new Date(),
    onWait: (m) => ctx.out.error(m),
  });
  let server: PlanServer;
  try {
    server = await startServing(ctx, reader, settings);
  } catch (error) {
    await reader.close();
    throw error;
  }
  await untilSignalled();
  ctx.out.print('stopping: closing the server and the store…');
  await server.close();
  await reader.close();
  return EXIT.ok;
}

/** The server's options from the command line and the environment; an exit code when they are wrong. */
export function readServeSettings(ctx: CliContext, command: 'serve' | 'watch'): ServeSettings | number {
  const port = ctx.values.port === undefined ? DEFAULT_SERVE_PORT : Number(ctx.values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    ctx.out.error(`workplan ${command}: --port "${ctx.values.port}" must be a whole number from 0 to 65535.`);
    return EXIT.usage;
  }
  const host = ctx.values.host?.trim() || DEFAULT_SERVE_HOST;
  const allowWrites = ctx.values['allow-writes'] ?? false;
  const fromEnv = ctx.env[SERVE_TOKEN_ENV]?.trim() || undefined;
  // A token is made only when the user asked for writes and gave none; a non-loopback address without
  // one is refused by the server (anyone reaching it could read the plans).
  const generated = !fromEnv && allowWrites;
  const token = fromEnv ?? (generated ? randomBytes(24).toString('base64url') : undefined);
  if (!isLoopbackHost(host) && !token) {
    ctx.out.error(
      `workplan ${command}: refusing to listen on ${host} without a token; set ${SERVE_TOKEN_ENV} (every request must then carry it), or listen on 127.0.0.1. Nothing was started.`,
    );
    return EXIT.usage;
  }
  return { host, port, allowWrites, ...(token ? { token } : {}), generated };
}

/** Starts the server over `reader` and says where it is (and the token, when this process made it). */
export async function startServing(ctx: CliContext, reader: PlanReader, settings: ServeSettings): Promise<PlanServer> {
  const server = await startPlanServer({
    reader,
    host: settings.host,
    port: settings.port,
    allowWrites: settings.allowWrites,
    ...(settings.token ? { token: settings.token } : {}),
    onError: (error) => ctx.out.error(`serve: unexpected error: ${error instanceof Error ? error.message : String(error)}`),
  });
  const mode = settings.allowWrites ? 'writes allowed (PATCH /api/tasks/:id)' : 'read-only';
  // The token is printed only when this process made it: the user asked for it with --allow-writes.
  const shownToken = settings.token && settings.generated ? settings.token : undefined;
  if (ctx.values.json) {
    // `watch --serve --json`: stdout stays one JSON object per line.
    ctx.out.print(
      JSON.stringify({
        time: new Date().toISOString(),
        event: 'serving',
        url: server.url,
        readOnly: !settings.allowWrites,
        ...(shownToken ? { token: shownToken } : {}),
      }),
    );
    return server;
  }
  ctx.out.print(`serving ${server.url}/ — mirror ${reader.describe}; ${mode}`);
  if (shownToken) {
    ctx.out.print(`token (asked for by --allow-writes; send it as "Authorization: Bearer <token>", or open the link once): ${shownToken}`);
    if (!isLoopbackHost(settings.host)) ctx.out.print(`  ${server.url}/?token=${shownToken}`);
  } else if (settings.token) {
    ctx.out.print(`token: from ${SERVE_TOKEN_ENV}`);
  }
  return server;
}

/** A reader over the watch daemon of this process (`watch --serve`). */
export function readerOverDaemon(
  workspace: PlanReaderWorkspace,
  daemon: WatchDaemon,
  describe: string,
  settings: ServeSettings,
): PlanReader {
  return daemonReader(workspace, daemon, describe, { readOnly: !settings.allowWrites });
}

function untilSignalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
