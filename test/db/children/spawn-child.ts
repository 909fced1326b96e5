// Spawns store-holder.ts in a plain Node process (TypeScript loaded by test/support/ts-register.mjs)
// and waits for its "ready" line.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const holder = fileURLToPath(new URL('./store-holder.ts', import.meta.url));

export interface Child {
  process: ChildProcess;
  pid: number;
  output(): string;
  /** Resolves with the exit code or signal name. */
  exited: Promise<number | string>;
}

/** Starts the holder and resolves once it printed "ready" (rejects if it exits first). */
export async function startHolder(args: string[], timeoutMs = 60_000): Promise<Child> {
  const child = spawn(process.execPath, ['--import', './test/support/ts-register.mjs', holder, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child not ready after ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = () => {
      if (/^ready$/m.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code}) before it was ready:\n${output}`));
    });
  });
  return { process: child, pid: child.pid ?? -1, output: () => output, exited };
}
