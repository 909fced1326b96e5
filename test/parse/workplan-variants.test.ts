// One fixture per way of writing the format: each parses to the same kind of model, and every span
// indexes the decoded text exactly (CRLF, BOM, tabs and non-ASCII included).
import { describe, expect, it } from 'vitest';
import type { Span } from '../../src/model/diagnostic.js';
import { listTasks, type FieldSource, type Workplan } from '../../src/model/workplan.js';
import { listFixtures, parseFixture, readGolden, renderGolden } from './workplan-fixtures.js';

function parseClean(name: string): { text: string; workplan: Workplan } {
  const { text, result } = parseFixture(name);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.value).toBeDefined();
  return { text: text!, workplan: result.value! };
}

function spanText(text: string, span: Span): string {
  return text.slice(span.start.offset, span.end.offset);
}

const VARIANTS = [
  'yaml-fence',
  'list-metadata',
  'crlf',
  'bom',
  'no-final-newline',
  'setext',
  'plus-bullets',
  'tables',
  'html-and-code',
  'blockquotes',
  'yaml-comments',
  'tabs',
  'non-ascii',
  'dependency-forms',
  'dependency-labels',
  'closure-carry-forward',
];

describe('format variants', () => {
  it('reads ```yaml fenced metadata, with YAML comments, quotes and indentation', () => {
    const { text, workplan } = parseClean('yaml-fence');
    const [t1, t2, t3] = listTasks(workplan);
    expect(t1).toMatchObject({
      id: 'DOC-WP-0012-T01',
      status: 'in_progress',
      priority: 'high',
      taskUuid: '6f1c2a8e-0b6e-4c43-9d0a-4a1f3b2c9e10',
      extra: { estimate: '3' },
    });
    expect(t1!.metadata.form).toBe('yaml-fence');
    expect(t1!.description).toBe('The description follows the fence.');
    // New fields go after the last field, inside the fence.
    expect(text.slice(t1!.metadata.insertOffset).startsWith('```\n')).toBe(true);
    expect(t2).toMatchObject({ id: 'DOC-WP-0012-T02', status: 'done', priority: 'medium', extra: { tags: '[docs, yaml]' } });
    expect(t2!.metadata.linePrefix).toBe('  ');
    expect(text.slice(t2!.metadata.insertOffset).startsWith('~~~\n')).toBe(true);
    expect(t2!.description).toContain('id: not-metadata-because-not-first');
    expect(t3).toMatchObject({ id: 'DOC-WP-0012-T03', status: 'todo', priority: 'medium' });
    expect(text.slice(t3!.metadata.insertOffset).startsWith('# a trailing comment\n```')).toBe(true);
  });

  it('reads list metadata with -, * and + bullets and keeps the bullet as the line prefix', () => {
    const { text, workplan } = parseClean('list-metadata');
    const tasks = listTasks(workplan);
    expect(tasks.map((t) => [t.id, t.status, t.priority, t.metadata.form, t.metadata.linePrefix])).toEqual([
      ['DOC-WP-0013-T01', 'blocked', 'high', 'list', '- '],
      ['DOC-WP-0013-T02', 'carried_forward', 'medium', 'list', '* '],
      ['DOC-WP-0013-T03', 'cancelled', 'medium', 'list', '+ '],
    ]);
    expect(tasks[0]!.extra).toEqual({ owner: 'alice' });
    expect(tasks[1]!.description).toBe('- this is a description list, not metadata\n- second item');
    expect(text.slice(0, tasks[0]!.metadata.insertOffset).endsWith('- owner: alice\n')).toBe(true);
    expect(workplan.phases[0]!.title).toBe('List forms');
  });

  it('keeps CRLF inside every span and reports the file eol', () => {
    const { text, workplan } = parseClean('crlf');
    expect(workplan.eol).toBe('\r\n');
    expect(workplan.frontmatter.eol).toBe('\r\n');
    const [t1] = listTasks(workplan);
    expect(t1!.description).toBe('First line of the description.\r\nSecond line.');
    expect(text.slice(0, t1!.metadata.insertOffset).endsWith('priority: high\r\n')).toBe(true);
    expect(workplan.dependencies.map((d) => [d.kind, d.targets, d.dependencyUuid])).toEqual([
      ['depends_on', ['OPS-WP-0001', 'OPS-WP-0002'], '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f'],
      ['related', ['OPS-WP-0004'], undefined],
    ]);
    expect(text.slice(workplan.dependencies[1]!.insertOffset).startsWith('\r\n## Phase 1')).toBe(true);
    expect(workplan.summary).toBe('Every span survives the line ending.');
  });

  it('keeps the BOM: offsets count it, columns on line 1 start after it', () => {
    const { text, workplan } = parseClean('bom');
    expect(workplan.hasBom).toBe(true);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(workplan.frontmatter.span.start).toEqual({ line: 1, column: 2, offset: 1 });
    expect(workplan.frontmatter.fields[0]!.valueSpan.start).toEqual({ line: 2, column: 5, offset: 9 });
    expect(listTasks(workplan).map((t) => t.id)).toEqual(['OPS-WP-0003-T01', 'OPS-WP-0003-T02']);
  });

  it('parses a file without a final newline; insertOffset is then the end of the text', () => {
    const { text, workplan } = parseClean('no-final-newline');
    expect(text.endsWith('status: todo')).toBe(true);
    const [task] = listTasks(workplan);
    expect(task!.metadata.insertOffset).toBe(text.length);
    expect(task!.description).toBe('');
  });

  it('treats setext headings like ATX headings and drops closing hashes from titles', () => {
    const { workplan } = parseClean('setext');
    expect(workplan.title?.text).toBe('Setext headings');
    expect(workplan.sections.map((s) => s.kind)).toEqual(['summary', 'phase', 'phase', 'notes']);
    expect(workplan.phases.map((p) => [p.number, p.title])).toEqual([
      [1, 'Underlined phase'],
      [2, 'Second underlined phase'],
    ]);
    expect(listTasks(workplan).map((t) => t.title)).toEqual(['An ATX task under a setext phase', 'Another task']);
    expect(workplan.notes).toBe('The closing hashes of P2.1 are not part of its title.');
  });

  it('reads + bullets in dependencies, metadata and closure entries', () => {
    const { workplan } = parseClean('plus-bullets');
    expect(workplan.dependencies.map((d) => [d.kind, d.targets, d.dependencyUuid, d.linePrefix])).toEqual([
      ['blocks', ['DOC-WP-0022'], '3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d', '+ '],
      ['related', ['DOC-WP-0023', 'DOC-WP-0024'], undefined, '+ '],
    ]);
    expect(listTasks(workplan)[0]).toMatchObject({ id: 'DOC-WP-0021-T01', status: 'done', priority: 'low' });
    expect(workplan.closureReviews[0]!.entries.map((e) => [e.taskId, e.classification])).toEqual([['DOC-WP-0021-T01', 'done']]);
  });

  it('reads a closure classification table; tables in descriptions are not structure', () => {
    const { workplan } = parseClean('tables');
    expect(listTasks(workplan)[0]!.description).toContain('| id: fake | ### not a heading |');
    const [review] = workplan.closureReviews;
    expect(review!.outcome).toBe('Classified in a table.');
    expect(review!.context).toBe('The table carries the classification.');
    expect(review!.entries.map((e) => [e.taskId, e.title, e.classification, e.target, e.note])).toEqual([
      ['DOC-WP-0030-T01', 'Task with a table', 'done', undefined, undefined],
      ['DOC-WP-0030-T02', 'Second', 'cancelled', undefined, 'superseded by the new design'],
      ['DOC-WP-0030-T03', 'Third', 'carry_forward', 'DOC-WP-0031', undefined],
    ]);
  });

  it('never takes headings or id: lines in HTML comments, fenced or indented code as structure', () => {
    const { workplan } = parseClean('html-and-code');
    expect(workplan.phases.map((p) => p.number)).toEqual([1]);
    expect(listTasks(workplan).map((t) => t.id)).toEqual(['DOC-WP-0040-T01', 'DOC-WP-0040-T02']);
    expect(listTasks(workplan)[0]!.description).toContain('### P8.1 — Fenced task');
    expect(listTasks(workplan)[1]!.description).toBe('<!-- id: DOC-WP-0040-T95 -->\nText after the comment.');
  });

  it('never takes headings inside block quotes or list items as structure', () => {
    const { workplan } = parseClean('blockquotes');
    expect(workplan.phases.map((p) => p.number)).toEqual([1]);
    expect(listTasks(workplan).map((t) => [t.id, t.status])).toEqual([['DOC-WP-0041-T01', 'in_progress']]);
  });

  it('keeps unknown frontmatter keys in extra with their YAML values, dates as strings', () => {
    const { workplan } = parseClean('yaml-comments');
    const fm = workplan.frontmatter.data;
    expect(fm).toMatchObject({
      id: 'DOC-WP-0050',
      title: 'YAML comments: and quoting',
      status: 'active',
      owner: 'docs-team',
      created: '2026-02-28',
      updated: '2026-03-01',
    });
    expect(fm.extra).toEqual({
      tags: ['yaml', 'comments'],
      review: { by: 'bob', on: '2026-03-02' },
      weight: 1.5,
      flag: true,
      description: 'A block scalar\nover two lines.\n',
    });
    const id = workplan.frontmatter.fields.find((f) => f.key === 'id')!;
    expect(id.raw).toBe('DOC-WP-0050');
    expect(id.valueSpan.start.line).toBe(3);
    const description = workplan.frontmatter.fields.find((f) => f.key === 'description')!;
    expect(description.raw).toBe('|\n  A block scalar\n  over two lines.');
  });

  it('accepts tabs as separators and keeps them in descriptions', () => {
    const { workplan } = parseClean('tabs');
    expect(workplan.frontmatter.data).toMatchObject({ id: 'DOC-WP-0051', domain: 'docs' });
    expect(workplan.phases[0]!.title).toBe('Tabbed phase');
    const [task] = listTasks(workplan);
    expect(task).toMatchObject({ id: 'DOC-WP-0051-T01', title: 'Tabbed task', status: 'done', priority: 'low' });
    expect(task!.description.startsWith('\tAn indented code line with a tab.')).toBe(true);
    expect(task!.description.endsWith('- item\n\t- nested with a tab')).toBe(true);
  });

  it('keeps non-ASCII text (emoji, CJK, RTL, combining marks) intact in every field', () => {
    const { workplan } = parseClean('non-ascii');
    expect(workplan.frontmatter.data).toMatchObject({ title: 'Ünïcödé — 日本語 🚀', owner: 'Zoë Ångström' });
    expect(workplan.phases[0]!.title).toBe('Überblick 概要');
    const [t1, t2] = listTasks(workplan);
    expect(t1).toMatchObject({ title: 'Straße & café 🚀', extra: { notiz: 'Grüße' }, description: 'Описание задачи: 😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢.' });
    expect(t2!.title).toBe('中文标题');
    expect(workplan.summary).toContain('e\u0301');
  });

  it('reads dependency UUIDs from a following item, a nested item or inline', () => {
    const { workplan } = parseClean('dependency-forms');
    expect(workplan.dependencies.map((d) => [d.kind, d.targets, d.dependencyUuid])).toEqual([
      ['blocks', ['DOC-WP-0061'], '4b5c6d7e-8f9a-4b0c-8d1e-2f3a4b5c6d7e'],
      ['depends_on', ['DOC-WP-0062', 'OTHER-TEAM-WP-17'], '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f'],
      ['related', ['DOC-WP-0063'], '6d7e8f9a-0b1c-4d2e-8f3a-4b5c6d7e8f9a'],
      ['depends_on', ['DOC-WP-0064'], undefined],
    ]);
  });

  it('reads dependency labels through the vocabulary; an unknown label naming a workplan is kept as the default kind, with a warning', () => {
    const { result } = parseFixture('dependency-labels');
    expect(result.value!.dependencies.map((d) => [d.kind, d.targets[0]])).toEqual([
      ['related', 'DOC-WP-0040'],
      ['related', 'DOC-WP-0081'],
      ['depends_on', 'DOC-WP-0082'],
      ['depends_on', 'DOC-WP-0083'],
      ['blocks', 'DOC-WP-0084'],
      ['blocks', 'DOC-WP-0085'],
      ['related', 'DOC-WP-0086'],
    ]);
    // The uuid after the unknown-label item belongs to it: it is not an orphan.
    expect(result.value!.dependencies[6]!.dependencyUuid).toBe('7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b');
    expect(result.diagnostics.map((d) => [d.ruleId, d.severity, d.span.start.line])).toEqual([['dependency-label-unknown', 'warning', 19]]);
    expect(result.diagnostics[0]!.message).toContain('"inspired by"');
  });

  it('a label configured in vocabularies.dependencyKind names its kind', async () => {
    const { DEFAULT_CONFIG } = await import('../../src/model/config.js');
    const { parseWorkplan } = await import('../../src/parse/workplan.js');
    const config = structuredClone(DEFAULT_CONFIG);
    config.vocabularies.dependencyKind.values.push('inspiration');
    config.vocabularies.dependencyKind.aliases['inspired by'] = 'inspiration';
    const { text } = parseFixture('dependency-labels');
    const result = parseWorkplan('workplans/dependency-labels.md', text!, config);
    expect(result.value!.dependencies[6]!.kind).toBe('inspiration');
    expect(result.diagnostics.filter((d) => d.ruleId === 'dependency-label-unknown')).toEqual([]);
  });

  it('reads carry-forward targets and notes; prose items in a closure list are warnings', () => {
    const { result } = parseFixture('closure-carry-forward');
    expect(result.diagnostics.map((d) => [d.ruleId, d.severity])).toEqual([['closure-entry-invalid', 'warning']]);
    const [review] = result.value!.closureReviews;
    expect(review!.context).toBe('Written on two lines\nwith `code`.');
    expect(review!.entries.map((e) => [e.taskId, e.classification, e.title, e.target, e.note])).toEqual([
      ['DOC-WP-0070-T01', 'done', 'Shipped', undefined, undefined],
      ['DOC-WP-0070-T02', 'carry_forward', 'Moved on', 'DOC-WP-0071', 'phase 2 there'],
      ['DOC-WP-0070-T03', 'cancelled', 'Dropped', undefined, undefined],
    ]);
  });
});

