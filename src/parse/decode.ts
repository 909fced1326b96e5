// Bytes → text. Pure: strict UTF-8 only, never guesses an encoding and never throws on bad input.
// The BOM, if any, is kept in the text so that every offset indexes the file as decoded; a text that
// could only be decoded lossily is refused (value undefined), because writing it back would corrupt it.
import type { Diagnostic, ParseResult, Span } from '../model/diagnostic.js';
import { createLineIndex } from '../model/position.js';

export interface DecodedSource {
  /** The decoded text, including a leading U+FEFF when the file has a BOM. */
  text: string;
  hasBom: boolean;
}

const BOM = 0xfeff;

/** Decodes a file's bytes as strict UTF-8; invalid sequences and NUL bytes are diagnostics. */
export function decodeSource(path: string, bytes: Uint8Array): ParseResult<DecodedSource> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const bad = findInvalidUtf8(bytes);
    const prefix = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(0, bad));
    const span = pointSpan(prefix, prefix.length);
    const shown = Array.from(bytes.subarray(bad, Math.min(bad + 4, bytes.length)), (b) => `0x${b.toString(16).padStart(2, '0')}`);
    return {
      value: undefined,
      diagnostics: [
        diagnostic(
          path,
          span,
          'encoding-invalid',
          `Invalid UTF-8 byte sequence (${shown.join(' ')}) at byte ${bad}`,
          'Save the file as UTF-8; workplan files must be valid UTF-8 text.',
        ),
      ],
    };
  }
  const nul = text.indexOf('\0');
  if (nul !== -1) {
    return {
      value: undefined,
      diagnostics: [
        diagnostic(
          path,
          pointSpan(text, nul, 1),
          'encoding-nul',
          'The file contains a NUL byte (U+0000); it looks binary',
          'Remove the NUL bytes; workplan files must be plain text.',
        ),
      ],
    };
  }
  return { value: { text, hasBom: text.charCodeAt(0) === BOM }, diagnostics: [] };
}

/** Index of the first byte that starts an invalid UTF-8 sequence (WHATWG rules), or bytes.length. */
export function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lower = 0xa0;
      if (b === 0xed) upper = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lower = 0x90;
      if (b === 0xf4) upper = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      const lo = k === 1 ? lower : 0x80;
      const hi = k === 1 ? upper : 0xbf;
      if (c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return n;
}

function pointSpan(text: string, offset: number, length = 0): Span {
  return createLineIndex(text).spanOf(offset, offset + length);
}

function diagnostic(path: string, span: Span, ruleId: string, message: string, hint: string): Diagnostic {
  return { path, span, severity: 'error', ruleId, message, hint };
}
