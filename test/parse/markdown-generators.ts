// fast-check generators of Markdown for the parser's differential tests: a soup of fragments that
// change structure (hostile: everything next to everything), and documents shaped like workplans and
// ADRs as people write them (headings, prose, key: value lines, nested lists with loose and tight
// items, fences inside lists, tables, HTML comments, setext headings, the odd block quote).
import fc from 'fast-check';

const PIECES = [
  'a',
  'b c',
  '*',
  '**',
  '_',
  '`',
  '``',
  '[',
  ']',
  '(',
  ')',
  '![',
  '](x)',
  '[x]',
  '[X]: /u',
  '<',
  '>',
  '<a>',
  '</a>',
  '<div>',
  '<!--',
  '-->',
  '&amp;',
  '&',
  '\\',
  '\\*',
  '\\|',
  '|',
  ' | ',
  '#',
  '## ',
  '- ',
  '* ',
  '+ ',
  '1. ',
  '2) ',
  '10. ',
  '  ',
  '    ',
  '\t',
  '```',
  '~~~',
  '---',
  '===',
  '|---|',
  ':-',
  '-:',
  '| a |',
  'x |',
  '**Blocks:**',
  'X-WP-0001',
  ' ',
  '   - ',
  '  1. ',
  '\n',
  '\n',
  '\n\n',
  '> ',
  'id: X-T1',
];

const soupLine = fc.array(fc.constantFrom(...PIECES), { maxLength: 7 }).map((pieces) => pieces.join(''));

/** Lines of fragments joined by LF, CRLF or CR. */
export const markdownSoup: fc.Arbitrary<string> = fc
  .tuple(fc.array(soupLine, { maxLength: 24 }), fc.constantFrom('\n', '\n', '\r\n', '\r'))
  .map(([lines, eol]) => lines.join(eol).replace(/\n/g, eol === '\n' ? '\n' : eol));

const word = fc.constantFrom(
  'sync',
  'the',
  'mirror',
  'task',
  'CUST-WP-0003',
  '`code`',
  '**bold**',
  '_em_',
  'a|b',
  '\\*',
  '\\|',
  'x\\',
  '&',
  'R&D',
  '&amp;',
  '[link](u)',
  'v2.0',
  '#7',
  '->',
  '—',
  'ü',
  '<b>',
  '*',
  '1.',
  '-',
  ':',
);
const phrase = fc.array(word, { minLength: 1, maxLength: 8 }).map((words) => words.join(' '));
const trailing = fc.constantFrom('', '', '', ' ', '  ', '   ', '\t');
const indent = (max: number) => fc.integer({ min: 0, max }).map((n) => ' '.repeat(n));

/** A paragraph's lines: the first at `prefix`, continuation lines indented 0–5 spaces more or not at all. */
const paragraphLines = fc
  .array(fc.tuple(indent(5), phrase, trailing), { minLength: 1, maxLength: 4 })
  .map((lines) => lines.map(([pad, text, end], i) => (i === 0 ? text : pad + text) + end));

const heading = fc
  .tuple(fc.integer({ min: 1, max: 6 }), indent(3), phrase, fc.constantFrom('', '', ' #', ' ##', '#'), trailing)
  .map(([depth, pad, text, close, end]) => [`${pad}${'#'.repeat(depth)} ${text}${close}${end}`]);
const setext = fc.tuple(paragraphLines, fc.constantFrom('===', '---', '-', '=', '  ----  ')).map(([lines, line]) => [...lines, line]);
const thematic = fc.constantFrom('---', '***', '___', ' - - -', '* * *  ').map((line): string[] => [line]);
const metadata = fc
  .array(fc.tuple(fc.constantFrom('id', 'status', 'priority', 'estimate'), fc.constantFrom('X-T1', 'done', 'todo', 'high', '"quoted"')), {
    minLength: 1,
    maxLength: 4,
  })
  .map((pairs) => pairs.map(([k, v]) => `${k}: ${v}`));
const fence = fc
  .tuple(
    fc.constantFrom('```', '````', '~~~'),
    fc.constantFrom('', 'ts', 'yaml', 'js  meta x', 'go', 'a\\_b'),
    fc.array(fc.constantFrom('const x = 1;', '', '  indented', '\treturn s', '- not a list', '# not a heading', '```not closing'), {
      maxLength: 4,
    }),
  )
  .map(([marker, info, body]) => [`${marker}${info}`, ...body.filter((l) => !(marker === '```' && l === '```not closing')), marker]);
