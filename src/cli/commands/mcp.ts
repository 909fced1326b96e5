// `workplan mcp [--read-only]`: serves the repository's plans to an agent over the Model Context
// Protocol on stdio (docs/mcp.md) until the client disconnects. stdout carries the protocol only:
// every message of ours goes to stderr.
import { serveMcp } from '../../index.js';
import { EXIT } from '../exit-codes.js';
import type { CliContext } from '../context.js';
import { withPlanSession } from '../plan-command.js';

/** How long the store stays open after a tool call, for the agent's next one (ms). */
const LINGER_MS = 2_000;

export async function runMcpCommand(ctx: CliContext): Promise<number> {
  if (ctx.positionals.length > 0) {
    ctx.out.error(`workplan mcp: unexpected argument "${ctx.positionals[0]}".\nUsage: workplan mcp [--read-only] [--root <dir>]`);
    return EXIT.usage;
  }
  // Messages for people must not reach stdout, which is the protocol's.
  const quiet = { ...ctx, values: { ...ctx.values, json: true }, out: { ...ctx.out, print: (line: string) => ctx.out.error(line) } };
  return withPlanSession(
    quiet,
    async (session) => {
      await serveMcp({ session });
      return EXIT.ok;
    },
    { readOnly: ctx.values['read-only'] ?? false, lingerMs: LINGER_MS, trigger: 'mcp' },
  );
}
