// A throw-away repository directory for filesystem tests.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TempRepo {
  root: string;
  /** Absolute path of a repository-relative path. */
  abs(rel: string): string;
  /** Writes a file (creating parent directories). */
  write(rel: string, content: string | Uint8Array): Promise<string>;
  remove(): Promise<void>;
}

/** Creates an empty temp directory to act as a repository root. */
export async function createTempRepo(prefix = 'wps-repo-'): Promise<TempRepo> {
  const root = await mkdtemp(path.join(tmpdir(), prefix));
  const abs = (rel: string) => path.join(root, ...rel.split('/'));
  return {
    root,
    abs,
    async write(rel, content) {
      await mkdir(path.dirname(abs(rel)), { recursive: true });
      await writeFile(abs(rel), content);
      return abs(rel);
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
