// Reliability of write-back (../../RELIABILITY.md, "File writes" and "Compare-and-swap").
// Child processes run the real adapters, transpiled from src/ into a temp dir at the start
// (Node 20 cannot run TypeScript and there is no dist/ during tests; see
// test/fs/support/transpile-sources.ts), and are SIGKILLed at random moments.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, lstat, mkdir, readdir, readFile, readlink, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileIfUnchanged } from '../../src/fs/atomic-write.js';
import { sweepStaleTempFiles } from '../../src/fs/sweep-temp-files.js';
import { hashBytes } from '../../src/model/content-hash.js';
import { isSyncError } from '../../src/model/errors.js';
import { createTempRepo } from '../fs/support/temp-repo.js';
import { transpileSources } from '../fs/support/transpile-sources.js';
import { countNote, scenarioFigures } from './support/figures.js';

const figures = scenarioFigures('file-writes');

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fs/support/write-child.mjs');

let build: string;
beforeAll(async () => {
  build = await transpileSources(['fs', 'model']);
});
afterAll(async () => {
  if (build) await rm(build, { recursive: true, force: true });
});

/** Two large contents of different sizes, so that a truncation or a mix is always visible. */
function bigContents(): { a: Buffer; b: Buffer } {
  const line = (tag: string, i: number) => `- ${tag} line ${i}: ${'x'.repeat(60)} é 😀\r\n`;
  const a = Buffer.from(Array.from({ length: 40_000 }, (_, i) => line('A', i)).join(''), 'utf8');
  const b = Buffer.from(Array.from({ length: 37_000 }, (_, i) => line('B', i)).join(''), 'utf8');
  return { a, b };
}

