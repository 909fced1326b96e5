// Whether a working-tree file differs from its staged version only by the id lines a sync writes
// (`state_hub_*_id: <uuid>` where prepareFile placed them): then staging the working-tree version is
// exactly what the pre-commit hook would have done after writing those ids itself. It happens when
// `workplan watch` syncs a file between `git add` and `git commit`. Pure.
import { decodeSource } from '../parse/decode.js';
import { applyTextEdits, sortTextEdits } from '../writeback/apply-text-edits.js';
import type { PreparedFile } from '../reconcile/prepare-file.js';
import { PLACEHOLDER_UUID } from '../reconcile/placeholder-id.js';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * True when `working` is `staged` with every id line `prepared` (the staged file's parse) lacks
 * inserted where a sync inserts it, each carrying a uuid, and nothing else changed.
 */
export function differsOnlyByAssignedIds(prepared: PreparedFile | undefined, staged: Uint8Array, working: Uint8Array): boolean {
  if (prepared?.kind !== 'workplan' || prepared.pendingIds.length === 0) return false;
  const stagedText = decodeSource(prepared.path, staged).value?.text;
  const workingText = decodeSource(prepared.path, working).value?.text;
  if (stagedText === undefined || workingText === undefined) return false;
  const edits = sortTextEdits(prepared.pendingIds.map((p) => p.edit));
  const filled = [];
  let shift = 0;
  for (const edit of edits) {
    const at = edit.start + shift;
    const placeholder = edit.text.indexOf(PLACEHOLDER_UUID);
    if (placeholder < 0) return false;
    const uuid = workingText.slice(at + placeholder, at + placeholder + PLACEHOLDER_UUID.length);
    if (!UUID.test(uuid)) return false;
    filled.push({ ...edit, text: edit.text.replace(PLACEHOLDER_UUID, uuid) });
    shift += edit.text.length - (edit.end - edit.start);
  }
  return applyTextEdits(stagedText, filled) === workingText;
}
