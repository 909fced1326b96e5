// `workplan show <WORKPLAN-ID | TASK-ID | ADR-ID | file>`: one element with every field, its phases,
// dependencies (with the state of the workplans they name), closure reviews, ADR supersede links and
// `file:line` of each part. An unknown or ambiguous id exits 2. The work is the library's `show` call.
import { EXIT } from '../exit-codes.js';
import type { CliContext } from '../context.js';
import { callOrUsage, scopeOptions, withPlanSession } from '../plan-command.js';
import { formatFreshness, renderAdrDetail, renderTaskDetail, renderWorkstreamDetail } from '../render-plan-views.js';

const USAGE = 'workplan show <WORKPLAN-ID | TASK-ID | ADR-ID | path> [--repo slug | --all-repos] [--no-sync] [--json]';

export async function runShowCommand(ctx: CliContext): Promise<number> {
  const [id, ...extra] = ctx.positionals;
  if (!id || extra.length > 0) {
    ctx.out.error(
      `workplan show: ${id ? `unexpected argument "${extra[0]}".` : 'name the workplan, task or ADR to show.'}\nUsage: ${USAGE}`,
    );
    return EXIT.usage;
  }
  return withPlanSession(ctx, async (session) => {
    const answer = await callOrUsage(ctx, USAGE, () => session.call('show', { id, ...scopeOptions(ctx) }));
    if (!answer.ok) return answer.code;
    const view = answer.value;
    const element = view.element;
    const missing = element.kind === 'not-found' || element.kind === 'ambiguous';
    if (ctx.values.json) {
      ctx.out.print(JSON.stringify(view, null, 2));
      return missing ? EXIT.usage : EXIT.ok;
    }
    for (const line of formatFreshness(view.freshness)) ctx.out.error(line);
    switch (element.kind) {
      case 'not-found': {
        const where =
          view.scope.repositories === 'all' ? 'any repository of the mirror' : `repository ${view.scope.repositories.join(', ')}`;
        ctx.out.error(`workplan show: no workplan, task or ADR ${element.id} in ${where}.`);
        return EXIT.usage;
      }
      case 'ambiguous':
        ctx.out.error(`workplan show: ${id} names several elements; name the repository with --repo:`);
        for (const m of element.matches) ctx.out.error(`  ${m.kind} ${m.id}  ${m.repository}  ${m.location}`);
        return EXIT.usage;
      case 'workplan':
        for (const line of renderWorkstreamDetail(element.workplan)) ctx.out.print(line);
        return EXIT.ok;
      case 'task':
        for (const line of renderTaskDetail(element.task)) ctx.out.print(line);
        return EXIT.ok;
      case 'adr':
        for (const line of renderAdrDetail(element.adr)) ctx.out.print(line);
        return EXIT.ok;
    }
  });
}
