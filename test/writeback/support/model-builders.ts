// Test-only builders of the model pieces the write-back planners read (FieldSource, Frontmatter,
// Task), located in a text by simple line matching. The real parser is used by the fixture and
// property tests; these keep the unit tests independent of it.
import { createLineIndex } from '../../../src/model/position.js';
import type { FieldSource, Frontmatter, MetadataForm, Task } from '../../../src/model/workplan.js';

const LINE = /[^\r\n]*(?:\r\n|\r|\n|$)/g;

/** Every line of `text` with its start offset and its content end (before the break). */
export function linesOf(text: string): Array<{ start: number; end: number; content: string }> {
  const out: Array<{ start: number; end: number; content: string }> = [];
  for (const m of text.matchAll(LINE)) {
    if (m[0] === '' && m.index === text.length && out.length > 0) break;
    const content = m[0].replace(/\r?\n$|\r$/, '');
    out.push({ start: m.index, end: m.index + content.length, content });
    if (m.index === text.length) break;
  }
  return out;
}

/** FieldSources of every `key: value` line in text[from, to) (prefix such as `- ` or indentation allowed). */
export function fieldsIn(text: string, from = 0, to = text.length): FieldSource[] {
  const index = createLineIndex(text);
  const fields: FieldSource[] = [];
  for (const line of linesOf(text)) {
    if (line.start < from || line.end > to) continue;
    const m = /^([ \t]*(?:- )?(?:\*\*)?)([A-Za-z_][A-Za-z0-9_-]*)(:(?:\*\*)?)([ \t]*)(.*?)(?:[ \t]+#.*)?[ \t]*$/.exec(line.content);
    if (!m) continue;
    const valueStart = line.start + m[1]!.length + m[2]!.length + m[3]!.length + (m[5] === '' ? 0 : m[4]!.length);
    const raw = m[5]!;
    fields.push({
      key: m[2]!,
      raw,
      lineSpan: index.spanOf(line.start, line.end),
      valueSpan: index.spanOf(valueStart, valueStart + raw.length),
    });
  }
  return fields;
}

/** A Frontmatter for a text starting with (an optional BOM and) `---` … `---`. */
export function frontmatterOf(text: string): Frontmatter<Record<string, string>> {
  const lines = linesOf(text);
  const close = lines.findIndex((l, i) => i > 0 && l.content === '---');
  const bodyStart = lines[1]!.start;
  const bodyEnd = lines[close]!.start;
  const fields = fieldsIn(text, bodyStart, bodyEnd).filter((f) => !/^[ \t]/.test(text.slice(f.lineSpan.start.offset)));
  const index = createLineIndex(text);
  return {
    data: Object.fromEntries(fields.map((f) => [f.key, f.raw])),
    span: index.spanOf(0, lines[close]!.end),
    bodyStart,
    bodyEnd,
    fields,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

/** A Task whose metadata block is text[from, to) (every `key: value` line in it is a field). */
export function taskOf(text: string, from: number, to: number, form: MetadataForm, linePrefix = ''): Task {
  const index = createLineIndex(text);
  const fields = fieldsIn(text, from, to);
  const last = fields[fields.length - 1]!;
  const end = last.lineSpan.end.offset;
  const insertOffset = text.startsWith('\r\n', end) ? end + 2 : text[end] === '\n' || text[end] === '\r' ? end + 1 : end;
  const heading = { depth: 3, text: 'T', raw: 'T', span: index.spanOf(0, 0) };
  return {
    id: fields.find((f) => f.key === 'id')?.raw ?? '',
    label: '',
    title: 'T',
    status: 'todo',
    priority: 'medium',
    description: '',
    order: 0,
    phaseNumber: 1,
    heading,
    metadata: { form, span: index.spanOf(from, to), fields, insertOffset, linePrefix },
    span: index.spanOf(from, to),
    extra: {},
  };
}
