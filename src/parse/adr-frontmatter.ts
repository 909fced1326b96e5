// The metadata block at the top of an ADR: YAML frontmatter (`---`, MADR 3/4, Docusaurus, Jekyll) or
// TOML (`+++`, Hugo). Pure. ADR metadata is optional, so a block YAML cannot read is not fatal: it is a
// warning, and its `key: value` lines are read one by one instead (the MADR 3 template's
// `status: {proposed | … | superseded by [ADR-0005](0005-example.md)}` and Backstage's
// `title: ADR000: [TITLE]` are not valid YAML, yet their authors meant exactly those values).
import type { Diagnostic, Span } from '../model/diagnostic.js';
import type { LineIndex } from '../model/position.js';
import type { FieldSource } from '../model/workplan.js';
import { parseFrontmatter, type FrontmatterBlock } from './frontmatter.js';
import { detectEol, findLineEnd, skipLineBreak } from './line-breaks.js';
import type { Reporter } from './reporter.js';
import { unquoteValue } from './value-formats.js';

/** A metadata block, read by YAML or line by line. */
export interface AdrMetadataBlock extends FrontmatterBlock {
  /** `yaml`: parsed as YAML; `lines`: read line by line (TOML, or YAML that does not parse). */
  readAs: 'yaml' | 'lines';
}

const YAML_FENCE = /^---[ \t]*(?:\r\n|\n|\r|$)/;
const TOML_FENCE = /^\+\+\+[ \t]*(?:\r\n|\n|\r|$)/;

/**
 * The block at the start of the file, when there is one; its problems are reported as warnings.
 * A `---` that is never closed is a thematic break, not a block: the file is read without one.
 */
export function readAdrMetadataBlock(path: string, text: string, lines: LineIndex, reporter: Reporter): AdrMetadataBlock | undefined {
  const open = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const head = text.slice(open, open + 8);
  if (TOML_FENCE.test(head)) return readTomlBlock(text, open, lines);
  if (!YAML_FENCE.test(head)) return undefined;
  const result = parseFrontmatter(path, text, lines);
  // An alias bomb is hostile input, not an author's way of writing: it stays an error (nothing is read).
  const hostile = result.diagnostics.some((d) => /alias/i.test(d.message));
  for (const d of result.diagnostics) {
    if (d.ruleId === 'frontmatter-missing') continue;
    reporter.diagnostics.push(hostile ? d : asWarning(d));
  }
  const block = result.value;
  if (!block) return undefined;
  if (hostile) return { ...block, readAs: 'yaml' };
  if (block.valid) return { ...block, readAs: 'yaml' };
  const read = readLinesLoosely(text, block.bodyStart, block.bodyEnd, lines, ':');
  return { ...block, data: read.data, fields: read.fields, readAs: 'lines' };
}

function asWarning(d: Diagnostic): Diagnostic {
  const hint =
    d.ruleId === 'frontmatter-unclosed'
      ? 'The file is read as Markdown from its first line; add a closing `---` line if the lines after the first are metadata.'
      : `${d.hint ?? ''} Until then its \`key: value\` lines are read one by one.`.trim();
  return { ...d, severity: 'warning', hint };
}

/** A Hugo `+++` block: `key = "value"` lines. */
function readTomlBlock(text: string, open: number, lines: LineIndex): AdrMetadataBlock | undefined {
  const bodyStart = skipLineBreak(text, findLineEnd(text, open));
  let lineStart = bodyStart;
  while (lineStart < text.length) {
    const lineEnd = findLineEnd(text, lineStart);
    if (/^\+\+\+[ \t]*$/.test(text.slice(lineStart, lineEnd))) {
      const read = readLinesLoosely(text, bodyStart, lineStart, lines, '=');
      return {
        data: read.data,
        fields: read.fields,
        span: lines.spanOf(open, lineEnd),
        bodyStart,
        bodyEnd: lineStart,
        valid: true,
        eol: detectEol(text, open),
        contentStart: skipLineBreak(text, lineEnd),
        readAs: 'lines',
      };
    }
    if (lineEnd === text.length) break;
    lineStart = skipLineBreak(text, lineEnd);
  }
  return undefined;
}

const KEY_LINE = /^([A-Za-z_][\w.-]*(?: [\w.-]+)*)[ \t]*([:=])[ \t]*(.*?)[ \t]*$/;

/**
 * Reads top-level `key: value` (or `key = value`) lines: comments, blank and indented lines are
 * skipped, a value keeps its text (one pair of surrounding quotes removed), `[a, b]` becomes a list.
 */
function readLinesLoosely(
  text: string,
  from: number,
  to: number,
  lines: LineIndex,
  separator: ':' | '=',
): { data: Record<string, unknown>; fields: FieldSource[] } {
  const data: Record<string, unknown> = {};
  const fields: FieldSource[] = [];
  let lineStart = from;
  while (lineStart < to) {
    const lineEnd = Math.min(findLineEnd(text, lineStart), to);
    const line = text.slice(lineStart, lineEnd);
    const m = KEY_LINE.exec(line);
    if (m && m[2] === separator && !Object.hasOwn(data, m[1]!)) {
      const raw = stripLineComment(m[3]!);
      const valueStart = lineStart + line.indexOf(m[3]!, m[1]!.length);
      data[m[1]!] = toLooseValue(raw);
      fields.push({
        key: m[1]!,
        raw,
        lineSpan: lines.spanOf(lineStart, lineEnd),
        valueSpan: lines.spanOf(valueStart, valueStart + raw.length) as Span,
      });
    }
    if (lineEnd >= to) break;
    lineStart = skipLineBreak(text, lineEnd);
  }
  return { data, fields };
}

/** Drops a trailing ` # comment` (not a `#` inside the value, e.g. in a URL). */
function stripLineComment(value: string): string {
  if (/^["']/.test(value)) return value;
  return value.replace(/\s+#.*$/, '');
}

function toLooseValue(raw: string): unknown {
  if (raw === '' || raw === '~' || raw === 'null') return null;
  const list = /^\[(.*)\]$/.exec(raw);
  // `[a, b]` is a list, but a MADR placeholder such as `[YYYY-MM-DD …]` stays text.
  if (list && list[1]!.includes(','))
    return list[1]!
      .split(',')
      .map((item) => unquoteValue(item.trim()))
      .filter((item) => item !== '');
  return unquoteValue(raw);
}
