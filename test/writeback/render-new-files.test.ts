// `workplan new` and `workplan adr new` render files the parsers accept (pure): a workplan in the
// documented format for any title (property), and an ADR in the style of the repository's latest
// ADR — Nygard, MADR with frontmatter, MADR with bullets — with the next number in its file name.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { parseAdr } from '../../src/parse/adr.js';
import { parseWorkplan } from '../../src/parse/workplan.js';
import { detectAdrConventions, renderNewAdr, type ExistingAdr } from '../../src/writeback/render-adr.js';
import { renderNewWorkplan, slugifyTitle } from '../../src/writeback/render-workplan.js';

const adrsIn = (dir: string): ExistingAdr[] => {
  const url = new URL(`../fixtures/${dir}/`, import.meta.url);
  return readdirSync(url)
    .filter((f) => f.endsWith('.md'))
    .map((f) => ({ path: `adr/${f}`, adr: parseAdr(`adr/${f}`, readFileSync(new URL(f, url), 'utf8')).value! }));
};
const projectAdrs = (): ExistingAdr[] => {
  const url = new URL('../../adr/', import.meta.url);
  return readdirSync(url).map((f) => ({ path: `adr/${f}`, adr: parseAdr(`adr/${f}`, readFileSync(new URL(f, url), 'utf8')).value! }));
};

describe('renderNewWorkplan', () => {
  it('writes the documented format: frontmatter, title, summary, dependencies', () => {
    const text = renderNewWorkplan({
      id: 'DOC-WP-0042',
      title: 'Search: ranking v2',
      domain: 'docs',
      status: 'draft',
      owner: 'team',
      summary: 'Why.',
      dependsOn: ['DOC-WP-0041'],
      date: '2026-12-01',
    });
    expect(text).toBe(
      '---\nid: DOC-WP-0042\ntype: workplan\ntitle: "Search: ranking v2"\ndomain: docs\nstatus: draft\nowner: team\ncreated: 2026-12-01\nupdated: 2026-12-01\n---\n\n# Search: ranking v2\n\n## Summary\n\nWhy.\n\n## Dependencies\n\n- **Depends on:** `DOC-WP-0041`\n',
    );
  });

  it('parses without errors and keeps the title and domain exactly, whatever they are (property)', () => {
    const text = fc
      .string({ minLength: 1, maxLength: 60 })
      .filter((s) => s.trim() !== '' && s === s.trim() && !/[\u0000-\u001f\u007f\u2028\u2029\ufeff]/.test(s));
    fc.assert(
      fc.property(text, text, (title, domain) => {
        const rendered = renderNewWorkplan({ id: 'PROP-WP-0001', title, domain, status: 'planned', date: '2026-01-02' });
        const parsed = parseWorkplan('workplans/p.md', rendered, DEFAULT_CONFIG);
        const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
        return errors.length === 0 && parsed.value?.frontmatter.data.title === title && parsed.value.frontmatter.data.domain === domain;
      }),
      { numRuns: 300 },
    );
  });

  it('slugifies titles for file names', () => {
    expect(slugifyTitle('Search: ranking v2 — données')).toBe('search-ranking-v2-donnees');
    expect(slugifyTitle('???')).toBe('untitled');
    expect(slugifyTitle(`${'a'.repeat(30)} ${'b'.repeat(40)}`).length).toBeLessThanOrEqual(60);
  });
});

describe('detectAdrConventions and renderNewAdr', () => {
  const spec = { number: 8, title: 'Agents edit plans', status: 'proposed', date: '2026-12-01' };
  const roundTrip = (conventions: ReturnType<typeof detectAdrConventions>) => {
    const { fileName, text } = renderNewAdr(conventions, spec);
    const parsed = parseAdr(`adr/${fileName}`, text);
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(parsed.value).toMatchObject({ number: 8, title: 'Agents edit plans', status: 'proposed', date: '2026-12-01' });
    return { fileName, text, adr: parsed.value! };
  };

  it('follows an adr-tools repository: Nygard, `# 8. Title`, 0008-title.md', () => {
    const conventions = detectAdrConventions(adrsIn('adr/nygard-supersession'));
    expect(conventions).toMatchObject({ style: 'nygard', heading: 'numbered', fileName: { prefix: '', width: 4, separator: '-' } });
    const { fileName, text, adr } = roundTrip(conventions);
    expect(fileName).toBe('0008-agents-edit-plans.md');
    expect(text).toMatch(/^# 8\. Agents edit plans\n\nDate: 2026-12-01\n\n## Status\n\nProposed\n\n## Context\n/);
    expect(adr.format).toBe('nygard');
  });

  it('follows MADR with frontmatter, and MADR 2 with bullets', () => {
    const madr3 = detectAdrConventions(adrsIn('adr/madr3-frontmatter'));
    expect(madr3).toMatchObject({ style: 'madr', frontmatter: true, fileName: { prefix: 'ADR-', width: 3 } });
    expect(roundTrip(madr3).fileName).toBe('ADR-008-agents-edit-plans.md');
    const madr2 = detectAdrConventions(adrsIn('adr/madr2-bullets'));
    expect(madr2).toMatchObject({ style: 'madr', frontmatter: false, fileName: { prefix: 'adr-', width: 4 } });
    const bullets = roundTrip(madr2);
    expect(bullets.fileName).toBe('adr-0008-agents-edit-plans.md');
    expect(bullets.text).toMatch(/^# Agents edit plans\n\n\* Status: proposed\n\* Date: 2026-12-01\n/);
  });

  it('follows the latest ADR of a repository that changed style (this project: Nygard since ADR 3)', () => {
    const conventions = detectAdrConventions(projectAdrs());
    expect(conventions).toMatchObject({ style: 'nygard', fileName: { prefix: '', width: 4 } });
    // A configured style wins; MADR then uses its own defaults.
    const madr = detectAdrConventions(projectAdrs(), 'madr');
    expect(madr).toMatchObject({ style: 'madr', frontmatter: true, heading: 'plain' });
    expect(roundTrip(madr).text).toMatch(/^---\nstatus: proposed\ndate: 2026-12-01\n---\n\n# Agents edit plans\n/);
    // With no ADRs at all: MADR 4.
    expect(detectAdrConventions([])).toMatchObject({ style: 'madr', frontmatter: true, fileName: { prefix: '', width: 4 } });
  });
});
