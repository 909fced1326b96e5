// Where a sync keeps the rows of the files it parsed until it plans them (and what their write-backs need). A few hundred files stay in
// memory; beyond that they go to a temporary file as JSON (the prepared cache's own form, so a round
// trip is known to be exact) and are read back batch by batch: the rows of a large repository (~3× its
// text) would otherwise all be live at once. The file is unlinked as soon as it is open where the
// platform allows it, so even a killed process leaves nothing behind. Adapter (node:fs).
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DesiredAdr, DesiredWorkstream } from '../reconcile/rows.js';

export type DesiredRows = DesiredWorkstream | DesiredAdr;

/** Values (JSON) kept by path until taken. */
export interface Spill<T> {
  put(path: string, value: T): void;
  /** The value put under `path` (each is read once: taking it frees it). */
  take(path: string): T | undefined;
  /** The value put under `path`, kept for a later take. */
  peek(path: string): T | undefined;
  has(path: string): boolean;
  /** Forgets `path` (a file found to share its id with another is not synced). */
  drop(path: string): void;
  close(): void;
}

/**
 * Keeps the first `inMemory` files' rows in memory and writes the rest to a temporary file. When no
 * temporary file can be created, everything stays in memory (slower to nothing, only larger).
 */
export function fileSpill<T>(inMemory: number, dir: string = tmpdir()): Spill<T> {
  const memory = new Map<string, T>();
  const onDisk = new Map<string, { offset: number; length: number }>();
  let file: { fd: number; dir: string; unlinked: boolean } | undefined;
  let failed = false;
  let end = 0;
  const open = () => {
    if (file || failed) return file;
    try {
      const tempDir = mkdtempSync(join(dir, 'workplan-sync-'));
      const path = join(tempDir, 'rows.ndjson');
      const fd = openSync(path, 'w+', 0o600);
      let unlinked = false;
      try {
        unlinkSync(path);
        rmSync(tempDir, { recursive: true, force: true });
        unlinked = true;
      } catch {
        // Removed at close instead.
      }
      file = { fd, dir: tempDir, unlinked };
    } catch {
      failed = true;
    }
    return file;
  };
  const drop = (path: string) => {
    onDisk.delete(path);
    memory.delete(path);
  };
  const read = (path: string, free: boolean): T | undefined => {
    const at = onDisk.get(path);
    if (!at) {
      const value = memory.get(path);
      if (free) memory.delete(path);
      return value;
    }
    if (free) onDisk.delete(path);
    const bytes = Buffer.alloc(at.length);
    let done = 0;
    while (done < at.length) {
      const n = readSync(file!.fd, bytes, done, at.length - done, at.offset + done);
      if (n === 0) throw new Error(`The temporary copy of ${path}'s rows is shorter than written`);
      done += n;
    }
    return JSON.parse(bytes.toString('utf8')) as T;
  };
  return {
    put(path, value) {
      drop(path);
      const target = memory.size < inMemory ? undefined : open();
      if (!target) return void memory.set(path, value);
      const bytes = Buffer.from(JSON.stringify(value), 'utf8');
      let written = 0;
      while (written < bytes.length) written += writeSync(target.fd, bytes, written, bytes.length - written, end + written);
      onDisk.set(path, { offset: end, length: bytes.length });
      end += bytes.length;
    },
    take: (path) => read(path, true),
    peek: (path) => read(path, false),
    has: (path) => onDisk.has(path) || memory.has(path),
    drop,
    close() {
      memory.clear();
      onDisk.clear();
      if (!file) return;
      try {
        closeSync(file.fd);
      } catch {
        // Already closed.
      }
      if (!file.unlinked) rmSync(file.dir, { recursive: true, force: true });
      file = undefined;
    },
  };
}
