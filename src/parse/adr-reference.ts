// ADR numbers, ids and references: reading the number from a file name, a title or a frontmatter id;
// the slug of an ADR without a number (log4brains' `20200925-use-x`, `2024-01-02-use-x`, `use-x`);
// resolving a written reference ("ADR-002", "2. Use X", "0002-use-x.md", a log4brains slug link) to
// an id; and formatting `ADR-<number padded to 3>`. Pure. See docs/adr-format.md ("File names and ids").
import { MAX_INTEGER } from '../model/storage-limits.js';

/** Canonical ADR id: `ADR-` and the number padded to three digits (`ADR-001`, `ADR-1234`). */
export function formatAdrId(number: number): string {
  return `ADR-${String(number).padStart(3, '0')}`;
}

/** The last path segment without its Markdown extension (for a directory ADR, `x/index.md`, the directory): the ADR's slug. */
export function readAdrSlug(path: string): string {
  const parts = path.split(/[/\\]/);
  const stem = (parts.pop() ?? '').replace(/\.(?:md|markdown|mdx)$/i, '');
  // An ADR kept as a directory (`0001-use-x/index.md`) is named by its directory.
  if (/^(?:index|readme)$/i.test(stem) && parts.length > 0 && parts[parts.length - 1] !== '') return parts[parts.length - 1]!;
  return stem;
}

/**
 * Whether a file name starts with a date instead of a number: `2024-01-02-x`, `2024_01_02_x` or
 * log4brains' `20200925-x` (a valid calendar date). Such a name carries no ADR number.
 */
export function isDatePrefixedName(base: string): boolean {
  if (/^\d{4}[-_.]\d{2}[-_.]\d{2}(?:\D|$)/.test(base)) return true;
  const m = /^(\d{4})(\d{2})(\d{2})(?:\d{4,6})?(?:[-_ .]|$)/.exec(base);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return year >= 1970 && year <= 2200 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/**
 * The ADR number in a file name: `ADR-001-title.md`, `adr001-title.md`, `adr-0001.md`, `adr_7-x.md`,
 * `0001-title.md`, `0001_title.md`, `0001.md`. Undefined for a date-prefixed name or a name without one.
 */
export function readAdrNumberFromFileName(path: string): number | undefined {
  const base = readAdrSlug(path);
  if (isDatePrefixedName(base)) return undefined;
  const m = /^(?:adr[-_ ]?)?(\d+)(?:[-_ .]|$)/i.exec(base);
  return m ? toAdrNumber(m[1]!) : undefined;
}

/** The id an ADR file has by its name alone: `ADR-007` when it is numbered, else its slug. */
export function readAdrIdFromFileName(path: string): string {
  const number = readAdrNumberFromFileName(path);
  return number === undefined ? readAdrSlug(path) : formatAdrId(number);
}

export interface HeadingNumber {
  number: number;
  /** The title with the number prefix removed. */
  title: string;
}

/**
 * Splits a numbered title: `1. Record decisions`, `ADR-001: Use X`, `ADR003: Use X`, `ADR 7 - Use X`,
 * `ADR-0007 Use X`, `0001: Use X`. A bare leading number without a separator ("2024 roadmap") is not a number.
 */
export function readAdrNumberFromHeading(text: string): HeadingNumber | undefined {
  const trimmed = text.trim();
  const adr = /^adr[-_ #]?(\d+)\s*(?:[.:\-–—]\s*)?(.*)$/is.exec(trimmed);
  if (adr) {
    const number = toAdrNumber(adr[1]!);
    return number === undefined ? undefined : { number, title: adr[2]!.trim() };
  }
  const plain = /^(\d+)(?:[.:]|\s+[-–—])(?:\s+|$)(.*)$/s.exec(trimmed);
  if (plain) {
    const number = toAdrNumber(plain[1]!);
    return number === undefined ? undefined : { number, title: plain[2]!.trim() };
  }
  return undefined;
}

/**
 * The number in a frontmatter `id`: `ADR-007`, `adr-7`, `ADR_0007`, `7`, `0007`, and ids that end in
 * one, as Docusaurus sites write them (`adrs-adr001`). Undefined otherwise (a document id such as
 * `use-postgres` names no number; the file name is then used).
 */
export function readAdrNumberFromId(value: string): number | undefined {
  const m = /^\s*(?:adr[-_ ]?)?(\d+)\s*$/i.exec(value) ?? /(?:^|[-_/])adr[-_ ]?(\d+)\s*$/i.exec(value);
  return m ? toAdrNumber(m[1]!) : undefined;
}

/**
 * Resolves a written reference to another ADR to its id. Tries, in order: the link target's file
 * name (a number, else a log4brains slug), an `ADR-N` mention in the text, a `N. Title` text, a bare
 * number, a file name written as text.
 */
export function resolveAdrReference(text: string, target?: string): string | undefined {
  if (target !== undefined) {
    const path = decodeLinkPath(target.replace(/[#?].*$/, '').replace(/^adr:/i, ''));
    const fromFile = path ? readLinkedId(path) : undefined;
    if (fromFile !== undefined) return fromFile;
  }
  const mention = /\badr[-_ ]?(\d+)\b/i.exec(text);
  if (mention) {
    const n = toAdrNumber(mention[1]!);
    if (n !== undefined) return formatAdrId(n);
  }
  const numbered = /^\s*#?(\d+)(?:[.:]\s|\s*$)/.exec(text);
  if (numbered) {
    const n = toAdrNumber(numbered[1]!);
    if (n !== undefined) return formatAdrId(n);
  }
  const fileLike = /^\s*(\S+\.(?:md|markdown|mdx))\s*$/i.exec(text);
  if (fileLike) return readLinkedId(fileLike[1]!);
  // A bare log4brains slug ("20201016-use-x").
  const slug = /^\s*(\d{8}-[\w.-]+)\s*$/.exec(text);
  if (slug && isDatePrefixedName(slug[1]!)) return slug[1]!;
  return undefined;
}

/** The id of the ADR a link path names: its number, else the slug of the Markdown file it links to. */
function readLinkedId(path: string): string | undefined {
  // Only links to Markdown files name an ADR (also absolute URLs to one, e.g. on GitHub).
  if (!/\.(?:md|markdown|mdx)$/i.test(path)) return undefined;
  const number = readAdrNumberFromFileName(path);
  return number !== undefined ? formatAdrId(number) : readAdrSlug(path);
}

function decodeLinkPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** A number the mirror's integer column can hold; larger ones are not ADR numbers. */
function toAdrNumber(digits: string): number | undefined {
  const n = Number.parseInt(digits, 10);
  return Number.isSafeInteger(n) && n <= MAX_INTEGER ? n : undefined;
}
