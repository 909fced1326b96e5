// Bad input and security (shared/RELIABILITY.md, "Bad input and security"):
// - write-back never writes outside the repository root: symlinked files and directories pointing
//   out, a file swapped for such a symlink between our read and our write, `..` in paths, ids and
//   titles that look like paths;
// - ids, titles and the repository slug cannot inject SQL: hostile values are stored verbatim and
//   the mirror stays intact;
// - the password in DATABASE_URL never reaches stdout or stderr of `workplan` (real child
//   processes), whatever goes wrong — including a server whose error message echoes the password;
// - a file over the size limit is refused with a `file-too-large` diagnostic without being read.
import { randomUUID } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, truncate, unlink, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memorySource, workingTreeSource } from '../../src/fs/source-files.js';
import type { SourceProvider } from '../../src/model/source-file.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { listTasks } from '../../src/model/workplan.js';
import { parseWorkplan } from '../../src/parse/workplan.js';
import { describeEachDatabase, postgresUnavailable, TEST_DATABASE_URL, withAdminClient, withDatabase } from '../support/databases.js';
import { createTempRepo, queryRows, syncRepo, type TempRepo } from '../support/sync-harness.js';
import { buildCli, spawnNode, type CliBuild } from './support/cli-build.js';
import { readRepoFiles, workplanPath, workplanText } from './support/corpus.js';
import { countNote, scenarioFigures } from './support/figures.js';
import { iterations } from './support/level.js';
import { digestMirror, storeQuery } from './support/mirror-digest.js';

const figures = scenarioFigures('security');

const HOSTILE = [
  "'); DROP TABLE tasks; --",
  "x'; DELETE FROM workstreams WHERE '1'='1",
  '$1 $2 $$ $tag$ ; ::uuid',
  "E'\\\\x00' \\' \\\\ \\\" `rm -rf /`",
  '../../../etc/passwd',
  '..\\..\\windows\\system32',
  '/absolute/path.md',
  '%s %n {{ template }} ${HOME}',
  'Robert"); DROP TABLE repositories;--',
  '日本語 — ünïcödé 😀 \u202e reversed',
];

/** Every file under `dir` (recursively) with its bytes, for "nothing changed outside" checks. */
async function snapshotTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (entry.isFile()) out.set(path.relative(dir, full), await readFile(full, 'utf8'));
    else if (entry.isSymbolicLink()) out.set(path.relative(dir, full), '<symlink>');
  }
  return out;
}

