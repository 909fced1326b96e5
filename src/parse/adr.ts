// ADR file → typed Adr. Accepts MADR 3/4 (YAML frontmatter), MADR 2 (`* Status: accepted` bullets
// under the title) and Nygard / adr-tools (`# 1. Title`, `Date:` line, `## Status` section); see
// docs/adr-format.md. Pure: (path, text) in, {value, diagnostics} out; never touches the filesystem
// and never throws on bad input. The value is undefined only when no ADR number can be found;
// otherwise it is best-effort (missing title '', missing or unknown status 'proposed') and callers
// must not mirror an ADR whose diagnostics hold an error.
import type { Root } from 'mdast';
import type { Adr, AdrFormat, AdrFrontmatter, AdrLink, AdrStatus } from '../model/adr.js';
import type { WorkplanConfig } from '../model/config.js';
import type { ParseResult, Span } from '../model/diagnostic.js';
import { createLineIndex, type LineIndex } from '../model/position.js';
import type { FieldSource, Frontmatter } from '../model/workplan.js';
import { parseFrontmatter, type FrontmatterBlock } from './frontmatter.js';
import { detectEol } from './line-breaks.js';
import { parseMarkdown } from './markdown.js';
import { createReporter, internalErrorDiagnostic, type Reporter } from './reporter.js';
import { listH2Sections, listRootHeadings, listRootNodesBetween, listSourceLines, type LocatedHeading } from './adr-markdown.js';
import { getNodeRange } from './node-range.js';
import { isIsoDate } from './value-formats.js';
import { readMetadataLine, readReferences, readStatusLine, type MetadataKey, type MetadataLine, type StatusLine, type WrittenReference } from './adr-metadata.js';
import { formatAdrId, readAdrNumberFromFileName, readAdrNumberFromHeading, readAdrNumberFromId, resolveAdrReference } from './adr-reference.js';
import { ADR_STATUSES, normalizeAdrStatus } from './adr-status.js';

export { checkAdrLinks } from './adr-links.js';

const KNOWN_FRONTMATTER_KEYS = ['id', 'title', 'status', 'date', 'domain', 'supersedes', 'superseded_by', 'decision-makers', 'consulted', 'informed'];
const STATUS_HINT = `Write one of ${ADR_STATUSES.join(', ')} (e.g. "accepted"), or "Superseded by [N. Title](NNNN-title.md)".`;
const REFERENCE_HINT = 'Link to the ADR file, e.g. [2. Use X](0002-use-x.md), or write its id, e.g. ADR-002.';
const FRONTMATTER_SYNTAX_RULES = new Set(['frontmatter-yaml-invalid', 'frontmatter-not-mapping', 'frontmatter-unclosed']);

/** Parses one ADR file. `config` is accepted for symmetry with the workplan parser; no ADR setting reads it yet. */
export function parseAdr(path: string, text: string, config?: WorkplanConfig): ParseResult<Adr> {
  void config;
  try {
    return readAdr(path, text);
  } catch (error) {
    return { value: undefined, diagnostics: [internalErrorDiagnostic(path, error, 'ADR')] };
  }
}

