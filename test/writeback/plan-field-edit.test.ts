import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listTasks } from '../../src/model/workplan.js';
import { parseWorkplan } from '../../src/parse/workplan.js';
import { applyTextEdits } from '../../src/writeback/apply-text-edits.js';
import { formatFieldValue, needsYamlQuotes } from '../../src/writeback/field-line.js';
import { planFrontmatterFieldEdit, planTaskFieldEdit } from '../../src/writeback/plan-field-edit.js';
import { frontmatterOf, taskOf } from './support/model-builders.js';

function setFrontmatter(text: string, key: string, value: string): string {
  return applyTextEdits(text, planFrontmatterFieldEdit(text, frontmatterOf(text), key, value));
}

describe('planFrontmatterFieldEdit', () => {
  it('changes only the value bytes of an existing key; comments, key order and other lines stay', () => {
    const text = '---\nid: X-WP-1\nstatus: active   # set by hand\nowner: me\n---\n# T\n';
    expect(setFrontmatter(text, 'status', 'completed')).toBe('---\nid: X-WP-1\nstatus: completed   # set by hand\nowner: me\n---\n# T\n');
  });

  it('keeps the quote character of a quoted value', () => {
    expect(setFrontmatter('---\nstatus: "active"\n---\n', 'status', 'completed')).toBe('---\nstatus: "completed"\n---\n');
    expect(setFrontmatter("---\nstatus: 'active'\n---\n", 'status', "it's done")).toBe("---\nstatus: 'it''s done'\n---\n");
    expect(setFrontmatter('---\ntitle: "a"\n---\n', 'title', 'say "hi"')).toBe('---\ntitle: "say \\"hi\\""\n---\n');
  });

  it('writes dates as the plain strings given', () => {
    expect(setFrontmatter('---\ncompleted: 2026-01-01\n---\n', 'completed', '2026-03-02')).toBe('---\ncompleted: 2026-03-02\n---\n');
  });

  it('fills an empty value, adding the space a bare colon lacks', () => {
    expect(setFrontmatter('---\ncompleted:\nid: A\n---\n', 'completed', '2026-03-02')).toBe('---\ncompleted: 2026-03-02\nid: A\n---\n');
  });

  it("inserts a missing key as a new line before the closing ---, with the file's line break", () => {
    const text = '\ufeff---\r\nid: X-WP-1\r\nstatus: active\r\n---\r\nbody';
    expect(setFrontmatter(text, 'completed', '2026-03-02')).toBe(
      '\ufeff---\r\nid: X-WP-1\r\nstatus: active\r\ncompleted: 2026-03-02\r\n---\r\nbody',
    );
  });

  it('quotes a new value that YAML would not read back as the same string', () => {
    expect(setFrontmatter('---\nid: A\n---\n', 'note', 'a: b')).toBe('---\nid: A\nnote: "a: b"\n---\n');
    expect(setFrontmatter('---\nid: A\n---\n', 'flag', 'yes')).toBe('---\nid: A\nflag: "yes"\n---\n');
  });

  it('refuses a multi-line value and a key that is not a plain identifier (programming errors)', () => {
    const text = '---\nid: A\n---\n';
    expect(() => planFrontmatterFieldEdit(text, frontmatterOf(text), 'id', 'a\nb: c')).toThrow(RangeError);
    expect(() => planFrontmatterFieldEdit(text, frontmatterOf(text), 'a: b\nc', 'x')).toThrow(RangeError);
  });

  it('refuses a model that does not match the text (never edits at a stale offset)', () => {
    const text = '---\nstatus: active\n---\n';
    const stale = frontmatterOf(text);
    expect(() => planFrontmatterFieldEdit(`#${text}`, stale, 'status', 'completed')).toThrow(/does not match/);
  });
});

