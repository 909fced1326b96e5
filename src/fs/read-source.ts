// Reads one source file of the repository, bounded in size. Adapter (node:fs).
// Expected problems with a file (missing, too large, not a regular file, unreadable) are returned
// as a result `kind`, because the caller turns each into a Diagnostic or a skip; only a path that
// escapes the repository root throws (SyncError PATH_OUTSIDE_ROOT: a security boundary).
// The hash is the sha256 of the exact bytes read — what writeFileIfUnchanged compares against.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { hashBytes } from '../model/content-hash.js';
import { resolveInsideRoot } from './repo-path.js';

export type ReadSourceResult =
  | {
      kind: 'ok';
      relPath: string;
      /** The file's exact bytes (a BOM, CRLF, invalid UTF-8: all kept). */
      bytes: Buffer;
      /** sha256 hex of `bytes`. */
      hash: string;
      mtimeMs: number;
      size: number;
    }
  | { kind: 'too-large'; relPath: string; size: number; maxBytes: number }
  | { kind: 'missing'; relPath: string }
  | { kind: 'unreadable'; relPath: string; reason: string; code?: string };

const CHUNK = 64 * 1024;

/** Reads `relPath` under `root` unless it is larger than `maxBytes`; never follows a path outside the root. */
export async function readSourceFile(root: string, relPath: string, maxBytes: number): Promise<ReadSourceResult> {
  const resolved = await resolveInsideRoot(root, relPath);
  const rel = resolved.relPath;
  if (!resolved.exists) return { kind: 'missing', relPath: rel };
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO planted under a `.md` name must not hang the sync.
    handle = await open(resolved.realPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing', relPath: rel };
    return { kind: 'unreadable', relPath: rel, reason: (error as Error).message, ...(code ? { code } : {}) };
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { kind: 'unreadable', relPath: rel, reason: 'not a regular file' };
    if (stat.size > maxBytes) return { kind: 'too-large', relPath: rel, size: stat.size, maxBytes };
    // Read to EOF, but never more than maxBytes + 1: the file may grow after the fstat.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.allocUnsafe(Math.min(Math.max(stat.size - total + 1, CHUNK), maxBytes + 1 - total));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, total);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) return { kind: 'too-large', relPath: rel, size: total, maxBytes };
    }
    const bytes = Buffer.concat(chunks, total);
    return { kind: 'ok', relPath: rel, bytes, hash: hashBytes(bytes), mtimeMs: stat.mtimeMs, size: total };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { kind: 'unreadable', relPath: rel, reason: (error as Error).message, ...(code ? { code } : {}) };
  } finally {
    await handle.close();
  }
}
