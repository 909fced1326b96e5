// ADR file → typed Adr, for ADRs as their authors write them: MADR 2, 3 and 4 (frontmatter optional,
// metadata optional), Nygard / adr-tools, log4brains (date-prefixed names, slug ids, `- Status:`
// bullets), Backstage-style tables, Docusaurus frontmatter, and the MADR and adr-tools templates
// themselves (docs/adr-format.md). Pure: (path, text) in, {value, diagnostics} out; never touches the
// filesystem and never throws on bad input.
//
// ADR metadata is optional and its vocabulary open-ended, so what an author left out or wrote their
// own way (no status, "On hold", a placeholder date, a second ADR 20) is a warning and the ADR is
// still mirrored. Errors are kept for what cannot be read at all: undecodable text, a body too
// costly to parse. `value` is undefined only then.
import type { Adr, AdrFormat, AdrFrontmatter, AdrLink } from '../model/adr.js';
import { DEFAULT_CONFIG, type WorkplanConfig } from '../model/config.js';
import type { ParseResult, Span } from '../model/diagnostic.js';
import { createLineIndex } from '../model/position.js';
import type { Frontmatter } from '../model/workplan.js';
import { detectEol } from './line-breaks.js';
import { parseMarkdown } from './markdown.js';
import { createReporter, internalErrorDiagnostic, type Reporter } from './reporter.js';
import { chooseTitleHeading, listH2Sections, listRootHeadings, type LocatedHeading } from './adr-markdown.js';
import { readAdrMetadataBlock, type AdrMetadataBlock } from './adr-frontmatter.js';
import { addReference, readAdrFrontmatter, splitPeople, type ReadFrontmatter } from './adr-fields.js';
import { readMarkdownMetadata, type MarkdownMetadata } from './adr-markdown-metadata.js';
import { readReferences } from './adr-metadata.js';
import { readAdrStatus } from './adr-read-status.js';
import { readAdrDate } from './adr-date.js';
import { formatAdrId, isDatePrefixedName, readAdrNumberFromFileName, readAdrNumberFromHeading, readAdrSlug } from './adr-reference.js';

export { checkAdrLinks } from './adr-links.js';

/** Parses one ADR file; `config` supplies the ADR status vocabulary (`vocabularies.adrStatus`). */
export function parseAdr(path: string, text: string, config: WorkplanConfig = DEFAULT_CONFIG): ParseResult<Adr> {
  try {
    return readAdr(path, text, config);
  } catch (error) {
    return { value: undefined, diagnostics: [internalErrorDiagnostic(path, error, 'ADR')] };
  }
}