const tableRow = (cells: number) =>
  fc.array(fc.constantFrom('a', 'Task', '`X-T1`', 'done', 'x \\| y', '', 'carry-forward → X-WP-2'), {
    minLength: cells,
    maxLength: cells + 1,
  });
const table = fc.integer({ min: 1, max: 4 }).chain((cells) =>
  fc
    .tuple(
      fc.boolean(),
      fc.boolean(),
      tableRow(cells),
      fc.array(fc.constantFrom('---', ':--', '--:', ':-:', '-'), { minLength: cells, maxLength: cells }),
      fc.array(tableRow(cells), { maxLength: 4 }),
    )
    .map(([lead, close, head, delimiter, rows]) => {
      const row = (values: string[]) => `${lead ? '| ' : ''}${values.join(' | ')}${close ? ' |' : ''}`;
      return [row(head.slice(0, cells)), row(delimiter), ...rows.map(row)];
    }),
);
const comment = fc.constantFrom('<!-- note -->', '<!--\nhidden\n\n-->', '  <!-- a\nb --> after').map((text) => text.split('\n'));
const quote = fc.array(phrase, { minLength: 1, maxLength: 2 }).map((lines) => lines.map((l) => `> ${l}`));

type Lines = string[];

/** A list: items with a first line, maybe continuation lines, a nested list, a fence, loose or tight. */
const list: (depth: number) => fc.Arbitrary<Lines> = (depth) =>
  fc
    .tuple(
      fc.constantFrom('-', '*', '+', '1.', '3)', '10.'),
      fc.integer({ min: 1, max: 3 }),
      fc.array(
        fc.tuple(
          phrase,
          trailing,
          fc.array(fc.tuple(fc.boolean(), phrase), { maxLength: 2 }),
          depth < 3 ? fc.option(list(depth + 1), { freq: 3 }) : fc.constant(null),
          fc.option(fence, { freq: 6 }),
          fc.constantFrom('', '', '', '\n', '\n  \n'),
        ),
        { minLength: 1, maxLength: 4 },
      ),
    )
    .map(([marker, spaces, items]) => {
      const out: Lines = [];
      const ordered = /\d/.test(marker);
      items.forEach(([first, end, more, nested, code, gap], i) => {
        const bullet = ordered ? `${Number.parseInt(marker, 10) + i}${marker.slice(-1)}` : marker;
        const pad = ' '.repeat(bullet.length + spaces);
        out.push(`${bullet}${' '.repeat(spaces)}${first}${end}`);
        for (const [lazy, text] of more) out.push(lazy ? text : pad + text);
        if (code) {
          out.push('');
          out.push(...code.map((l) => (l === '' ? '' : pad + l)));
        }
        if (nested) out.push(...nested.map((l) => (l === '' ? '' : pad + l)));
        if (gap) out.push(...gap.split('\n').slice(1));
      });
      return out;
    });

const block: fc.Arbitrary<Lines> = fc.oneof(
  { arbitrary: heading, weight: 4 },
  { arbitrary: paragraphLines, weight: 5 },
  { arbitrary: metadata, weight: 3 },
  { arbitrary: list(0), weight: 5 },
  { arbitrary: fence, weight: 2 },
  { arbitrary: table, weight: 2 },
  { arbitrary: setext, weight: 1 },
  { arbitrary: thematic, weight: 1 },
  { arbitrary: comment, weight: 1 },
  { arbitrary: quote, weight: 1 },
);

/** A workplan-like document: blocks separated by zero to two blank lines, LF or CRLF. */
export const markdownDocument: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.tuple(block, fc.constantFrom('\n', '\n', '\n\n', '', '\n   ')), { minLength: 1, maxLength: 14 }),
    fc.constantFrom('\n', '\n', '\n', '\r\n'),
    fc.boolean(),
  )
  .map(([blocks, eol, final]) => {
    const text = blocks.map(([lines, gap]) => lines.join('\n') + gap).join('\n');
    return (eol === '\n' ? text : text.replace(/\n/g, eol)) + (final ? eol : '');
  });
