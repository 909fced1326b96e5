// A TCP proxy in front of the test Postgres (127.0.0.1:5432 by default), for fault injection without
// touching the shared server: cut every connection and refuse new ones (the server "goes away"),
// stall all traffic (a hung network), add latency to every chunk (slow queries), or cut once a
// number of bytes has gone through (a fault at a reproducible point of the protocol stream).
import { createServer, Socket, type Server } from 'node:net';

export interface PgProxy {
  readonly port: number;
  /** The URL through the proxy for a database URL on the upstream server (same user, password, db). */
  urlFor(databaseUrl: string): string;
  /** Destroys every open connection and stops listening: new connections are refused. */
  cut(): Promise<void>;
  /** Listens again after cut(). */
  restore(): Promise<void>;
  /** Stops forwarding in both directions (connections stay open). */
  stall(): void;
  /** Forwards what was held back, and everything after. */
  resume(): void;
  /** Latency added before each forwarded chunk, in ms. */
  delayMs: number;
  /** Cut everything once this many bytes (both directions) have been forwarded since the last reset. */
  cutAfterBytes: number | undefined;
  /** Bytes forwarded since the last reset. */
  readonly bytes: number;
  resetBytes(): void;
  /** True once a cut happened (by cut() or cutAfterBytes). */
  readonly wasCut: boolean;
  close(): Promise<void>;
}

/** Starts a proxy on an ephemeral port of 127.0.0.1. */
export async function startPgProxy(upstreamPort = 5432, upstreamHost = '127.0.0.1'): Promise<PgProxy> {
  const sockets = new Set<Socket>();
  let stalled = false;
  const held: Array<() => void> = [];
  let bytes = 0;
  let wasCut = false;
  let server: Server;
  let port = 0;

  const destroyAll = () => {
    wasCut = true;
    for (const s of sockets) s.destroy();
    sockets.clear();
  };

  const forward = (from: Socket, to: Socket) => {
    let queue = Promise.resolve();
    from.on('data', (chunk: Buffer) => {
      from.pause();
      queue = queue.then(async () => {
        if (proxy.delayMs > 0) await new Promise((r) => setTimeout(r, proxy.delayMs));
        if (stalled) await new Promise<void>((r) => held.push(r));
        if (to.destroyed) return;
        bytes += chunk.length;
        if (proxy.cutAfterBytes !== undefined && bytes >= proxy.cutAfterBytes) {
          // Forward a part of the chunk (a message cut in the middle), then everything dies.
          to.write(chunk.subarray(0, Math.max(0, chunk.length - (bytes - proxy.cutAfterBytes))));
          proxy.cutAfterBytes = undefined;
          destroyAll();
          await closeServer();
          return;
        }
        to.write(chunk);
        from.resume();
      });
    });
  };

  const onConnection = (client: Socket) => {
    const upstream = new Socket();
    sockets.add(client);
    sockets.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    upstream.connect(upstreamPort, upstreamHost);
    forward(client, upstream);
    forward(upstream, client);
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer(onConnection);
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  let listening = false;
  const closeServer = () =>
    new Promise<void>((resolve) => {
      if (!listening) return resolve();
      listening = false;
      server.close(() => resolve());
    });
  await listen();
  listening = true;

  const proxy: PgProxy = {
    get port() {
      return port;
    },
    urlFor(databaseUrl) {
      const url = new URL(databaseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    async cut() {
      destroyAll();
      await closeServer();
    },
    async restore() {
      if (listening) return;
      await listen();
      listening = true;
      wasCut = false;
    },
    stall() {
      stalled = true;
    },
    resume() {
      stalled = false;
      for (const release of held.splice(0)) release();
    },
    delayMs: 0,
    cutAfterBytes: undefined,
    get bytes() {
      return bytes;
    },
    resetBytes() {
      bytes = 0;
    },
    get wasCut() {
      return wasCut;
    },
    async close() {
      proxy.resume();
      destroyAll();
      await closeServer();
    },
  };
  return proxy;
}
