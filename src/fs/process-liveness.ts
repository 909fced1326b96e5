// Whether the process that holds a lock is still running: one check for every lockfile (the write-back
// locks of fs/file-lock.ts, the embedded store's data-directory lock of db/embedded-lock.ts, the
// leftovers swept by fs/sweep-temp-files.ts and db/create-embedded-dir.ts). Adapter (process, /proc).
import { readFileSync } from 'node:fs';

/** True when a process with this pid exists on this host. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Linux: the process's start time in clock ticks since boot (/proc/<pid>/stat field 22), to tell a reused pid; null elsewhere. */
export function readProcessStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may contain spaces and parentheses: count fields after the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null; // field 22 overall
  } catch {
    return null;
  }
}