function readAdr(path: string, text: string): ParseResult<Adr> {
  const lines = createLineIndex(text);
  const reporter = createReporter(path, lines);
  const hasBom = text.charCodeAt(0) === 0xfeff;
  const documentStart = hasBom ? 1 : 0;

  const frontmatter = readFrontmatterBlock(path, text, lines, reporter);
  const frontmatterBroken = reporter.diagnostics.some((d) => FRONTMATTER_SYNTAX_RULES.has(d.ruleId));
  const contentStart = frontmatter?.contentStart ?? documentStart;
  const tree = parseMarkdown(text, reporter, contentStart).root;
  // A body too costly to parse is refused (the diagnostic says why): nothing of it is read.
  if (!tree) return { value: undefined, diagnostics: sortByOffset(reporter) };
  const headings = listRootHeadings(tree, text, lines);
  const titleHeading = headings.find((h) => h.heading.depth === 1);
  const sections = listH2Sections(headings, text, lines);

  const fm = frontmatter ? readAdrFrontmatter(frontmatter, reporter) : undefined;
  const metadata = readMetadataLines(tree, headings, titleHeading, contentStart, text);
  const statusHeading = headings.find((h) => h.heading.depth === 2 && /^status\s*:?$/i.test(h.heading.text));
  const statusLines = statusHeading ? readStatusSectionLines(tree, headings, statusHeading, text) : [];
  const startSpan = lines.spanOf(documentStart, documentStart);
  const anchor = frontmatter?.span ?? titleHeading?.heading.span ?? startSpan;

  // Number and id: frontmatter `id`, else the file name, else the `# N. Title` heading.
  const headingNumber = titleHeading ? readAdrNumberFromHeading(titleHeading.heading.text) : undefined;
  const numberSources: { number: number; origin: string; span?: Span }[] = [];
  if (fm?.idNumber) numberSources.push({ ...fm.idNumber, origin: 'the frontmatter id' });
  const fileNumber = readAdrNumberFromFileName(path);
  if (fileNumber !== undefined) numberSources.push({ number: fileNumber, origin: 'the file name' });
  if (headingNumber && titleHeading) numberSources.push({ number: headingNumber.number, origin: 'the title heading', span: titleHeading.heading.span });
  const chosen = numberSources[0];
  const disagreeing = numberSources.filter((s) => chosen && s.number !== chosen.number);
  if (chosen && disagreeing.length > 0) {
    const others = disagreeing.map((s) => `${s.number} in ${s.origin}`).join(' and ');
    reporter.reportAt('adr-id-mismatch', chosen.span ?? disagreeing[0]!.span ?? anchor,
      `ADR number ${chosen.number} from ${chosen.origin} differs from ${others}`,
      `The number from ${chosen.origin} wins (${formatAdrId(chosen.number)}); make them agree.`, 'warning');
  }
  if (!chosen && !frontmatterBroken) {
    reporter.reportAt('adr-id-missing', titleHeading?.heading.span ?? anchor, `No ADR number found in the file name "${readFileName(path)}", the frontmatter or the title`,
      'Name the file with its number (e.g. 0007-use-postgres.md or ADR-007-use-postgres.md), add `id: ADR-007` to the frontmatter, or title it "# 7. Use Postgres".');
  }

  // Title: frontmatter `title`, else the first H1 without its number prefix.
  let title = fm?.data.title ?? '';
  if (!title && titleHeading) title = headingNumber?.title || titleHeading.heading.text;
  if (!title && !frontmatterBroken) {
    reporter.reportAt('adr-title-missing', anchor, 'The ADR has no title: no frontmatter `title` and no `# Title` heading',
      'Add a first-level heading with the decision, e.g. "# 7. Use Postgres for the mirror".');
  }

  // Status and supersession links: frontmatter, else a `Status:` line under the title, else `## Status`.
  const links: AdrLink[] = [...(fm?.links ?? [])];
  const status = readStatus(fm, metadata.get('status'), statusLines, statusHeading, reporter, links);
  if (!status.found && !status.reported && !frontmatterBroken) {
    reporter.reportAt('adr-status-missing', status.missingAt ?? anchor, 'The ADR has no status',
      `Add a status: \`status: accepted\` in the frontmatter, a "## Status" section saying "Accepted", or a "* Status: accepted" line under the title. ${STATUS_HINT}`);
  }
  const format: AdrFormat = status.source === 'section' || (!status.source && statusHeading && !frontmatter) ? 'nygard' : 'madr';

  const date = readDate(fm, metadata.get('date'), reporter);
  const decisionMakers = fm?.data['decision-makers'] ?? splitPeople(metadata.get('decision-makers')?.value);
  const id = chosen ? formatAdrId(chosen.number) : undefined;
  const uniqueLinks = dedupeLinks(links);

  if (!chosen || id === undefined) return { value: undefined, diagnostics: sortByOffset(reporter) };
  const adr: Adr = {
    kind: 'adr',
    path,
    format,
    id,
    number: chosen.number,
    title,
    status: status.status ?? 'proposed',
    decisionMakers,
    supersedes: uniqueLinks.filter((l) => l.relation === 'supersedes').map((l) => l.target),
    supersededBy: uniqueLinks.filter((l) => l.relation === 'superseded-by').map((l) => l.target),
    sections,
    links: uniqueLinks,
    eol: detectEol(text),
    hasBom,
  };
  if (date !== undefined) adr.date = date;
  if (fm?.data.domain !== undefined) adr.domain = fm.data.domain;
  if (frontmatter && fm) adr.frontmatter = toFrontmatter(frontmatter, fm.data);
  if (titleHeading) adr.titleHeading = titleHeading.heading;
  if (status.span) adr.statusSpan = status.span;
  if (chosen.span) adr.idSpan = chosen.span;
  return { value: adr, diagnostics: sortByOffset(reporter) };
}

