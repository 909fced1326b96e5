import { describe, expect, it } from 'vitest';
import { applyTextEdits } from '../../src/writeback/apply-text-edits.js';
import {
  detectEol,
  isLineStart,
  lineBreakLengthAt,
  lineEndAt,
  lineStartAt,
  planLineInsertAfter,
  planLineInsertAt,
} from '../../src/writeback/line-insert.js';

const insertAfter = (text: string, offset: number, line: string, eol: '\n' | '\r\n' = '\n') =>
  applyTextEdits(text, [planLineInsertAfter(text, offset, line, eol)]);
const insertAt = (text: string, offset: number, line: string, eol: '\n' | '\r\n' = '\n') =>
  applyTextEdits(text, [planLineInsertAt(text, offset, line, eol)]);

describe('line boundaries', () => {
  it('treats \\r\\n, \\n and a lone \\r as line breaks', () => {
    expect(lineBreakLengthAt('a\r\nb', 1)).toBe(2);
    expect(lineBreakLengthAt('a\nb', 1)).toBe(1);
    expect(lineBreakLengthAt('a\rb', 1)).toBe(1);
    expect(lineBreakLengthAt('ab', 1)).toBe(0);
  });

  it('knows that the middle of \\r\\n is not a line start', () => {
    expect(isLineStart('a\r\nb', 2)).toBe(false);
    expect(isLineStart('a\r\nb', 3)).toBe(true);
    expect(isLineStart('a\rb', 2)).toBe(true);
    expect(isLineStart('abc', 0)).toBe(true);
    expect(isLineStart('abc', 3)).toBe(false);
    expect(isLineStart('abc\n', 4)).toBe(true);
  });

  it('finds line ends and starts', () => {
    expect(lineEndAt('ab\r\ncd', 0)).toBe(2);
    expect(lineEndAt('ab\r\ncd', 3)).toBe(2);
    expect(lineEndAt('ab\r\ncd', 4)).toBe(6);
    expect(lineStartAt('ab\r\ncd', 5)).toBe(4);
    expect(lineStartAt('ab\r\ncd', 1)).toBe(0);
  });

  it('detects the first line break of a text', () => {
    expect(detectEol('a\r\nb\nc')).toBe('\r\n');
    expect(detectEol('a\nb\r\nc')).toBe('\n');
    expect(detectEol('abc', '\r\n')).toBe('\r\n');
  });
});

describe('planLineInsertAfter', () => {
  it("inserts after the line, ending the new line with that line's own break", () => {
    expect(insertAfter('a\r\nb\r\n', 0, 'X', '\n')).toBe('a\r\nX\r\nb\r\n');
    expect(insertAfter('a\nb\n', 2, 'X')).toBe('a\nb\nX\n');
  });

  it('puts the break before the new line after a last line without a final break', () => {
    expect(insertAfter('a\nb', 2, 'X')).toBe('a\nb\nX');
    expect(insertAfter('a\r\nb', 3, 'X', '\r\n')).toBe('a\r\nb\r\nX');
  });
});

describe('planLineInsertAt', () => {
  it('inserts at a line start as is', () => {
    expect(insertAt('a\nb\n', 2, 'X')).toBe('a\nX\nb\n');
    expect(insertAt('', 0, 'X', '\r\n')).toBe('X\r\n');
    expect(insertAt('a\n', 2, 'X')).toBe('a\nX\n');
  });

  it('moves an offset inside a line to the next line start', () => {
    expect(insertAt('ab\ncd\n', 1, 'X')).toBe('ab\nX\ncd\n');
  });

  it('handles the end of a text without a final break', () => {
    expect(insertAt('ab', 2, 'X')).toBe('ab\nX');
  });

  it('refuses offsets outside the text', () => {
    expect(() => planLineInsertAt('ab', 3, 'X', '\n')).toThrow(RangeError);
  });
});
