// The parts of a parsed Workplan that a write-back must not change, without source offsets.
import type { Workplan } from '../../../src/model/workplan.js';

/** Everything user-visible in the model, minus spans/offsets and the mirror UUIDs. */
export function projectWorkplan(workplan: Workplan) {
  const { workstreamUuid: _ws, ...data } = workplan.frontmatter.data;
  return {
    data,
    eol: workplan.eol,
    hasBom: workplan.hasBom,
    title: workplan.title?.text,
    summary: workplan.summary,
    context: workplan.context,
    notes: workplan.notes,
    sections: workplan.sections.map((s) => ({ kind: s.kind, heading: s.heading.text })),
    dependencies: workplan.dependencies.map((d) => ({ kind: d.kind, targets: d.targets, text: d.text })),
    phases: workplan.phases.map((p) => ({
      number: p.number,
      title: p.title,
      tasks: p.tasks.map((t) => ({
        id: t.id,
        label: t.label,
        title: t.title,
        status: t.status,
        priority: t.priority,
        description: t.description,
        order: t.order,
        form: t.metadata.form,
        extra: t.extra,
      })),
    })),
    closureReviews: workplan.closureReviews.map((c) => ({ date: c.date, outcome: c.outcome, entries: c.entries.map((e) => e.taskId) })),
  };
}

/** The mirror UUIDs in the model, keyed like planIdAssignment's `assigned`. */
export function uuidsOf(workplan: Workplan): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { [workplan.frontmatter.data.id]: workplan.frontmatter.data.workstreamUuid };
  for (const task of workplan.phases.flatMap((p) => p.tasks)) out[task.id] = task.taskUuid;
  workplan.dependencies.forEach((d, i) => (out[`${workplan.frontmatter.data.id}#dep${i}`] = d.dependencyUuid));
  return out;
}
