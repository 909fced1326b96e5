// The MCP tools (docs/mcp.md): each one a library call (src/app/plan-calls.ts through the session),
// with the library's own zod schemas as its input and output schemas. Writes go through exactly the
// code `workplan set | add-task | new | adr new | close` runs. In read-only mode the tools that
// change files are not offered at all.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import {
  adrListView,
  domainListView,
  editView,
  nextTasksView,
  planCallSchema,
  repositoryListView,
  showView,
  syncCallView,
  taskListView,
  workstreamListView,
  type EditView,
  type PlanCallName,
  type PlanSession,
  type ShowView,
} from '../index.js';
import { notFoundError, refusedEditError, thrownError, toToolResult } from './tool-results.js';

interface ToolSpec {
  name: string;
  title: string;
  description: string;
  call: PlanCallName;
  input: z.ZodType;
  output: z.ZodType;
  writes: boolean;
  /** For get_*: the element kind the answer must be. */
  element?: 'workplan' | 'task' | 'adr';
}

const FRESH =
  'Files changed since the last sync are synced into the mirror first (pass sync: false to skip), so the answer reflects the files.';
const SCOPE =
  'Scope: this repository by default; `repos` names others, `allRepos: true` spans every repository of a shared Postgres mirror.';
const FILE_FIRST =
  'File-first: the workplan file is edited surgically (only the lines that change), re-parsed, written with compare-and-swap, then synced. dryRun: true returns the diff and writes nothing. A file changed by someone else meanwhile is a retryable WRITE_CONFLICT error and nothing is written.';

/** Every tool, in the order they are listed. */
export function describeTools(session: PlanSession): ToolSpec[] {
  const specs: Array<Omit<ToolSpec, 'input'>> = [
    {
      name: 'list_domains',
      title: 'List domains',
      call: 'list-domains',
      output: domainListView,
      writes: false,
      description: `Domains that have workplans, with per-domain figures: workstreams by status, tasks by status, open and stale tasks, blocked workstreams, ADRs, repositories. ${SCOPE} ${FRESH}`,
    },
    {
      name: 'list_repositories',
      title: 'List repositories',
      call: 'list-repositories',
      output: repositoryListView,
      writes: false,
      description: `Repositories in the mirror with their workstream, task, open-task and ADR counts and last sync. ${SCOPE} ${FRESH}`,
    },
    {
      name: 'list_workstreams',
      title: 'List workplans',
      call: 'list-workstreams',
      output: workstreamListView,
      writes: false,
      description: `Workplans (workstreams) filtered by status, domain and blocked; sorted and paged (limit/offset; total counts every match). Each item has its file location and task counts. ${SCOPE} ${FRESH}`,
    },
    {
      name: 'get_workplan',
      title: 'Get a workplan',
      call: 'show',
      output: showView,
      writes: false,
      element: 'workplan',
      description: `One workplan by id (e.g. CUST-WP-0005) or file path: every field, phases with their tasks, dependencies with the state of the workplans they name (and whether they block it), closure reviews, and file:line of each part. ${FRESH}`,
    },
    {
      name: 'list_tasks',
      title: 'List tasks',
      call: 'list-tasks',
      output: taskListView,
      writes: false,
      description: `Tasks filtered by status, priority, domain, workstream, stale (open in a completed or archived workplan) and blocked (its workplan waits for an unfinished one); sorted and paged. Each item has file:line. ${SCOPE} ${FRESH}`,
    },
    {
      name: 'get_task',
      title: 'Get a task',
      call: 'show',
      output: showView,
      writes: false,
      element: 'task',
      description: `One task by id (e.g. CUST-WP-0005-T03): every field, its description, its workplan's dependencies with their state, Closure Review entries classifying it, and file:line. ${FRESH}`,
    },
    {
      name: 'next_tasks',
      title: 'What to do next',
      call: 'next',
      output: nextTasksView,
      writes: false,
      description: `Open tasks (in progress, then to do) whose workplan is active and not waiting for an unfinished dependency, most urgent priority first. ${SCOPE} ${FRESH}`,
    },
    {
      name: 'list_adrs',
      title: 'List ADRs',
      call: 'list-adrs',
      output: adrListView,
      writes: false,
      description: `Architecture Decision Records filtered by status and domain; sorted and paged. ${SCOPE} ${FRESH}`,
    },
    {
      name: 'get_adr',
      title: 'Get an ADR',
      call: 'show',
      output: showView,
      writes: false,
      element: 'adr',
      description: `One ADR by id (ADR-7, ADR-007, adr-0007) or file path: every field and its supersede links with the linked ADRs' titles and statuses. ${FRESH}`,
    },
    {
      name: 'sync',
      title: 'Sync the files into the mirror',
      call: 'sync',
      output: syncCallView,
      writes: false,
      description:
        "Syncs the repository's workplan and ADR files into the mirror now and reports what changed and which files have errors (file:line, rule). Every other tool already does this first.",
    },
    {
      name: 'set_task_status',
      title: "Set a task's status",
      call: 'set-task',
      output: editView,
      writes: true,
      description: `Sets a task's status (and/or priority) in its workplan file. Only the task's status line changes. Values are checked against the repository's vocabulary (aliases accepted). ${FILE_FIRST}`,
    },
    {
      name: 'add_task',
      title: 'Add a task',
      call: 'add-task',
      output: editView,
      writes: true,
      description: `Adds a task at the end of a phase of a workplan, with the next free task id, written like the file's other tasks. With phaseTitle, a missing phase is created. ${FILE_FIRST}`,
    },
    {
      name: 'create_workplan',
      title: 'Create a workplan',
      call: 'new-workplan',
      output: editView,
      writes: true,
      description: `Creates a new workplan file in the documented format (frontmatter, title, summary, dependencies); refused when the id exists. Add phases and tasks with add_task. ${FILE_FIRST}`,
    },
    {
      name: 'close_workplan',
      title: 'Close a workplan',
      call: 'close-workplan',
      output: editView,
      writes: true,
      description: `The Workstream Closure Protocol: every task must end done, cancelled (cancelOpen) or carried forward (carryForwardTo); writes the Closure Review and marks the workplan completed. Preview first: without confirm it returns the diffs and a confirmToken and writes nothing; call again with confirm: <token> to apply exactly that preview (a changed file makes the token stale: retry the preview). ${FILE_FIRST}`,
    },
    {
      name: 'create_adr',
      title: 'Create an ADR',
      call: 'new-adr',
      output: editView,
      writes: true,
      description: `Creates the next ADR (next number) in the repository's ADR style (MADR or Nygard, detected from its latest ADR or configured) beside its other ADRs. ${FILE_FIRST}`,
    },
  ];
  return specs.map((spec) => ({ ...spec, input: planCallSchema(session.config, spec.call) }));
}

