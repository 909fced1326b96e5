// The YAML fast path (src/parse/yaml-simple-mapping.ts) against the `yaml` package: parseYamlMapping
// gives the same data, the same field spans and the same diagnostics as parsing with `yaml` alone, on
// generated frontmatter-like blocks (strings, dates, numbers, booleans, nulls, quotes, flow sequences,
// comments, nesting, duplicates, CRLF) and on every frontmatter of both benchmark corpora.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/src/corpus.js';
import { createLineIndex } from '../../src/model/position.js';
import { createReporter } from '../../src/parse/reporter.js';
import { parseWithYaml, parseYamlMapping } from '../../src/parse/yaml-mapping.js';
import { readSimpleMapping } from '../../src/parse/yaml-simple-mapping.js';

const RULES = { syntax: 'yaml-invalid', duplicateKey: 'key-duplicate', notMapping: 'not-mapping', label: 'Frontmatter' };

function both(text: string, start: number, end: number) {
  const lines = createLineIndex(text);
  const fastReporter = createReporter('x.md', lines);
  const yamlReporter = createReporter('x.md', lines);
  return {
    fast: { ...parseYamlMapping(text, start, end, fastReporter, RULES), diagnostics: fastReporter.diagnostics },
    yaml: { ...parseWithYaml(text, start, end, yamlReporter, RULES), diagnostics: yamlReporter.diagnostics },
  };
}

const key = fc.constantFrom(
  'id',
  'title',
  'status',
  'created',
  'updated',
  'tags',
  'decision-makers',
  'owner_id',
  'true',
  'null',
  '1',
  'a b',
  'x',
);
const value = fc.constantFrom(
  'CUST-WP-0005',
  'Replace the webhooks table',
  '2023-03-23',
  '2026-02-28T10:00:00Z',
  '12:30',
  'done',
  'in_progress',
  '"quoted"',
  "'single'",
  '"with \\" escape"',
  "'it''s'",
  '[api, db]',
  '[]',
  '[a, [b]]',
  '[1, 2]',
  '[a,]',
  '{a: 1}',
  '42',
  '-7',
  '+3',
  '0x1F',
  '0o17',
  '1.5',
  '.5',
  '1e3',
  '.inf',
  '.NaN',
  'true',
  'False',
  'yes',
  'no',
  'null',
  '~',
  'Null',
  '',
  'a: b',
  'a #comment',
  'C#',
  'a#b',
  '- item',
  '* star',
  '&anchor a',
  '*alias',
  '!tag x',
  '|',
  '>',
  '@x',
  '`x`',
  '%x',
  'ünïcode — dash',
  'trailing   ',
  'x:',
  'a, b',
  'Foo "bar"',
  "l'été",
);
const line = fc.oneof(
  { arbitrary: fc.tuple(key, value, fc.constantFrom(' ', ' ', '  ')).map(([k, v, sep]) => `${k}:${sep}${v}`), weight: 8 },
  {
    arbitrary: fc.constantFrom(
      '# a comment',
      '',
      '   ',
      '  - nested',
      '  indented: x',
      'key:',
      'list:\n  - a\n  - b',
      'a\tb: c',
      'k: v # note',
      '---',
    ),
    weight: 2,
  },
);
const block = fc
  .tuple(fc.array(line, { minLength: 0, maxLength: 10 }), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([lines, eol]) => lines.join('\n').replace(/\n/g, eol));

describe('the YAML fast path reads what the yaml package reads', () => {
  it('on generated frontmatter-like blocks (and reads many of them itself)', () => {
    let read = 0;
    let runs = 0;
    fc.assert(
      fc.property(block, fc.constantFrom('', '---\n', 'prefix\n'), (yaml, before) => {
        runs++;
        const text = `${before}${yaml}\n---\nbody`;
        const start = before.length;
        const end = start + yaml.length;
        if (readSimpleMapping(text, start, end)) read++;
        const { fast, yaml: reference } = both(text, start, end);
        expect(fast).toEqual(reference);
        expect(Object.keys(fast.data)).toEqual(Object.keys(reference.data));
      }),
      { numRuns: 5000 },
    );
    expect(read / runs).toBeGreaterThan(0.01);
  });

  it('on every frontmatter of both benchmark corpora, reading nearly all of them itself', () => {
    let files = 0;
    let read = 0;
    for (const shape of ['standard', 'varied'] as const) {
      for (const file of generateCorpus({ size: 60, shape }).files) {
        const m = /^---\n([\s\S]*?)\n---\n/.exec(file.text);
        if (!m) continue;
        files++;
        const start = 4;
        const end = start + m[1]!.length;
        if (readSimpleMapping(file.text, start, end)) read++;
        const { fast, yaml } = both(file.text, start, end);
        expect(fast).toEqual(yaml);
      }
    }
    expect(read / files).toBeGreaterThan(0.5);
  });
});
