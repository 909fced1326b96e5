// Compare-and-swap write-back of one repository file. Adapter (node:fs).
//
// writeFileIfUnchanged writes only if the file's bytes still hash to what the caller parsed:
//  1. Resolve the path inside the root (symlinks resolved: a symlinked target is written at its
//     real location inside the root and the symlink stays a symlink).
//  2. Read the file. Bytes equal to the new ones: nothing is written at all (no temp file, no
//     mtime change, no watcher event) — also when someone else wrote exactly those bytes meanwhile
//     (two syncs writing the same ids). Otherwise a different sha256 is a WRITE_CONFLICT (their
//     bytes stay).
//  3. Write a temp file `.<basename>.<pid>.<random>.tmp` in the SAME directory, with the target's
//     permission bits, and fsync it.
//  4. Take the per-file lock (file-lock.ts), re-read the file, compare its hash again, check by
//     fstat/stat that nothing touched it while it was read (inode, size, mtime, ctime — ctime
//     cannot be forced back with utimes), then rename the temp file over it; release the lock;
//     fsync the directory.
//  5. On any failure the temp file is removed; the target is either wholly old or wholly new.
//
// The remaining window: a process that does not take our lock (an editor) and writes the file
// in place between the final stat and the rename — two syscalls, microseconds — loses its edit.
// Two write-backs of this tool cannot both succeed: the lock serialises them, and the second one
// re-reads the first one's bytes and gets WRITE_CONFLICT. Temp files of a killed writer remain
// until sweepStaleTempFiles removes them; a killed writer's lock is broken by the next writer.
// File ownership is not preserved (the new inode belongs to the writing user); permission bits are.
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { chmod, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { hashBytes } from '../model/content-hash.js';
import { SyncError } from '../model/errors.js';
import { acquireFileLock, type FileLockOptions } from './file-lock.js';
import { resolveInsideRoot } from './repo-path.js';
import { tempPathFor } from './sibling-files.js';

export interface WriteFileOptions {
  lock?: FileLockOptions;
  /**
   * Test seam: runs after the lock is taken and the file re-read and compared, right before the
   * final stat and rename. Never use it in production code.
   * @internal
   */
  beforeRename?: () => Promise<void> | void;
  /** Test seam: runs after the temp file is written, before the lock is taken. @internal */
  afterTempWritten?: (tempPath: string) => Promise<void> | void;
}

export interface WriteFileResult {
  /** False when the new bytes equal the file's bytes (nothing was touched). */
  written: boolean;
  /** sha256 hex of the file's bytes now. */
  hash: string;
}

interface Snapshot {
  bytes: Buffer;
  stat: Stats;
}

function conflict(relPath: string, what: string): SyncError {
  return new SyncError('WRITE_CONFLICT', `${relPath} ${what} since it was read; nothing was written.`, {
    hint: 'Run the command again: it re-reads the file and applies its change to the new content.',
  });
}

async function readSnapshot(file: string, relPath: string): Promise<Snapshot> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw conflict(relPath, 'was removed');
    throw error;
  }
  try {
    const before = await handle.stat();
    if (!before.isFile()) throw conflict(relPath, 'is no longer a regular file');
    const bytes = await handle.readFile();
    return { bytes, stat: before };
  } finally {
    await handle.close();
  }
}

function sameFileState(a: Stats, b: Stats): boolean {
  return a.ino === b.ino && a.dev === b.dev && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

/**
 * Makes the rename durable. Never throws: it runs after the rename has happened, and reporting a
 * failure then would claim that nothing was written. Some platforms cannot fsync a directory
 * (Windows, some network filesystems); the rename itself is atomic there all the same.
 */
async function fsyncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Best effort, see above.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

async function writeTempFile(tempPath: string, bytes: Uint8Array, mode: number): Promise<void> {
  const handle = await open(tempPath, 'wx', 0o600);
  try {
    await handle.writeFile(bytes);
    // The umask applies at creation; chmod gives the target's exact permission bits.
    await handle.chmod(mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces the file `relPath` under `root` with `newText` if its bytes still hash to
 * `expectedHash` (else WRITE_CONFLICT); atomic (temp file + rename), durable (fsync).
 */
export async function writeFileIfUnchanged(
  root: string,
  relPath: string,
  expectedHash: string,
  newText: string | Uint8Array,
  options: WriteFileOptions = {},
): Promise<WriteFileResult> {
  const resolved = await resolveInsideRoot(root, relPath);
  const rel = resolved.relPath;
  const target = resolved.realPath;
  const newBytes = typeof newText === 'string' ? Buffer.from(newText, 'utf8') : Buffer.from(newText);

  const first = await readSnapshot(target, rel);
  // The file already holds exactly the new bytes (e.g. a concurrent sync wrote the same ids): there
  // is nothing to write and nobody's edit to lose, so this is not a conflict.
  if (first.bytes.equals(newBytes)) return { written: false, hash: hashBytes(newBytes) };
  if (hashBytes(first.bytes) !== expectedHash) throw conflict(rel, 'was changed by someone else');

  const tempPath = tempPathFor(target, process.pid, randomBytes(6).toString('hex'));
  let renamed = false;
  try {
    await writeTempFile(tempPath, newBytes, first.stat.mode & 0o7777);
    await options.afterTempWritten?.(tempPath);
    const lock = await acquireFileLock(target, options.lock);
    try {
      const again = await readSnapshot(target, rel);
      // Another writer got there first with exactly our bytes (two syncs assigning the same ids).
      if (again.bytes.equals(newBytes)) return { written: false, hash: hashBytes(newBytes) };
      if (hashBytes(again.bytes) !== expectedHash) throw conflict(rel, 'was changed by someone else');
      const mode = again.stat.mode & 0o7777;
      if (mode !== (first.stat.mode & 0o7777)) await chmod(tempPath, mode);
      await options.beforeRename?.();
      // Anything that wrote the file while we read and hashed it changed its ctime.
      let now: Stats;
      try {
        now = await stat(target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw conflict(rel, 'was removed');
        throw error;
      }
      if (!sameFileState(again.stat, now)) throw conflict(rel, 'was changed by someone else');
      await rename(tempPath, target);
      renamed = true;
    } finally {
      await lock.release();
    }
    await fsyncDirectory(path.dirname(target));
    return { written: true, hash: hashBytes(newBytes) };
  } finally {
    if (!renamed) await rm(tempPath, { force: true }).catch(() => undefined);
  }
}