/** Registers the tools (without the writing ones in a read-only session); `inFlight` holds the calls running. */
export function registerTools(server: McpServer, session: PlanSession, inFlight: Set<Promise<unknown>> = new Set()): void {
  for (const spec of describeTools(session)) {
    if (spec.writes && session.readOnly) continue;
    server.registerTool(
      spec.name,
      {
        title: spec.title,
        description: spec.description,
        inputSchema: spec.input as z.ZodObject,
        outputSchema: spec.output as z.ZodObject,
        annotations: {
          readOnlyHint: !spec.writes,
          destructiveHint: false,
          idempotentHint: !spec.writes || spec.call === 'set-task',
          openWorldHint: false,
        },
      },
      async (args: unknown) => {
        const running = runTool(session, spec, args);
        inFlight.add(running);
        try {
          return await running;
        } finally {
          inFlight.delete(running);
        }
      },
    );
  }
}

async function runTool(session: PlanSession, spec: ToolSpec, args: unknown): Promise<CallToolResult> {
  try {
    const value = (await session.call(spec.call, args as never)) as object;
    if (spec.writes && (value as EditView).outcome === 'refused') return refusedEditError(value as EditView);
    if (spec.element) {
      const element = (value as ShowView).element;
      if (element.kind === 'not-found') return notFoundError(`No ${spec.element} ${element.id} in ${scopeText(value as ShowView)}.`);
      if (element.kind === 'ambiguous') {
        return notFoundError(
          `${(args as { id?: string }).id} names several elements: ${element.matches.map((m) => `${m.kind} ${m.id} (${m.repository}, ${m.location})`).join('; ')}. Name the repository with repos.`,
        );
      }
      if (element.kind !== spec.element)
        return notFoundError(
          `${(args as { id?: string }).id} is a ${element.kind}, not a ${spec.element}; use get_${element.kind === 'workplan' ? 'workplan' : element.kind}.`,
        );
    }
    return toToolResult(value);
  } catch (error) {
    return thrownError(error);
  }
}

function scopeText(view: ShowView): string {
  const r = view.scope.repositories;
  return r === 'all' ? 'any repository of the mirror' : `repository ${r.join(', ')}`;
}
