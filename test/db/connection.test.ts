import { createServer, type Server, type Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseDatabaseUrl, passwordCandidates, redactMessage, redactUrl } from '../../src/db/connection-url.js';
import { openStore } from '../../src/db/store.js';
import { isSyncError, type SyncError } from '../../src/model/errors.js';
import { postgresUnavailable, TEST_DATABASE_URL, withDatabase } from '../support/databases.js';

const SECRET = 'S3cr3t-pa55word';

async function failure(promise: Promise<unknown>): Promise<SyncError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isSyncError(error)) throw new Error(`expected a SyncError, got ${String(error)}`);
  return error;
}

/** Everything a user could see of an error. */
function visible(error: SyncError): string {
  return [error.message, error.hint ?? '', String((error.cause as Error | undefined)?.message ?? ''), error.stack ?? ''].join('\n');
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'wps-conn-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('redactUrl', () => {
  it.each([
    ['postgresql://user:pw@host:5432/db', 'postgresql://user:***@host:5432/db'],
    ['postgres://user:p%40ss@host/db?sslmode=require', 'postgres://user:***@host/db?sslmode=require'],
    ['postgresql://user:p@ss@host/db', 'postgresql://user:***@host/db'],
    ['postgresql://user@host/db', 'postgresql://user@host/db'],
    ['postgresql://host/db?user=u&password=pw&sslmode=disable', 'postgresql://host/db?user=u&password=***&sslmode=disable'],
    ['postgresql://user:pw@', 'postgresql://user:***@'],
    ['not a url', 'not a url'],
  ])('redacts %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  it('scrubs URLs and the bare password out of driver messages', () => {
    const url = parseDatabaseUrl(`postgresql://me:${SECRET}@db.example:5432/x`);
    const message = `connect failed for postgresql://me:${SECRET}@db.example:5432/x (password ${SECRET})`;
    const out = redactMessage(message, url);
    expect(out).not.toContain(SECRET);
    expect(out).toContain('postgresql://me:***@db.example:5432/x');
  });
});

describe('parseDatabaseUrl', () => {
  it('accepts postgresql:// and postgres:// URLs and reads their parts', () => {
    const url = parseDatabaseUrl('postgres://me:p%40ss@db.example:6543/mirror?sslmode=require');
    expect(url).toMatchObject({ host: 'db.example', port: 6543, database: 'mirror', user: 'me', password: 'p@ss' });
    expect(url.redacted).toBe('postgres://me:***@db.example:6543/mirror?sslmode=require');
    expect(parseDatabaseUrl('postgresql://localhost/x').port).toBe(5432);
  });

  it.each([
    ['', /empty/],
    ['mysql://me:pw@host/db', /must start with postgresql:\/\//],
    [`postgresql://me:${SECRET}@host:99999/db`, /not a well-formed URL|out of range/],
    [`postgresql://me:${SECRET}@/db`, /no host|not a well-formed/],
    [`postgresql://me:${SECRET}@host/db?schema=mirror`, /schema/],
    [`postgresql://me:${SECRET}@host/d%ZZb`, /percent-encoding/],
    ['http://host/db', /must start with postgresql:\/\//],
  ])('rejects %j with DB_URL_INVALID and never echoes the password', (input, why) => {
    let caught: unknown;
    try {
      parseDatabaseUrl(input);
    } catch (error) {
      caught = error;
    }
    expect(isSyncError(caught, 'DB_URL_INVALID')).toBe(true);
    expect((caught as SyncError).message).toMatch(why);
    expect(visible(caught as SyncError)).not.toContain(SECRET);
  });

  it('makes openStore fail with DB_URL_INVALID before touching anything', async () => {
    const error = await failure(openStore({ databaseUrl: `mysql://me:${SECRET}@host/db`, embeddedDir: join(scratch, 'unused') }));
    expect(error.code).toBe('DB_URL_INVALID');
    expect(visible(error)).not.toContain(SECRET);
  });
});

describe('openStore on an unreachable Postgres', () => {
  it('fails with DB_UNREACHABLE within seconds when nothing listens, without the password', async () => {
    const started = Date.now();
    const error = await failure(
      openStore({ databaseUrl: `postgresql://me:${SECRET}@127.0.0.1:1/db`, embeddedDir: join(scratch, 'unused') }),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.code).toBe('DB_UNREACHABLE');
    expect(error.message).toContain('postgresql://me:***@127.0.0.1:1/db');
    expect(error.message).toMatch(/refused/);
    expect(error.message.split('\n')).toHaveLength(1);
    expect(visible(error)).not.toContain(SECRET);
  });

  describe('a server that accepts connections but never answers', () => {
    let server: Server;
    const sockets = new Set<Socket>();
    let port = 0;
    beforeAll(async () => {
      server = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    it('times out with DB_UNREACHABLE after the connect timeout', async () => {
      const started = Date.now();
      const error = await failure(
        openStore({
          databaseUrl: `postgresql://me:${SECRET}@127.0.0.1:${port}/db`,
          embeddedDir: join(scratch, 'unused'),
          connectTimeoutMs: 1_000,
        }),
      );
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(900);
      expect(elapsed).toBeLessThan(4_000);
      expect(error.code).toBe('DB_UNREACHABLE');
      expect(visible(error)).not.toContain(SECRET);
    });

    it('uses a default connect timeout of a few seconds', async () => {
      const started = Date.now();
      const error = await failure(
        openStore({ databaseUrl: `postgresql://me:${SECRET}@127.0.0.1:${port}/db`, embeddedDir: join(scratch, 'unused') }),
      );
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(error.code).toBe('DB_UNREACHABLE');
    });
  });

  it.runIf(postgresUnavailable === undefined)('reports a database that does not exist as DB_UNREACHABLE', async () => {
    const url = new URL(withDatabase(TEST_DATABASE_URL, 'wps_no_such_database'));
    url.password = SECRET;
    const error = await failure(openStore({ databaseUrl: url.toString(), embeddedDir: join(scratch, 'unused') }));
    expect(error.code).toBe('DB_UNREACHABLE');
    expect(error.message).toMatch(/does not exist/);
    expect(visible(error)).not.toContain(SECRET);
  });
});

describe('passwordCandidates (the CLI scrubs these from every message, as a last line of defence)', () => {
  it.each([
    ['postgres//alice:S3cretPW@127.0.0.1/db', ['S3cretPW']],
    ['alice:S3cretPW@127.0.0.1:5432/db', ['S3cretPW']],
    ['postgresql://alice:S3cret%2FPW@host/db', ['S3cret%2FPW', 'S3cret/PW']],
    ['postgresql://postgres@127.0.0.1:5432/test?sslmode=require', []],
    ['postgresql://host/db?password=hunter22', ['hunter22']],
    ['', []],
  ])('%j → %j', (url, expected) => {
    expect(passwordCandidates(url).sort()).toEqual([...expected].sort());
  });
});