function sortByOffset(reporter: Reporter) {
  return [...reporter.diagnostics].sort((a, b) => a.span.start.offset - b.span.start.offset);
}

function readFileName(path: string): string {
  return path.split(/[/\\]/).pop() ?? path;
}

/** The frontmatter block when the file starts with a `---` line; its problems go to the reporter. */
function readFrontmatterBlock(path: string, text: string, lines: LineIndex, reporter: Reporter): FrontmatterBlock | undefined {
  const open = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (!/^---[ \t]*(?:\r\n|\n|\r|$)/.test(text.slice(open, open + 8))) return undefined;
  const result = parseFrontmatter(path, text, lines);
  for (const d of result.diagnostics) if (d.ruleId !== 'frontmatter-missing') reporter.diagnostics.push(d);
  return result.value;
}

function toFrontmatter(block: FrontmatterBlock, data: AdrFrontmatter): Frontmatter<AdrFrontmatter> {
  return { data, span: block.span, bodyStart: block.bodyStart, bodyEnd: block.bodyEnd, fields: block.fields, eol: block.eol };
}

interface ReadFrontmatter {
  data: AdrFrontmatter;
  /** The data exactly as YAML parsed it. */
  raw: Record<string, unknown>;
  idNumber?: { number: number; span: Span };
  fields: Map<string, FieldSource>;
  links: AdrLink[];
}

/** Typed view of the frontmatter data; values of the wrong shape are diagnostics at their value. */
function readAdrFrontmatter(block: FrontmatterBlock, reporter: Reporter): ReadFrontmatter {
  const fields = new Map<string, FieldSource>();
  for (const f of block.fields) if (!fields.has(f.key)) fields.set(f.key, f);
  const raw = block.data;
  const spanOf = (key: string): Span => fields.get(key)?.valueSpan ?? block.span;
  const data: AdrFrontmatter = { extra: {} };
  const out: ReadFrontmatter = { data, raw, fields, links: [] };
  for (const [key, value] of Object.entries(raw)) if (!KNOWN_FRONTMATTER_KEYS.includes(key)) data.extra[key] = value;

  if (raw.id !== undefined && raw.id !== null && raw.id !== '') {
    const written = readScalar(raw.id);
    const number = written === undefined ? undefined : readAdrNumberFromId(written);
    if (written !== undefined) data.id = written;
    if (number === undefined) {
      reporter.reportAt('adr-id-invalid', spanOf('id'), `Frontmatter id ${describeValue(raw.id)} is not an ADR number`,
        'Write the id as ADR-<number> (e.g. `id: ADR-007`) or delete it to take the number from the file name.');
    } else {
      out.idNumber = { number, span: spanOf('id') };
    }
  }
  const title = readScalar(raw.title)?.trim();
  if (title) data.title = title;
  else if (raw.title !== undefined && raw.title !== null && typeof raw.title === 'object') {
    reporter.reportAt('adr-field-invalid', spanOf('title'), `Frontmatter title must be text, not ${describeValue(raw.title)}`, 'Write `title: Use Postgres for the mirror`.');
  }
  const status = readScalar(raw.status);
  if (status !== undefined) data.status = status;
  const date = readFieldText(raw.date, fields.get('date'));
  if (date !== undefined) data.date = date;
  const domain = readScalar(raw.domain)?.trim();
  if (domain) data.domain = domain;
  else if (raw.domain !== undefined && raw.domain !== null && typeof raw.domain === 'object') {
    reporter.reportAt('adr-field-invalid', spanOf('domain'), `Frontmatter domain must be text, not ${describeValue(raw.domain)}`, 'Write a domain slug, e.g. `domain: custodian`.');
  }
  for (const key of ['decision-makers', 'consulted', 'informed'] as const) {
    const people = readPeople(raw[key]);
    if (people) data[key] = people;
  }
  if (!data['decision-makers']) {
    const deciders = readPeople(raw.deciders);
    if (deciders) data['decision-makers'] = deciders;
  }

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
        reporter.reportAt('adr-field-invalid', spanOf(key), `Frontmatter ${key} must be an ADR id or a list of ids, not ${describeValue(item)}`, REFERENCE_HINT);
        continue;
      }
      written.push(text);
      const refs = typeof item === 'number' ? [{ text, start: 0, end: 0 }] : readReferences(text, 0);
      for (const ref of refs) addReference(out.links, relation, ref, spanOf(key), reporter);
    }
    if (typedKey) data[typedKey] = written;
  }
  return out;
}

