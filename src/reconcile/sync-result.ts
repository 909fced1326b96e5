// What a sync reports: its trigger, its progress events and its result. Types only, shared by the use
// case (app/sync.ts), the watch daemon's protocol and the front doors that render them.
import type { Diagnostic } from '../model/diagnostic.js';
import type { PlanReceipt } from './plan-batches.js';

/** What started a sync (recorded in sync_runs.trigger). */
export type SyncTrigger = 'cli' | 'hook' | 'watch' | 'schedule' | 'mcp' | 'http';

export type SyncProgress = { kind: 'scanned'; files: number } | { kind: 'parsed'; done: number; total: number } | { kind: 'applying' };

export interface WriteBackResult {
  path: string;
  outcome: 'written' | 'conflict' | 'failed';
  ids: number;
  message?: string;
}

export interface SyncResult {
  /** What the sync planned and applied, without the rows' contents. */
  plan: PlanReceipt;
  diagnostics: Diagnostic[];
  files: { scanned: number; changed: number; parsed: number; failed: number };
  writeBacks: WriteBackResult[];
  dryRun: boolean;
  outcome: 'applied' | 'noop' | 'dry-run';
  durationMs: number;
  /** Time spent inside the mirror transaction (planning under lock + writes). */
  writeMs: number;
  /** Final text of files changed by write-back, for callers that need to suppress their own events. */
  writtenHashes: Map<string, string>;
}
