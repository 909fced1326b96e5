// Parsed files → desired rows. Pure.
import type { Adr } from '../model/adr.js';
import type { Workplan } from '../model/workplan.js';
import type { DesiredAdr, DesiredWorkstream } from './rows.js';
import { canonicalJson } from '../model/canonical-json.js';

/**
 * The rows a workplan file stands for. `lineShift` maps a source line to the line it will have after
 * pending write-back edits (ids inserted above it), so stored source lines match the file on disk.
 */
export function toDesiredWorkstream(
  workplan: Workplan,
  contentHash: string,
  lineShift: (line: number) => number = (line) => line,
): DesiredWorkstream {
  const fm = workplan.frontmatter.data;
  let position = 0;
  return {
    uuid: fm.workstreamUuid ?? null,
    contentHash,
    fields: {
      fileId: fm.id,
      domain: fm.domain,
      title: fm.title,
      status: fm.status,
      owner: fm.owner ?? null,
      topicSlug: fm.topicSlug ?? null,
      createdOn: fm.created ?? null,
      updatedOn: fm.updated ?? null,
      completedOn: fm.completed ?? null,
      summary: workplan.summary ?? null,
      context: workplan.context ?? null,
      notes: workplan.notes ?? null,
      filePath: workplan.path,
      extra: canonicalJson(fm.extra),
    },
    phases: workplan.phases.map((p, i) => ({ number: p.number, title: p.title, position: i })),
    tasks: workplan.phases.flatMap((phase) =>
      phase.tasks.map((task) => ({
        uuid: task.taskUuid ?? null,
        fields: {
          fileId: task.id,
          label: task.label,
          title: task.title,
          status: task.status,
          priority: task.priority,
          description: task.description,
          position: position++,
          sourceLine: lineShift(task.heading.span.start.line),
          phaseNumber: phase.number,
          extra: canonicalJson(task.extra),
        },
      })),
    ),
    dependencies: workplan.dependencies.map((d, i) => ({
      uuid: d.dependencyUuid ?? null,
      fields: { kind: d.kind, targets: [...d.targets], text: d.text, position: i },
    })),
    closureReviews: workplan.closureReviews.map((r, i) => ({
      reviewDate: r.date,
      position: i,
      outcome: r.outcome ?? null,
      context: r.context ?? null,
      entries: r.entries.map((e) => ({
        taskFileId: e.taskId,
        title: e.title,
        classification: e.classification,
        note: e.note ?? null,
        target: e.target ?? null,
      })),
    })),
  };
}

/** The row an ADR file stands for. */
export function toDesiredAdr(adr: Adr, contentHash: string): DesiredAdr {
  return {
    contentHash,
    fields: {
      fileId: adr.id,
      number: adr.number,
      title: adr.title,
      status: adr.status,
      statusText: adr.statusText ?? null,
      decidedOn: adr.date ?? null,
      dateText: adr.dateText ?? null,
      domain: adr.domain ?? null,
      format: adr.format,
      supersedes: [...adr.supersedes],
      supersededBy: [...adr.supersededBy],
      decisionMakers: [...adr.decisionMakers],
      filePath: adr.path,
      extra: canonicalJson(adr.frontmatter?.data.extra ?? {}),
    },
  };
}
