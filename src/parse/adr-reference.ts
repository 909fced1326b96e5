// ADR numbers and canonical ids: reading the number from a file name, a title heading or a written
// reference ("ADR-002", "2. Use X", "0002-use-x.md"), and formatting `ADR-<number padded to 3>`.
// Pure. See docs/adr-format.md ("File names and ids").

/** Canonical ADR id: `ADR-` and the number padded to three digits (`ADR-001`, `ADR-1234`). */
export function formatAdrId(number: number): string {
  return `ADR-${String(number).padStart(3, '0')}`;
}

/** The last path segment without its extension. */
function readBaseName(path: string): string {
  const base = path.split(/[/\\]/).pop() ?? '';
  return base.replace(/\.(?:md|markdown|mdx)$/i, '');
}

/**
 * The ADR number in a file name: `ADR-001-title.md`, `adr-0001.md`, `adr_7-x.md`, `0001-title.md`,
 * `0001_title.md`, `0001.md`. Undefined when the name carries no number in one of those places.
 */
export function readAdrNumberFromFileName(path: string): number | undefined {
  const base = readBaseName(path);
  // Date-prefixed names (`2024-01-02-use-x.md`) carry a date, not a number.
  if (/^\d{4}-\d{2}-\d{2}(?:\D|$)/.test(base)) return undefined;
  const m = /^(?:adr[-_ ]?)?(\d+)(?:[-_ .]|$)/i.exec(base);
  return m ? toSafeNumber(m[1]!) : undefined;
}

export interface HeadingNumber {
  number: number;
  /** The title with the number prefix removed. */
  title: string;
}

/**
 * Splits a numbered title heading: `1. Record decisions`, `ADR-001: Use X`, `ADR 7 - Use X`,
 * `ADR-0007 Use X`. A bare leading number without a separator ("2024 roadmap") is not a number.
 */
export function readAdrNumberFromHeading(text: string): HeadingNumber | undefined {
  const trimmed = text.trim();
  const adr = /^adr[-_ ]?(\d+)\s*(?:[.:\-–—]\s*)?(.*)$/i.exec(trimmed);
  if (adr) {
    const number = toSafeNumber(adr[1]!);
    return number === undefined ? undefined : { number, title: adr[2]!.trim() };
  }
  const plain = /^(\d+)(?:[.:]|\s+[-–—])(?:\s+|$)(.*)$/.exec(trimmed);
  if (plain) {
    const number = toSafeNumber(plain[1]!);
    return number === undefined ? undefined : { number, title: plain[2]!.trim() };
  }
  return undefined;
}

/**
 * The number in a frontmatter `id` value: `ADR-007`, `adr-7`, `ADR_0007`, `7`, `0007`.
 * Undefined when the value is not of that form.
 */
export function readAdrNumberFromId(value: string): number | undefined {
  const m = /^\s*(?:adr[-_ ]?)?(\d+)\s*$/i.exec(value);
  return m ? toSafeNumber(m[1]!) : undefined;
}

/**
 * Resolves a written reference to another ADR to its canonical id. Tries, in order: the link
 * target's file name, an `ADR-N` mention in the text, a `N. Title` text, a bare number.
 */
export function resolveAdrReference(text: string, target?: string): string | undefined {
  if (target !== undefined) {
    const path = target.replace(/[#?].*$/, '');
    const fromFile = path ? readAdrNumberFromFileName(path) : undefined;
    if (fromFile !== undefined) return formatAdrId(fromFile);
  }
  const mention = /\badr[-_ ]?(\d+)\b/i.exec(text);
  if (mention) {
    const n = toSafeNumber(mention[1]!);
    if (n !== undefined) return formatAdrId(n);
  }
  const numbered = /^\s*(\d+)(?:[.:]\s|\s*$)/.exec(text);
  if (numbered) {
    const n = toSafeNumber(numbered[1]!);
    if (n !== undefined) return formatAdrId(n);
  }
  const fileLike = /^\s*(\S+\.(?:md|markdown|mdx))\s*$/i.exec(text);
  if (fileLike) {
    const n = readAdrNumberFromFileName(fileLike[1]!);
    if (n !== undefined) return formatAdrId(n);
  }
  return undefined;
}

function toSafeNumber(digits: string): number | undefined {
  const n = Number.parseInt(digits, 10);
  return Number.isSafeInteger(n) ? n : undefined;
}
