// Workplan Markdown → the typed Workplan model (docs/format.md). Pure: no filesystem, no process, no
// clock. Never throws: problems in the file are diagnostics, and an internal failure becomes one
// `internal-error` diagnostic. Structure comes from one mdast walk over the root's children only, so
// headings and `id:` lines inside code, HTML comments, block quotes or lists are never structure.
import type { RootContent } from 'mdast';
import { DEFAULT_CONFIG, type WorkplanConfig } from '../model/config.js';
import type { Diagnostic, ParseResult } from '../model/diagnostic.js';
import { createLineIndex } from '../model/position.js';
import type { ClosureReview, Dependency, Heading, Phase, Section, Task, Workplan } from '../model/workplan.js';
import { parseFrontmatter } from './frontmatter.js';
import { parseMarkdown, type MarkdownTree } from './markdown.js';
import { createReporter, internalErrorDiagnostic } from './reporter.js';
import { validateWorkplanFrontmatter } from './workplan-frontmatter.js';
import type { WorkplanContext } from './workplan-context.js';
import { compileIdPatterns, compileTaskIdPattern } from './id-patterns.js';
import { detectEol, findLineEnd, skipLineBreak, trimBlankLines } from './line-breaks.js';
import { getNodeRange } from './node-range.js';
import { readHeading } from './heading.js';
import { classifySection, parsePhaseHeading } from './section-kind.js';
import { looksLikeTask, readTask, sliceTasks } from './workplan-tasks.js';
import { readDependencies } from './workplan-dependencies.js';
import { readClosureReview } from './closure-review.js';
import { checkClosureProtocol } from './workplan-protocol.js';

/** Parses one workplan file. The value is undefined when the frontmatter is missing or invalid. */
export function parseWorkplan(path: string, text: string, config: WorkplanConfig = DEFAULT_CONFIG): ParseResult<Workplan> {
  const diagnostics: Diagnostic[] = [];
  try {
    const value = parseWorkplanUnguarded(path, text, config, diagnostics);
    return { value, diagnostics: sortDiagnostics(diagnostics) };
  } catch (error) {
    diagnostics.push(internalErrorDiagnostic(path, error, 'file'));
    return { value: undefined, diagnostics: sortDiagnostics(diagnostics) };
  }
}

interface Body {
  title: Heading | undefined;
  sections: Section[];
  summary: string | undefined;
  context: string | undefined;
  notes: string | undefined;
  dependencies: Dependency[];
  phases: Phase[];
  closureReviews: ClosureReview[];
}

function parseWorkplanUnguarded(path: string, text: string, config: WorkplanConfig, diagnostics: Diagnostic[]): Workplan | undefined {
  const lines = createLineIndex(text);
  const reporter = createReporter(path, lines, diagnostics);
  const frontmatter = parseFrontmatter(path, text, lines);
  diagnostics.push(...frontmatter.diagnostics);
  const block = frontmatter.value;
  const data = block?.valid ? validateWorkplanFrontmatter(block, config, reporter) : undefined;
  const rawId = typeof block?.data.id === 'string' && block.data.id.trim() !== '' ? block.data.id.trim() : undefined;
  const ctx: WorkplanContext = {
    text,
    lines,
    reporter,
    config,
    ids: compileIdPatterns(config),
    workplanId: rawId,
    taskIdPattern: rawId === undefined ? undefined : compileTaskIdPattern(config, rawId),
  };
  const markdown = parseMarkdown(text, reporter, block?.contentStart ?? 0);
  // A body too costly to parse is refused (the diagnostic says why): nothing of it is read.
  if (!markdown.root) return undefined;
  const body = readBody(ctx, markdown);
  const tasks = body.phases.flatMap((p) => p.tasks);
  reportDuplicateTaskIds(ctx, tasks);
  if (!block || !data) return undefined;
  const statusFields = block.fields.filter((f) => f.key === 'status');
  checkClosureProtocol(
    {
      status: data.status,
      statusField: statusFields[statusFields.length - 1],
      hasClosureReviewSection: body.sections.some((s) => s.kind === 'closure-review'),
      tasks,
    },
    reporter,
  );
  const eol = detectEol(text);
  const workplan: Workplan = {
    kind: 'workplan',
    path,
    frontmatter: { data, span: block.span, bodyStart: block.bodyStart, bodyEnd: block.bodyEnd, fields: block.fields, eol: block.eol },
    sections: body.sections,
    dependencies: body.dependencies,
    phases: body.phases,
    closureReviews: body.closureReviews,
    eol,
    hasBom: text.charCodeAt(0) === 0xfeff,
  };
  if (body.title) workplan.title = body.title;
  if (body.summary !== undefined) workplan.summary = body.summary;
  if (body.context !== undefined) workplan.context = body.context;
  if (body.notes !== undefined) workplan.notes = body.notes;
  return workplan;
}

