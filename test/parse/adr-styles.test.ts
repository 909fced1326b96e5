// ADRs as their authors write them: one directory per style under test/fixtures/adr/styles/ (MADR 2,
// 3 and 4, the MADR and adr-tools templates left unfilled, Nygard / adr-tools, log4brains, ISO-dated
// names, Backstage, Docusaurus, Hugo, MADR translated (French, Spanish, German, Chinese keys and words), status and date variants, two ADRs of one number, and the
// pages that sit beside ADRs). Each directory's expected.json gives, per file, what is read from it
// and the warnings it earns (or "not an ADR"). No file of any style may have an error.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAdrFileName } from '../../src/model/source-path.js';
import type { Adr } from '../../src/model/adr.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { checkAdrLinks, parseAdr } from '../../src/parse/adr.js';

const STYLES = join(import.meta.dirname, '..', 'fixtures', 'adr', 'styles');

type Expected = Record<string, 'not an ADR' | (Record<string, unknown> & { warnings: string[] })>;

function readStyle(dir: string): { adrs: Map<string, Adr>; diagnostics: Diagnostic[] } {
  const adrs = new Map<string, Adr>();
  const diagnostics: Diagnostic[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.md') && isAdrFileName(f))
    .sort()) {
    const result = parseAdr(file, readFileSync(join(dir, file), 'utf8'));
    diagnostics.push(...result.diagnostics);
    if (result.value) adrs.set(file, result.value);
  }
  diagnostics.push(...checkAdrLinks([...adrs.values()]));
  return { adrs, diagnostics };
}

const styles = readdirSync(STYLES).sort();

describe('ADRs as their authors write them', () => {
  it('has a fixture directory for every supported style', () => {
    expect(styles).toEqual([
      'adr-tools-template',
      'backstage',
      'dates',
      'docusaurus',
      'duplicate-numbers',
      'hugo',
      'iso-dated',
      'log4brains',
      'madr-templates',
      'madr2',
      'madr3',
      'madr4',
      'not-adrs',
      'nygard',
      'status-places',
      'translated',
    ]);
  });

  it.each(styles)('%s: every file is read without an error, as expected.json says', (style) => {
    const dir = join(STYLES, style);
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
    const { adrs, diagnostics } = readStyle(dir);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(Object.keys(expected).sort()).toEqual(
      readdirSync(dir)
        .filter((f) => f.endsWith('.md'))
        .sort(),
    );
    for (const [file, want] of Object.entries(expected)) {
      if (want === 'not an ADR') {
        expect(isAdrFileName(file), file).toBe(false);
        continue;
      }
      const adr = adrs.get(file);
      expect(adr, file).toBeDefined();
      const { warnings, ...fields } = want;
      const actual: Record<string, unknown> = {
        id: adr!.id,
        number: adr!.number,
        title: adr!.title,
        status: adr!.status,
        format: adr!.format,
      };
      for (const key of ['statusText', 'date', 'dateText'] as const) if (adr![key] !== undefined) actual[key] = adr![key];
      for (const key of ['decisionMakers', 'supersedes', 'supersededBy'] as const) if (adr![key].length > 0) actual[key] = adr![key];
      expect(actual, file).toEqual(fields);
      const found = diagnostics.filter((d) => d.path === file).map((d) => `${d.span.start.line}:${d.span.start.column} ${d.ruleId}`);
      expect(found, file).toEqual(warnings);
    }
  });

  it('reads the same ADR the same way whatever its line endings', () => {
    const text = readFileSync(join(STYLES, 'nygard', '0004-status-history.md'), 'utf8');
    const lf = parseAdr('0004-status-history.md', text).value!;
    const crlf = parseAdr('0004-status-history.md', text.replace(/\n/g, '\r\n')).value!;
    expect({
      ...crlf,
      sections: [],
      links: [],
      statusSpan: undefined,
      idSpan: undefined,
      dateSpan: undefined,
      titleHeading: undefined,
      eol: '\n',
    }).toEqual({
      ...lf,
      sections: [],
      links: [],
      statusSpan: undefined,
      idSpan: undefined,
      dateSpan: undefined,
      titleHeading: undefined,
    });
  });
});

describe('the ADR status vocabulary is configurable', () => {
  it('maps a team word to a status through vocabularies.adrStatus.aliases, keeping the written text', async () => {
    const { DEFAULT_CONFIG } = await import('../../src/model/config.js');
    const config = structuredClone(DEFAULT_CONFIG);
    config.vocabularies.adrStatus.aliases.parked = 'rejected';
    const result = parseAdr('adr/0001-x.md', '# 1. X\n\n## Status\n\nParked\n', config);
    expect(result.diagnostics).toEqual([]);
    expect(result.value).toMatchObject({ status: 'rejected', statusText: 'Parked' });
  });

  it('reads a status value the team added to the vocabulary', async () => {
    const { DEFAULT_CONFIG } = await import('../../src/model/config.js');
    const config = structuredClone(DEFAULT_CONFIG);
    config.vocabularies.adrStatus.values.push('experimental');
    delete config.vocabularies.adrStatus.aliases.experimental;
    const result = parseAdr('adr/0001-x.md', '---\nstatus: Experimental\n---\n# X\n', config);
    expect(result.value).toMatchObject({ status: 'experimental', statusText: 'Experimental' });
  });
});

describe('ADRs kept as directories (page bundles)', () => {
  it('reads index.md or README.md in a subdirectory of an ADR root as the ADR its directory names', async () => {
    const { DEFAULT_CONFIG } = await import('../../src/model/config.js');
    const { classifySourcePath } = await import('../../src/model/source-path.js');
    const kinds = Object.fromEntries(
      [
        'adr/secrets-storage/index.md',
        'adr/0002-use-hugo/README.md',
        'adr/backend/0003-x/index.md',
        'adr/index.md',
        'adr/README.md',
        'adr/templates/decision-record-template-by-michael-nygard/index.md',
        'adr/decision-record-template-madr/index.md',
        'adr/0005-use-template-engine/index.md',
      ].map((p) => [p, classifySourcePath(p, DEFAULT_CONFIG) ?? 'skipped']),
    );
    expect(kinds).toEqual({
      'adr/secrets-storage/index.md': 'adr',
      'adr/0002-use-hugo/README.md': 'adr',
      'adr/backend/0003-x/index.md': 'adr',
      'adr/index.md': 'skipped',
      'adr/README.md': 'skipped',
      'adr/templates/decision-record-template-by-michael-nygard/index.md': 'skipped',
      'adr/decision-record-template-madr/index.md': 'skipped',
      'adr/0005-use-template-engine/index.md': 'adr',
    });
  });

  it('takes the id, number and fallback title from the directory, and resolves links to the bundle', () => {
    const slug = parseAdr('adr/secrets-storage/index.md', '## Status\n\nDecided.\n').value!;
    expect({ id: slug.id, number: slug.number, title: slug.title, status: slug.status }).toEqual({
      id: 'secrets-storage',
      number: null,
      title: 'secrets storage',
      status: 'accepted',
    });
    const numbered = parseAdr('adr/0002-use-hugo/index.md', '---\ntitle: Use Hugo\n---\n\n* Status: accepted\n').value!;
    expect({ id: numbered.id, number: numbered.number }).toEqual({ id: 'ADR-002', number: 2 });
    const linking = parseAdr('adr/0003-link.md', '# 3. Link\n\n## Status\n\nSuperseded by [Hugo](0002-use-hugo/index.md)\n').value!;
    expect(linking.supersededBy).toEqual(['ADR-002']);
  });
});
