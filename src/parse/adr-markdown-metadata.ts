// Where ADRs written in Markdown keep their metadata, and reading it: `Key: value` lines and tables
// between the title and the first section (MADR 2, log4brains, adr-tools, Backstage-style tables, or
// quoted: `> **Status**: Accepted`),
// sections named after a key (`## Date`, `## Deciders`) or `## Metadata`, and `Status` sections at
// any depth (`## Status`, `### Status`, `## Status: Accepted`). Pure; offsets index the whole file.
import type { Root, RootContent, Table } from 'mdast';
import { listNodesUntilHeading, listSourceLines, listTableRows, type LocatedHeading } from './adr-markdown.js';
import {
  readMetadataKey,
  readMetadataLine,
  readMetadataLines,
  readStatusLine,
  type MetadataKey,
  type MetadataLine,
  type StatusLine,
} from './adr-metadata.js';
import { getNodeRange } from './node-range.js';

/** A heading whose section holds the status: `Status`, `ADR status`, or `Status: Accepted` itself. */
export interface StatusSection {
  heading: LocatedHeading;
  /** The status written in the heading itself (`## Status: Accepted`). */
  inline?: { text: string; start: number; end: number };
  /** The classified lines of its paragraphs and lists. */
  lines: StatusLine[];
}

export interface MarkdownMetadata {
  /** The first value of each key. */
  values: Map<MetadataKey, MetadataLine>;
  statusSections: StatusSection[];
  /** The lines of a `## Links` section (log4brains and MADR 2 write "- Supersedes [x](x.md)" there). */
  linkLines: StatusLine[];
}

// `Status`, `Current status`, `ADR status`, and the word in MADR's translations (`Statut`, `Estado`, `Stato`).
const STATUS_HEADING = /^(?:adr\s+|decision\s+|current\s+)?(?:status|statut|estado|stato|状态|狀態)\s*(?:[:：\-–—]\s*(.*))?$/iu;
const LINKS_HEADING = /^(?:links|related(?:\s+(?:decisions|adrs|records))?|relations?)$/i;
const METADATA_HEADING =
  /^(?:meta\s?data|meta|details|properties|info(?:rmation)?|document\s+(?:info(?:rmation)?|details)|adr\s+(?:meta\s?data|info(?:rmation)?|details)|decision\s+(?:record\s+)?(?:info(?:rmation)?|details))$/i;

/** Reads the metadata of an ADR's Markdown (frontmatter aside). */
export function readMarkdownMetadata(
  tree: Root,
  headings: readonly LocatedHeading[],
  title: LocatedHeading | undefined,
  contentStart: number,
  text: string,
): MarkdownMetadata {
  const values = new Map<MetadataKey, MetadataLine>();
  const add = (line: MetadataLine | undefined) => {
    if (line && !values.has(line.key)) values.set(line.key, line);
  };
  const regionStart = title ? title.end : contentStart;
  for (const node of listNodesUntilHeading(tree, headings, regionStart, text)) readKeyValues(node, text, add);

  const statusSections: StatusSection[] = [];
  const linkLines: StatusLine[] = [];
  for (const heading of headings) {
    if (heading === title) continue;
    const body = listNodesUntilHeading(tree, headings, heading.end, text);
    const status = STATUS_HEADING.exec(heading.heading.text);
    if (status) {
      statusSections.push(readStatusSection(heading, status[1], body, text, add));
      continue;
    }
    if (METADATA_HEADING.test(heading.heading.text)) {
      for (const node of body) readKeyValues(node, text, add);
      continue;
    }
    if (LINKS_HEADING.test(heading.heading.text)) {
      for (const node of body) {
        if (node.type !== 'paragraph' && node.type !== 'list') continue;
        const { start, end } = getNodeRange(node);
        for (const line of listSourceLines(text, start, end)) linkLines.push(readStatusLine(line));
      }
      continue;
    }
    const key = readMetadataKey(heading.heading.text);
    if (key && key !== 'status') add(readFirstLineAs(key, body, text));
  }
  return { values, statusSections, linkLines };
}

