// The command line's grammar (issue 14, point 10): every command has its own --help, unknown commands
// and options get "did you mean", usage errors exit 2, and main() returns its exit code without ever
// calling process.exit.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { createRecordingOutput } from '../../src/cli/output.js';
import { COMMANDS } from '../../src/cli/command-table.js';

async function run(args: string[]) {
  const out = createRecordingOutput();
  const code = await main(args, { cwd: '/', env: {}, out });
  return { code, stdout: out.stdout.join('\n'), stderr: out.stderr.join('\n') };
}

describe('workplan command line', () => {
  beforeEach(() => {
    vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
      throw new Error(`process.exit(${code}) was called`);
    }) as typeof process.exit);
  });
  afterEach(() => vi.restoreAllMocks());

  it('every command has its own --help: its usage line, summary and options, exit 0', async () => {
    const global = await run(['--help']);
    expect(global.code).toBe(0);
    for (const spec of COMMANDS) {
      const help = await run([...spec.name.split(' '), '--help']);
      expect(help.code, spec.name).toBe(0);
      expect(help.stdout, spec.name).toMatch(new RegExp(`^Usage: workplan ${spec.name}\\b`));
      expect(help.stdout, spec.name).toContain(spec.summary);
      for (const option of spec.options ?? []) expect(help.stdout, `${spec.name} ${option.flags}`).toContain(option.flags);
      expect(help.stdout).not.toBe(global.stdout);
      // `workplan help <command>` prints the same.
      if (!spec.name.includes(' ')) expect((await run(['help', spec.name])).stdout, spec.name).toBe(help.stdout);
    }
  });

  it('the global help lists every command', async () => {
    const help = await run(['--help']);
    for (const spec of COMMANDS) {
      const [name, action] = spec.name.split(' ');
      if (action) expect(help.stdout).toMatch(new RegExp(`^  ${name} \\S*\\b${action}\\b`, 'm'));
      // Commander wraps a summary to the terminal's width: compare with the wrapped lines joined.
      else expect(help.stdout.replace(/\n {3,}/g, ' ')).toContain(spec.summary);
    }
  });

  it('an unknown command suggests the nearest one, exit 2', async () => {
    const r = await run(['snyc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'snyc'/);
    expect(r.stderr).toMatch(/Did you mean sync\?/);
    expect((await run(['db', 'migrat'])).stderr).toMatch(/Did you mean migrate\?/);
    expect((await run(['hook', 'instal'])).stderr).toMatch(/Did you mean install\?/);
  });

  it('an unknown option suggests the nearest one of that command, exit 2', async () => {
    const r = await run(['sync', '--dry-rn']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--dry-rn'/);
    expect(r.stderr).toMatch(/Did you mean --dry-run\?/);
    expect(r.stderr).toMatch(/workplan sync --help/);
    expect((await run(['close', 'X-WP-0001', '--cancel-opn'])).stderr).toMatch(/Did you mean --cancel-open\?/);
  });

  it('usage errors exit 2: no command, a missing or extra argument, an option without its value', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['close'])).code).toBe(2);
    expect((await run(['cleanup', 'extra'])).code).toBe(2);
    expect((await run(['watch', '--debounce'])).code).toBe(2);
    expect((await run(['db'])).code).toBe(2);
  });

  it('--version prints the version, exit 0', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('global options are accepted before and after the command', async () => {
    const before = await run(['--json', '--root', '/nonexistent-workplan-root', 'check', 'x.md']);
    const after = await run(['check', 'x.md', '--root', '/nonexistent-workplan-root', '--json']);
    expect(before.code).toBe(after.code);
    expect(before.stderr).toBe(after.stderr);
  });
});
