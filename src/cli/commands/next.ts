// `workplan next [--domain] [--repo] [--workstream] [--limit]`: open tasks (in progress, then to do)
// whose workplan is active and waits for no unfinished workplan, most urgent first. The work is the
// library's `next` call.
import { EXIT } from '../exit-codes.js';
import type { CliContext } from '../context.js';
import { callOrUsage, parseCount, scopeOptions, splitList, withPlanSession } from '../plan-command.js';
import { formatFreshness, formatPageFooter, renderTaskTable } from '../render-plan-views.js';

const USAGE = 'workplan next [--domain d,…] [--workstream ID,…] [--limit n] [--repo slug,… | --all-repos] [--no-sync] [--json]';

export async function runNextCommand(ctx: CliContext): Promise<number> {
  if (ctx.positionals.length > 0) {
    ctx.out.error(`workplan next: unexpected argument "${ctx.positionals[0]}".\nUsage: ${USAGE}`);
    return EXIT.usage;
  }
  const limit = parseCount(ctx.values.limit);
  if (Number.isNaN(limit)) {
    ctx.out.error(`workplan next: --limit takes a whole number.\nUsage: ${USAGE}`);
    return EXIT.usage;
  }
  const domain = splitList(ctx.values.domain);
  const workstream = splitList(ctx.values.workstream);
  return withPlanSession(ctx, async (session) => {
    const answer = await callOrUsage(ctx, USAGE, () =>
      session.call('next', {
        ...scopeOptions(ctx),
        ...(domain ? { domain } : {}),
        ...(workstream ? { workstream } : {}),
        ...(limit !== undefined ? { limit } : {}),
      }),
    );
    if (!answer.ok) return answer.code;
    const page = answer.value;
    if (ctx.values.json) {
      ctx.out.print(JSON.stringify(page, null, 2));
      return EXIT.ok;
    }
    for (const line of formatFreshness(page.freshness)) ctx.out.error(line);
    const many = page.scope.repositories === 'all' || page.scope.repositories.length > 1;
    if (page.items.length > 0) for (const line of renderTaskTable(page.items, ctx.out.columns, many)) ctx.out.print(line);
    ctx.out.print(
      page.items.length === 0
        ? 'Nothing to do next: no open task in an active, unblocked workplan.'
        : formatPageFooter(page, 'task', 'limit'),
    );
    return EXIT.ok;
  });
}