/** `Key: value` lines of a paragraph or list (also quoted: `> **Status**: Accepted`), and the key/value cells of a table. */
function readKeyValues(node: RootContent, text: string, add: (line: MetadataLine | undefined) => void): void {
  if (node.type === 'blockquote') {
    for (const child of node.children) readKeyValues(child, text, add);
    return;
  }
  if (node.type === 'table') {
    for (const line of readTableMetadata(node, text)) add(line);
    return;
  }
  if (node.type !== 'paragraph' && node.type !== 'list') return;
  const { start, end } = getNodeRange(node);
  for (const line of listSourceLines(text, start, end)) for (const pair of readMetadataLines(line)) add(pair);
}

/**
 * A table's metadata: columns whose header is a key, read from the first data row; or rows whose
 * first cell is a key (`| **Status** | Accepted |`, header row included).
 */
function readTableMetadata(table: Table, text: string): MetadataLine[] {
  const rows = listTableRows(table, text);
  const [header, first] = rows;
  if (!header) return [];
  const out: MetadataLine[] = [];
  // A header of keys (`| Status | Date |`) labels columns; otherwise each row is `| key | value |`.
  if (header.filter((cell) => readMetadataKey(cell.text)).length >= 2) {
    header.forEach((cell, i) => {
      const key = readMetadataKey(cell.text);
      const value = first?.[i];
      if (key && value) out.push({ key, value: value.text, valueStart: value.start, valueEnd: value.end });
    });
    return out;
  }
  for (const row of rows) {
    const key = row[0] && readMetadataKey(row[0].text);
    const value = row[1];
    if (key && value) out.push({ key, value: value.text, valueStart: value.start, valueEnd: value.end });
  }
  return out;
}

function readStatusSection(
  heading: LocatedHeading,
  inlineText: string | undefined,
  body: readonly RootContent[],
  text: string,
  add: (line: MetadataLine | undefined) => void,
): StatusSection {
  const section: StatusSection = { heading, lines: [] };
  if (inlineText && inlineText.trim() !== '') {
    const raw = text.slice(heading.start, heading.end);
    const at = raw.lastIndexOf(inlineText.trim());
    const start = heading.start + (at === -1 ? 0 : at);
    section.inline = { text: inlineText.trim(), start, end: at === -1 ? heading.end : start + inlineText.trim().length };
  }
  for (const node of body) {
    if (node.type === 'table') {
      for (const line of readTableMetadata(node, text)) {
        if (line.key === 'status') section.lines.push(readStatusLine({ text: line.value, start: line.valueStart }));
        else add(line);
      }
      continue;
    }
    if (node.type !== 'paragraph' && node.type !== 'list') continue;
    const { start, end } = getNodeRange(node);
    for (const line of listSourceLines(text, start, end)) {
      // `Date: 2024-01-02` beside the status is metadata, not a status.
      const metadata = readMetadataLine(line);
      if (metadata && metadata.key !== 'status' && metadata.key !== 'supersedes' && metadata.key !== 'superseded-by') add(metadata);
      else section.lines.push(readStatusLine(line));
    }
  }
  return section;
}

/** The first non-blank line of a section named after a key (`## Date` then `2024-01-02`). */
function readFirstLineAs(key: MetadataKey, body: readonly RootContent[], text: string): MetadataLine | undefined {
  const node = body.find((n) => n.type === 'paragraph' || n.type === 'list');
  if (!node) return undefined;
  const { start, end } = getNodeRange(node);
  const line = listSourceLines(text, start, end).find((l) => l.text.trim() !== '');
  if (!line) return undefined;
  const lead = /^\s*(?:[-*+]\s+|\d+[.)]\s+)?/.exec(line.text)![0].length;
  const value = line.text.slice(lead).trimEnd();
  return { key, value, valueStart: line.start + lead, valueEnd: line.start + lead + value.length };
}
