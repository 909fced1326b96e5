// The working tree's stat cache, like git's index: for each source file, the stat signature it had
// when it was last read (size, mtime, ctime, inode, device) and the hash of the bytes read then. A
// full sync asks it first, so an unchanged file costs one stat instead of a read and a hash: the
// sync's cost follows what changed, not the size of the repository.
//
// Racy entries: file timestamps are coarse (one clock tick; 2 s on FAT), so a file written in the
// same tick as our read could change again without changing its signature. An entry is therefore
// trusted only if the file's mtime and ctime were at least RACY_WINDOW_MS older than the read;
// younger files are simply read again next time. Stored in `.workplan/cache/`; safe to delete.
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const FILE_NAME = 'file-hashes.json';
const FORMAT = 1;
const RACY_WINDOW_MS = 2_000;

export interface FileHashCache {
  /** The hash of `path` if its stat signature is the one recorded with it; undefined means "read it". */
  knownHash(path: string): string | undefined;
  /** Takes the file's signature before it is read (a change during the read then shows next time). */
  signature(path: string): FileSignature | undefined;
  /** Records the hash of the bytes read after `signature` was taken. */
  record(path: string, signature: FileSignature | undefined, hash: string): void;
  /** Keeps only these paths (the last full listing). */
  retain(paths: Iterable<string>): void;
  /** Writes the cache if it changed (atomically; a failure only costs reads next time). */
  flush(): Promise<void>;
}

export interface FileSignature {
  key: string;
  /** The later of mtime and ctime, in ms. */
  changedMs: number;
}

interface Stored {
  format: number;
  entries: Record<string, [signature: string, hash: string]>;
}

/** Opens (loads) the cache kept in `cacheDir` for the working tree at `root`. */
export async function openFileHashCache(root: string, cacheDir: string, now: () => number = Date.now): Promise<FileHashCache> {
  const file = join(cacheDir, FILE_NAME);
  const entries = new Map<string, [string, string]>();
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as Stored;
    if (stored.format === FORMAT && stored.entries && typeof stored.entries === 'object') {
      for (const [path, entry] of Object.entries(stored.entries)) {
        if (Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'string') entries.set(path, [entry[0], entry[1]]);
      }
    }
  } catch {
    // Missing or damaged: every file is read once, as if there were no cache.
  }
  let changed = false;

  const signature = (path: string): FileSignature | undefined => {
    try {
      // Synchronous: one stat is microseconds, and a full sync makes one per file.
      const s = statSync(join(root, path), { bigint: true });
      if (!s.isFile()) return undefined;
      return {
        key: `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}:${s.dev}`,
        changedMs: Number((s.mtimeNs > s.ctimeNs ? s.mtimeNs : s.ctimeNs) / 1_000_000n),
      };
    } catch {
      return undefined;
    }
  };

  return {
    knownHash(path) {
      const entry = entries.get(path);
      if (!entry) return undefined;
      const now = signature(path);
      return now && now.key === entry[0] ? entry[1] : undefined;
    },
    signature,
    record(path, sig, hash) {
      const entry = entries.get(path);
      if (!sig || now() - sig.changedMs < RACY_WINDOW_MS) {
        if (entry) {
          entries.delete(path);
          changed = true;
        }
        return;
      }
      if (entry && entry[0] === sig.key && entry[1] === hash) return;
      entries.set(path, [sig.key, hash]);
      changed = true;
    },
    retain(paths) {
      const keep = new Set(paths);
      for (const path of entries.keys()) {
        if (!keep.has(path)) {
          entries.delete(path);
          changed = true;
        }
      }
    },
    async flush() {
      if (!changed) return;
      const stored: Stored = { format: FORMAT, entries: Object.fromEntries(entries) };
      const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        await mkdir(cacheDir, { recursive: true });
        await writeFile(temp, JSON.stringify(stored));
        await rename(temp, file);
        changed = false;
      } catch {
        await rm(temp, { force: true }).catch(() => undefined);
      }
    },
  };
}
