// `key: value` lines as written by the user: formatting a new value in the old value's quoting
// style, and building a new field line in the same form as an existing one. Pure.
import type { FieldSource } from '../model/workplan.js';

/** Where a value will be read back: by a YAML parser, or by the metadata-line reader. */
export type ValueContext = 'yaml' | 'plain';

const LINE_BREAK = /[\r\n\u2028\u2029]/;
const YAML_KEYWORD = /^(?:true|false|yes|no|on|off|y|n|null|~)$/i;
/** What the YAML 1.2 core schema reads as a number (`0`, `-1.5`, `1e3`, `0x1F`, `0o17`, `.inf`, `.nan`). */
const YAML_NUMBER = /^(?:[-+]?(?:\.\d+|\d+(?:\.\d*)?)(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** Throws when `value` cannot be written as a one-line field value (a programming error). */
export function assertSingleLineValue(value: string): void {
  if (LINE_BREAK.test(value)) {
    throw new RangeError(`A field value must be a single line; got ${JSON.stringify(value)}`);
  }
}

/** True when a YAML plain scalar could not hold `value` unchanged (as a string). */
export function needsYamlQuotes(value: string): boolean {
  return (
    value === '' ||
    /^\s|\s$/.test(value) ||
    /^[-?:,[\]{}#&*!|>'"%@`]/.test(value) ||
    /:(?:\s|$)|\s#|\t/.test(value) ||
    /[\u0000-\u001f\u007f\ufeff]/.test(value) ||
    YAML_KEYWORD.test(value) ||
    YAML_NUMBER.test(value)
  );
}

function quoteDouble(value: string): string {
  // JSON strings are valid YAML double-quoted scalars.
  return JSON.stringify(value);
}

function quoteSingle(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Formats `value` for writing where `oldRaw` stood: the same quote character when the old value
 * was quoted; plain otherwise, unless YAML needs quotes (then double quotes).
 */
export function formatFieldValue(value: string, oldRaw: string | undefined, context: ValueContext): string {
  assertSingleLineValue(value);
  const old = oldRaw?.trim() ?? '';
  if (old.length >= 2 && old.startsWith('"') && old.endsWith('"')) return quoteDouble(value);
  if (old.length >= 2 && old.startsWith("'") && old.endsWith("'")) return quoteSingle(value);
  if (context === 'yaml' && needsYamlQuotes(value)) return quoteDouble(value);
  return value;
}

/** Throws unless the field's value span in `text` holds exactly `field.raw` (a stale model). */
export function assertFieldMatchesText(text: string, field: FieldSource): void {
  const { start, end } = field.valueSpan;
  if (end.offset > text.length || text.slice(start.offset, end.offset) !== field.raw) {
    throw new Error(
      `The model does not match the text: field "${field.key}" expected ${JSON.stringify(field.raw)} at offset ${start.offset}`,
    );
  }
}

/**
 * A new field line written like `anchor`'s line: the same prefix before the key (indentation,
 * `- `, `**`), the same separator after it, then `valueText`. Undefined when the key cannot be
 * located in the anchor line.
 */
export function mirrorFieldLine(text: string, anchor: FieldSource, key: string, valueText: string): string | undefined {
  const head = text.slice(anchor.lineSpan.start.offset, anchor.valueSpan.start.offset);
  const at = head.lastIndexOf(anchor.key);
  if (at < 0 || anchor.key === '') return undefined;
  let separator = head.slice(at + anchor.key.length);
  // An anchor with an empty value may end right at the colon; a value needs a space after it.
  if (!/\s$/.test(separator)) separator += ' ';
  if (!separator.includes(':')) return undefined;
  return head.slice(0, at) + key + separator + valueText;
}