/** Walks the root's children once, splitting them into sections at headings of depth ≤ 2. */
function readBody(ctx: WorkplanContext, markdown: MarkdownTree): Body {
  const { text, lines } = ctx;
  const children = markdown.root?.children ?? [];
  const body: Body = {
    title: undefined,
    sections: [],
    summary: undefined,
    context: undefined,
    notes: undefined,
    dependencies: [],
    phases: [],
    closureReviews: [],
  };
  const bounds: number[] = [];
  for (let i = 0; i < children.length; i++) {
    const node = children[i]!;
    if (node.type === 'heading' && node.depth <= 2) bounds.push(i);
  }
  const phaseLines = new Map<number, number>();
  let order = 0;
  // Content before the first `##` and after a `#` is not inside any section.
  reportTasksOutsidePhases(ctx, children, 0, bounds[0] ?? children.length, text.length);
  for (let b = 0; b < bounds.length; b++) {
    const index = bounds[b]!;
    const node = children[index] as Extract<RootContent, { type: 'heading' }>;
    const to = bounds[b + 1] ?? children.length;
    const end = to < children.length ? getNodeRange(children[to]!).start : text.length;
    const heading = readHeading(text, node, lines);
    if (node.depth === 1) {
      if (!body.title) body.title = heading;
      reportTasksOutsidePhases(ctx, children, index + 1, to, end);
      continue;
    }
    const kind = classifySection(heading.text);
    const bodyStart = Math.min(end, skipLineBreak(text, findLineEnd(text, getNodeRange(node).end)));
    body.sections.push({ kind, heading, span: lines.spanOf(getNodeRange(node).start, end), body: text.slice(bodyStart, end) });
    const nodes = children.slice(index + 1, to);
    switch (kind) {
      case 'summary':
      case 'context':
      case 'notes':
        if (body[kind] === undefined) {
          const trimmed = trimBlankLines(text, bodyStart, end);
          body[kind] = text.slice(trimmed.start, trimmed.end);
        }
        reportTasksOutsidePhases(ctx, children, index + 1, to, end);
        break;
      case 'dependencies':
        body.dependencies.push(...readDependencies(ctx, markdown.parseInline(nodes)));
        reportTasksOutsidePhases(ctx, children, index + 1, to, end);
        break;
      case 'closure-review': {
        const review = readClosureReview(ctx, node, markdown.parseInline(nodes), end);
        if (review) body.closureReviews.push(review);
        break;
      }
      case 'phase': {
        const parsed = parsePhaseHeading(heading.text);
        if (!parsed) {
          ctx.reporter.reportAt(
            'phase-heading-invalid',
            heading.span,
            `Phase heading "${heading.text}" has no phase number`,
            'Write it as "## Phase 1 — Title" (a number, then an em dash, en dash, "-" or ":" and the title).',
          );
          break;
        }
        const first = phaseLines.get(parsed.number);
        if (first !== undefined) {
          ctx.reporter.reportAt(
            'phase-number-duplicate',
            heading.span,
            `Phase ${parsed.number} appears twice (first on line ${first})`,
            'Give every phase its own number.',
          );
        } else phaseLines.set(parsed.number, heading.span.start.line);
        const phase: Phase = {
          number: parsed.number,
          title: parsed.title,
          heading,
          span: lines.spanOf(getNodeRange(node).start, end),
          tasks: [],
        };
        for (const slice of sliceTasks(children, index + 1, to, end)) {
          const task = readTask(ctx, slice, parsed.number, order);
          if (task) {
            phase.tasks.push(task);
            order++;
          }
        }
        body.phases.push(phase);
        break;
      }
      default:
        reportTasksOutsidePhases(ctx, children, index + 1, to, end);
    }
  }
  return body;
}

function reportTasksOutsidePhases(ctx: WorkplanContext, children: readonly RootContent[], from: number, to: number, end: number): void {
  for (const slice of sliceTasks(children, from, to, end)) {
    if (!looksLikeTask(ctx, slice)) continue;
    const heading = readHeading(ctx.text, slice.heading, ctx.lines);
    ctx.reporter.reportAt(
      'task-outside-phase',
      heading.span,
      `Task heading "${heading.text}" is not inside a "## Phase N — Title" section`,
      'Move the task under a phase heading such as "## Phase 1 — Title".',
    );
  }
}

function reportDuplicateTaskIds(ctx: WorkplanContext, tasks: readonly Task[]): void {
  const first = new Map<string, Task>();
  for (const task of tasks) {
    const seen = first.get(task.id);
    if (!seen) {
      first.set(task.id, task);
      continue;
    }
    const idField = task.metadata.fields.find((f) => f.key === 'id');
    const firstLine = seen.metadata.fields.find((f) => f.key === 'id')?.lineSpan.start.line ?? seen.heading.span.start.line;
    const line = idField?.lineSpan.start.line ?? task.heading.span.start.line;
    ctx.reporter.reportAt(
      'task-id-duplicate',
      idField?.valueSpan ?? task.heading.span,
      `Task id "${task.id}" is used twice: on line ${firstLine} and on line ${line}`,
      'Give each task its own id; the next free number keeps history intact.',
    );
  }
}

function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.span.start.offset - b.d.span.start.offset || a.i - b.i)
    .map((x) => x.d);
}
