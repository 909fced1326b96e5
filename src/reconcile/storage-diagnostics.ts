// Storage problems (storable.ts) as diagnostics located in the file: each at the element its value
// came from (the frontmatter value, the task heading, the dependency item, …). Pure.
import type { Adr } from '../model/adr.js';
import type { Diagnostic, Span } from '../model/diagnostic.js';
import { listTasks, type Workplan } from '../model/workplan.js';
import type { StorageProblem, StorageTarget } from './storable.js';

const FILE_START: Span = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };

/** Frontmatter keys of the workstream fields that come from the frontmatter. */
const WORKSTREAM_KEYS: Record<string, string> = {
  fileId: 'id',
  domain: 'domain',
  title: 'title',
  status: 'status',
  owner: 'owner',
  topicSlug: 'topic_slug',
};

/** The diagnostics of a workplan's storage problems. */
export function describeWorkplanStorageProblems(workplan: Workplan, problems: readonly StorageProblem[]): Diagnostic[] {
  const tasks = listTasks(workplan);
  const spanOf = (target: StorageTarget): Span => {
    switch (target.entity) {
      case 'workstream': {
        const key = WORKSTREAM_KEYS[target.field];
        return (key && workplan.frontmatter.fields.find((f) => f.key === key)?.valueSpan) || workplan.frontmatter.span;
      }
      case 'task': {
        const task = tasks[target.index];
        if (!task) return FILE_START;
        if (target.field === 'fileId') return task.metadata.fields.find((f) => f.key === 'id')?.valueSpan ?? task.heading.span;
        return task.heading.span;
      }
      case 'dependency':
        return workplan.dependencies[target.index]?.span ?? FILE_START;
      case 'phase':
        return workplan.phases[target.index]?.heading.span ?? FILE_START;
      case 'closure-review':
        return workplan.closureReviews[target.index]?.heading.span ?? FILE_START;
      default:
        return FILE_START;
    }
  };
  return problems.map((p) => toDiagnostic(workplan.path, spanOf(p.target), p));
}

/** The diagnostics of an ADR's storage problems. */
export function describeAdrStorageProblems(adr: Adr, problems: readonly StorageProblem[]): Diagnostic[] {
  const spanOf = (target: StorageTarget): Span => {
    if (target.entity !== 'adr') return FILE_START;
    if (target.field === 'fileId' || target.field === 'number') return adr.idSpan ?? FILE_START;
    if (target.field === 'status' || target.field === 'statusText') return adr.statusSpan ?? FILE_START;
    if (target.field === 'title') return adr.titleHeading?.span ?? adr.frontmatter?.span ?? FILE_START;
    return adr.frontmatter?.span ?? FILE_START;
  };
  return problems.map((p) => toDiagnostic(adr.path, spanOf(p.target), p));
}

function toDiagnostic(path: string, span: Span, problem: StorageProblem): Diagnostic {
  return { path, span, severity: 'error', ruleId: problem.ruleId, message: problem.message, hint: problem.hint };
}
