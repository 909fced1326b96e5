// Processes for tests that judge leftovers by their owner's pid.
import { spawnSync } from 'node:child_process';

/** The pid of a process that has already exited (a killed writer's, as far as a sweep can tell). */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}
