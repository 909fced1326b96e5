// The repository's own state directory, `.workplan/` (embedded store, parse cache, daemon socket).
// It must never be committed: it ignores itself with a `.gitignore` of `*`, so a user's repository
// needs no change to its own .gitignore. Adapter (node:fs).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Creates `<root>/.workplan/` (if needed) with a self-ignoring `.gitignore`; never overwrites one. */
export async function ensureStateDir(root: string): Promise<string> {
  const dir = join(root, '.workplan');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, '.gitignore'), '# workplan-sync state: never committed\n*\n', { flag: 'wx' }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    },
  );
  return dir;
}
