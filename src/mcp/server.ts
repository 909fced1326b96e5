// `workplan mcp`: a Model Context Protocol server over stdio (docs/mcp.md), built on
// @modelcontextprotocol/sdk. A thin front door over the library (src/index.ts): the tools are library
// calls through one session, the resources are the workplan and ADR files themselves. Never writes
// to stdout except the protocol (the store's wait messages go to `log`, stderr by default).
import { createRequire } from 'node:module';
import type { Readable, Writable } from 'node:stream';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { listPlanFiles, readPlanFile, type PlanSession } from '../index.js';
import { registerTools } from './tools.js';

export interface McpServeOptions {
  /** An open session (its `readOnly` decides which tools are offered). Closed when the client disconnects. */
  session: PlanSession;
  /** Default process.stdin / process.stdout. */
  input?: Readable;
  output?: Writable;
}

const INSTRUCTIONS = `workplan-sync: this repository's Markdown workplans (workplans/*.md) and ADRs (adr/*.md) are the source of truth; a Postgres mirror makes them queryable.
Read with list_workstreams, list_tasks, next_tasks, get_workplan, get_task, list_adrs, get_adr, list_domains, list_repositories: every answer is synced from the files first.
Change plans only with the write tools (set_task_status, add_task, create_workplan, close_workplan, create_adr): each edits the file surgically, re-parses it, writes it with compare-and-swap and syncs it. Prefer dryRun: true to preview. A WRITE_CONFLICT error is retryable: the file changed meanwhile and nothing was written.
Errors name the file, line and rule (e.g. workplans/x.md:14:9 error task-status-invalid …). The files are readable as resources (workplan://file/<path>).`;

/** Serves the session's repository over stdio until the client disconnects, then closes the session. */
export async function serveWorkplanMcp(options: McpServeOptions): Promise<void> {
  const { session } = options;
  const server = new McpServer(
    { name: 'workplan-sync', version: readVersion() },
    { instructions: INSTRUCTIONS, capabilities: { logging: {} } },
  );
  const inFlight = new Set<Promise<unknown>>();
  registerTools(server, session, inFlight);
  registerFileResources(server, session);
  const transport = new StdioServerTransport(options.input ?? process.stdin, options.output ?? process.stdout);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  await server.connect(transport);
  // The SDK does not notice the end of stdin by itself: a client that exits closes the pipe. Calls
  // already received are answered first (their input is validated asynchronously: let that finish).
  const input = options.input ?? process.stdin;
  input.once('end', () => {
    void new Promise((resolve) => setImmediate(resolve))
      .then(() => Promise.allSettled([...inFlight]))
      .then(() => session.close())
      .finally(() => void server.close());
  });
  await closed;
  await session.close();
}

/** Each workplan and ADR file as a resource `workplan://file/<path>` (text/markdown, read from disk). */
function registerFileResources(server: McpServer, session: PlanSession): void {
  const template = new ResourceTemplate('workplan://file/{+path}', {
    list: async () => ({
      resources: (await listPlanFiles(session.root, session.config)).map((f) => ({
        uri: `workplan://file/${encodeURI(f.path)}`,
        name: f.path,
        description: f.kind === 'adr' ? 'ADR' : 'Workplan',
        mimeType: 'text/markdown',
      })),
    }),
  });
  server.registerResource(
    'plan-file',
    template,
    {
      title: 'Workplan and ADR files',
      description: 'The Markdown files themselves: the source of truth the mirror is synced from.',
      mimeType: 'text/markdown',
    },
    async (uri, variables) => {
      const raw = variables.path;
      const path = decodeURI(Array.isArray(raw) ? raw.join('/') : String(raw));
      const file = await readPlanFile(session.root, session.config, path);
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: file.text }] };
    },
  );
}

function readVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}