function readAdr(path: string, text: string, config: WorkplanConfig): ParseResult<Adr> {
  const lines = createLineIndex(text);
  const reporter = createReporter(path, lines);
  const hasBom = text.charCodeAt(0) === 0xfeff;
  const documentStart = hasBom ? 1 : 0;

  // An empty file is a half-saved file or a failed checkout, never a decision: it must not blank the
  // ADR's mirror row (every field of an ADR is optional, so nothing else would stop it).
  if (text.slice(documentStart).trim() === '') {
    reporter.reportAt(
      'adr-empty',
      lines.spanOf(documentStart, documentStart),
      'The ADR file is empty; its mirror row is left as it was',
      'Restore the file (a failed checkout or a half-saved edit), or delete it to remove the ADR.',
    );
    return { value: undefined, diagnostics: sortByOffset(reporter) };
  }
  const block = readAdrMetadataBlock(path, text, lines, reporter);
  const contentStart = block?.contentStart ?? documentStart;
  const tree = parseMarkdown(text, reporter, contentStart).root;
  // A body too costly to parse is refused (the diagnostic says why): nothing of it is read.
  if (!tree) return { value: undefined, diagnostics: sortByOffset(reporter) };
  const headings = listRootHeadings(tree, text, lines);
  const titleHeading = chooseTitleHeading(headings);
  const fm = block ? readAdrFrontmatter(block, reporter) : undefined;
  const metadata = readMarkdownMetadata(tree, headings, titleHeading, contentStart, text);
  const anchor = block?.span ?? titleHeading?.heading.span ?? lines.spanOf(documentStart, documentStart);

  const identity = readIdentity(path, fm, titleHeading, reporter);
  const title = readTitle(path, fm, titleHeading, identity.headingTitle, anchor, reporter);
  const links: AdrLink[] = [...(fm?.links ?? [])];
  for (const key of ['supersedes', 'superseded-by'] as const) {
    const line = metadata.values.get(key);
    if (!line) continue;
    for (const ref of readReferences(line.value, line.valueStart))
      addReference(links, key, ref, lines.spanOf(ref.start, ref.end), reporter);
  }
  for (const line of metadata.linkLines) {
    if (line.kind !== 'supersedes' && line.kind !== 'superseded-by') continue;
    for (const ref of line.references) addReference(links, line.kind, ref, lines.spanOf(ref.start, ref.end), reporter);
  }
  const sources = {
    ...(fm ? { frontmatter: fm } : {}),
    ...(metadata.values.has('status') ? { line: metadata.values.get('status')! } : {}),
    sections: metadata.statusSections,
  };
  const status = readAdrStatus(text, sources, config.vocabularies.adrStatus, reporter, links);
  if (status.text === undefined) {
    reporter.reportAt(
      'adr-status-missing',
      status.missingAt ?? anchor,
      'The ADR states no status; it is mirrored without one',
      'Add a status if it has one: `status: accepted` in the frontmatter, a "## Status" section saying "Accepted", or a "* Status: accepted" line under the title.',
      'warning',
    );
  }
  const format: AdrFormat =
    status.source === 'section' || (!status.source && metadata.statusSections.length > 0 && !block) ? 'nygard' : 'madr';
  const uniqueLinks = dedupeLinks(links);

  const adr: Adr = {
    kind: 'adr',
    path,
    format,
    id: identity.id,
    number: identity.number,
    title,
    status: status.status,
    decisionMakers: fm?.data['decision-makers'] ?? splitPeople(metadata.values.get('decision-makers')?.value),
    supersedes: uniqueLinks.filter((l) => l.relation === 'supersedes').map((l) => l.target),
    supersededBy: uniqueLinks.filter((l) => l.relation === 'superseded-by').map((l) => l.target),
    sections: listH2Sections(headings, text, lines),
    links: uniqueLinks,
    eol: detectEol(text),
    hasBom,
  };
  if (status.text !== undefined) adr.statusText = status.text;
  readDate(adr, fm, metadata, reporter);
  if (fm?.data.domain !== undefined) adr.domain = fm.data.domain;
  if (block && fm) adr.frontmatter = toFrontmatter(block, fm.data);
  if (titleHeading) adr.titleHeading = titleHeading.heading;
  if (status.span) adr.statusSpan = status.span;
  if (identity.span) adr.idSpan = identity.span;
  return { value: adr, diagnostics: sortByOffset(reporter) };
}

interface Identity {
  id: string;
  number: number | null;
  span?: Span;
  /** The title heading's text without its number prefix. */
  headingTitle?: string;
}

/**
 * The number: the frontmatter `id` (or its title's number prefix), else the file name, else the title
 * heading. When sources disagree the first wins, with a warning. Without a number, the file's slug.
 */
