// Which repository paths are workplans and which are ADRs, by the configured roots and the file name.
// Pure: one classifier for every caller (sync, check, watch, the hook, new files).
import { posix } from 'node:path';
import type { WorkplanConfig } from './config.js';
import type { SourceKind } from './source-file.js';

const IGNORED_NAMES = /^(readme|index|template|_.*|.*[-_.]template)\.md$/i;
/** Pages that sit beside ADRs in their folder but record no decision (docs/format.md, "Which files are read"). */
const NOT_AN_ADR = /^(?:readme|index|toc|table[-_ ]of[-_ ]contents|summary|changelog|contributing|license|glossary|_.*)$/i;

/** Which kind a repository-relative path is, or undefined when it is not a source file. */
export function classifySourcePath(path: string, config: WorkplanConfig): SourceKind | undefined {
  const name = posix.basename(path);
  if (!name.toLowerCase().endsWith('.md')) return undefined;
  const under = (roots: string[]) => roots.some((r) => isUnder(path, r));
  if (under(config.roots.adr)) return isAdrFileName(name) || isAdrBundlePage(path, config.roots.adr) ? 'adr' : undefined;
  if (IGNORED_NAMES.test(name)) return undefined;
  if (under(config.roots.workplans)) return 'workplan';
  return undefined;
}

/**
 * Whether a Markdown file in an ADR root is an ADR: every file is (numbered, date-named as
 * log4brains writes them, or named by its slug) except the index pages and templates found beside
 * them: README, index, a table of contents, and templates (`template.md`, `adr-template.md`,
 * `0000-template.md`, `adr000-template.md`, `adr-template-minimal.md`, `template-madr.md`).
 */
export function isAdrFileName(name: string): boolean {
  const base = name.replace(/\.md$/i, '');
  if (NOT_AN_ADR.test(base)) return false;
  const rest = base.replace(/^(?:adr[-_ ]?)?\d*[-_ .]*/i, '').toLowerCase();
  return !(rest.startsWith('template') || /[-_.]templates?$/.test(rest) || /^(?:adr|madr|nygard)[-_]?templates?(?:[-_.]|$)/.test(rest));
}

/**
 * The kind of a file named explicitly (`workplan check <file>`), which is read even outside the roots:
 * by the roots when it is under one, else an ADR when its folder or name says so, else a workplan.
 */
export function classifyNamedPath(path: string, config: WorkplanConfig): SourceKind {
  const kind = classifySourcePath(path, config);
  if (kind) return kind;
  const name = posix.basename(path);
  return /(^|\/)(adr|adrs|decisions)\//i.test(path) || /^(adr[-_]?)\d+/i.test(name) ? 'adr' : 'workplan';
}

/**
 * Whether a path is the page of an ADR kept as a directory (a page bundle): `index.md` or
 * `README.md` in a subdirectory of an ADR root, as Hugo sites and the joelparkerhenderson examples
 * keep them (`adr/0001-use-x/index.md`, `adr/secrets-storage/index.md`). The directory names the ADR;
 * an index at the root itself, or below a directory named as a template, is not one.
 */
export function isAdrBundlePage(path: string, adrRoots: readonly string[]): boolean {
  if (!/^(?:index|readme)\.md$/i.test(posix.basename(path))) return false;
  return adrRoots.some((root) => {
    if (!isUnder(path, root)) return false;
    const r = posix.normalize(root).replace(/\/+$/, '');
    const dirs = (r === '.' || r === '' ? path : path.slice(r.length + 1)).split('/').slice(0, -1);
    // `templates/decision-record-template-by-michael-nygard/index.md` is a template, not a decision
    // (a numbered directory such as `0005-use-template-engine/` is an ADR).
    const template = dirs.some((d) => !/^\d/.test(d) && /(?:^|[-_.])templates?(?:[-_.]|$)/i.test(d));
    return dirs.length >= 1 && !template && isAdrFileName(`${dirs[dirs.length - 1]!}.md`);
  });
}

function isUnder(path: string, root: string): boolean {
  const r = posix.normalize(root).replace(/\/+$/, '');
  if (r === '.' || r === '') return true;
  return path === r || path.startsWith(`${r}/`);
}
