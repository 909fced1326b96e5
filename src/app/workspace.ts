// The repository a command works on: its root, configuration and identity in the mirror.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { WorkplanConfig } from '../model/config.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { ConfigSources } from '../parse/config.js';
import { resolveUnconfigured } from '../parse/config-unconfigured.js';
import { deriveRepositorySlug, readGitInfo, runGit } from '../git/git-info.js';
import type { RepositoryIdentity } from '../db/repository-row.js';

export interface Workspace {
  root: string;
  /** Undefined when the configuration has errors (see `configDiagnostics`). */
  config: WorkplanConfig | undefined;
  configDiagnostics: Diagnostic[];
  repository: RepositoryIdentity;
}

/** The repository root: `--root`, else the git top level of `cwd`, else `cwd`. */
export async function findRepositoryRoot(cwd: string, explicitRoot?: string): Promise<string> {
  if (explicitRoot) return resolve(cwd, explicitRoot);
  const top = await runGit(cwd, ['rev-parse', '--show-toplevel']);
  return top ? resolve(top) : resolve(cwd);
}

/** The workspace at `cwd` (or `explicitRoot`); `env` is the environment the command runs with. */
export async function openWorkspace(cwd: string, explicitRoot?: string, env: NodeJS.ProcessEnv = process.env): Promise<Workspace> {
  const root = await findRepositoryRoot(cwd, explicitRoot);
  const sources: ConfigSources = {};
  const configJson = await readOptional(join(root, 'workplan.config.json'));
  if (configJson !== undefined) sources.configJson = { path: 'workplan.config.json', text: configJson };
  const packageJson = await readOptional(join(root, 'package.json'));
  if (packageJson !== undefined) sources.packageJson = { path: 'package.json', text: packageJson };
  // The validating parser (zod) loads only when there is a configuration to validate.
  const config = resolveUnconfigured(sources) ?? (await import('../parse/config.js')).resolveConfig(sources);
  const git = await readGitInfo(root);
  const slug = env.WORKPLAN_REPOSITORY_SLUG || deriveRepositorySlug(root, git.remoteUrl);
  return {
    root,
    config: config.value,
    configDiagnostics: config.diagnostics,
    repository: {
      slug,
      root,
      ...(git.remoteUrl ? { remoteUrl: git.remoteUrl } : {}),
      ...(git.headCommit ? { gitCommit: git.headCommit } : {}),
    },
  };
}

/** Where parse results are cached (`.workplan/cache/prepared`, git-ignored with the rest of `.workplan/`). */
export function cacheDirFor(root: string): string {
  return join(root, '.workplan', 'cache', 'prepared');
}

/** The embedded store's data directory for a workspace (absolute). */
export function embeddedDirFor(workspace: { root: string; config: WorkplanConfig }): string {
  const dir = workspace.config.database.embeddedDir;
  return isAbsolute(dir) ? dir : join(workspace.root, dir);
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
