import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { createRecordingOutput } from '../../src/cli/output.js';
import { createTempRepo, readFixture, type TempRepo } from '../support/sync-harness.js';
import { TEST_DATABASE_URL, postgresUnavailable, withAdminClient, withDatabase } from '../support/databases.js';

const SEED_PATH = 'workplans/CUST-WP-0005-state-hub-v0.5.md';

async function run(repo: TempRepo, args: string[], env: NodeJS.ProcessEnv = {}) {
  const out = createRecordingOutput();
  const code = await main([...args, '--root', repo.root], { cwd: repo.root, env: { ...env }, out });
  return { code, stdout: out.stdout.join('\n'), stderr: out.stderr.join('\n') };
}

describe('workplan CLI', () => {
  let seed: string;
  let repo: TempRepo;
  beforeAll(async () => {
    seed = await readFixture('workplan/seed/input.md');
    repo = await createTempRepo({
      [SEED_PATH]: seed,
      'workplans/NEW-WP-0001-new.md': seed
        .replace(/CUST-WP-0005/g, 'NEW-WP-0001')
        .replace(/^state_hub_(workstream|task)_id: .*\n/gm, '')
        .replace(/^- \*\*state_hub_dependency_id:\*\* .*\n/m, ''),
      'adr/0001-record-decisions.md': '# 1. Record decisions\n\nDate: 2026-01-01\n\n## Status\n\nAccepted\n',
    });
  });
  afterAll(() => repo.dispose());

  it('check: a clean repository exits 0 and says how many files it checked', async () => {
    const r = await run(repo, ['check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3 files checked: 0 errors/);
  });

  it('check: an invalid file exits 1 with a path:line:col: error CODE message line', async () => {
    const bad = await createTempRepo({
      'workplans/BAD-WP-0001.md': seed
        .replace(/CUST-WP-0005/g, 'BAD-WP-0001')
        .replace('status: done\npriority: high\n\nNew table', 'status: complete-ish\npriority: high\n\nNew table'),
    });
    try {
      const r = await run(bad, ['check']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        /^workplans\/BAD-WP-0001\.md:\d+:\d+: error task-status-invalid Unknown task status "complete-ish"; use one of todo, in_progress, blocked, done, cancelled, carried_forward/m,
      );
      const json = await run(bad, ['check', '--json']);
      expect(json.code).toBe(1);
      const parsed = JSON.parse(json.stdout) as {
        version: number;
        ok: boolean;
        diagnostics: Array<{ path: string; line: number; column: number; ruleId: string; severity: string }>;
      };
      expect(parsed.version).toBe(1);
      expect(parsed.ok).toBe(false);
      expect(parsed.diagnostics.find((d) => d.ruleId === 'task-status-invalid')).toMatchObject({
        path: 'workplans/BAD-WP-0001.md',
        severity: 'error',
      });
    } finally {
      await bad.dispose();
    }
  });

  it('check: takes explicit paths, including files outside the repository roots', async () => {
    const r = await run(repo, ['check', `${repo.root}/${SEED_PATH}`]);
    expect(r.code).toBe(0);
  });

  it('sync --dry-run changes no file; sync writes ids and a second sync is a no-op', async () => {
    const before = await repo.read('workplans/NEW-WP-0001-new.md');
    const dry = await run(repo, ['sync', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/Plan \(dry run, nothing changed\)/);
    expect(dry.stdout).toMatch(/ids to write back: 13 in 1 file/);
    expect(await repo.read('workplans/NEW-WP-0001-new.md')).toBe(before);

    const first = await run(repo, ['sync']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^3 files, 27 created, 0 updated, 0 removed, 13 ids assigned, \d+ ms$/m);
    expect(await repo.read('workplans/NEW-WP-0001-new.md')).not.toBe(before);

    const second = await run(repo, ['sync', '--json']);
    const json = JSON.parse(second.stdout) as { outcome: string; counts: Record<string, number> };
    expect(json.outcome).toBe('noop');
    expect(json.counts).toEqual({ created: 0, updated: 0, removed: 0, drifted: 0, idsAssigned: 0 });
  });

  it('status shows counts per workstream, and db status shows the applied migration', async () => {
    const status = await run(repo, ['status', '--json']);
    expect(status.code).toBe(0);
    const s = JSON.parse(status.stdout) as { known: boolean; workstreams: Array<{ fileId: string; tasks: Record<string, number> }> };
    expect(s.known).toBe(true);
    expect(s.workstreams.map((w) => [w.fileId, w.tasks.done])).toEqual([
      ['CUST-WP-0005', 11],
      ['NEW-WP-0001', 11],
    ]);
    const db = await run(repo, ['db', 'status']);
    expect(db.code).toBe(0);
    expect(db.stdout).toMatch(/applied {2}\d{14}_init/);
    expect(db.stdout).toMatch(/Up to date\./);
  });

  it('usage errors exit 2', async () => {
    expect((await run(repo, ['frobnicate'])).code).toBe(2);
    expect((await run(repo, ['sync', '--no-such-flag'])).code).toBe(2);
    expect((await run(repo, ['db', 'explode'])).code).toBe(2);
  });

  it('an invalid or unreachable database URL exits 5 without printing the password', async () => {
    const invalid = await run(repo, ['sync'], { DATABASE_URL: 'mysql://user:hunter2secret@localhost/db' });
    expect(invalid.code).toBe(5);
    expect(invalid.stderr).toMatch(/DB_URL_INVALID/);
    expect(invalid.stdout + invalid.stderr).not.toContain('hunter2secret');

    const unreachable = await run(repo, ['sync'], { DATABASE_URL: 'postgresql://user:hunter2secret@127.0.0.1:1/db' });
    expect(unreachable.code).toBe(5);
    expect(unreachable.stderr).toMatch(/DB_UNREACHABLE/);
    expect(unreachable.stdout + unreachable.stderr).not.toContain('hunter2secret');
  });

  it.runIf(postgresUnavailable === undefined)('syncs into the real Postgres named by DATABASE_URL', async () => {
    const name = `wps_cli_${Date.now().toString(36)}`;
    await withAdminClient((c) => c.query(`CREATE DATABASE ${name}`));
    try {
      const url = withDatabase(TEST_DATABASE_URL, name);
      const r = await run(repo, ['sync'], { DATABASE_URL: url });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/3 files, 27 created, 0 updated, 0 removed, 0 ids assigned/);
      const again = await run(repo, ['sync'], { DATABASE_URL: url });
      expect(again.stdout).toMatch(/3 files, 0 created, 0 updated, 0 removed, 0 ids assigned/);
    } finally {
      await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  });
});

describe('workplan CLI: a mirror schema changed by hand', () => {
  it('sync and db status name each difference and exit 9', async () => {
    const repo = await createTempRepo({ 'adr/0001-record-decisions.md': '# 1. Record decisions\n\n## Status\n\nAccepted\n' });
    try {
      expect((await run(repo, ['sync'])).code).toBe(0);
      const { PGlite } = await import('@electric-sql/pglite');
      const pglite = new PGlite(`${repo.root}/.workplan/db`);
      await pglite.exec('ALTER TABLE tasks DROP COLUMN priority; DROP TABLE events');
      await pglite.close();
      await repo.write('adr/0002-second.md', '# 2. Second\n\n## Status\n\nProposed\n');
      const sync = await run(repo, ['sync']);
      expect(sync.code).toBe(9);
      expect(sync.stderr).toContain('SCHEMA_MISMATCH');
      expect(sync.stderr).toContain('  - tasks: removed column `priority`\n');
      expect(sync.stderr).toContain('  - removed table events\n');
      const status = await run(repo, ['db', 'status']);
      expect(status.code).toBe(9);
      expect(status.stdout).toContain('  differs  tasks: removed column `priority`');
      expect(status.stdout).toContain('  differs  removed table events');
    } finally {
      await repo.dispose();
    }
  });
});