describeEachDatabase('write-back stays inside the repository; hostile values are data', (db) => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const f of cleanup) await f();
  });
  const tempRepo = async (files: Record<string, string>, slug?: string) => {
    const r = await createTempRepo(files, slug);
    cleanup.push(() => r.dispose());
    return r;
  };
  const outsideDir = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wps-outside-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  };

  it('symlinks pointing out of the repository (file, directory, the root itself) are never read or written', async () => {
    const store = await db.openStore();
    const outside = await outsideDir();
    // Valid workplans without ids: a sync that read them would write ids into them.
    await writeFile(path.join(outside, 'victim.md'), workplanText(501, { tasks: 0, newTasks: 2, ids: false }));
    await mkdir(path.join(outside, 'plans'));
    await writeFile(path.join(outside, 'plans', 'REL-WP-0502-x.md'), workplanText(502, { tasks: 0, newTasks: 2, ids: false }));
    const before = await snapshotTree(outside);

    const repo = await tempRepo({ [workplanPath(1)]: workplanText(1, { tasks: 0, newTasks: 1, ids: false }) });
    await symlink(path.join(outside, 'victim.md'), path.join(repo.root, 'workplans', 'REL-WP-0501-victim.md'));
    await symlink(path.join(outside, 'plans'), path.join(repo.root, 'workplans', 'linked-dir'));
    await symlink(path.join(outside, 'plans'), path.join(repo.root, 'adr'));
    const result = await repo.sync(store, { workers: 0 });
    figures.cases++;
    figures.faults += 3;
    expect(result.writeBacks).toEqual([{ path: workplanPath(1), outcome: 'written', ids: 2 }]);
    const after = await snapshotTree(outside);
    if (JSON.stringify([...after]) !== JSON.stringify([...before])) figures.bytesLost += 1;
    expect(after).toEqual(before);
    const [row] = await queryRows<{ n: number }>(
      store,
      `SELECT count(*)::int AS n FROM workstreams WHERE file_id IN ('REL-WP-0501', 'REL-WP-0502')`,
    );
    expect(row?.n).toBe(0);
  });

  it('a file swapped for a symlink to an identical file outside, between our read and our write: refused, the outside file untouched', async () => {
    const store = await db.openStore();
    const runs = iterations(2, 40);
    for (let i = 0; i < runs; i++) {
      const outside = await outsideDir();
      const rel = workplanPath(600 + i);
      const text = workplanText(600 + i, { tasks: 0, newTasks: 2, ids: false });
      const repo = await tempRepo({ [rel]: text });
      const viaDir = i % 2 === 1;
      const inner = workingTreeSource(repo.root);
      // The attacker replaces the file (or its directory) right after we read it; the bytes stay the
      // same, so only the path check can catch it.
      const source: SourceProvider = {
        list: (config) => inner.list(config),
        async read(p, kind, config) {
          const result = await inner.read(p, kind, config);
          if (p === rel) {
            if (viaDir) {
              await mkdir(path.join(outside, 'workplans'), { recursive: true });
              await writeFile(path.join(outside, rel), text);
              await rm(path.join(repo.root, 'workplans'), { recursive: true });
              await symlink(path.join(outside, 'workplans'), path.join(repo.root, 'workplans'));
            } else {
              await writeFile(path.join(outside, 'copy.md'), text);
              await unlink(path.join(repo.root, rel));
              await symlink(path.join(outside, 'copy.md'), path.join(repo.root, rel));
            }
          }
          return result;
        },
      };
      const result = await repo.sync(store, { source, workers: 0 });
      figures.cases++;
      figures.faults++;
      expect(result.writeBacks).toHaveLength(1);
      expect(result.writeBacks[0]).toMatchObject({ path: rel, outcome: 'failed' });
      expect(result.writeBacks[0]!.message).toMatch(/Refused path .*outside the repository root.*Nothing was read or written/);
      // The attacker's copy outside the root is exactly as they wrote it.
      const after = await snapshotTree(outside);
      const expected = new Map([[viaDir ? rel : 'copy.md', text]]);
      if (JSON.stringify([...after]) !== JSON.stringify([...expected])) figures.bytesLost += text.length;
      expect(after).toEqual(expected);
      countNote(figures, 'symlink swaps refused (PATH_OUTSIDE_ROOT)');
    }
  });

  it('paths with `..` from a source, and ids or titles that look like paths, never write outside the root', async () => {
    const store = await db.openStore();
    const outside = await outsideDir();
    const repo = await tempRepo({});
    // A source (e.g. a staged index) handing over a path that climbs out of the root.
    const climbing = `workplans/../../${path.basename(outside)}/escaped.md`;
    await writeFile(path.join(outside, 'escaped.md'), 'precious\n');
    const text = workplanText(700, { tasks: 0, newTasks: 1, ids: false, title: '../../../etc/passwd and ..\\..\\x' });
    const source = memorySource(new Map([[climbing, Buffer.from(text)]]));
    const result = await repo.sync(store, { source, workers: 0 });
    figures.cases++;
    figures.faults++;
    expect(result.writeBacks).toHaveLength(1);
    expect(result.writeBacks[0]).toMatchObject({ outcome: 'failed' });
    expect(result.writeBacks[0]!.message).toMatch(/Refused path/);
    expect(await readFile(path.join(outside, 'escaped.md'), 'utf8')).toBe('precious\n');
    expect(await readdir(outside)).toEqual(['escaped.md']);

    // Ids with path or SQL syntax are invalid ids: diagnostics, nothing synced, nothing written.
    const badIds = await tempRepo({
      'workplans/a.md': workplanText(701, { tasks: 0, newTasks: 1, ids: false }).replace(/REL-WP-0701/g, '../../REL-WP-0701'),
      'workplans/b.md': workplanText(702, { tasks: 0, newTasks: 1, ids: false }).replace(
        /REL-WP-0702/g,
        "REL-WP-0702'); DROP TABLE tasks; --",
      ),
    });
    const filesBefore = await readRepoFiles(badIds.root);
    const bad = await badIds.sync(store, { workers: 0 });
    figures.cases++;
    figures.faults += 2;
    expect(bad.diagnostics.filter((d) => d.severity === 'error').length).toBeGreaterThan(0);
    expect(bad.writeBacks).toEqual([]);
    expect(await readRepoFiles(badIds.root)).toEqual(filesBefore);
    const [tasks] = await queryRows<{ present: boolean }>(store, `SELECT to_regclass('tasks') IS NOT NULL AS present`);
    expect(tasks?.present).toBe(true);
  });

  it('hostile titles, descriptions, owners, ADR titles and repository slugs are stored verbatim; every table survives', async () => {
    const store = await db.openStore();
    const tablesBefore = Object.keys((await digestMirror(storeQuery(store))).tables).sort();
    const runs = iterations(3, 30);
    const hostile = fc.oneof(
      fc.constantFrom(...HOSTILE),
      fc.string({
        unit: fc.constantFrom("'", '"', ';', '-', '\\', '$', '`', '/', '.', '%', '(', ')', '*', 'a', ' ', 'é', '😀'),
        minLength: 1,
        maxLength: 30,
      }),
    );
    const samples = fc.sample(fc.array(hostile, { minLength: 12, maxLength: 12 }), { numRuns: runs, seed: 4242 });
    for (const [round, values] of samples.entries()) {
      const slug = `${values[0]}/${round}`;
      const title = values[1]!.trim() || 'x';
      const taskTitles = values.slice(2, 8);
      const lines = [
        '---',
        'id: SEC-WP-0001',
        'type: workplan',
        `title: ${JSON.stringify(title)}`,
        'domain: security',
        'status: active',
        `owner: ${JSON.stringify(values[8])}`,
        '---',
        '',
        '# Plan',
        '',
        '## Phase 1 — Hostile',
        '',
      ];
      taskTitles.forEach((t, k) =>
        lines.push(
          `### P1.${k + 1} — ${t.replace(/[\r\n]/g, ' ')}`,
          '',
          `id: SEC-WP-0001-T0${k + 1}`,
          'status: todo',
          '',
          `${values[9]} ${k}`,
          '',
        ),
      );
      const text = lines.join('\n');
      const adr = `# 1. ${values[10]!.replace(/[\r\n]/g, ' ') || 'x'}\n\nDate: 2026-01-01\n\n## Status\n\nAccepted\n`;
      const repo = await tempRepo({ 'workplans/SEC-WP-0001-hostile.md': text, 'adr/0001-hostile.md': adr }, slug);
      const result = await syncRepo(repo.root, slug, store, { workers: 0 });
      figures.cases++;
      figures.faults += values.length;
      // What the parser read is exactly what the mirror holds.
      const model = parseWorkplan('workplans/SEC-WP-0001-hostile.md', text).value;
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      if (!model || errors.length > 0) {
        countNote(figures, 'hostile files rejected by validation');
        continue;
      }
      const [ws] = await queryRows<{ title: string; owner: string | null }>(
        store,
        `SELECT w.title, w.owner FROM workstreams w JOIN repositories r ON r.id = w.repository_id WHERE r.slug = $1`,
        slug,
      );
      expect(ws, `slug ${JSON.stringify(slug)}`).toEqual({
        title: model.frontmatter.data.title,
        owner: model.frontmatter.data.owner ?? null,
      });
      const taskRows = await queryRows<{ file_id: string; title: string; description: string }>(
        store,
        `SELECT t.file_id, t.title, t.description FROM tasks t JOIN repositories r ON r.id = t.repository_id WHERE r.slug = $1 ORDER BY t.position`,
        slug,
      );
      expect(taskRows).toEqual(listTasks(model).map((t) => ({ file_id: t.id, title: t.title, description: t.description })));
      countNote(figures, 'hostile values stored verbatim', 2 + taskRows.length * 2);
    }
    const tablesAfter = Object.keys((await digestMirror(storeQuery(store))).tables).sort();
    expect(tablesAfter).toEqual(tablesBefore);
  }, 120_000);

  // Issue 14: a 989,794-byte file of 33,321 tasks without ids grew to 2,855,900 bytes by our own
  // write-back; every later sync then refused it as file-too-large and its edits were never mirrored.
  it('our write-back never pushes a file over sync.maxFileBytes; its rows sync, and its later edits still do', async () => {
    const store = await db.openStore();
    const rel = workplanPath(810);
    const text = workplanText(810, { tasks: 0, newTasks: 200, ids: false });
    const config = structuredClone(DEFAULT_CONFIG);
    config.sync.maxFileBytes = text.length + 1_000; // room for a few id lines, not for 201
    const repo = await tempRepo({ [rel]: text });
    const first = await repo.sync(store, { config, workers: 0 });
    figures.cases++;
    figures.faults++;
    const after = await readFile(path.join(repo.root, rel), 'utf8');
    if (after.length > config.sync.maxFileBytes) figures.bytesLost += after.length - config.sync.maxFileBytes;
    expect(after).toBe(text);
    expect(first.diagnostics.map((d) => [d.ruleId, d.severity])).toEqual([['write-back-too-large', 'warning']]);
    expect(first.diagnostics[0]!.message).toMatch(/201 assigned id\(s\) would make this file \d+ bytes, over the \d+-byte limit/);
    const statuses = async () =>
      Object.fromEntries(
        (
          await queryRows<{ file_id: string; status: string }>(
            store,
            `SELECT t.file_id, t.status FROM tasks t JOIN workstreams w ON w.id = t.workstream_id WHERE w.file_id = $1 AND t.removed_at IS NULL`,
            'REL-WP-0810',
          )
        ).map((r) => [r.file_id, r.status]),
      );
    expect(Object.keys(await statuses())).toHaveLength(200);
    // A later edit is read and mirrored (the file is still under the limit).
    await writeFile(path.join(repo.root, rel), text.replace('id: REL-WP-0810-T07\nstatus: todo', 'id: REL-WP-0810-T07\nstatus: done'));
    const second = await repo.sync(store, { config, workers: 0 });
    expect(second.diagnostics.map((d) => d.ruleId)).not.toContain('file-too-large');
    expect((await statuses())['REL-WP-0810-T07']).toBe('done');
    countNote(figures, 'write-backs kept under the size limit');
  }, 120_000);

  it('a file over the size limit is refused with file-too-large, unread, and its rows stay', async () => {
    const store = await db.openStore();
    const rel = workplanPath(800);
    const repo = await tempRepo({
      [rel]: workplanText(800, { tasks: 2, ids: true }),
      'workplan.config.json': '{"sync":{"maxFileBytes":1048576}}',
    });
    const config = structuredClone(DEFAULT_CONFIG);
    config.sync.maxFileBytes = 1024 * 1024;
    await repo.sync(store, { config, workers: 0 });
    const before = await digestMirror(storeQuery(store));
    // A sparse 64 MiB file of zero bytes: read, it would be an encoding-nul diagnostic (and slow).
    await truncate(path.join(repo.root, rel), 64 * 1024 * 1024);
    await writeFile(path.join(repo.root, 'workplans', 'REL-WP-0801-just-over.md'), Buffer.alloc(1024 * 1024 + 1, 0x61));
    const started = Date.now();
    const result = await repo.sync(store, { config, workers: 0 });
    figures.cases++;
    figures.faults += 2;
    const tooLarge = result.diagnostics.filter((d) => d.ruleId === 'file-too-large');
    expect(tooLarge.map((d) => d.path).sort()).toEqual([rel, 'workplans/REL-WP-0801-just-over.md']);
    expect(tooLarge[0]!.message).toMatch(/over the 1048576-byte limit; it was not read/);
    expect(result.diagnostics.map((d) => d.ruleId)).not.toContain('encoding-nul');
    expect(Date.now() - started).toBeLessThan(5_000);
    const after = await digestMirror(storeQuery(store));
    expect(after.digest).toBe(before.digest);
    expect((await lstat(path.join(repo.root, rel))).size).toBe(64 * 1024 * 1024);
    countNote(figures, 'oversized files refused unread', 2);
  });
});

