// Sync step 5, write back: the ids the plan assigned go into their files after commit, each file an
// independent compare-and-swap (adr/0003). The edits are planned with each part of the plan (so the
// mirror stores the hash the file will have); the text is made again from the kept bytes when written.
import { join, posix } from 'node:path';
import { gitBlobHash, hashText } from '../model/content-hash.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { SyncError, isSyncError } from '../model/errors.js';
import type { TextEdit } from '../model/text-edit.js';
import { decodeSource } from '../parse/decode.js';
import type { Plan } from '../reconcile/plan.js';
import type { PendingId } from '../reconcile/prepare-file.js';
import { PLACEHOLDER_UUID } from '../reconcile/placeholder-id.js';
import type { WriteBackResult } from '../reconcile/sync-result.js';
import { applyTextEdits } from '../writeback/apply-text-edits.js';
import { writeFileIfUnchanged } from '../fs/atomic-write.js';
import { sweepStaleTempFiles } from '../fs/sweep-temp-files.js';
import type { PreparedCache } from '../cache/prepared-cache.js';
import type { Spill } from '../cache/desired-spill.js';
import { forEachLimited } from './for-each-limited.js';
import type { WriteBackSource } from './sync-prepare.js';

/** An id write-back planned with a part of the plan: the edits, and the hashes of the text they make. */
export interface PlannedWriteBack {
  edits: TextEdit[];
  /** Content hash and git blob id of the file once written. */
  hash: string;
  blob: string;
  /** The content hash of the text the edits apply to (the file as parsed). */
  expectedHash: string;
  ids: number;
}

/** The edits that write the part's assigned ids into their files (from the bytes kept for them), with the hashes of the result. */
export function planWriteBacks(
  plan: Plan,
  pendingIds: Map<string, PendingId[]>,
  readBytes: (path: string) => { bytes: Uint8Array; hash: string } | undefined,
  maxFileBytes: number,
  onTooLarge: (path: string, bytes: number, ids: number) => void,
): Map<string, PlannedWriteBack> {
  const byFile = new Map<string, Map<string, string>>();
  for (const a of plan.idAssignments) {
    let m = byFile.get(a.filePath);
    if (!m) byFile.set(a.filePath, (m = new Map()));
    m.set(`${a.kind}:${a.key}`, a.uuid);
  }
  const out = new Map<string, PlannedWriteBack>();
  for (const [path, uuids] of byFile) {
    const pending = pendingIds.get(path);
    const file = pending && readBytes(path);
    if (!pending || !file) continue;
    const edits = pending.map(({ kind, key, edit }) => {
      const uuid = uuids.get(`${kind}:${key}`);
      if (!uuid) throw new SyncError('INTERNAL', `No planned id for ${kind} ${key} in ${path}`);
      return { ...edit, text: edit.text.replace(PLACEHOLDER_UUID, uuid) };
    });
    const text = editedText(path, file.bytes, edits);
    if (text === undefined) continue;
    // Our own write-back must not push a file over the limit every later read enforces: the file
    // would then never be read, and its edits never mirrored, again. Its rows are synced all the same.
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > maxFileBytes) {
      onTooLarge(path, bytes, edits.length);
      continue;
    }
    out.set(path, {
      edits,
      hash: hashText(text),
      blob: gitBlobHash(Buffer.from(text, 'utf8')),
      expectedHash: file.hash,
      ids: edits.length,
    });
  }
  return out;
}

/** The files written, and the hash each has now (callers suppress their own change events by it). */
export interface WrittenBack {
  writeBacks: WriteBackResult[];
  writtenHashes: Map<string, string>;
}

/** Writes the planned ids into their files after commit; a file changed meanwhile is a conflict, never overwritten. */
export async function writeBackIds(
  root: string,
  edited: ReadonlyMap<string, PlannedWriteBack>,
  sources: Spill<WriteBackSource>,
  leftoverDirs: readonly string[],
  cache: PreparedCache | undefined,
): Promise<WrittenBack> {
  const writeBacks: WriteBackResult[] = [];
  const writtenHashes = new Map<string, string>();
  // A write-back killed earlier (SIGKILL, power loss) leaves its temp and lock files beside its
  // target. Sweep them (only those of dead processes) where the walk saw some, and where files are
  // written now: a killed process may have renamed every file but not yet released its locks.
  const sweptDirs = [...edited.keys()].map((p) => posix.dirname(p)).concat(leftoverDirs);
  for (const dir of new Set(sweptDirs)) {
    await sweepStaleTempFiles(join(root, ...dir.split('/').filter(Boolean))).catch(() => undefined);
  }
  // Each write-back is an independent compare-and-swap of one file (fsyncs dominate): run several at once.
  await forEachLimited([...edited], 8, async ([path, e]) => {
    try {
      // The text is made again here from the bytes read (the plan kept only the edits: a large sync
      // must not hold the new text of every file it writes ids into).
      const source = sources.take(path);
      const text = source && editedText(path, Buffer.from(source.bytes, 'base64'), e.edits);
      if (text === undefined) throw new SyncError('INTERNAL', `The bytes of ${path} were not kept for its write-back`);
      await writeFileIfUnchanged(root, path, e.expectedHash, text);
      writeBacks.push({ path, outcome: 'written', ids: e.ids });
      writtenHashes.set(path, e.hash);
      // Cross-file summaries of the new text (ids written in), so `check` and the hook need not re-parse it.
      await cache?.recordWriteBack?.(source!.prepared, text);
    } catch (error) {
      writeBacks.push({
        path,
        outcome: isSyncError(error, 'WRITE_CONFLICT') ? 'conflict' : 'failed',
        ids: e.ids,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  });
  writeBacks.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { writeBacks, writtenHashes };
}

export function writeBackTooLarge(path: string, bytes: number, ids: number, maxFileBytes: number): Diagnostic {
  const at = { line: 1, column: 1, offset: 0 };
  return {
    path,
    span: { start: at, end: at },
    severity: 'warning',
    ruleId: 'write-back-too-large',
    message: `Writing its ${ids} assigned id(s) would make this file ${bytes} bytes, over the ${maxFileBytes}-byte limit (sync.maxFileBytes); its rows were synced, the ids were not written into it`,
    hint: 'Split the file into several workplans, or raise sync.maxFileBytes in workplan.config.json.',
  };
}

function editedText(path: string, bytes: Uint8Array, edits: readonly TextEdit[]): string | undefined {
  const decoded = decodeSource(path, bytes);
  return decoded.value ? applyTextEdits(decoded.value.text, edits) : undefined;
}
