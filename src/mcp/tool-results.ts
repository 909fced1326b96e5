// How answers and failures reach an agent: a tool result with the JSON answer (as text, and as
// structured content matching the tool's output schema), or a tool error (`isError`) whose text
// names each problem compiler-style (`path:line:col error rule-id message`) and ends with the
// error as JSON: its permanent code, whether retrying can succeed, and the diagnostics.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isSyncError, type DiagnosticView, type EditView } from '../index.js';

/** What an agent gets with every tool error (also in `_meta["workplan-sync/error"]`). */
export interface ToolErrorInfo {
  /** A permanent code: a SyncError code (WRITE_CONFLICT, INVALID_INPUT, …) or an edit refusal (`refused:not-found`, …). */
  code: string;
  message: string;
  hint: string | null;
  /** True when running the same call again can succeed (the file changed meanwhile, the store was busy). */
  retryable: boolean;
  diagnostics: DiagnosticView[];
}

/** Codes after which the same call, made again, can succeed. */
const RETRYABLE = new Set(['WRITE_CONFLICT', 'LOCK_UNAVAILABLE', 'DB_UNREACHABLE', 'refused:confirm-mismatch']);

/** A successful answer. */
export function toToolResult(value: object): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], structuredContent: value as Record<string, unknown> };
}

/** A refused edit as a tool error (nothing was written; the diagnostics say why). */
export function refusedEditError(view: EditView): CallToolResult {
  const details =
    view.openTasks && view.openTasks.length > 0 ? view.openTasks.map((t) => `  open task ${t.id} (${t.status}): ${t.title}`) : [];
  return toolError(
    {
      code: `refused:${view.reason ?? 'unknown'}`,
      message: view.message,
      hint: null,
      retryable: RETRYABLE.has(`refused:${view.reason}`),
      diagnostics: view.diagnostics,
    },
    details,
  );
}

/** A thrown error as a tool error; unexpected errors are reported as INTERNAL without a stack. */
export function thrownError(error: unknown): CallToolResult {
  if (isSyncError(error)) {
    return toolError({
      code: error.code,
      message: error.message,
      hint: error.hint ?? null,
      retryable: RETRYABLE.has(error.code),
      diagnostics: [],
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return toolError({
    code: 'INTERNAL',
    message: `Internal error: ${message}. Please report this.`,
    hint: null,
    retryable: false,
    diagnostics: [],
  });
}

/** A tool error whose answer is not the element the tool was asked for (e.g. get_task of an ADR id). */
export function notFoundError(message: string): CallToolResult {
  return toolError({ code: 'refused:not-found', message, hint: null, retryable: false, diagnostics: [] });
}

function toolError(info: ToolErrorInfo, details: string[] = []): CallToolResult {
  const lines = [
    `${info.code}: ${info.message}`,
    ...info.diagnostics.map(
      (d) => `${d.path}:${d.line}:${d.column} ${d.severity} ${d.ruleId} ${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}`,
    ),
    ...details,
    ...(info.hint ? [`hint: ${info.hint}`] : []),
    ...(info.retryable ? ['retryable: yes — run the same call again (it re-reads the files).'] : []),
  ];
  return {
    isError: true,
    content: [
      { type: 'text', text: lines.join('\n') },
      { type: 'text', text: JSON.stringify({ error: info }, null, 2) },
    ],
    _meta: { 'workplan-sync/error': info as unknown as Record<string, unknown> },
  };
}
