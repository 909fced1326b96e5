// Renders a new ADR the way the repository already writes them (docs/adr-format.md). Pure.
//
// The conventions are read from the repository's latest ADR (the highest number: it shows current
// practice, and repositories that changed style keep their old records as they were):
// - style: Nygard / adr-tools (`## Status` section) or MADR — with YAML frontmatter (MADR 3/4, with an
//   `id:` key when the latest has one) or with `* Status:` bullets (MADR 2);
// - the title heading: `# 8. Title` (adr-tools), `# ADR-008 — Title`, or the bare title (MADR);
// - the file name: its prefix (`ADR-`, `adr-`, none), number width and separator, then a slug of the title.
// Without ADRs: MADR 4 with frontmatter, `0001-title.md`. A configured style (`adr.style`) wins over
// the detected one.
import type { Adr } from '../model/adr.js';
import type { AdrStyle } from '../model/edit-input.js';
import { formatAdrId } from '../parse/adr-reference.js';
import { formatFieldValue } from './field-line.js';
import { slugifyTitle } from './render-workplan.js';

export interface AdrConventions {
  style: AdrStyle;
  /** MADR only: YAML frontmatter (true) or `* Status:` bullets (false). */
  frontmatter: boolean;
  /** MADR with frontmatter: an `id: ADR-…` key. */
  frontmatterId: boolean;
  /** The number in the title heading: none, `8. Title`, or `ADR-008 — Title`. */
  heading: 'plain' | 'numbered' | 'adr-id';
  fileName: { prefix: string; width: number; separator: string };
}

export interface ExistingAdr {
  path: string;
  adr: Adr;
}

const DEFAULT_FILE_NAME = { prefix: '', width: 4, separator: '-' };

/** The conventions of the latest existing ADR, or MADR 4 when there is none; `style` overrides the style. */
export function detectAdrConventions(existing: readonly ExistingAdr[], style?: AdrStyle): AdrConventions {
  const latest = [...existing].sort((a, b) => (b.adr.number ?? -1) - (a.adr.number ?? -1) || (a.path < b.path ? -1 : 1))[0];
  if (!latest) {
    const chosen = style ?? 'madr';
    return {
      style: chosen,
      frontmatter: true,
      frontmatterId: false,
      heading: chosen === 'nygard' ? 'numbered' : 'plain',
      fileName: DEFAULT_FILE_NAME,
    };
  }
  const detected: AdrStyle = latest.adr.format === 'nygard' ? 'nygard' : 'madr';
  const chosen = style ?? detected;
  const fileName = readFileNameConvention(latest.path) ?? DEFAULT_FILE_NAME;
  if (chosen !== detected) {
    // A style configured against the repository's habit: that style's own defaults.
    return { style: chosen, frontmatter: true, frontmatterId: false, heading: chosen === 'nygard' ? 'numbered' : 'plain', fileName };
  }
  const raw = latest.adr.titleHeading?.raw.trim() ?? '';
  const heading = /^adr[-_ ]?\d+/i.test(raw) ? 'adr-id' : /^\d+\s*[.:]/.test(raw) ? 'numbered' : 'plain';
  const frontmatter = latest.adr.frontmatter !== undefined;
  const frontmatterId = frontmatter && latest.adr.frontmatter!.fields.some((f) => f.key === 'id');
  return { style: chosen, frontmatter: chosen === 'nygard' ? false : frontmatter, frontmatterId, heading, fileName };
}

/** `ADR-001-x.md` → prefix `ADR-`, width 3; `0007-x.md` → no prefix, width 4. Undefined without a number. */
function readFileNameConvention(path: string): AdrConventions['fileName'] | undefined {
  const base = path.split('/').pop() ?? '';
  // `adr-0002.md` has no slug: the new name gets one after a `-`.
  const m = /^((?:adr)[-_]?)?(\d+)([-_.])/i.exec(base);
  return m ? { prefix: m[1] ?? '', width: m[2]!.length, separator: m[3] === '.' ? '-' : m[3]! } : undefined;
}

export interface NewAdrSpec {
  number: number;
  title: string;
  /** Canonical ADR status. */
  status: string;
  date: string;
  decisionMakers?: readonly string[] | undefined;
  context?: string | undefined;
  decision?: string | undefined;
  consequences?: string | undefined;
}

/** The new ADR's file name (without a directory) and text. */
export function renderNewAdr(conventions: AdrConventions, spec: NewAdrSpec): { fileName: string; text: string } {
  const { prefix, width, separator } = conventions.fileName;
  const fileName = `${prefix}${String(spec.number).padStart(width, '0')}${separator}${slugifyTitle(spec.title)}.md`;
  const body = conventions.style === 'nygard' ? renderNygard(conventions, spec) : renderMadr(conventions, spec);
  return { fileName, text: `${body.join('\n')}\n` };
}

function titleHeading(conventions: AdrConventions, spec: NewAdrSpec): string {
  if (conventions.heading === 'numbered') return `# ${spec.number}. ${spec.title}`;
  if (conventions.heading === 'adr-id') return `# ${formatAdrId(spec.number)} — ${spec.title}`;
  return `# ${spec.title}`;
}

const section = (text: string | undefined, placeholder: string) => text?.replace(/\r\n?/g, '\n').trim() || placeholder;

function renderNygard(conventions: AdrConventions, spec: NewAdrSpec): string[] {
  return [
    titleHeading(conventions, spec),
    '',
    `Date: ${spec.date}`,
    '',
    '## Status',
    '',
    capitalize(spec.status),
    '',
    '## Context',
    '',
    section(spec.context, 'The issue motivating this decision, and any context that influences or constrains it.'),
    '',
    '## Decision',
    '',
    section(spec.decision, 'The change that we are proposing or have agreed to implement.'),
    '',
    '## Consequences',
    '',
    section(spec.consequences, 'What becomes easier or more difficult to do because of this change.'),
  ];
}

function renderMadr(conventions: AdrConventions, spec: NewAdrSpec): string[] {
  const makers = spec.decisionMakers ?? [];
  const head: string[] = [];
  if (conventions.frontmatter) {
    head.push('---');
    if (conventions.frontmatterId) head.push(`id: ${formatAdrId(spec.number)}`);
    head.push(`status: ${spec.status}`, `date: ${spec.date}`);
    if (makers.length > 0) head.push(`decision-makers: ${formatFieldValue(makers.join(', '), undefined, 'yaml')}`);
    head.push('---', '', titleHeading(conventions, spec));
  } else {
    head.push(titleHeading(conventions, spec), '', `* Status: ${spec.status}`);
    if (makers.length > 0) head.push(`* Deciders: ${makers.join(', ')}`);
    head.push(`* Date: ${spec.date}`);
  }
  return [
    ...head,
    '',
    '## Context and Problem Statement',
    '',
    section(spec.context, 'Describe the context and the problem this decision addresses.'),
    '',
    '## Considered Options',
    '',
    '* (the options considered)',
    '',
    '## Decision Outcome',
    '',
    section(spec.decision, 'Chosen option: (the option), because (the reasons).'),
    '',
    '### Consequences',
    '',
    section(spec.consequences, '* Good, because (…)\n* Bad, because (…)'),
  ];
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