function readIdentity(
  path: string,
  fm: ReadFrontmatter | undefined,
  titleHeading: LocatedHeading | undefined,
  reporter: Reporter,
): Identity {
  const heading = titleHeading ? readAdrNumberFromHeading(titleHeading.heading.text) : undefined;
  const sources: { number: number; origin: string; span?: Span }[] = [];
  if (fm?.idNumber) sources.push(fm.idNumber);
  const fileNumber = readAdrNumberFromFileName(path);
  if (fileNumber !== undefined) sources.push({ number: fileNumber, origin: 'the file name' });
  // A date-named file (log4brains) is identified by its slug, whatever number its title carries.
  const slugNamed = isDatePrefixedName(readAdrSlug(path));
  if (heading && titleHeading && !slugNamed)
    sources.push({ number: heading.number, origin: 'the title heading', span: titleHeading.heading.span });
  const headingTitle = heading?.title;
  const chosen = sources[0];
  if (!chosen) return { id: readAdrSlug(path), number: null, ...(headingTitle !== undefined ? { headingTitle } : {}) };
  const disagreeing = sources.filter((s) => s.number !== chosen.number);
  if (disagreeing.length > 0) {
    const others = disagreeing.map((s) => `${s.number} in ${s.origin}`).join(' and ');
    reporter.reportAt(
      'adr-id-mismatch',
      chosen.span ?? disagreeing[0]!.span ?? titleHeading?.heading.span ?? reporter.lines.spanOf(0, 0),
      `ADR number ${chosen.number} from ${chosen.origin} differs from ${others}`,
      `The number from ${chosen.origin} wins (${formatAdrId(chosen.number)}); make them agree.`,
      'warning',
    );
  }
  return {
    id: formatAdrId(chosen.number),
    number: chosen.number,
    ...(chosen.span ? { span: chosen.span } : {}),
    ...(headingTitle !== undefined ? { headingTitle } : {}),
  };
}

/** A label that says what every ADR is (`Architecture Decision Record: Use ADRs`, `ADR: Cache pages`). */
const GENERIC_TITLE_PREFIX = /^(?:architectur(?:e|al)\s+decision\s+record|adr)\s*[:\-–—]\s+(?=\S)/i;

/** The frontmatter `title`, else the title heading without its number; else the file name, with a warning. */
function readTitle(
  path: string,
  fm: ReadFrontmatter | undefined,
  titleHeading: LocatedHeading | undefined,
  headingTitle: string | undefined,
  anchor: Span,
  reporter: Reporter,
): string {
  const title = fm?.data.title || headingTitle || titleHeading?.heading.text;
  if (title) return title.replace(GENERIC_TITLE_PREFIX, '') || title;
  const fallback =
    readAdrSlug(path)
      .replace(/^(?:\d{4}[-_.]?\d{2}[-_.]?\d{2}|(?:adr[-_ ]?)?\d+)[-_ .]*/i, '')
      .replace(/[-_]+/g, ' ')
      .trim() || readAdrSlug(path);
  reporter.reportAt(
    'adr-title-missing',
    anchor,
    `The ADR has no title (no frontmatter \`title\` and no \`# Title\` heading); its file name gives "${fallback}"`,
    'Add a first-level heading with the decision, e.g. "# 7. Use Postgres for the mirror".',
    'warning',
  );
  return fallback;
}

/** The date: frontmatter, else a `Date:` line, table row or `## Date` section; normalised, the written text kept. */
function readDate(adr: Adr, fm: ReadFrontmatter | undefined, metadata: MarkdownMetadata, reporter: Reporter): void {
  const line = metadata.values.get('date');
  const written = fm?.date ?? (line ? { text: line.value, span: reporter.lines.spanOf(line.valueStart, line.valueEnd) } : undefined);
  if (!written) return;
  const reading = readAdrDate(written.text);
  if (reading.kind === 'empty') return;
  adr.dateText = written.text.trim();
  adr.dateSpan = written.span;
  if (reading.kind === 'date') {
    adr.date = reading.date;
    return;
  }
  const message =
    reading.kind === 'ambiguous'
      ? `ADR date "${adr.dateText}" could be ${reading.readings[0]} (day first) or ${reading.readings[1]} (month first); it is kept as written, with no date`
      : `ADR date "${adr.dateText}" is not a date workplan-sync can read; it is kept as written, with no date`;
  reporter.reportAt('adr-date-invalid', written.span, message, 'Write the date as YYYY-MM-DD, e.g. 2024-01-02.', 'warning');
}

function sortByOffset(reporter: Reporter) {
  return [...reporter.diagnostics].sort((a, b) => a.span.start.offset - b.span.start.offset);
}

function toFrontmatter(block: AdrMetadataBlock, data: AdrFrontmatter): Frontmatter<AdrFrontmatter> {
  return { data, span: block.span, bodyStart: block.bodyStart, bodyEnd: block.bodyEnd, fields: block.fields, eol: block.eol };
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
