// What the query and edit commands share: a session over the repository (src/index.ts), the options
// that shape every query (scope, sync), and the exit codes of their answers.
import { isSyncError, openPlanSession, type PlanSession } from '../index.js';
import { EXIT } from './exit-codes.js';
import type { CliContext } from './context.js';
import { reportConfigErrors } from './report-config-errors.js';

/** Opens a session, runs `fn`, closes the session. A configuration with errors is reported (exit 1). */
export async function withPlanSession(
  ctx: CliContext,
  fn: (session: PlanSession) => Promise<number>,
  options: { readOnly?: boolean; lingerMs?: number; trigger?: 'cli' | 'mcp' } = {},
): Promise<number> {
  const opened = await openPlanSession({
    cwd: ctx.cwd,
    ...(ctx.values.root ? { root: ctx.values.root } : {}),
    env: ctx.env,
    trigger: options.trigger ?? 'cli',
    readOnly: options.readOnly ?? false,
    lingerMs: options.lingerMs ?? 0,
    onWait: (message) => ctx.out.error(message),
    onHandedOff: (call, pid) => {
      if (!ctx.values.json) ctx.out.error(`(${call} answered by the running watch daemon, pid ${pid})`);
    },
  });
  if (opened.kind === 'invalid-config') return reportConfigErrors(ctx, opened.diagnostics);
  try {
    return await fn(opened.session);
  } finally {
    await opened.session.close();
  }
}

/** Runs a call; bad input (a wrong status, an unknown sort key) is a usage error: message, usage, exit 2. */
export async function callOrUsage<T>(
  ctx: CliContext,
  usage: string,
  run: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; code: number }> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (!isSyncError(error, 'INVALID_INPUT')) throw error;
    ctx.out.error(`workplan: ${error.message}\nUsage: ${usage}`);
    return { ok: false, code: EXIT.usage };
  }
}

/** `--status a,b --status c` → ['a', 'b', 'c']; undefined when the option is absent. */
export function splitList(values: readonly string[] | undefined): string[] | undefined {
  if (!values) return undefined;
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** The scope and sync options every query takes. */
export function scopeOptions(ctx: CliContext): { repos?: string[]; allRepos: boolean; sync: boolean } {
  const repos = splitList(ctx.values.repo);
  return { ...(repos ? { repos } : {}), allRepos: ctx.values['all-repos'] ?? false, sync: ctx.values.sync !== false };
}

/** A whole number option, or undefined when absent; NaN (a usage error) when not a number. */
export function parseCount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
}

/** `priority:desc` → { sort: 'priority', order: 'desc' }. */
export function parseSort(value: string | undefined): { sort?: string; order?: 'asc' | 'desc' } {
  if (value === undefined) return {};
  // A wrong key or direction is refused by the call's schema, which names the allowed ones.
  const [sort, order] = value.split(':');
  return { ...(sort ? { sort } : {}), ...(order ? { order: order as 'asc' | 'desc' } : {}) };
}
