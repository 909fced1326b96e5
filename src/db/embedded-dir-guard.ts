// Where the embedded store may live, and who may read it. Adapter (node:fs).
// - Inside the repository: `database.embeddedDir` is checked like `roots.*` (relative, no `..`) by the
//   configuration, and here after resolving symlinks, so a `.workplan` symlinked elsewhere does not
//   carry the store out of the repository either.
// - Never inside someone else's files: an existing directory that holds anything but a store (no
//   PG_VERSION) is refused, not filled with a Postgres cluster.
// - Private: the data directory is 0700 and the files made when it is created 0600. PGlite's file
//   system layer creates files mode 0666 whatever Postgres asks for; the ones it adds later sit
//   behind the 0700 directory. A store made before this rule is tightened when it is next opened.
import { chmod, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { SyncError } from '../model/errors.js';
import { resolveInsideRoot } from '../fs/repo-path.js';

/** Refuses a data directory outside `root` (symlinks resolved) or one holding files that are not a store. */
export async function checkEmbeddedDir(dataDir: string, root: string | undefined): Promise<void> {
  if (root !== undefined) {
    try {
      await resolveInsideRoot(root, relative(root, dataDir) || '.');
      if (relative(root, dataDir) === '') throw new SyncError('PATH_OUTSIDE_ROOT', 'it is the repository root itself');
    } catch (error) {
      if (!(error instanceof SyncError)) throw error;
      throw new SyncError(
        'PATH_OUTSIDE_ROOT',
        `The embedded store directory ${dataDir} is not a directory inside the repository ${root}; nothing was created. (${error.message})`,
        {
          hint: 'Set database.embeddedDir to a directory inside the repository (default ".workplan/db"), and do not symlink it elsewhere; or set DATABASE_URL to use Postgres.',
        },
      );
    }
  }
  let names: string[];
  try {
    names = await readdir(dataDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw foreign(dataDir, 'it is a file');
    throw error;
  }
  if (names.length > 0 && !names.includes('PG_VERSION'))
    throw foreign(dataDir, `it already holds ${names.length} other file(s) or folder(s), e.g. ${JSON.stringify(names.sort()[0])}`);
}

function foreign(dataDir: string, why: string): SyncError {
  return new SyncError(
    'INVALID_INPUT',
    `The embedded store directory ${dataDir} is not an embedded store (no PG_VERSION): ${why}. Nothing was created or changed there.`,
    {
      hint: 'Point database.embeddedDir at a new or empty directory (default ".workplan/db"), or move those files away.',
    },
  );
}

/** Makes `dataDir` 0700 and, with `all`, every directory in it 0700 and every file 0600. */
export async function restrictEmbeddedDirModes(dataDir: string, options: { all: boolean }): Promise<void> {
  await chmod(dataDir, 0o700);
  if (!options.all) return;
  for (const entry of await readdir(dataDir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) await chmod(path, 0o700);
    else if (entry.isFile()) await chmod(path, 0o600);
  }
}

/** True when `dataDir` exists and others (group or world) may enter or read it. */
export async function isEmbeddedDirOpenToOthers(dataDir: string): Promise<boolean> {
  const info = await stat(dataDir).catch(() => undefined);
  return info !== undefined && (info.mode & 0o077) !== 0;
}
