// What a CLI process and a running `workplan watch` daemon say to each other over the daemon socket:
// one JSON request line, one JSON response line. Pure (types and JSON mapping).
//
// The daemon owns the embedded store for its lifetime (one process per data directory), so a
// `workplan sync` or the pre-commit hook started meanwhile asks it to run the sync instead of waiting
// for the store: "sync these paths (from these bytes) and give me the result".
import type { SyncResult } from '../reconcile/sync-result.js';

/** Bumped when a request or response changes shape incompatibly. */
export const DAEMON_PROTOCOL_VERSION = 1;

/**
 * How the daemon names itself in the embedded store's lock file: a process waiting for the store
 * held by this command keeps trying the socket (the daemon takes the store before it listens).
 */
export const DAEMON_LOCK_COMMAND = 'workplan watch';

export interface PingRequest {
  op: 'ping';
  version: number;
}

export interface SyncRequest {
  op: 'sync';
  version: number;
  /** The client's repository root; the daemon refuses a request for another root. */
  root: string;
  trigger: 'cli' | 'hook';
  /** Only these repository-relative paths (incremental); all files when absent. */
  paths?: string[];
  /**
   * The bytes to sync (base64), e.g. staged blobs; the working tree is read when absent. A listed
   * path missing here is treated as deleted.
   */
  files?: Record<string, string>;
  /** With `files`: every source path of the snapshot they come from (the sync's guards need it). */
  listing?: string[];
  writeBack?: boolean;
  dryRun?: boolean;
  allowMassRemoval?: boolean;
}

/**
 * Run one of the library's calls (a query or a file-first edit: src/app/plan-calls.ts) with the
 * daemon's mirror, serialised with its syncs, and answer its JSON result.
 */
export interface CallRequest {
  op: 'call';
  version: number;
  /** The client's repository root; the daemon refuses a request for another root. */
  root: string;
  /** The call's name, e.g. `list-tasks`. */
  name: string;
  /** The call's input (validated by the daemon against its configuration). */
  input: unknown;
  /** `http`: a `workplan serve` request (src/http). */
  trigger: 'cli' | 'mcp' | 'http';
  /** A read-only caller: edits are refused, syncs write no ids into files. */
  readOnly?: boolean;
}

export type DaemonRequest = PingRequest | SyncRequest | CallRequest;

export interface DaemonError {
  code: string;
  message: string;
  hint: string | null;
}

export type DaemonResponse =
  | { ok: true; pid: number; root: string; result?: EncodedSyncResult; value?: unknown }
  | { ok: false; pid: number; error: DaemonError };

/** A SyncResult as JSON: `writtenHashes` as entries. */
export type EncodedSyncResult = Omit<SyncResult, 'writtenHashes'> & { writtenHashes: Array<[string, string]> };

export function encodeSyncResult(result: SyncResult): EncodedSyncResult {
  return { ...result, writtenHashes: [...result.writtenHashes] };
}

export function decodeSyncResult(encoded: EncodedSyncResult): SyncResult {
  return { ...encoded, writtenHashes: new Map(encoded.writtenHashes) };
}

/** Files for a request: path → base64 of the bytes. */
export function encodeFiles(files: ReadonlyMap<string, Uint8Array>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, bytes] of files) out[path] = Buffer.from(bytes).toString('base64');
  return out;
}

export function decodeFiles(files: Record<string, string>): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [path, b64] of Object.entries(files)) out.set(path, new Uint8Array(Buffer.from(b64, 'base64')));
  return out;
}