// Passwords: real `workplan` processes (the transpiled CLI), every way a database URL can fail,
// with stdout and stderr scanned for the password in every form it could be printed.
describe('a password in DATABASE_URL never reaches stdout or stderr', () => {
  const SECRET = 'pw-Secr3t/with@special:chars';
  const ENCODED = encodeURIComponent(SECRET);
  let build: CliBuild;
  let repo: TempRepo;
  let fake: Server;
  let fakePort = 0;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    build = await buildCli();
    repo = await createTempRepo({ [workplanPath(1)]: workplanText(1, { tasks: 0, newTasks: 1, ids: false }) });
    // A server that asks for a password, then rejects it with a message echoing it back (a
    // misbehaving proxy or server): the password then sits inside a driver error message.
    fake = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      let buffered = Buffer.alloc(0);
      let stage: 'startup' | 'password' = 'startup';
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        if (stage === 'startup' && buffered.length >= 8) {
          const length = buffered.readInt32BE(0);
          const code = buffered.readInt32BE(4);
          if (code === 80877103) {
            socket.write('N'); // SSLRequest: no SSL
            buffered = buffered.subarray(8);
            return;
          }
          if (buffered.length < length) return;
          buffered = buffered.subarray(length);
          stage = 'password';
          const auth = Buffer.alloc(9);
          auth.write('R', 0);
          auth.writeInt32BE(8, 1);
          auth.writeInt32BE(3, 5); // AuthenticationCleartextPassword
          socket.write(auth);
        } else if (stage === 'password' && buffered.length >= 5 && buffered[0] === 0x70) {
          const length = buffered.readInt32BE(1);
          if (buffered.length < length + 1) return;
          const password = buffered.subarray(5, length).toString('utf8').replace(/\0$/, '');
          const fields = ['SFATAL', 'VFATAL', 'C28P01', `Mpassword authentication failed for user "postgres" (password "${password}")`];
          const body = Buffer.concat([...fields.map((f) => Buffer.from(`${f}\0`)), Buffer.from([0])]);
          const header = Buffer.alloc(5);
          header.write('E', 0);
          header.writeInt32BE(body.length + 4, 1);
          socket.end(Buffer.concat([header, body]));
        }
      });
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    fakePort = (fake.address() as { port: number }).port;
  }, 120_000);
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => fake?.close(resolve));
    await repo?.dispose();
    await build?.dispose();
  });

  const real = postgresUnavailable === undefined;
  const withSecret = (url: string) => {
    const u = new URL(url);
    u.username = u.username || 'postgres';
    u.password = ENCODED;
    return u.toString();
  };
  let realDb: string | undefined;
  const cases: Array<{ name: string; url: () => string; args: string[]; exit: number[] }> = [
    {
      name: 'nothing listens (connection refused)',
      url: () => `postgresql://postgres:${ENCODED}@127.0.0.1:1/db`,
      args: ['sync'],
      exit: [5],
    },
    {
      name: 'the host does not resolve',
      url: () => `postgresql://postgres:${ENCODED}@no-such-host.invalid:5432/db`,
      args: ['sync'],
      exit: [5],
    },
    {
      name: 'a malformed URL (port out of range)',
      url: () => `postgresql://postgres:${ENCODED}@127.0.0.1:99999/db`,
      args: ['sync'],
      exit: [5],
    },
    {
      name: 'an unencoded password that breaks URL parsing',
      url: () => `postgresql://postgres:${SECRET}@127.0.0.1:5432/db`,
      args: ['status'],
      exit: [5],
    },
    {
      name: 'the server rejects the password and echoes it',
      url: () => `postgresql://postgres:${ENCODED}@127.0.0.1:${fakePort}/db`,
      args: ['sync'],
      exit: [5],
    },
    {
      name: 'the server rejects the password (db status)',
      url: () => `postgresql://postgres:${ENCODED}@127.0.0.1:${fakePort}/db`,
      args: ['db', 'status'],
      exit: [5],
    },
    // Malformed forms (issue 14): no scheme separator, no scheme at all, a scheme without slashes, an
    // unencoded password before a port that does not parse, junk around a real URL.
    {
      name: 'no scheme separator (postgres//user:pw@host/db)',
      url: () => `postgres//alice:${SECRET}@127.0.0.1/db`,
      args: ['sync'],
      exit: [5],
    },
    { name: 'no scheme (user:pw@host:5432/db)', url: () => `alice:${SECRET}@127.0.0.1:5432/db`, args: ['sync'], exit: [5] },
    {
      name: 'a scheme without slashes (postgresql:user:pw@host/db)',
      url: () => `postgresql:alice:${SECRET}@127.0.0.1/db`,
      args: ['status'],
      exit: [5],
    },
    {
      name: 'an unencoded password and a bad port',
      url: () => `postgresql://alice:${SECRET}@127.0.0.1:99999/db`,
      args: ['db', 'migrate'],
      exit: [5],
    },
    {
      name: 'a password in a query parameter of a malformed URL',
      url: () => `postgresql://127.0.0.1:port/db?password=${ENCODED}`,
      args: ['sync'],
      exit: [5],
    },
    { name: 'the password alone', url: () => SECRET, args: ['watch'], exit: [5] },
  ];
  if (real) {
    cases.push(
      {
        name: 'a database that does not exist',
        url: () => withSecret(withDatabase(TEST_DATABASE_URL, 'wps_no_such_db_reliability')),
        args: ['sync'],
        exit: [5],
      },
      { name: 'success: sync', url: () => withSecret(realDb!), args: ['sync'], exit: [0] },
      { name: 'success: sync --json', url: () => withSecret(realDb!), args: ['sync', '--json'], exit: [0] },
      { name: 'success: status', url: () => withSecret(realDb!), args: ['status'], exit: [0] },
      { name: 'success: db status --json', url: () => withSecret(realDb!), args: ['db', 'status', '--json'], exit: [0] },
      { name: 'success: db migrate', url: () => withSecret(realDb!), args: ['db', 'migrate'], exit: [0] },
    );
  }
  // biome-ignore lint/suspicious/noDuplicateTestHooks: the real database's hooks sit next to the cases that use it.
  beforeAll(async () => {
    if (!real) return;
    const name = `wps_sec_${randomUUID().slice(0, 8).replace(/-/g, '')}`;
    await withAdminClient((c) => c.query(`CREATE DATABASE ${name}`));
    realDb = withDatabase(TEST_DATABASE_URL, name);
  });
  // biome-ignore lint/suspicious/noDuplicateTestHooks: see the beforeAll above.
  afterAll(async () => {
    if (realDb) await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${new URL(realDb!).pathname.slice(1)} WITH (FORCE)`));
  });

  it.each(cases)(
    '$name',
    async ({ url, args, exit }) => {
      const child = spawnNode(build.cli, [...args, '--root', repo.root], { DATABASE_URL: url() });
      const { code } = await child.exited;
      const output = child.stdout() + child.stderr();
      figures.cases++;
      figures.faults++;
      const forms = [SECRET, ENCODED, 'Secr3t', Buffer.from(SECRET).toString('base64')];
      const leaked = forms.filter((f) => output.includes(f));
      if (leaked.length > 0) figures.bytesLost += SECRET.length;
      expect(leaked, output).toEqual([]);
      expect(exit, output).toContain(code);
      expect(output).not.toMatch(/internal error/);
      countNote(figures, 'CLI runs scanned for the password');
    },
    30_000,
  );

  it('the variable database.urlEnv names is never printed, whatever it holds', async () => {
    const other = await createTempRepo({
      [workplanPath(1)]: workplanText(1, { tasks: 0, newTasks: 1, ids: false }),
      'workplan.config.json': '{"database":{"urlEnv":"MY_API_TOKEN"}}',
    });
    try {
      for (const args of [['sync'], ['status'], ['db', 'status'], ['watch']]) {
        const child = spawnNode(build.cli, [...args, '--root', other.root], { MY_API_TOKEN: SECRET });
        const { code } = await child.exited;
        const output = child.stdout() + child.stderr();
        figures.cases++;
        figures.faults++;
        if (output.includes(SECRET) || output.includes('Secr3t')) figures.bytesLost += SECRET.length;
        expect(output).not.toContain('Secr3t');
        expect(output).toMatch(/The database URL in MY_API_TOKEN is invalid/);
        expect(code, output).toBe(5);
        countNote(figures, 'CLI runs with database.urlEnv naming a secret variable');
      }
    } finally {
      await other.dispose();
    }
  }, 60_000);

  it("sslmode=require: no driver SECURITY WARNING before our message; sslmode keeps libpq's meaning", async () => {
    const child = spawnNode(build.cli, ['status', '--root', repo.root], {
      DATABASE_URL: `postgresql://postgres:${ENCODED}@127.0.0.1:${fakePort}/db?sslmode=require`,
    });
    const { code } = await child.exited;
    const output = child.stdout() + child.stderr();
    figures.cases++;
    expect(output).not.toMatch(/SECURITY WARNING|Warning:/);
    expect(output).not.toContain('Secr3t');
    expect(output).toMatch(/^workplan: DB_UNREACHABLE/);
    expect(code).toBe(5);
  }, 30_000);
});

