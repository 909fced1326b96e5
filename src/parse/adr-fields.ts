// The typed view of an ADR's frontmatter (MADR 3/4, Docusaurus, log4brains-free Jekyll sites), and
// the small readers of values it shares with the Markdown metadata: people lists and written
// references. Pure. Values of an unexpected shape are warnings: ADR metadata is optional.
import type { AdrFrontmatter, AdrLink } from '../model/adr.js';
import type { Span } from '../model/diagnostic.js';
import type { FieldSource } from '../model/workplan.js';
import type { AdrMetadataBlock } from './adr-frontmatter.js';
import { readReferences, type WrittenReference } from './adr-metadata.js';
import { readAdrNumberFromHeading, readAdrNumberFromId, resolveAdrReference } from './adr-reference.js';
import type { Reporter } from './reporter.js';

/** Keys with a meaning of their own; every other key is kept verbatim in `extra`. */
const KNOWN_KEYS = ['id', 'title', 'status', 'date', 'domain', 'supersedes', 'superseded_by', 'decision-makers', 'consulted', 'informed'];
/** Keys read as the date when `date` is absent, in order. */
const DATE_KEYS = ['date', 'decision-date', 'decision_date', 'decided', 'accepted', 'created', 'last_updated', 'last-updated', 'updated'];
const NONE = /^[\s.—–-]*(?:none|n\/?a|nothing|nil|-)?[\s.—–-]*$/i;
export const REFERENCE_HINT = 'Link to the ADR file, e.g. [2. Use X](0002-use-x.md), or write its id, e.g. ADR-002.';

export interface ReadFrontmatter {
  data: AdrFrontmatter;
  /** The data exactly as read. */
  raw: Record<string, unknown>;
  /** The number the frontmatter states (its `id`, or a number prefix of its `title`). */
  idNumber?: { number: number; span: Span; origin: string };
  fields: Map<string, FieldSource>;
  links: AdrLink[];
  /** The date as written (the first of the date keys present) and where. */
  date?: { text: string; span: Span };
}

/** Typed view of the frontmatter data; values of the wrong shape are warnings at their value. */
export function readAdrFrontmatter(block: AdrMetadataBlock, reporter: Reporter): ReadFrontmatter {
  const fields = new Map<string, FieldSource>();
  for (const f of block.fields) if (!fields.has(f.key)) fields.set(f.key, f);
  const raw = block.data;
  const spanOf = (key: string): Span => fields.get(key)?.valueSpan ?? block.span;
  const data: AdrFrontmatter = { extra: {} };
  const out: ReadFrontmatter = { data, raw, fields, links: [] };
  for (const [key, value] of Object.entries(raw)) if (!KNOWN_KEYS.includes(key)) data.extra[key] = value;

  const id = readScalar(raw.id);
  if (id !== undefined && id.trim() !== '') {
    data.id = id;
    const number = readAdrNumberFromId(id);
    if (number !== undefined) out.idNumber = { number, span: spanOf('id'), origin: 'the frontmatter id' };
  }
  readTitle(raw.title, spanOf('title'), data, out, reporter);
  const status = readScalar(raw.status);
  if (status !== undefined) data.status = status;
  const dateKey = DATE_KEYS.find((key) => raw[key] !== undefined && raw[key] !== null && raw[key] !== '');
  if (dateKey) {
    const text = readFieldText(raw[dateKey], fields.get(dateKey));
    if (dateKey === 'date') data.date = text;
    out.date = { text, span: spanOf(dateKey) };
  }
  const domain = readScalar(raw.domain)?.trim();
  if (domain) data.domain = domain;
  else if (isObject(raw.domain)) {
    reporter.reportAt(
      'adr-field-invalid',
      spanOf('domain'),
      `Frontmatter domain must be text, not ${describeValue(raw.domain)}; it was ignored`,
      'Write a domain slug, e.g. `domain: custodian`.',
      'warning',
    );
  }
  for (const key of ['decision-makers', 'consulted', 'informed'] as const) {
    const people = readPeople(raw[key]);
    if (people) data[key] = people;
  }
  if (!data['decision-makers']) {
    const deciders = readPeople(raw.deciders);
    if (deciders) data['decision-makers'] = deciders;
  }
  readRelations(raw, spanOf, data, out, reporter);
  return out;
}

