// Deciding an ADR's status from everywhere it may be written: the frontmatter `status`, a `Status:`
// line or table row under the title, a `Status: X` heading, and `Status` sections. The first source
// whose words the vocabulary knows wins; when none does, the first written one is kept as written,
// with no canonical status and a warning. Supersession links are collected from every source.
// Pure. See docs/adr-format.md ("Status").
import type { AdrLink } from '../model/adr.js';
import type { AdrStatusVocabulary } from '../model/config.js';
import { SUPERSEDED_ADR_STATUS } from '../model/config.js';
import type { Span } from '../model/diagnostic.js';
import { addReference, describeValue, readScalar, type ReadFrontmatter } from './adr-fields.js';
import { readAdrDate } from './adr-date.js';
import type { StatusSection } from './adr-markdown-metadata.js';
import { readStatusLine, type MetadataLine, type StatusLine } from './adr-metadata.js';
import { normalizeAdrStatus } from '../model/adr-status.js';
import type { Reporter } from './reporter.js';

export interface StatusReading {
  status: string | null;
  /** The status as written. */
  text?: string;
  span?: Span;
  source?: 'frontmatter' | 'line' | 'section';
  /** Where a missing status would be written (an empty `status:` value or `## Status` heading). */
  missingAt?: Span;
}

/** One written status: its text, classification and place. */
interface Candidate {
  text: string;
  line: StatusLine;
  span: Span;
  source: NonNullable<StatusReading['source']>;
}

export interface StatusSources {
  frontmatter?: ReadFrontmatter;
  line?: MetadataLine;
  sections: readonly StatusSection[];
}

/** Reads the status; unknown words and superseding references are warnings; links go to `links`. */
export function readAdrStatus(
  text: string,
  sources: StatusSources,
  vocabulary: AdrStatusVocabulary,
  reporter: Reporter,
  links: AdrLink[],
): StatusReading {
  const lines = reporter.lines;
  const candidateOf = (line: StatusLine, written: string | undefined, source: Candidate['source']) =>
    lineCandidate(text, line, written, source, reporter);
  const reading: StatusReading = { status: null };
  const candidates: Candidate[] = [];
  const fm = sources.frontmatter;
  const field = fm?.fields.get('status');
  if (fm && field) {
    const value = fm.raw.status;
    const written = readScalar(value) ?? (value === null || value === undefined ? undefined : field.raw || describeValue(value));
    if (written === undefined || written.trim() === '') reading.missingAt = field.valueSpan;
    else
      candidates.push({
        text: written.trim(),
        line: readStatusLine({ text: written, start: 0 }),
        span: field.valueSpan,
        source: 'frontmatter',
      });
  }
  const line = sources.line;
  if (line) {
    if (line.value.trim() === '') reading.missingAt ??= lines.spanOf(line.valueStart, line.valueEnd);
    else candidates.push(candidateOf(readStatusLine({ text: line.value, start: line.valueStart }), line.value, 'line'));
  }
  for (const section of sources.sections) {
    if (section.inline) {
      const { text: written, start } = section.inline;
      candidates.push(candidateOf(readStatusLine({ text: written, start }), written, 'section'));
    }
    const chosen = chooseSectionLine(section.lines, vocabulary);
    if (chosen) candidates.push(candidateOf(chosen, undefined, 'section'));
    else if (!section.inline) reading.missingAt ??= section.heading.heading.span;
  }
  collectLinks(candidates, sources.sections, reporter, links);

  const known = candidates.find((c) => matchStatus(c.line, vocabulary) !== undefined);
  const chosen = known ?? candidates[0];
  if (!chosen) return reading;
  Object.assign(reading, {
    status: known ? matchStatus(known.line, vocabulary)! : null,
    text: chosen.text,
    span: chosen.span,
    source: chosen.source,
  });
  if (!known) {
    reporter.reportAt(
      'adr-status-invalid',
      chosen.span,
      `ADR status "${shorten(chosen.text)}" is not in the status vocabulary (${vocabulary.values.join(', ')}); it is kept as written, with no canonical status`,
      'Write one of the statuses, or map this word to one with "vocabularies.adrStatus.aliases" in workplan.config.json.',
      'warning',
    );
  }
  return reading;
}

function lineCandidate(
  text: string,
  line: StatusLine,
  written: string | undefined,
  source: Candidate['source'],
  reporter: Reporter,
): Candidate {
  const start = 'start' in line ? line.start : 0;
  const end = 'end' in line ? line.end : start;
  return { text: written?.trim() ?? text.slice(start, end), line, span: reporter.lines.spanOf(start, end), source };
}

/** The canonical status a classified line states, if the vocabulary knows it. */
function matchStatus(line: StatusLine, vocabulary: AdrStatusVocabulary): string | undefined {
  if (line.kind === 'superseded-by') return vocabulary.values.includes(SUPERSEDED_ADR_STATUS) ? SUPERSEDED_ADR_STATUS : undefined;
  if (line.kind !== 'status') return undefined;
  const match = normalizeAdrStatus(line.written, vocabulary);
  return match.ok ? match.status : undefined;
}

/**
 * The line of a status section that states the status: a "Superseded by" line wins; else, of the
 * lines the vocabulary knows, the one with the latest date when several carry dates (a status
 * history, "Proposed (2021-09-02)" then "Accepted (2021-09-10)"), else the first; else the first line.
 */
function chooseSectionLine(sectionLines: readonly StatusLine[], vocabulary: AdrStatusVocabulary): StatusLine | undefined {
  const superseded = sectionLines.find((l) => l.kind === 'superseded-by');
  if (superseded) return superseded;
  const statusLines = sectionLines.filter((l) => l.kind === 'status');
  const known = statusLines.filter((l) => matchStatus(l, vocabulary) !== undefined);
  const dated = known.map((l) => ({ l, date: findDate(l.kind === 'status' ? l.written : '') })).filter((d) => d.date !== undefined);
  if (dated.length >= 2) return dated.reduce((a, b) => (b.date! >= a.date! ? b : a)).l;
  return known[0] ?? statusLines[0];
}

function findDate(written: string): string | undefined {
  for (const m of written.matchAll(/\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{4}|\d{4}\/\d{1,2}\/\d{1,2}/g)) {
    const reading = readAdrDate(m[0]);
    if (reading.kind === 'date') return reading.date;
  }
  return undefined;
}

function collectLinks(candidates: readonly Candidate[], sections: readonly StatusSection[], reporter: Reporter, links: AdrLink[]): void {
  const seen = new Set<StatusLine>();
  const addAll = (line: StatusLine, spanOf: (start: number, end: number) => Span) => {
    if (seen.has(line) || (line.kind !== 'superseded-by' && line.kind !== 'supersedes')) return;
    seen.add(line);
    for (const ref of line.references) addReference(links, line.kind, ref, spanOf(ref.start, ref.end), reporter);
  };
  for (const c of candidates) addAll(c.line, c.source === 'frontmatter' ? () => c.span : (s, e) => reporter.lines.spanOf(s, e));
  for (const section of sections) for (const l of section.lines) addAll(l, (s, e) => reporter.lines.spanOf(s, e));
}

function shorten(text: string): string {
  const line = text.split(/\r\n|\r|\n/, 1)[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
