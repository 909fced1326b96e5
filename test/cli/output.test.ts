// The CLI's output (issue 14, points 9 and 12): progress only on a terminal and only once a command has
// run for a second; a reader that goes away (`| head`) is not a crash.
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOutput, PROGRESS_AFTER_MS } from '../../src/cli/output.js';
import { assertBuilt, CLI } from '../hook/support/git-repo.js';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  }) as Writable & { isTTY?: boolean };
  stream.isTTY = isTTY;
  return { stream, text: () => chunks.join('') };
}

describe('progress', () => {
  afterEach(() => vi.useRealTimers());

  it('on a terminal: nothing during the first second, then the step with its seconds, cleared by the next line', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const stdout = fakeStream(true);
    const stderr = fakeStream(true);
    const out = createOutput(stdout.stream, stderr.stream, { startedAt: Date.now() });
    out.progress('Creating the embedded store…');
    vi.advanceTimersByTime(PROGRESS_AFTER_MS - 10);
    expect(stderr.text()).toBe('');
    vi.advanceTimersByTime(20);
    expect(stderr.text()).toContain('Creating the embedded store…');
    vi.advanceTimersByTime(2_000);
    expect(stderr.text()).toMatch(/Creating the embedded store… \(2 s\)/);
    out.print('done');
    expect(stderr.text().endsWith('\r\u001b[2K')).toBe(true);
    expect(stdout.text()).toBe('done\n');
  });

  it('a step that only counts on keeps its start: "Parsing 2/9" after 3 s shows (3 s)', () => {
    vi.useFakeTimers({ now: 5_000_000 });
    const stderr = fakeStream(true);
    const out = createOutput(fakeStream(true).stream, stderr.stream, { startedAt: Date.now() - 5_000 });
    out.progress('Parsing 1/9 files…');
    vi.advanceTimersByTime(3_000);
    out.progress('Parsing 2/9 files…');
    expect(stderr.text()).toMatch(/Parsing 2\/9 files… \(3 s\)$/);
  });

  it('not a terminal: never any progress, however long the command runs', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const stderr = fakeStream(false);
    const out = createOutput(fakeStream(false).stream, stderr.stream, { startedAt: Date.now() - 60_000 });
    out.progress('Parsing 1/9 files…');
    vi.advanceTimersByTime(10_000);
    out.clearProgress?.();
    expect(stderr.text()).toBe('');
  });
});

describe('a reader that goes away', () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("`workplan check --json | head -c 100`: no EPIPE stack trace, the exit code is the command's", async () => {
    assertBuilt();
    root = await mkdtemp(join(tmpdir(), 'wps-epipe-'));
    await mkdir(join(root, 'workplans'));
    // 300 invalid workplans: a JSON report far larger than a pipe's buffer.
    for (let i = 1; i <= 300; i++) {
      const id = `X-WP-${String(i).padStart(4, '0')}`;
      await writeFile(join(root, 'workplans', `${id}.md`), `---\nid: ${id}\ntitle: t\n---\n# x\n`);
    }
    const child = spawn(process.execPath, [CLI, 'check', '--json', '--root', root], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    // Read 100 bytes, then close the pipe like `head` does.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|at .*\.js:\d+/);
    expect(code).toBe(1);
  });
});
