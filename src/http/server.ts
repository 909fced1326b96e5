// Binds the application (app.ts) to an address with @hono/node-server, and owns what lives as long as
// the server: the live-update feed and the cached file errors. The front door `workplan serve` and
// `workplan watch --serve` start it; a library user can too (src/index.ts).
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createFileErrorReader } from '../app/file-errors.js';
import type { PlanReader } from '../app/plan-reader.js';
import { SyncError } from '../model/errors.js';
import { isLoopbackHost } from './access.js';
import { createPlanApp } from './app.js';
import { MirrorChangeFeed } from './live-updates.js';

import { DEFAULT_SERVE_HOST, DEFAULT_SERVE_PORT } from './serve-defaults.js';

export { DEFAULT_SERVE_HOST, DEFAULT_SERVE_PORT };

export interface PlanServerOptions {
  reader: PlanReader;
  host?: string;
  /** 0: any free port. */
  port?: number;
  /** Enables PATCH /api/tasks/:id; needs `token`. */
  allowWrites?: boolean;
  /** Required for writes and for a non-loopback address (then it guards every request). */
  token?: string;
  /** How often live updates look for changes others made, ms (default 1 000). */
  pollMs?: number;
  /** Told of unexpected errors (never sent to clients). */
  onError?: (error: unknown) => void;
}

export interface PlanServer {
  /** e.g. http://127.0.0.1:7411 */
  readonly url: string;
  readonly port: number;
  /** Tells live updates to look now (after a sync in this process). */
  nudge(): void;
  /** Stops accepting requests and ends open event streams; the reader stays open (its owner closes it). */
  close(): Promise<void>;
}

/** Starts the server; refuses a non-loopback address without a token and writes without one. */
export async function startPlanServer(options: PlanServerOptions): Promise<PlanServer> {
  const host = options.host ?? DEFAULT_SERVE_HOST;
  const loopback = isLoopbackHost(host);
  if (!loopback && !options.token) {
    throw new SyncError(
      'INVALID_INPUT',
      `Refusing to listen on ${host} without a token: anyone who reaches that address could read the plans. Nothing was started.`,
      {
        hint: 'Set WORKPLAN_SERVE_TOKEN (every request must then carry it), or listen on 127.0.0.1.',
      },
    );
  }
  if (options.allowWrites && !options.token) throw new SyncError('INVALID_INPUT', '--allow-writes needs a token. Nothing was started.');
  const { reader } = options;
  const version = async () => (await reader.call('mirror-version', {})).token;
  const feed = new MirrorChangeFeed(version, options.pollMs ?? 1_000, options.onError);
  const app = await createPlanApp({
    reader,
    feed,
    readFileErrors: createFileErrorReader(reader.root, reader.config, version),
    allowWrites: options.allowWrites ?? false,
    access: { ...(options.token ? { token: options.token } : {}), protect: loopback ? 'writes' : 'all' },
    loopbackOnly: loopback,
    ...(options.onError ? { onUnexpectedError: options.onError } : {}),
  });
  const server = await listen(app.fetch, host, options.port ?? DEFAULT_SERVE_PORT);
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    nudge: () => void feed.nudge(),
    close: async () => {
      feed.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Event streams stay open until their clients leave: end them.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    },
  };
}

function listen(fetch: Parameters<typeof serve>[0]['fetch'], hostname: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port });
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE'
          ? `port ${port} is in use`
          : error.code === 'EADDRNOTAVAIL'
            ? `${hostname} is not an address of this machine`
            : error.message;
      reject(
        new SyncError('INVALID_INPUT', `Cannot listen on ${hostname}:${port}: ${why}. Nothing was started.`, {
          hint: 'Choose another with --port / --host.',
        }),
      );
    });
    server.once('listening', () => resolve(server));
  });
}