/** Resolves a written reference and records it, or reports it as unresolvable. */
function addReference(links: AdrLink[], relation: AdrLink['relation'], ref: WrittenReference, span: Span, reporter: Reporter): void {
  const target = resolveAdrReference(ref.text, ref.target);
  if (target) {
    links.push({ relation, target, span });
    return;
  }
  const verb = relation === 'supersedes' ? 'superseded' : 'superseding';
  reporter.reportAt('adr-reference-invalid', span, `Cannot tell which ADR "${ref.target ?? ref.text}" refers to as the ${verb} decision`, REFERENCE_HINT);
}

function readScalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A field's text as written: the string value, or the raw source when YAML typed it otherwise. */
function readFieldText(value: unknown, field: FieldSource | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  return field ? field.raw.replace(/^(["'])(.*)\1$/, '$2') : String(value);
}

function readPeople(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(readScalar).filter((v): v is string => v !== undefined && v.trim() !== '').map((v) => v.trim());
  const text = readScalar(value);
  return text === undefined ? undefined : splitPeople(text);
}

function splitPeople(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text.split(/[,;]/).map((s) => s.trim()).filter((s) => s !== '');
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value) ?? String(value);
}

/** First `Key: value` line per key among the top-level paragraphs and lists before the first H2. */
function readMetadataLines(tree: Root, headings: readonly LocatedHeading[], title: LocatedHeading | undefined, contentStart: number, text: string): Map<MetadataKey, MetadataLine> {
  const from = title ? title.end : contentStart;
  const firstH2 = headings.find((h) => h.start >= from && h.heading.depth <= 2 && h !== title);
  const to = firstH2 ? firstH2.start : text.length;
  const found = new Map<MetadataKey, MetadataLine>();
  for (const node of listRootNodesBetween(tree, from, to)) {
    if (node.type !== 'paragraph' && node.type !== 'list') continue;
    const { start, end } = getNodeRange(node);
    for (const line of listSourceLines(text, start, end)) {
      const m = readMetadataLine(line);
      if (m && !found.has(m.key)) found.set(m.key, m);
    }
  }
  return found;
}

/** The classified lines of the top-level paragraphs and lists of the `## Status` section. */
function readStatusSectionLines(tree: Root, headings: readonly LocatedHeading[], statusHeading: LocatedHeading, text: string): StatusLine[] {
  const next = headings.find((h) => h.start > statusHeading.start);
  const out: StatusLine[] = [];
  for (const node of listRootNodesBetween(tree, statusHeading.end, next ? next.start : text.length)) {
    if (node.type !== 'paragraph' && node.type !== 'list') continue;
    const { start, end } = getNodeRange(node);
    for (const line of listSourceLines(text, start, end)) out.push(readStatusLine(line));
  }
  return out;
}

interface StatusResult {
  status?: AdrStatus;
  span?: Span;
  source?: 'frontmatter' | 'line' | 'section';
  found: boolean;
  /** True when an invalid status was reported (so "missing" is not reported too). */
  reported: boolean;
  /** Where to point a `adr-status-missing` diagnostic. */
  missingAt?: Span;
}

function readStatus(fm: ReadFrontmatter | undefined, line: MetadataLine | undefined, sectionLines: readonly StatusLine[], statusHeading: LocatedHeading | undefined, reporter: Reporter, links: AdrLink[]): StatusResult {
  const lines = reporter.lines;
  const result: StatusResult = { found: false, reported: false };
  const decide = (status: AdrStatus, span: Span, source: StatusResult['source']): void => {
    if (result.found || result.reported) return;
    Object.assign(result, { status, span, source, found: true });
  };
  const reportInvalid = (written: string, span: Span): void => {
    if (result.found || result.reported) return;
    result.reported = true;
    result.span = span;
    reporter.reportAt('adr-status-invalid', span, `Unknown ADR status "${written.trim()}"; use one of ${ADR_STATUSES.join(', ')}`, STATUS_HINT);
  };
  /** Applies one written status (a frontmatter value or a `Status:` line); spans via `spanOf`. */
  const applyWritten = (classified: StatusLine, written: string, spanOf: (start: number, end: number) => Span, source: StatusResult['source']): void => {
    if (classified.kind === 'superseded-by') {
      decide('superseded', spanOf(classified.start, classified.end), source);
      for (const ref of classified.references) addReference(links, 'superseded-by', ref, spanOf(ref.start, ref.end), reporter);
    } else if (classified.kind === 'status') {
      const match = normalizeAdrStatus(classified.written);
      if (match.ok) decide(match.status, spanOf(classified.start, classified.end), source);
      else reportInvalid(classified.written, spanOf(classified.start, classified.end));
    } else if (classified.kind !== 'blank') {
      reportInvalid(written, spanOf(classified.start, classified.end));
    }
  };

  // 1. Frontmatter `status:` (spans: the whole value, since quotes shift offsets inside it).
  const field = fm?.fields.get('status');
  if (fm && field) {
    const value = fm.raw.status;
    const written = readScalar(value);
    const span = field.valueSpan;
    if (value === undefined || value === null || written?.trim() === '') result.missingAt = span;
    else if (written === undefined) reportInvalid(describeValue(value), span);
    else applyWritten(readStatusLine({ text: written, start: 0 }), written, () => span, 'frontmatter');
  }
  // 2. A `Status: accepted` line (MADR 2 bullet) under the title.
  if (line) {
    if (line.value.trim() === '') result.missingAt ??= lines.spanOf(line.valueStart, line.valueEnd);
    else applyWritten(readStatusLine({ text: line.value, start: line.valueStart }), line.value, (s, e) => lines.spanOf(s, e), 'line');
  }
  // 3. The `## Status` section: "Superseded by" wins over any other line, else the first status line.
  const superseded = sectionLines.find((l) => l.kind === 'superseded-by');
  const firstStatus = sectionLines.find((l) => l.kind === 'status');
  if (superseded && superseded.kind === 'superseded-by') decide('superseded', lines.spanOf(superseded.start, superseded.end), 'section');
  else if (firstStatus && firstStatus.kind === 'status') applyWritten(firstStatus, firstStatus.written, (s, e) => lines.spanOf(s, e), 'section');
  for (const l of sectionLines) {
    if (l.kind !== 'superseded-by' && l.kind !== 'supersedes') continue;
    for (const ref of l.references) addReference(links, l.kind, ref, lines.spanOf(ref.start, ref.end), reporter);
  }
  if (statusHeading && !result.found) result.missingAt ??= statusHeading.heading.span;
  return result;
}

/** The date as written when it is a real YYYY-MM-DD calendar date; otherwise a diagnostic. */
function readDate(fm: ReadFrontmatter | undefined, line: MetadataLine | undefined, reporter: Reporter): string | undefined {
  let written: string | undefined;
  let span: Span | undefined;
  if (fm?.data.date !== undefined) {
    written = fm.data.date.trim();
    span = fm.fields.get('date')?.valueSpan;
  } else if (line) {
    written = line.value.trim();
    span = reporter.lines.spanOf(line.valueStart, line.valueEnd);
  }
  if (written === undefined || span === undefined) return undefined;
  if (isIsoDate(written)) return written;
  reporter.reportAt('adr-date-invalid', span, `ADR date "${written}" is not a valid YYYY-MM-DD date`, 'Write the date as YYYY-MM-DD, e.g. 2024-01-02.');
  return undefined;
}

/** Keeps the first link per (relation, target), in order. */
function dedupeLinks(links: readonly AdrLink[]): AdrLink[] {
  const seen = new Set<string>();
  return links.filter((l) => {
    const key = `${l.relation} ${l.target}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
