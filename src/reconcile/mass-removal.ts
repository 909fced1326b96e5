// The mass-removal policy: when a sync's removals are refused rather than applied. A plan may remove
// at most `sync.massRemovalThreshold` of the repository's live rows; a configured root left with no
// file while the mirror holds rows from it (a deleted directory, a failed checkout) is refused whatever
// its share; and a refusal names directories that could not be read. The refusal is a SyncError with
// a hint that says what to do. Pure: the caller counts rows and lists files.
import { posix, sep } from 'node:path';
import { SyncError } from '../model/errors.js';

/** Why removing `removedRows` of `totalRows` live rows is refused, or undefined when the share is allowed. */
export function massRemovalShareReason(removedRows: number, totalRows: number, threshold: number): string | undefined {
  const share = totalRows > 0 ? removedRows / totalRows : 0;
  if (removedRows === 0 || share <= threshold) return undefined;
  return `the sync would remove ${removedRows} of ${totalRows} mirror rows (${Math.round(share * 100)}%, over the ${Math.round(threshold * 100)}% limit)`;
}

/** A configured root and the mirror rows from it whose files vanished. */
export interface RootWithVanishedRows {
  dir: string;
  vanished: number;
  /** Whether a repository path lies under the root. */
  holds(path: string): boolean;
}

/** The configured roots under which rows vanished (only those need the whole listing to be judged). */
export function rootsWithVanishedRows(roots: readonly string[], vanished: ReadonlyArray<{ filePath: string }>): RootWithVanishedRows[] {
  const out: RootWithVanishedRows[] = [];
  for (const root of roots) {
    const dir = posix.normalize(root).replace(/\/+$/, '');
    const holds = (path: string) => dir === '.' || dir === '' || path.startsWith(`${dir}/`);
    const count = vanished.filter((e) => holds(e.filePath)).length;
    if (count > 0) out.push({ dir, vanished: count, holds });
  }
  return out;
}

/** The refusal reasons of roots with vanished rows and no listed file left. */
export function emptyRootReasons(roots: readonly RootWithVanishedRows[], listed: ReadonlyArray<{ path: string }>): string[] {
  return roots
    .filter((root) => !listed.some((f) => root.holds(f.path)))
    .map(
      (root) =>
        `${root.dir}/ has no files left but the mirror has ${root.vanished} workplan(s) or ADR(s) from it; a deleted directory or a failed checkout must not remove them`,
    );
}

/** The reason naming directories the listing could not read, when there are any. */
export function unreadableDirectoriesReason(problems: ReadonlyArray<{ path: string }>): string | undefined {
  return problems.length > 0 ? `some directories could not be read: ${problems.map((p) => p.path).join(', ')}` : undefined;
}

/** At most this many reasons are listed in a refusal; the rest are counted. */
const MAX_REASONS_SHOWN = 5;

/** Who asks, and where the mirror's rows of that name were last synced from (to tell two checkouts apart). */
export interface RefusalContext {
  repository: { slug: string; root: string; remoteUrl?: string };
  lastSyncedFrom: { root: string; remoteUrl: string | undefined } | undefined;
}

/**
 * The mass-removal refusal: its reasons (a few, then a count: 300 damaged files are not one 40 KB line),
 * and, when this checkout is not where the mirror's rows of its repository name were last synced from
 * and has no remote to tell them apart, that the rows may belong to another checkout.
 */
export function massRemovalRefused(reasons: readonly string[], { repository, lastSyncedFrom: row }: RefusalContext): SyncError {
  const shown = reasons.slice(0, MAX_REASONS_SHOWN);
  const more = reasons.length - shown.length;
  const listed =
    shown.join('; ') +
    (more > 0 ? `; and ${more} more like these (\`workplan sync --dry-run --allow-mass-removal\` lists every removal)` : '');
  let hint = 'If these removals are intended, run again with --allow-mass-removal.';
  if (row && row.root !== repository.root && !repository.remoteUrl && !row.remoteUrl) {
    const suggestion = `${repository.slug}-${posix.basename(posix.dirname(repository.root.split(sep).join('/'))) || 'copy'}`;
    hint =
      `The mirror's rows for repository "${repository.slug}" were last synced from ${row.root}, not from this checkout ` +
      `(${repository.root}): checkouts without a git remote are named after their folder, and these two share one. ` +
      `If they are different repositories, give this one its own name: WORKPLAN_REPOSITORY_SLUG=${suggestion} workplan sync ` +
      '(or add a git remote). If it is the same repository moved, and the removals are intended, run again with --allow-mass-removal.';
  }
  return new SyncError('MASS_REMOVAL_REFUSED', `Refusing to sync: ${listed}. The mirror was not changed.`, { hint });
}
