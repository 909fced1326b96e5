// The daemon's local socket. Adapter (node:net): a Unix domain socket at `.workplan/daemon.sock`
// (next to the embedded store), or a named pipe on Windows. One connection carries one request line
// and one response line (daemon-protocol.ts). The socket file is created 0600: only its user may ask.
//
// A socket file left by a daemon that died is stale; a new daemon removes it before listening. That is
// safe because only the holder of the embedded store's lock (embedded-lock.ts) serves this socket.
import { createHash } from 'node:crypto';
import { chmod, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { withTimeout } from '../model/with-timeout.js';
import type { DaemonRequest, DaemonResponse } from './daemon-protocol.js';

/** Unix socket paths are limited to ~104-108 bytes; beyond this we use a socket in the temp dir. */
const MAX_SOCKET_PATH = 100;
/** A request line larger than this is refused (staged blobs of a huge commit should go another way). */
const MAX_REQUEST_BYTES = 256 * 1024 * 1024;

/** Where the daemon serving the embedded store at `embeddedDir` listens. */
export function daemonSocketPath(embeddedDir: string, platform: NodeJS.Platform = process.platform): string {
  const key = createHash('sha256').update(embeddedDir).digest('hex').slice(0, 16);
  if (platform === 'win32') return `\\\\.\\pipe\\workplan-${key}`;
  const preferred = join(dirname(embeddedDir), 'daemon.sock');
  return Buffer.byteLength(preferred) <= MAX_SOCKET_PATH ? preferred : join(tmpdir(), `workplan-${key}.sock`);
}

export interface DaemonServer {
  readonly path: string;
  close(): Promise<void>;
}

/** Listens on `path`; each request is answered by `handle` (which must not throw). */
export async function serveDaemonSocket(path: string, handle: (request: DaemonRequest) => Promise<DaemonResponse>): Promise<DaemonServer> {
  if (!path.startsWith('\\\\')) await unlink(path).catch(() => undefined);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    readLine(socket, MAX_REQUEST_BYTES)
      .then(async (line) => {
        let request: DaemonRequest;
        try {
          request = JSON.parse(line) as DaemonRequest;
        } catch {
          return {
            ok: false as const,
            pid: process.pid,
            error: { code: 'INVALID_INPUT', message: 'The request is not JSON.', hint: null },
          };
        }
        return handle(request);
      })
      .then(
        (response) => socket.end(`${JSON.stringify(response)}\n`),
        () => socket.destroy(),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (!path.startsWith('\\\\')) await chmod(path, 0o600).catch(() => undefined);
  let closing: Promise<void> | undefined;
  return {
    path,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }).then(async () => {
        if (!path.startsWith('\\\\')) await unlink(path).catch(() => undefined);
      })),
  };
}

/**
 * Sends one request to the daemon at `path`. Resolves undefined when no daemon listens there (no
 * socket, refused, or it closed without answering); rejects only on a timeout after connecting.
 */
export async function requestDaemon(
  path: string,
  request: DaemonRequest,
  options: { connectTimeoutMs?: number; responseTimeoutMs?: number } = {},
): Promise<DaemonResponse | undefined> {
  const socket = await connect(path, options.connectTimeoutMs ?? 1_000);
  if (!socket) return undefined;
  try {
    socket.write(`${JSON.stringify(request)}\n`);
    const ms = options.responseTimeoutMs ?? 10 * 60_000;
    const line = await withTimeout(readLine(socket, MAX_REQUEST_BYTES), ms, () => {
      socket.destroy();
      return new DaemonTimeoutError(ms);
    });
    return JSON.parse(line) as DaemonResponse;
  } catch (error) {
    if (error instanceof DaemonTimeoutError) throw error;
    return undefined;
  } finally {
    socket.destroy();
  }
}

/** The daemon accepted the connection but did not answer in time. */
export class DaemonTimeoutError extends Error {
  constructor(ms: number) {
    super(`The watch daemon did not answer within ${Math.round(ms / 100) / 10} s.`);
    this.name = 'DaemonTimeoutError';
  }
}

function connect(path: string, timeoutMs: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(undefined);
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    });
  });
}

/** Reads up to the first newline (or the end of the stream when it has content). */
function readLine(socket: Socket, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (error?: Error) => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onError);
      socket.off('close', onEnd);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onData = (chunk: Buffer) => {
      const newline = chunk.indexOf(10);
      if (newline >= 0) {
        chunks.push(chunk.subarray(0, newline));
        done();
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
      if (size > maxBytes) done(new Error('message too large'));
    };
    const onEnd = () => (size > 0 ? done() : done(new Error('connection closed without a message')));
    const onError = (error: Error) => done(error);
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('error', onError);
  });
}
