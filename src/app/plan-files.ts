// The repository's workplan and ADR files themselves, for readers that want the source of truth
// verbatim (the MCP server's resources). Read-only; only files under the configured roots that are
// workplans or ADRs are served, and paths are resolved inside the root (no `..`, no symlinks out).
import type { WorkplanConfig } from '../model/config.js';
import { SyncError } from '../model/errors.js';
import { decodeSource } from '../parse/decode.js';
import { normaliseRepoPath } from '../fs/repo-path.js';
import { workingTreeSource } from '../fs/source-files.js';
import { classifySourcePath } from '../model/source-path.js';
import { isSourceFile, type SourceKind } from '../model/source-file.js';

export interface PlanFile {
  path: string;
  kind: SourceKind;
}

/** The workplan and ADR files of the working tree, sorted by path. */
export async function listPlanFiles(root: string, config: WorkplanConfig): Promise<PlanFile[]> {
  const listing = await workingTreeSource(root).list(config);
  return [...listing.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The text of one workplan or ADR file; INVALID_INPUT for any other path, a missing or undecodable file. */
export async function readPlanFile(
  root: string,
  config: WorkplanConfig,
  written: string,
): Promise<{ path: string; kind: SourceKind; text: string }> {
  // Classified after normalising: `workplans/../notes.md` is not under `workplans/`.
  const path = normaliseRepoPath(written);
  const kind = classifySourcePath(path, config);
  if (!kind) throw new SyncError('INVALID_INPUT', `${path} is not a workplan or ADR file of this repository.`);
  const read = await workingTreeSource(root).read(path, kind, config);
  if (!isSourceFile(read)) {
    throw new SyncError('INVALID_INPUT', 'missing' in read ? `${path} does not exist.` : `${path}: ${read.message}`);
  }
  const decoded = decodeSource(path, read.bytes);
  if (!decoded.value) throw new SyncError('INVALID_INPUT', `${path} is not valid UTF-8 text.`);
  return { path, kind, text: decoded.value.text };
}
