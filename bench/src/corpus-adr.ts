// One generated ADR in one of the layouts real repositories use: MADR 4 (YAML frontmatter), MADR 2
// (bullets under the title) or Nygard / adr-tools (`## Status` section), with supersession links
// between neighbours. Pure: the text depends only on the Randoms and the spec.
import { DOMAINS, PEOPLE, bulletList, date, paragraph, plainTitle, slugify } from './corpus-prose.js';
import type { Random } from './random.js';

export type AdrStyle = 'madr4' | 'madr2' | 'nygard';

/** What a neighbour needs to link to an ADR. */
export interface AdrHeader {
  number: number;
  style: AdrStyle;
  title: string;
  fileName: string;
}

export interface AdrLinks {
  /** The ADR this one supersedes, if any. */
  supersedes?: AdrHeader;
  /** The ADR that supersedes this one, if any. */
  supersededBy?: AdrHeader;
}

export interface GeneratedAdr {
  path: string;
  number: number;
  style: AdrStyle;
  text: string;
}

/** Style, title and file name of ADR `number`, from its own Random (so neighbours can link to it). */
export function adrHeader(rng: Random, number: number): AdrHeader {
  const r = rng.next();
  const style: AdrStyle = r < 0.4 ? 'madr4' : r < 0.6 ? 'madr2' : 'nygard';
  const title = plainTitle(rng);
  const slug = slugify(title, 40);
  const fileName =
    style === 'nygard' || rng.chance(0.5)
      ? `${String(number).padStart(4, '0')}-${slug}.md`
      : `ADR-${String(number).padStart(3, '0')}-${slug}.md`;
  return { number, style, title, fileName };
}

const canonical = (n: number) => `ADR-${String(n).padStart(3, '0')}`;

/** Generates the ADR described by `header`, with `links` to its neighbours. */
export function generateAdr(rng: Random, header: AdrHeader, links: AdrLinks): GeneratedAdr {
  const r = rng.next();
  const plainStatus = r < 0.7 ? 'accepted' : r < 0.85 ? 'proposed' : r < 0.95 ? 'deprecated' : 'rejected';
  const decided = date(rng, 2021, 2026);
  const makers = rng.sample(PEOPLE, rng.int(1, 3));
  const domain = rng.pick(DOMAINS).slug;
  const mdLink = (h: AdrHeader) => `[${h.number}. ${h.title}](${h.fileName})`;
  const out: string[] = [];

  switch (header.style) {
    case 'madr4': {
      out.push('---');
      if (rng.chance(0.3)) out.push('# MADR 4.0 frontmatter');
      if (links.supersededBy) {
        out.push(rng.chance(0.5) ? `status: superseded by ${canonical(links.supersededBy.number)}` : 'status: superseded');
        out.push(`superseded_by: ${canonical(links.supersededBy.number)}`);
      } else out.push(`status: ${plainStatus}`);
      if (links.supersedes) out.push(`supersedes: [${canonical(links.supersedes.number)}]`);
      out.push(`date: ${decided}`, `decision-makers: ${makers.join(', ')}`);
      out.push('consulted:', ...rng.sample(PEOPLE, 2).map((p) => `  - ${p}`));
      out.push(`informed: [${rng.pick(['Platform team', 'All engineers', 'On-call'])}]`, `domain: ${domain}`, '---', '');
      out.push(`# ${header.title}`, '');
      break;
    }
    case 'madr2': {
      out.push(`# ${header.title}`, '');
      const status = links.supersededBy
        ? `superseded by [${canonical(links.supersededBy.number)}](${links.supersededBy.fileName})`
        : plainStatus;
      out.push(`* Status: ${status}`, `* Deciders: ${makers.join(', ')}`, `* Date: ${decided}`, '');
      if (links.supersedes) out.push(`This decision replaces ${mdLink(links.supersedes)}.`, '');
      break;
    }
    case 'nygard': {
      out.push(`# ${header.number}. ${header.title}`, '', `Date: ${decided}`, '', '## Status', '');
      if (links.supersededBy) out.push(`Superseded by ${mdLink(links.supersededBy)}`, '');
      else out.push(rng.chance(0.8) ? capitalise(plainStatus) : `**${capitalise(plainStatus)}**`, '');
      if (links.supersedes) out.push(`Supersedes ${mdLink(links.supersedes)}`, '');
      break;
    }
  }

  const sections: Array<[string, string[]]> =
    header.style === 'nygard'
      ? [
          ['Context', [paragraph(rng, 3, 5), paragraph(rng, 2, 4)]],
          ['Decision', [paragraph(rng, 2, 4), bulletList(rng, '-', 3, 5)]],
          ['Consequences', [paragraph(rng, 2, 4), bulletList(rng, '-', 2, 4)]],
        ]
      : [
          ['Context and Problem Statement', [paragraph(rng, 3, 5)]],
          ['Decision Drivers', [bulletList(rng, '*', 3, 5)]],
          ['Considered Options', [bulletList(rng, '*', 2, 4)]],
          [
            'Decision Outcome',
            [`Chosen option: "${plainTitle(rng)}", because ${paragraph(rng, 1, 2)}`, '### Consequences', bulletList(rng, '*', 2, 4)],
          ],
          ['Pros and Cons of the Options', [paragraph(rng, 2, 3), bulletList(rng, '*', 2, 4)]],
        ];
  for (const [heading, blocks] of sections) out.push(`## ${heading}`, '', ...blocks.flatMap((b) => [b, '']));

  return { path: `adr/${header.fileName}`, number: header.number, style: header.style, text: `${out.join('\n').replace(/\n+$/, '')}\n` };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