describe('planTaskFieldEdit', () => {
  const lines = '### P1 — T\n\nid: X-WP-1-T01\nstatus: todo\npriority: high\n\nBody.\n';

  it('replaces a plain-line value', () => {
    const task = taskOf(lines, lines.indexOf('id:'), lines.indexOf('\n\nBody'), 'lines');
    expect(applyTextEdits(lines, planTaskFieldEdit(lines, task, 'status', 'cancelled'))).toBe(
      lines.replace('status: todo', 'status: cancelled'),
    );
  });

  it("inserts a missing key after the last field, in the block's own form", () => {
    const task = taskOf(lines, lines.indexOf('id:'), lines.indexOf('\n\nBody'), 'lines');
    expect(applyTextEdits(lines, planTaskFieldEdit(lines, task, 'owner', 'me'))).toBe(
      lines.replace('priority: high\n', 'priority: high\nowner: me\n'),
    );

    const list = '### T\r\n\r\n- id: X-WP-1-T01\r\n- status: todo\r\n\r\nBody.\r\n';
    const listTask = taskOf(list, list.indexOf('- id'), list.indexOf('\r\n\r\nBody'), 'list', '- ');
    expect(applyTextEdits(list, planTaskFieldEdit(list, listTask, 'priority', 'low'))).toBe(
      list.replace('- status: todo\r\n', '- status: todo\r\n- priority: low\r\n'),
    );

    const fence = '### T\n\n```yaml\n  id: X-WP-1-T01\n  status: todo\n```\n';
    const fenceTask = taskOf(fence, fence.indexOf('```yaml'), fence.lastIndexOf('```') + 3, 'yaml-fence', '  ');
    expect(applyTextEdits(fence, planTaskFieldEdit(fence, fenceTask, 'note', 'a: b'))).toBe(
      fence.replace('  status: todo\n', '  status: todo\n  note: "a: b"\n'),
    );
  });

  it('inserts after a last line without a final line break', () => {
    const text = '### T\n\nid: X-WP-1-T01\nstatus: todo';
    const task = taskOf(text, text.indexOf('id:'), text.length, 'lines');
    expect(applyTextEdits(text, planTaskFieldEdit(text, task, 'priority', 'low'))).toBe(`${text}\npriority: low`);
  });

  it('keeps quoting in the plain-line form but adds none', () => {
    const text = "id: X-WP-1-T01\nstatus: 'todo'\n";
    const task = taskOf(text, 0, text.length, 'lines');
    expect(applyTextEdits(text, planTaskFieldEdit(text, task, 'status', 'done'))).toBe("id: X-WP-1-T01\nstatus: 'done'\n");
    expect(applyTextEdits(text, planTaskFieldEdit(text, task, 'note', 'a: b'))).toBe("id: X-WP-1-T01\nstatus: 'todo'\nnote: a: b\n");
  });
});

describe('formatFieldValue', () => {
  it('knows which values a YAML plain scalar cannot hold', () => {
    for (const v of [
      '',
      ' a',
      'a ',
      '- a',
      '#a',
      'a: b',
      'a #b',
      'true',
      'NO',
      'null',
      '~',
      '*x',
      '{a}',
      '"q',
      'a\tb',
      '0',
      '-1.5',
      '1e3',
      '0x1F',
      '0o17',
      '.inf',
      '.NaN',
    ]) {
      expect(needsYamlQuotes(v), v).toBe(true);
    }
    for (const v of ['completed', '2026-03-02', 'in_progress', 'a-b', 'C++', 'x:y', 'é', 'v1.2', '1.2.3', '0x'])
      expect(needsYamlQuotes(v), v).toBe(false);
  });

  it('never lets a value span lines', () => {
    expect(() => formatFieldValue('a\rb', undefined, 'plain')).toThrow(RangeError);
    expect(() => formatFieldValue('a\u2028b', undefined, 'yaml')).toThrow(RangeError);
  });
});

describe('field edits on a parsed workplan (the seed, CRLF + BOM)', () => {
  const SEED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/writeback/seed-crlf-bom/expected.md');
  const text = readFileSync(SEED).toString('utf8');

  it("changing one frontmatter value changes only that value's bytes; quoting, key order and the rest stay", () => {
    const workplan = parseWorkplan('w.md', text).value!;
    const edits = [
      ...planFrontmatterFieldEdit(text, workplan.frontmatter, 'status', 'archived'),
      ...planFrontmatterFieldEdit(text, workplan.frontmatter, 'title', 'New — title'),
      ...planFrontmatterFieldEdit(text, workplan.frontmatter, 'completed', '2026-03-02'),
    ];
    const output = applyTextEdits(text, edits);
    expect(output).toBe(
      text
        .replace('status: completed\r\n', 'status: archived\r\n')
        .replace('title: "State Hub v0.5 — Dynamic Domains & Multi-Repo"', 'title: "New — title"')
        .replace('completed: 2026-02-28', 'completed: 2026-03-02'),
    );
    const reparsed = parseWorkplan('w.md', output).value!;
    expect(reparsed.frontmatter.data).toMatchObject({
      status: 'archived',
      title: 'New — title',
      completed: '2026-03-02',
      created: '2026-02-28',
    });
    expect(reparsed.frontmatter.fields.map((f) => f.key)).toEqual(workplan.frontmatter.fields.map((f) => f.key));
  });

  it('a task status edit and a new task key touch only that task', () => {
    const workplan = parseWorkplan('w.md', text).value!;
    const task = listTasks(workplan).find((t) => t.id === 'CUST-WP-0005-T03')!;
    const output = applyTextEdits(text, [
      ...planTaskFieldEdit(text, task, 'status', 'cancelled'),
      ...planTaskFieldEdit(text, task, 'carried_to', 'CUST-WP-0009'),
    ]);
    const reparsed = parseWorkplan('w.md', output).value!;
    const after = listTasks(reparsed);
    expect(after.find((t) => t.id === 'CUST-WP-0005-T03')).toMatchObject({ status: 'cancelled', extra: { carried_to: 'CUST-WP-0009' } });
    expect(after.filter((t) => t.id !== 'CUST-WP-0005-T03').map((t) => t.status)).toEqual(Array(10).fill('done'));
    const start = task.metadata.fields[0]!.lineSpan.start.offset;
    expect(output.slice(0, start)).toBe(text.slice(0, start));
    expect(output.length - text.length).toBe('cancelled'.length - 'done'.length + 'carried_to: CUST-WP-0009\r\n'.length);
  });
});
