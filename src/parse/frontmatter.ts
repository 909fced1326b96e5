// The `---` YAML block at the start of a Markdown file. Pure; never touches the filesystem, never throws
// on bad input. The block is found by its fences only (never by searching the text for keys), and its
// YAML is parsed with the core schema so dates stay the strings the user wrote.
import type { ParseResult } from '../model/diagnostic.js';
import type { LineIndex } from '../model/position.js';
import type { Frontmatter } from '../model/workplan.js';
import { createReporter } from './reporter.js';
import { detectEol, findLineEnd, skipLineBreak } from './line-breaks.js';
import { parseYamlMapping } from './yaml-mapping.js';

export interface FrontmatterBlock extends Frontmatter<Record<string, unknown>> {
  /** Offset where the Markdown after the block starts (after the closing fence's line break). */
  contentStart: number;
  /** False when the YAML could not be read (`data` is then `{}`). */
  valid: boolean;
}

const FENCE = /^---[ \t]*$/;

/**
 * Locates and parses the frontmatter. The value is present whenever both fences were found; its
 * `data` is `{}` when the YAML is invalid (the diagnostics say why).
 */
export function parseFrontmatter(path: string, text: string, lineIndex: LineIndex): ParseResult<FrontmatterBlock> {
  const reporter = createReporter(path, lineIndex);
  const open = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const openEnd = findLineEnd(text, open);
  if (!FENCE.test(text.slice(open, openEnd))) {
    reporter.report(
      'frontmatter-missing',
      open,
      open,
      'The file does not start with a `---` frontmatter block',
      'Start the file with a `---` line, the YAML fields (id, type, title, domain, status), and a closing `---` line.',
    );
    return { value: undefined, diagnostics: reporter.diagnostics };
  }
  const bodyStart = skipLineBreak(text, openEnd);
  let lineStart = bodyStart;
  let close = -1;
  let closeEnd = -1;
  while (lineStart <= text.length) {
    const lineEnd = findLineEnd(text, lineStart);
    if (FENCE.test(text.slice(lineStart, lineEnd))) {
      close = lineStart;
      closeEnd = lineEnd;
      break;
    }
    if (lineEnd === text.length) break;
    lineStart = skipLineBreak(text, lineEnd);
  }
  if (close === -1 || openEnd === text.length) {
    reporter.report(
      'frontmatter-unclosed',
      open,
      openEnd,
      'The frontmatter block opened on line 1 is never closed',
      'Add a `---` line after the last frontmatter field.',
    );
    return { value: undefined, diagnostics: reporter.diagnostics };
  }
  const mapping = parseYamlMapping(text, bodyStart, close, reporter, {
    syntax: 'frontmatter-yaml-invalid',
    duplicateKey: 'frontmatter-key-duplicate',
    notMapping: 'frontmatter-not-mapping',
    label: 'Frontmatter',
  });
  return {
    value: {
      data: mapping.data,
      span: lineIndex.spanOf(open, closeEnd),
      bodyStart,
      bodyEnd: close,
      fields: mapping.fields,
      valid: mapping.ok,
      eol: detectEol(text, open),
      contentStart: skipLineBreak(text, closeEnd),
    },
    diagnostics: reporter.diagnostics,
  };
}
