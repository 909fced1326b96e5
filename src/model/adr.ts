// The typed model of an Architecture Decision Record. Pure data.
import type { Frontmatter, Heading, Section } from './workplan.js';
import type { Span } from './diagnostic.js';

export type AdrStatus = 'proposed' | 'accepted' | 'rejected' | 'deprecated' | 'superseded';
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
  /** Canonical id `ADR-<number padded to 3>`, e.g. `ADR-001`, or the frontmatter `id` when it has one. */
  id: string;
  number: number;
  title: string;
  status: AdrStatus;
  /** Date as written (YYYY-MM-DD), when present. */
  date?: string;
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
  /** Every supersession reference with its source span (the same ids as `supersedes` / `supersededBy`). */
  links?: AdrLink[];
  eol: '\n' | '\r\n';
  hasBom: boolean;
}