describe('spans', () => {
  const clean = [...VARIANTS, 'seed'];

  it.each(clean)('%s: every field, heading, section and description is an exact slice of the text', (name) => {
    const { text, result } = parseFixture(name);
    const workplan = result.value!;
    const checkField = (f: FieldSource): void => {
      expect(spanText(text!, f.valueSpan)).toBe(f.raw);
      expect(spanText(text!, f.lineSpan).trimStart().startsWith(f.key) || spanText(text!, f.lineSpan).includes(`${f.key}:`)).toBe(true);
      expect(spanText(text!, f.lineSpan)).not.toMatch(/[\r\n]$/);
    };
    workplan.frontmatter.fields.forEach(checkField);
    for (const section of workplan.sections) {
      expect(spanText(text!, section.span).includes(section.body)).toBe(true);
      expect(spanText(text!, section.heading.span)).toContain(section.heading.raw);
    }
    for (const task of listTasks(workplan)) {
      task.metadata.fields.forEach(checkField);
      expect(spanText(text!, task.span)).toContain(task.description);
      expect(spanText(text!, task.heading.span)).toContain(task.heading.raw);
      const at = task.metadata.insertOffset;
      // Insertions land at the start of a line (or at the end of a file without a final newline).
      expect(at === text!.length || at === 0 || text![at - 1] === '\n').toBe(true);
    }
    for (const dependency of workplan.dependencies) {
      expect(spanText(text!, dependency.span).endsWith(dependency.text)).toBe(true);
      const at = dependency.insertOffset;
      expect(at === text!.length || text![at - 1] === '\n').toBe(true);
    }
    expect(workplan.eol).toBe(text!.includes('\r\n') ? '\r\n' : '\n');
  });

  it.each(listFixtures())('%s matches its golden model', (name) => {
    const { result } = parseFixture(name);
    const rendered = renderGolden(result);
    expect(rendered).toBe(readGolden(name, rendered));
  });
});
