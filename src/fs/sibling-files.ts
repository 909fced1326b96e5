// Names of the helper files a write-back puts next to its target: the temp file renamed over it
// and the short-lived lock file. Both start with a dot (hidden; the Markdown scan skips them) and
// neither ends in `.md`. A watcher should ignore `.*.tmp` and `.*.lock`.
import path from 'node:path';

// File names are limited to 255 bytes; keep room for the suffixes.
const MAX_BASE_BYTES = 180;

function shortBase(base: string): string {
  if (Buffer.byteLength(base) <= MAX_BASE_BYTES) return base;
  let cut = base;
  while (Buffer.byteLength(cut) > MAX_BASE_BYTES) cut = cut.slice(0, -1);
  return cut;
}

/** `.<basename>.<pid>.<random hex>.tmp` in the target's directory. */
export function tempPathFor(target: string, pid: number, random: string): string {
  return path.join(path.dirname(target), `.${shortBase(path.basename(target))}.${pid}.${random}.tmp`);
}

/** `.<basename>.lock` in the target's directory. */
export function lockPathFor(target: string): string {
  return path.join(path.dirname(target), `.${shortBase(path.basename(target))}.lock`);
}

/** The pid in a temp file name made by tempPathFor, or undefined for any other name. */
export function parseTempFileName(name: string): { pid: number } | undefined {
  const match = /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name);
  return match ? { pid: Number(match[1]) } : undefined;
}

/** True for a lock file name made by lockPathFor. */
export function isLockFileName(name: string): boolean {
  return /^\..+\.lock$/.test(name);
}
