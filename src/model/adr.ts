// The typed model of an Architecture Decision Record. Pure data.
import type { Frontmatter, Heading, Section } from './workplan.js';
import type { Span } from './diagnostic.js';

/** A canonical status of the configured vocabulary (by default proposed, accepted, rejected, deprecated, superseded). */
export type AdrStatus = string;
export type AdrFormat = 'madr' | 'nygard';

export interface AdrFrontmatter {
  id?: string;
  title?: string;
  status?: string;
  date?: string;
  domain?: string;
  supersedes?: string[];
  superseded_by?: string[];
  'decision-makers'?: string[];
  /** MADR 4 `consulted` / `informed` (a string is split on commas). */
  consulted?: string[];
  informed?: string[];
  /** Every other key, kept verbatim (dates as strings). */
  extra: Record<string, unknown>;
}

/** A supersession reference as written, resolved to a canonical id, with where it was written. */
export interface AdrLink {
  relation: 'supersedes' | 'superseded-by';
  /** Canonical id of the other ADR. */
  target: string;
  span: Span;
}

export interface Adr {
  kind: 'adr';
  path: string;
  format: AdrFormat;
  /**
   * `ADR-<number padded to 3>` (e.g. `ADR-001`) for a numbered ADR; else its slug, the file name
   * without its extension (log4brains: `20200925-use-markdown`).
   */
  id: string;
  /** The ADR number; null for an ADR identified by its slug. */
  number: number | null;
  title: string;
  /** The canonical status; null when none is written or the written one is not in the vocabulary. */
  status: AdrStatus | null;
  /** The status as written (list marker and `Status:` label removed), when one is written. */
  statusText?: string;
  /** The date as `YYYY-MM-DD`, when one is written and could be read. */
  date?: string;
  /** The date as written, when one is written (also when it could not be read). */
  dateText?: string;
  domain?: string;
  decisionMakers: string[];
  /** Canonical ids of the ADRs this one supersedes / is superseded by. */
  supersedes: string[];
  supersededBy: string[];
  frontmatter?: Frontmatter<AdrFrontmatter>;
  titleHeading?: Heading;
  sections: Section[];
  /** Where the status was read from (frontmatter value or `## Status` body). */
  statusSpan?: Span;
  /** Where the number was read from (frontmatter `id` value or title heading); absent when from the file name. */
  idSpan?: Span;
  /** Where the date was read from. */
  dateSpan?: Span;
  /** Every supersession reference with its source span (the same ids as `supersedes` / `supersededBy`). */
  links?: AdrLink[];
  eol: '\n' | '\r\n';
  hasBom: boolean;
}
