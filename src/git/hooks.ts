// Installing and removing the pre-commit hook. Adapter (git + node:fs).
// - The hooks directory is git's own answer (`git rev-parse --git-path hooks`), so `core.hooksPath`
//   and worktrees are respected.
// - An existing pre-commit hook that is not ours is never overwritten: it is moved aside to
//   `pre-commit.workplan-chained` (a rename: bytes, mode and symlink-ness kept) and our hook runs it
//   first. `uninstall` moves it back, exactly as it was.
// - Idempotent: installing twice changes nothing; an older version of our hook is rewritten in place.
import { randomBytes } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { chmod, lstat, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SyncError } from '../model/errors.js';
import { runGitBytes } from './staged.js';

/** Every hook we write contains this line; a hook without it is someone else's. */
export const HOOK_MARKER = '# workplan-sync pre-commit hook';
export const CHAINED_HOOK_NAME = 'pre-commit.workplan-chained';

/** The installation a hook runs: a node executable and the `workplan` entry script, both absolute. */
export interface WorkplanInstallation {
  node: string;
  entry: string;
}

/**
 * The installation running this code: this process's node, and the package's bin/workplan.js (else
 * the script this process was started with).
 */
export function currentInstallation(): WorkplanInstallation {
  const packageEntry = fileURLToPath(new URL('../../bin/workplan.js', import.meta.url));
  const started = process.argv[1] ? resolve(process.argv[1]) : packageEntry;
  const entry = existsSync(packageEntry) ? packageEntry : existsSync(started) ? realpathSync(started) : started;
  return { node: process.execPath, entry };
}

/**
 * The script we install as `pre-commit`. POSIX sh; git runs it from the top of the working tree.
 * It runs the installation that installed it, by absolute path (a repository of plans needs no
 * node_modules of its own). Should that installation be gone (uninstalled, or another node version),
 * it uses the repository's own node_modules/.bin/workplan if there is one; else the commit proceeds,
 * unchecked, with a message saying so and how to repair it (README, "Pre-commit hook").
 */
export function renderPreCommitHook(installation: WorkplanInstallation = currentInstallation()): string {
  return `#!/bin/sh
${HOOK_MARKER} (installed by \`workplan hook install\`; \`workplan hook uninstall\` removes it
# and puts back the hook it chained, if any). Checks the STAGED workplans and ADRs, blocks the commit
# on errors (file:line), syncs them into the mirror and stages any ids it wrote. Skip: git commit --no-verify.
hooks_dir=$(dirname -- "$0")
if [ -x "$hooks_dir/${CHAINED_HOOK_NAME}" ]; then
  "$hooks_dir/${CHAINED_HOOK_NAME}" "$@" || exit $?
fi
# The installation that installed this hook.
node=${shellQuote(installation.node)}
workplan=${shellQuote(installation.entry)}
if [ -x "$node" ] && [ -f "$workplan" ]; then
  exec "$node" "$workplan" sync --staged
fi
if [ -x ./node_modules/.bin/workplan ]; then
  exec ./node_modules/.bin/workplan sync --staged
fi
echo "workplan: the pre-commit hook could not run: $workplan (with $node), the installation that installed it, is gone." >&2
echo 'workplan: the commit proceeds; its workplans and ADRs were NOT checked or synced. Run \`workplan hook install\` again' >&2
echo 'workplan: from an installed workplan (or \`workplan hook uninstall\`), then \`workplan sync\`.' >&2
exit 0
`;
}

/** 'it'\''s' — a word sh reads back exactly. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The directory git runs hooks from (absolute). */
export async function readHooksDirectory(root: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const out = (await runGitBytes(root, ['rev-parse', '--git-path', 'hooks'], { env })).toString('utf8').trim();
  if (!out) throw new SyncError('INVALID_INPUT', `${root} is not inside a git repository; no hook was installed.`);
  return resolve(root, out);
}

export interface HookInstallResult {
  outcome: 'installed' | 'already-installed' | 'updated';
  hookPath: string;
  /** Where the hook that was there before now lives, when one was chained. */
  chainedPath?: string;
}

/** Installs our pre-commit hook, chaining an existing one. */
export async function installPreCommitHook(
  root: string,
  env: NodeJS.ProcessEnv = process.env,
  installation: WorkplanInstallation = currentInstallation(),
): Promise<HookInstallResult> {
  const dir = await readHooksDirectory(root, env);
  await mkdir(dir, { recursive: true });
  const hookPath = join(dir, 'pre-commit');
  const chainedPath = join(dir, CHAINED_HOOK_NAME);
  const script = renderPreCommitHook(installation);
  const existing = await readHook(hookPath);
  const chained = (await exists(chainedPath)) ? { chainedPath } : {};
  if (existing === undefined) {
    await writeHook(hookPath, script);
    return { outcome: 'installed', hookPath, ...chained };
  }
  if (existing.includes(HOOK_MARKER)) {
    if (existing === script) return { outcome: 'already-installed', hookPath, ...chained };
    await writeHook(hookPath, script);
    return { outcome: 'updated', hookPath, ...chained };
  }
  if (chained.chainedPath) {
    throw new SyncError('INVALID_INPUT', `Both ${hookPath} (not ours) and ${chainedPath} exist; neither was changed.`, {
      hint: `Merge or remove one of them, then run \`workplan hook install\` again.`,
    });
  }
  await rename(hookPath, chainedPath);
  try {
    await writeHook(hookPath, script);
  } catch (error) {
    await rename(chainedPath, hookPath).catch(() => undefined);
    throw error;
  }
  return { outcome: 'installed', hookPath, chainedPath };
}

export interface HookUninstallResult {
  outcome: 'removed' | 'not-installed';
  hookPath: string;
  /** The chained hook put back as pre-commit. */
  restored?: string;
}

/** Removes our hook and restores the one it chained; leaves anyone else's hook alone. */
export async function uninstallPreCommitHook(root: string, env: NodeJS.ProcessEnv = process.env): Promise<HookUninstallResult> {
  const dir = await readHooksDirectory(root, env);
  const hookPath = join(dir, 'pre-commit');
  const chainedPath = join(dir, CHAINED_HOOK_NAME);
  const existing = await readHook(hookPath);
  if (existing === undefined || !existing.includes(HOOK_MARKER)) return { outcome: 'not-installed', hookPath };
  await unlink(hookPath);
  if (await exists(chainedPath)) {
    await rename(chainedPath, hookPath);
    return { outcome: 'removed', hookPath, restored: hookPath };
  }
  return { outcome: 'removed', hookPath };
}

/** The hook's text, or undefined when there is none (a dangling symlink counts as one: it is not ours). */
async function readHook(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return (await exists(path)) ? '' : undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Writes the hook atomically (temp file in the same directory, then rename), executable. */
async function writeHook(path: string, script: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, script, { mode: 0o755 });
    await chmod(temp, 0o755);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
