// Creating a new repository file (a new workplan, a new ADR) without ever replacing one. Adapter
// (node:fs). The text is written to a temp file in the target's directory and fsynced, then hard-linked
// to the target name: the link fails if anything exists there (created meanwhile by someone else),
// and readers never see a half-written file. Where hard links are not supported, the file is opened
// with O_EXCL instead (still never replacing one; a reader may then see it being written).
// The path is resolved inside the root first (repo-path.ts): no absolute paths, `..` or symlinks out.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { hashText } from '../model/content-hash.js';
import { SyncError } from '../model/errors.js';
import { resolveInsideRoot } from './repo-path.js';
import { tempPathFor } from './sibling-files.js';

function exists(relPath: string): SyncError {
  return new SyncError('WRITE_CONFLICT', `${relPath} already exists; nothing was written.`, {
    hint: 'Choose another file name (or id), or edit the existing file.',
  });
}

/** Creates `relPath` under `root` with `text`; WRITE_CONFLICT when something already exists there. Returns the content hash. */
export async function createFileExclusive(root: string, relPath: string, text: string, mode = 0o644): Promise<{ hash: string }> {
  const resolved = await resolveInsideRoot(root, relPath);
  if (resolved.exists) throw exists(resolved.relPath);
  const bytes = Buffer.from(text, 'utf8');
  await mkdir(path.dirname(resolved.realPath), { recursive: true });
  // mkdir may have followed a symlink created meanwhile: check again before writing anything.
  const again = await resolveInsideRoot(root, relPath);
  if (again.exists) throw exists(again.relPath);
  const target = again.realPath;
  const temp = tempPathFor(target, process.pid, randomBytes(6).toString('hex'));
  try {
    await writeSynced(temp, bytes, 'wx', mode);
    try {
      await link(temp, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw exists(again.relPath);
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw error;
      await writeSynced(target, bytes, 'wx', mode).catch((e: NodeJS.ErrnoException) => {
        throw e.code === 'EEXIST' ? exists(again.relPath) : e;
      });
    }
  } finally {
    await rm(temp, { force: true }).catch(() => undefined);
  }
  await fsyncDirectory(path.dirname(target));
  return { hash: hashText(text) };
}

async function writeSynced(file: string, bytes: Uint8Array, flags: string, mode: number): Promise<void> {
  const handle = await open(file, flags, mode);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Best effort: makes the new directory entry durable (not every platform can fsync a directory). */
async function fsyncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // See atomic-write.ts: the link itself is atomic all the same.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