function readTitle(value: unknown, span: Span, data: AdrFrontmatter, out: ReadFrontmatter, reporter: Reporter): void {
  const title = readScalar(value)?.trim();
  if (title) {
    // Docusaurus and Backstage titles carry the number: `ADR003: Avoid default exports`.
    const numbered = readAdrNumberFromHeading(title);
    data.title = numbered?.title || title;
    if (numbered && !out.idNumber) out.idNumber = { number: numbered.number, span, origin: 'the frontmatter title' };
  } else if (isObject(value)) {
    reporter.reportAt(
      'adr-field-invalid',
      span,
      `Frontmatter title must be text, not ${describeValue(value)}; it was ignored`,
      'Write `title: Use Postgres for the mirror` (quote it if it contains ": ").',
      'warning',
    );
  }
}

function readRelations(
  raw: Record<string, unknown>,
  spanOf: (key: string) => Span,
  data: AdrFrontmatter,
  out: ReadFrontmatter,
  reporter: Reporter,
): void {
  const relations = [
    ['supersedes', 'supersedes', 'supersedes'],
    ['superseded_by', 'superseded_by', 'superseded-by'],
    ['superseded-by', undefined, 'superseded-by'],
  ] as const;
  for (const [key, typedKey, relation] of relations) {
    const value = raw[key];
    if (value === undefined || value === null || value === '') continue;
    const items = Array.isArray(value) ? value : [value];
    const written: string[] = [];
    for (const item of items) {
      const text = readScalar(item);
      if (text === undefined) {
        reporter.reportAt(
          'adr-field-invalid',
          spanOf(key),
          `Frontmatter ${key} must be an ADR id or a list of ids, not ${describeValue(item)}; it was ignored`,
          REFERENCE_HINT,
          'warning',
        );
        continue;
      }
      written.push(text);
      const refs = typeof item === 'number' ? [{ text, start: 0, end: 0 }] : readReferences(text, 0);
      for (const ref of refs) addReference(out.links, relation, ref, spanOf(key), reporter);
    }
    if (typedKey) data[typedKey] = written;
  }
}

/** Resolves a written reference and records it, or reports (as a warning) that it names no ADR. */
export function addReference(links: AdrLink[], relation: AdrLink['relation'], ref: WrittenReference, span: Span, reporter: Reporter): void {
  // `Supersedes: —` or `none` states that there is nothing.
  if (ref.target === undefined && NONE.test(ref.text)) return;
  const target = resolveAdrReference(ref.text, ref.target);
  if (target) {
    links.push({ relation, target, span });
    return;
  }
  const verb = relation === 'supersedes' ? 'superseded' : 'superseding';
  reporter.reportAt(
    'adr-reference-invalid',
    span,
    `Cannot tell which ADR "${ref.target ?? ref.text}" refers to as the ${verb} decision; the reference was ignored`,
    REFERENCE_HINT,
    'warning',
  );
}

export function readScalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A field's text as written: the string value, or the raw source when YAML typed it otherwise. */
function readFieldText(value: unknown, field: FieldSource | undefined): string {
  if (typeof value === 'string') return value;
  return field ? field.raw.replace(/^(["'])(.*)\1$/, '$2') : String(value);
}

export function readPeople(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value))
    return value
      .map(readScalar)
      .filter((v): v is string => v !== undefined && v.trim() !== '')
      .map((v) => v.trim());
  const text = readScalar(value);
  return text === undefined ? undefined : splitPeople(text);
}

export function splitPeople(text: string | undefined): string[] {
  if (text === undefined) return [];
  const written = text.replace(/<!--[\s\S]*?(?:-->|$)/g, '').trim();
  // A template's placeholder (`[list everyone involved in the decision]`) names nobody.
  if (/^[[{<].*[\]}>]$/s.test(written)) return [];
  return written
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value) ?? String(value);
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object';
}
