// `workplan adr new "<title>"`: the next ADR number, in the repository's ADR style (MADR or Nygard,
// detected from its latest ADR, or `adr.style` in the configuration; --style overrides), created
// beside its other ADRs and synced. The work is the library's `new-adr` call.
import { EXIT } from '../exit-codes.js';
import type { CliContext } from '../context.js';
import { callOrUsage, withPlanSession } from '../plan-command.js';
import { reportEdit } from './edit-answer.js';

const USAGE =
  'workplan adr new "<title>" [--status s] [--style madr|nygard] [--date YYYY-MM-DD] [--decision-maker name] [--context "…"] [--decision "…"] [--consequences "…"] [--dry-run] [--json]';

export async function runAdrCommand(ctx: CliContext): Promise<number> {
  const [sub, title, ...extra] = ctx.positionals;
  const usage = (message: string) => {
    ctx.out.error(`workplan adr: ${message}\nUsage: ${USAGE}`);
    return EXIT.usage;
  };
  if (sub !== 'new') return usage(sub ? `unknown subcommand "${sub}"; use "adr new".` : 'say "adr new".');
  if (!title) return usage("give the new ADR's title.");
  if (extra.length > 0) return usage(`unexpected argument "${extra[0]}" (quote a title with spaces).`);
  const v = ctx.values;
  return withPlanSession(ctx, async (session) => {
    const answer = await callOrUsage(ctx, USAGE, () =>
      session.call('new-adr', {
        title,
        ...(v.status ? { status: v.status.at(-1)! } : {}),
        ...(v.style !== undefined ? { style: v.style as 'madr' } : {}),
        ...(v.date !== undefined ? { date: v.date } : {}),
        ...(v['decision-maker'] ? { decisionMakers: v['decision-maker'] } : {}),
        ...(v.context !== undefined ? { context: v.context } : {}),
        ...(v.decision !== undefined ? { decision: v.decision } : {}),
        ...(v.consequences !== undefined ? { consequences: v.consequences } : {}),
        dryRun: v['dry-run'] ?? false,
      }),
    );
    return answer.ok ? reportEdit(ctx, answer.value) : answer.code;
  });
}
