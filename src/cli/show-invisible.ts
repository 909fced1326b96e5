// Characters a terminal shows as nothing (or as a space), escaped so a message says what is really
// there: `Task id "ADV-WP-0001-T0\u200B2"` instead of an id that looks right. Pure.
// Escaped: control characters (but tab and newline), format characters (zero-width spaces and
// joiners, bidirectional controls, the BOM, the soft hyphen, tag characters), line and paragraph
// separators, every space but U+0020 (no-break and typographic spaces), private-use and lone
// surrogate code points, and the Hangul fillers and combining grapheme joiner that render blank.
// (An emoji sequence joined by U+200D shows its joiners escaped too: a message names, it does not draw.)

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\p{Zs}\u034F\u115F\u1160\u3164\uFFA0]/gu;

/** `text` with every invisible or look-alike-space character written as `\uXXXX` (or `\u{XXXXX}`). */
export function showInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => {
    if (c === '\n' || c === '\t' || c === ' ') return c;
    const code = c.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16).toUpperCase()}}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  });
}