// Reading outside the repository (issue 14, points 3 and 4): `check` refuses paths outside it, given
// directly or through a symlink, unread (exit 8, as sync refuses them); a root or a file symlinked out
// of the repository is reported as such by check and sync (`path-outside-root`), never skipped in
// silence and never as a permissions problem.
describe('check and sync never read outside the repository', () => {
  let scratch: string;
  let repo: string;
  let outside: string;
  const SECRET_LINE = 'root:x:0:0:never-read-this:/root:/bin/sh';
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'wps-outside-'));
    repo = path.join(scratch, 'repo');
    outside = path.join(scratch, 'other-repo');
    await mkdir(path.join(repo, 'workplans'), { recursive: true });
    await mkdir(path.join(outside, 'workplans'), { recursive: true });
    await writeFile(path.join(repo, workplanPath(1)), workplanText(1, { tasks: 1, ids: false }));
    await writeFile(path.join(outside, 'passwd'), `${SECRET_LINE}\n`);
    await writeFile(path.join(outside, workplanPath(2)), workplanText(2, { tasks: 1, ids: false }));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  const run = async (args: string[], cwd = repo) => {
    const { main } = await import('../../src/cli/main.js');
    const { createRecordingOutput } = await import('../../src/cli/output.js');
    const out = createRecordingOutput();
    const code = await main(args, { cwd, env: { WORKPLAN_REPOSITORY_SLUG: 'outside-test' }, out });
    return { code, output: [...out.stdout, ...out.stderr].join('\n') };
  };

  it.each([
    ['an absolute path outside', () => path.join(outside, 'passwd')],
    ['a ../ path into another repository', () => `../other-repo/${workplanPath(2)}`],
    ['a directory outside', () => '../other-repo/workplans'],
  ])('check refuses %s: exit 8, nothing read', async (_name, arg) => {
    const r = await run(['check', arg(), '--root', repo]);
    figures.cases++;
    figures.faults++;
    // A diagnostic (file:line:col) would mean the file was read and parsed.
    if (/never-read-this|:\d+:\d+: (error|warning)/.test(r.output)) figures.bytesLost++;
    expect(r.code, r.output).toBe(8);
    expect(r.output).toMatch(/PATH_OUTSIDE_ROOT: .*outside the repository; it was not read/);
    expect(r.output).not.toMatch(/never-read-this|:\d+:\d+: (error|warning)/);
    countNote(figures, 'outside paths refused by check');
  });

  it('check refuses a path inside the repository that is a symlink to a file outside', async () => {
    const link = path.join(repo, 'notes', 'passwd.md');
    await mkdir(path.dirname(link), { recursive: true });
    await symlink(path.join(outside, 'passwd'), link);
    try {
      const r = await run(['check', 'notes/passwd.md', '--root', repo]);
      figures.cases++;
      figures.faults++;
      expect(r.code, r.output).toBe(8);
      expect(r.output).toMatch(/resolves to .*passwd, outside the repository/);
      expect(r.output).not.toMatch(/never-read-this|frontmatter-missing/);
    } finally {
      await rm(path.dirname(link), { recursive: true, force: true });
    }
  });

  it('a workplan file symlinked to a file outside: check and sync say path-outside-root, never directory-unreadable', async () => {
    const link = path.join(repo, 'workplans', 'passwd.md');
    await symlink(path.join(outside, 'passwd'), link);
    try {
      const check = await run(['check', '--root', repo]);
      figures.cases++;
      figures.faults++;
      expect(check.code).toBe(1);
      expect(check.output).toMatch(
        /^workplans\/passwd\.md:1:1: error path-outside-root workplans\/passwd\.md: it is a symlink to a file outside the repository; it was not read/m,
      );
      expect(check.output).not.toMatch(/directory-unreadable|permissions|never-read-this/);
    } finally {
      await unlink(link);
    }
  });

  it('a workplans/ root symlinked to a directory outside: sync says so and exits 1 (not "0 files", exit 0); nothing is mirrored from it', async () => {
    const other = path.join(scratch, 'repo-rootlink');
    await mkdir(other, { recursive: true });
    await symlink(path.join(outside, 'workplans'), path.join(other, 'workplans'));
    const sync = await run(['sync', '--root', other]);
    figures.cases++;
    figures.faults++;
    expect(sync.code, sync.output).toBe(1);
    expect(sync.output).toMatch(
      /^workplans:1:1: error path-outside-root workplans: it resolves to .*other-repo\/workplans, outside the repository; it was not read/m,
    );
    expect(sync.output).toMatch(/^0 files, 0 created/m);
    const check = await run(['check', '--root', other]);
    expect(check.code).toBe(1);
    expect(check.output).toMatch(/path-outside-root/);
    countNote(figures, 'symlinks out of the repository reported by check and sync');
  }, 60_000);
});