function startChild(args: string[]): { child: ChildProcess; lines: string[]; ready: Promise<void>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CHILD, ...args], { env: { ...process.env, WPS_BUILD: build }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const part of parts) {
      lines.push(part);
      if (part === 'ready') onReady();
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== null && code !== 0) lines.push(`stderr: ${stderr}`);
      onReady();
      resolve(code);
    }),
  );
  return { child, lines, ready, exited };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('file writes survive a writer killed at any moment', () => {
  it('a write-back killed at random moments (120 times) leaves the file wholly old or wholly new, and the sweep leaves no temp or lock file', async () => {
    const { a, b } = bigContents();
    const WORKERS = 4;
    const KILLS_PER_WORKER = 30;
    const stats = { kills: 0, writes: 0, leftovers: 0, concurrentReads: 0 };

    const worker = async (w: number) => {
      const repo = await createTempRepo(`wps-kill-${w}-`);
      let current: ChildProcess | undefined;
      try {
        await repo.write('workplans/plan.md', a);
        await writeFile(path.join(repo.root, 'A'), a);
        await writeFile(path.join(repo.root, 'B'), b);
        const dir = repo.abs('workplans');
        for (let i = 0; i < KILLS_PER_WORKER; i++) {
          const run = startChild(['loop', repo.root, 'workplans/plan.md', path.join(repo.root, 'A'), path.join(repo.root, 'B')]);
          current = run.child;
          await run.ready;
          expect(run.lines, run.lines.join('\n')).toContain('ready');
          // Readers during the writes never see a partial file either.
          const deadline = Date.now() + Math.random() * 60;
          while (Date.now() < deadline) {
            const seen = await readFile(repo.abs('workplans/plan.md'));
            expect(seen.equals(a) || seen.equals(b), `worker ${w} kill ${i}: a reader saw ${seen.length} bytes`).toBe(true);
            stats.concurrentReads++;
            await sleep(Math.random() * 5);
          }
          run.child.kill('SIGKILL');
          await run.exited;
          stats.kills++;
          stats.writes += run.lines.filter((l) => l === 'w').length;

          const now = await readFile(repo.abs('workplans/plan.md'));
          expect(now.equals(a) || now.equals(b), `worker ${w} kill ${i}: ${now.length} bytes after the kill`).toBe(true);
          const names = await readdir(dir);
          if (names.length > 1) stats.leftovers++;
          // Temp files sit in the target's own directory, nowhere else.
          expect((await readdir(repo.root)).sort()).toEqual(['A', 'B', 'workplans']);
          await sweepStaleTempFiles(dir);
          expect(await readdir(dir)).toEqual(['plan.md']);
        }
      } finally {
        // A failed assertion must not leave a writer looping forever.
        if (current && current.exitCode === null && current.signalCode === null) current.kill('SIGKILL');
        await repo.remove();
      }
    };

    // allSettled: every worker finishes (and cleans up) before a failure is reported.
    const settled = await Promise.allSettled(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    figures.cases += stats.kills;
    figures.faults += stats.kills;
    countNote(figures, 'write-backs completed between kills', stats.writes);
    countNote(figures, 'reads during writes (all whole)', stats.concurrentReads);
    for (const result of settled) if (result.status === 'rejected') throw result.reason;
    expect(stats.kills).toBeGreaterThanOrEqual(100);
    // The kills really landed while write-backs were under way (completed ones, or ones cut
    // off after creating their temp/lock file).
    expect(stats.writes + stats.leftovers).toBeGreaterThan(0);
    console.info(`file-writes kill test: ${JSON.stringify(stats)}`);
  }, 120_000);
});

describe('compare-and-swap', () => {
  it('an edit made between our read and our write-back is refused, even with size and mtime forced back; their bytes stay', async () => {
    const repo = await createTempRepo();
    try {
      const ours = '---\r\nid: X-WP-1\r\n---\r\n\r\n# Plan\r\n';
      await repo.write('workplans/p.md', ours);
      const past = new Date('2021-06-01T12:00:00Z');
      await utimes(repo.abs('workplans/p.md'), past, past);
      const read = await readFile(repo.abs('workplans/p.md'));
      const before = await stat(repo.abs('workplans/p.md'));

      const theirs = ours.replace('# Plan', '# Mine');
      await writeFile(repo.abs('workplans/p.md'), theirs);
      await utimes(repo.abs('workplans/p.md'), past, past);
      const forced = await stat(repo.abs('workplans/p.md'));
      expect([forced.size, forced.mtimeMs]).toEqual([before.size, before.mtimeMs]);

      const attempt = writeFileIfUnchanged(repo.root, 'workplans/p.md', hashBytes(read), `${ours}added\r\n`);
      figures.cases++;
      figures.faults++;
      await expect(attempt).rejects.toSatisfy((e: unknown) => isSyncError(e, 'WRITE_CONFLICT'));
      await expect(attempt).rejects.toThrow(/nothing was written/);
      expect(await readFile(repo.abs('workplans/p.md'), 'utf8')).toBe(theirs);
      expect(await readdir(repo.abs('workplans'))).toEqual(['p.md']);
    } finally {
      await repo.remove();
    }
  });

  it('two processes writing back the same file at once: exactly one succeeds, the other gets WRITE_CONFLICT (10 rounds)', async () => {
    const repo = await createTempRepo();
    try {
      const { a } = bigContents();
      for (let round = 0; round < 10; round++) {
        await repo.write('workplans/p.md', a);
        const go = path.join(repo.root, `go-${round}`);
        const one = Buffer.concat([a, Buffer.from('one\r\n')]);
        const two = Buffer.concat([a, Buffer.from('two\r\n')]);
        await writeFile(path.join(repo.root, 'one'), one);
        await writeFile(path.join(repo.root, 'two'), two);
        const runs = ['one', 'two'].map((name) =>
          startChild(['once', repo.root, 'workplans/p.md', hashBytes(a), path.join(repo.root, name), go]),
        );
        await Promise.all(runs.map((r) => r.ready));
        await writeFile(go, '');
        await Promise.all(runs.map((r) => r.exited));
        const results = runs.map((r) =>
          JSON.parse(r.lines.find((l) => l.startsWith('{')) ?? `{"code":"NO_OUTPUT","out":${JSON.stringify(r.lines)}}`),
        );
        const winners = results.filter((r) => r.ok === true && r.written === true);
        figures.cases++;
        figures.faults++;
        countNote(figures, 'concurrent write-backs: one wins, one conflicts');
        const losers = results.filter((r) => r.code === 'WRITE_CONFLICT');
        expect({ winners: winners.length, losers: losers.length }, JSON.stringify(results)).toEqual({ winners: 1, losers: 1 });
        const final = await readFile(repo.abs('workplans/p.md'));
        const winner = results[0].ok ? one : two;
        expect(final.equals(winner)).toBe(true);
        expect(await readdir(repo.abs('workplans'))).toEqual(['p.md']);
      }
    } finally {
      await repo.remove();
    }
  }, 60_000);
});

describe('what a write-back keeps', () => {
  it('a write equal to what is on disk does not write (no mtime or ctime change, same inode)', async () => {
    const repo = await createTempRepo();
    try {
      const text = '\ufeff# Same\r\n';
      await repo.write('workplans/p.md', text);
      const past = new Date('2021-06-01T12:00:00Z');
      await utimes(repo.abs('workplans/p.md'), past, past);
      const before = await stat(repo.abs('workplans/p.md'));
      await sleep(20);
      expect(await writeFileIfUnchanged(repo.root, 'workplans/p.md', hashBytes(Buffer.from(text)), text)).toMatchObject({ written: false });
      const after = await stat(repo.abs('workplans/p.md'));
      expect([after.mtimeMs, after.ctimeMs, after.ino]).toEqual([before.mtimeMs, before.ctimeMs, before.ino]);
    } finally {
      await repo.remove();
    }
  });

  it('file mode and a symlinked target survive a write-back; CRLF and BOM are written as given', async () => {
    const repo = await createTempRepo();
    try {
      const old = '\ufeff# Old\r\n';
      const next = '\ufeff# Old\r\nnew: line\r\n';
      await repo.write('shared/real.md', old);
      await chmod(repo.abs('shared/real.md'), 0o640);
      await mkdir(repo.abs('workplans'));
      await symlink('../shared/real.md', repo.abs('workplans/p.md'));
      await writeFileIfUnchanged(repo.root, 'workplans/p.md', hashBytes(Buffer.from(old)), next);
      expect((await lstat(repo.abs('workplans/p.md'))).isSymbolicLink()).toBe(true);
      expect(await readlink(repo.abs('workplans/p.md'))).toBe('../shared/real.md');
      expect((await stat(repo.abs('shared/real.md'))).mode & 0o7777).toBe(0o640);
      expect((await readFile(repo.abs('shared/real.md'))).equals(Buffer.from(next, 'utf8'))).toBe(true);
    } finally {
      await repo.remove();
    }
  });

  it('a write-back never escapes the repository root (symlink, `..`, absolute path)', async () => {
    const repo = await createTempRepo();
    const outside = await createTempRepo('wps-outside-');
    try {
      const victim = await outside.write('victim.md', 'precious');
      await mkdir(repo.abs('workplans'));
      await symlink(victim, repo.abs('workplans/link.md'));
      await symlink(outside.root, repo.abs('workplans/dir'));
      const hash = hashBytes(Buffer.from('precious'));
      for (const rel of ['workplans/link.md', 'workplans/dir/victim.md', `../${path.basename(outside.root)}/victim.md`, victim]) {
        await expect(writeFileIfUnchanged(repo.root, rel, hash, 'overwritten')).rejects.toSatisfy((e: unknown) =>
          isSyncError(e, 'PATH_OUTSIDE_ROOT'),
        );
      }
      expect(await readFile(victim, 'utf8')).toBe('precious');
      expect(await readdir(outside.root)).toEqual(['victim.md']);
    } finally {
      await repo.remove();
      await outside.remove();
    }
  });
});
