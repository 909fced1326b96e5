// The `workplan` command line: argv → a use case in src/app → rendered output and an exit code.
// The only module that prints or decides exit codes (through exit-codes.ts). The grammar (commands,
// options, help) is program.ts over command-table.ts.
import { createRequire } from 'node:module';
import { SyncError, isSyncError } from '../model/errors.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { createOutput, type Output } from './output.js';
import { passwordCandidates, redactMessage } from '../db/connection-url.js';
import { parseCommandLine } from './program.js';
import { showInvisible } from './show-invisible.js';
import type { CliContext, CliValues } from './context.js';

export interface MainIo {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  out?: Output;
  /** When the command started (epoch ms; default: when main was called). bin/workplan.js passes the process's start. */
  startedAt?: number;
}

/** Runs the CLI; returns the exit code. Never calls process.exit itself. */
export async function main(argv: string[], io: MainIo = {}): Promise<number> {
  const startedAt = io.startedAt ?? Date.now();
  const out = io.out ?? createOutput(undefined, undefined, { startedAt });
  const parsed = await parseCommandLine(argv, readVersion, { out: (t) => out.print(t), err: (t) => out.error(t) });
  if (parsed.kind === 'printed') return EXIT.ok;
  if (parsed.kind === 'usage-error') return EXIT.usage;
  const values = toCliValues(parsed.options);
  // Progress lines are for people at a terminal: never mixed into machine output.
  const commandOut: Output = values.json ? { ...out, progress: () => undefined } : out;
  const ctx: CliContext = {
    values,
    positionals: parsed.positionals,
    cwd: io.cwd ?? process.cwd(),
    env: io.env ?? process.env,
    out: commandOut,
    startedAt,
  };
  try {
    return await parsed.spec.run(ctx);
  } catch (error) {
    return reportFailure(error, ctx);
  } finally {
    out.clearProgress?.();
  }
}

/** commander's camelCase option names → the flags' own names (`dryRun` → `dry-run`). */
function toCliValues(options: Record<string, unknown>): CliValues {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) values[key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)] = value;
  }
  return values as CliValues;
}

/** Prints a typed error (or an unexpected one) without secrets, and maps it to its exit code. */
export function reportFailure(error: unknown, ctx: Pick<CliContext, 'out' | 'values' | 'env'>): number {
  // Messages never carry a password by construction; this is the last line of defence.
  const candidates = passwordCandidates(ctx.env.DATABASE_URL);
  const clean = (s: string) => {
    let out = redactMessage(s, passwordOf(ctx.env.DATABASE_URL));
    for (const p of candidates) out = out.split(p).join('***');
    return showInvisible(out);
  };
  if (isSyncError(error)) {
    if (ctx.values.json) {
      ctx.out.print(JSON.stringify({ error: { code: error.code, message: clean(error.message), hint: error.hint ?? null } }));
    } else {
      ctx.out.error(`workplan: ${error.code}: ${clean(error.message)}${error.hint ? `\n  hint: ${clean(error.hint)}` : ''}`);
    }
    return exitCodeFor(error.code);
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  ctx.out.error(`workplan: internal error: ${clean(message)}\nPlease report this with the command you ran.`);
  return EXIT.internal;
}

function passwordOf(url: string | undefined): { password: string | undefined } {
  if (!url) return { password: undefined };
  try {
    return { password: decodeURIComponent(new URL(url).password) || undefined };
  } catch {
    return { password: undefined };
  }
}

function readVersion(): string {
  const require = createRequire(import.meta.url);
  const pkg = require('../../package.json') as { version: string };
  return pkg.version;
}

export { SyncError };
