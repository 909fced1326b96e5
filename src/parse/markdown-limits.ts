// The limits that keep Markdown parsing linear in time and bounded in memory, and the one linear
// scan of the text they need. Pure.
// micromark (the CommonMark engine under remark) has inputs on which it is super-linear: its
// document tokenizer copies every event so far each time a nested container closes (nested list
// items, block quotes), a line of thousands of nested containers costs more than quadratic time, and
// its inline resolvers (emphasis, links, code spans) walk back over the whole paragraph per
// delimiter. It also holds up to ~4 KB per input byte of an open block (a list of short items).
// markdown.ts parses in chunks at top-level block boundaries and only parses inline Markdown where
// the format reads it; these limits refuse, with a diagnostic, what would still be too costly.

/** Nested list items that one line may open (`- - - x`): beyond ~200, each costs more than the last. */
export const MAX_NESTED_LISTS_PER_LINE = 100;
/**
 * How deep a line may sit in nested list items, counting the items that earlier lines opened (a list
 * whose depth grows by one a line, each item indented under the last) as well as its own.
 */
export const MAX_LIST_DEPTH = 100;
/** List nesting up to this depth costs nothing extra (outlines as people write them). */
export const FREE_LIST_DEPTH = 8;
/**
 * Budget for Σ over lines of (list depth − FREE_LIST_DEPTH)²: micromark's time grows with the square of
 * a line's depth (a staircase of 100 nested items, 10 KB, is ~260,000 and 0.17 s; a file of such
 * staircases took 10 s per MiB). 2 million is ~0.8 s.
 */
export const LIST_NESTING_BUDGET = 2_000_000;
/** Nested containers (block quotes and list items) that one line may open (`>>>>> x`). */
export const MAX_NESTED_CONTAINERS_PER_LINE = 1_000;
/**
 * Largest weight (see LineTable.weightBefore) of a run of text without a top-level block boundary
 * (one list, quote, table, code block or paragraph): the parser's memory grows with it, by ~4 KB per
 * unit (~30 KB per list item), so a block of this weight peaks under ~300 MB.
 */
export const MAX_BLOCK_WEIGHT = 64 * 1024;
/** How much of a chunk's next line the chunk's parse reads to see that the line starts a block. */
export const CUT_LINE_BYTES = 1024;
/** Chunks are at least this long: a split costs a second parse of one line, and a parser setup. */
export const MIN_CHUNK_BYTES = 2 * 1024;
/**
 * Budget for Σ (containers opened × lines) over the parsed chunks (see LineTable.markersBefore): the
 * cost of micromark copying its events when nested containers close. A generated 12 KB workplan
 * spends under 10³; 5 million is a nested list of ~16 KB with no top-level boundary, ~1 s.
 */
export const BLOCK_COMPLEXITY_BUDGET = 5_000_000;
/**
 * Budget for Σ (inline markup characters × length) over the inline runs (headings, paragraphs,
 * table cells) parsed for their inline Markdown: a bound on the resolvers' walks back.
 */
export const INLINE_COMPLEXITY_BUDGET = 20_000_000;

/** What a limit refused, with offsets into the scanned text. */
export interface Refusal {
  ruleId: 'markdown-too-deeply-nested' | 'markdown-block-too-large' | 'markdown-too-complex';
  start: number;
  end: number;
  message: string;
  hint: string;
}

/** The lines of a range, as the chunked parser needs them. */
export interface LineTable {
  /** Offset where each line starts (the first is the range's start, maybe mid-line). */
  starts: number[];
  /**
   * markersBefore[i]: containers that may close costly, opened on the lines before line i — block
   * quotes a line opens beyond the previous line's, and list items but an unindented first one (a
   * flat list item closes nothing costly; a long block quote opens once).
   */
  markersBefore: number[];
  /**
   * weightBefore[i]: what micromark's memory grows with, over the lines before line i — one per line,
   * per character that may start a token of its own (`\`, `&`, `|`, `*`, `_`, `` ` ``, `[`, `]`, `!`,
   * `<`, `>`), and eight per list marker (a list item holds a tokenizer of its own).
   */
  weightBefore: number[];
  /** Index of the next line at or after i where a chunk may start (lines.length when none). */
  nextCandidate: number[];
}

/**
 * Scans [start, end) once: line offsets, container markers per line, and the lines where a chunk
 * may start — unindented lines that are not list items, after a blank line (not one after an indented
 * code block) or opening an ATX heading. (A candidate is only a guess: the chunked parser verifies it.) Refuses a line that opens
 * more nested containers than the limits allow.
 */
export function scanLines(text: string, start: number, end: number): LineTable | Refusal {
  const starts: number[] = [];
  const markersBefore: number[] = [0];
  const weightBefore: number[] = [0];
  const candidate: boolean[] = [];
  let previousBlank = true;
  let previousIndented = false;
  let previousQuotes = 0;
  const lists = new ListDepth();
  let nestingCost = 0;
  let i = start;
  for (;;) {
    let e = i;
    while (e < end && text.charCodeAt(e) !== 10 && text.charCodeAt(e) !== 13) e++;
    const markers = countContainerMarkers(text, i, e);
    if (markers.lists > MAX_NESTED_LISTS_PER_LINE || markers.lists + markers.quotes > MAX_NESTED_CONTAINERS_PER_LINE) {
      if (!isThematicBreak(text, markers.firstListMarker, e)) return refuseNesting(i, e, markers.lists, markers.quotes);
    }
    const depth = lists.next(text, i, e, previousBlank);
    if (depth > MAX_LIST_DEPTH) return refuseListDepth(i, e, depth);
    if (depth > FREE_LIST_DEPTH) {
      nestingCost += (depth - FREE_LIST_DEPTH) ** 2;
      if (nestingCost > LIST_NESTING_BUDGET) return refuseListNesting(i, e);
    }
    const first = text.charCodeAt(i);
    const blank = isBlankRange(text, i, e);
    starts.push(i);
    const opened =
      Math.max(0, markers.quotes - previousQuotes) + markers.lists - (markers.lists > 0 && markers.firstListMarker === i ? 1 : 0);
    markersBefore.push(markersBefore[markersBefore.length - 1]! + opened);
    weightBefore.push(weightBefore[weightBefore.length - 1]! + 1 + countTokenCharacters(text, i, e) + 8 * markers.lists);
    previousQuotes = blank ? 0 : markers.quotes;
    // After an indented code block, a blank line still belongs to it for the parser, which then reads
    // the next line as interrupting it: not a fresh start.
    const afterBlank = previousBlank && !previousIndented;
    candidate.push(!blank && first !== 32 && first !== 9 && !startsListItem(text, i, e) && (afterBlank || first === 35));
    previousBlank = blank;
    if (!blank) previousIndented = isIndented(text, i, e);
    if (e >= end) break;
    i = e + (text.charCodeAt(e) === 13 && text.charCodeAt(e + 1) === 10 ? 2 : 1);
    if (i > end) break;
  }
  const nextCandidate = new Array<number>(starts.length + 1);
  nextCandidate[starts.length] = starts.length;
  for (let l = starts.length - 1; l >= 0; l--) nextCandidate[l] = candidate[l] ? l : nextCandidate[l + 1]!;
  return { starts, markersBefore, weightBefore, nextCandidate };
}

/**
 * The list nesting a line sits in, from indentation alone (lexical, like the other limits): the open
 * list items are a stack of their content columns; a list item line is nested in every open item
 * whose content column its marker reaches, and opens one item per marker. A line that is not a list
 * item closes the items it is not indented into only after a blank line (otherwise it may be a lazy
 * continuation, which closes nothing). It errs towards deeper, never shallower, than CommonMark.
 */
class ListDepth {
  private readonly contentColumns: number[] = [];

  /** The depth of the line [from, to): open items containing it plus the items it opens. */
  next(text: string, from: number, to: number, afterBlank: boolean): number {
    let column = 0;
    let i = from;
    for (; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c === 32) column++;
      else if (c === 9) column += 4 - (column % 4);
      else break;
    }
    if (i >= to) return 0; // blank: closes nothing yet, and holds no content
    const markerEnd = isThematicBreak(text, i, to) ? -1 : listMarkerEnd(text, i, to);
    if (markerEnd === -1) {
      if (afterBlank) this.closeBeyond(column);
      return this.contentColumns.length;
    }
    this.closeBeyond(column);
    // This item and any further markers on the line (`- - x`): each nests in the one before.
    let at = i;
    let end = markerEnd;
    let atColumn = column;
    for (;;) {
      this.contentColumns.push(atColumn + (end - at) + 1);
      let next = end;
      let nextColumn = atColumn + (end - at);
      while (next < to && (text.charCodeAt(next) === 32 || text.charCodeAt(next) === 9)) {
        nextColumn += text.charCodeAt(next) === 9 ? 4 - (nextColumn % 4) : 1;
        next++;
      }
      const further = next < to && nextColumn - (atColumn + (end - at)) <= 4 ? listMarkerEnd(text, next, to) : -1;
      if (further === -1) break;
      at = next;
      end = further;
      atColumn = nextColumn;
    }
    return this.contentColumns.length;
  }

  /** Closes the open items whose content starts right of `column`. */
  private closeBeyond(column: number): void {
    while (this.contentColumns.length > 0 && this.contentColumns[this.contentColumns.length - 1]! > column) this.contentColumns.pop();
  }
}

export function isRefusal<T extends object>(value: T | Refusal): value is Refusal {
  return 'ruleId' in value;
}

interface Markers {
  quotes: number;
  lists: number;
  /** Offset of the first list marker (the line's end when there is none). */
  firstListMarker: number;
}

/**
 * Counts the container markers a line starts with: `>` and list markers (`-`, `+`, `*`, `1.`, `1)`
 * followed by a space, a tab or the line's end), each after at most four spaces or tabs. Lexical:
 * it also counts markers inside code blocks, which is what a limit on nesting needs.
 */
function countContainerMarkers(text: string, from: number, to: number): Markers {
  let quotes = 0;
  let lists = 0;
  let firstListMarker = to;
  let i = from;
  for (;;) {
    let indent = 0;
    while (i < to && indent < 4 && isSpaceOrTab(text.charCodeAt(i))) {
      i++;
      indent++;
    }
    if (i >= to) break;
    const c = text.charCodeAt(i);
    if (c === 62) {
      quotes++;
      i++;
      continue;
    }
    const after = listMarkerEnd(text, i, to);
    if (after === -1) break;
    if (lists === 0) firstListMarker = i;
    lists++;
    i = after;
  }
  return { quotes, lists, firstListMarker };
}

/** Offset after a list marker at `i` (`-`, `+`, `*`, or up to 9 digits and `.`/`)`), or -1. */
function listMarkerEnd(text: string, i: number, to: number): number {
  const c = text.charCodeAt(i);
  let j = i;
  if (c === 45 || c === 43 || c === 42) j = i + 1;
  else {
    while (j < to && j - i < 9 && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    if (j === i || (text.charCodeAt(j) !== 46 && text.charCodeAt(j) !== 41)) return -1;
    j++;
  }
  return j >= to || isSpaceOrTab(text.charCodeAt(j)) ? j : -1;
}

function startsListItem(text: string, from: number, to: number): boolean {
  return listMarkerEnd(text, from, to) !== -1;
}

/** `- - -`, `***`, `_ _ _`: three or more of one marker character and nothing else but blanks. */
function isThematicBreak(text: string, from: number, to: number): boolean {
  const marker = text.charCodeAt(from);
  if (marker !== 45 && marker !== 42 && marker !== 95) return false;
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === marker) count++;
    else if (!isSpaceOrTab(c)) return false;
  }
  return count >= 3;
}

/** Four columns of indentation or more (a tab reaches the next multiple of four). */
function isIndented(text: string, from: number, to: number): boolean {
  let column = 0;
  for (let i = from; i < to && column < 4; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) column++;
    else if (c === 9) column += 4 - (column % 4);
    else return false;
  }
  return column >= 4;
}

/** Characters that may start a token of their own (an escape, a reference, a cell, a delimiter). */
const TOKEN_CHARACTERS = new Set([33, 38, 42, 60, 62, 91, 92, 93, 95, 96, 124]); // ! & * < > [ \ ] _ ` |

function countTokenCharacters(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (TOKEN_CHARACTERS.has(text.charCodeAt(i))) count++;
  return count;
}

function isBlankRange(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpaceOrTab(text.charCodeAt(i))) return false;
  return true;
}

function isSpaceOrTab(c: number): boolean {
  return c === 32 || c === 9;
}

function refuseNesting(start: number, end: number, lists: number, quotes: number): Refusal {
  const what =
    lists > MAX_NESTED_LISTS_PER_LINE
      ? `${formatCount(lists)} nested list items (at most ${MAX_NESTED_LISTS_PER_LINE} are read)`
      : `${formatCount(lists + quotes)} nested block quotes and list items (at most ${formatCount(MAX_NESTED_CONTAINERS_PER_LINE)} are read)`;
  return {
    ruleId: 'markdown-too-deeply-nested',
    start,
    end,
    message: `This line opens ${what}; the file was not parsed`,
    hint: 'Remove the extra `>` or list markers, or escape the first one with a backslash (`\\>`, `\\-`) to keep it as text.',
  };
}

function refuseListDepth(start: number, end: number, depth: number): Refusal {
  return {
    ruleId: 'markdown-too-deeply-nested',
    start,
    end,
    message: `This line is nested ${formatCount(depth)} list items deep (at most ${MAX_LIST_DEPTH} are read); the file was not parsed`,
    hint: 'Flatten the list: indent fewer items under one another.',
  };
}

function refuseListNesting(start: number, end: number): Refusal {
  return {
    ruleId: 'markdown-too-complex',
    start,
    end,
    message: `The deeply nested lists up to here are too many to parse in reasonable time (list depth beyond ${FREE_LIST_DEPTH}, squared and summed over the lines, is over ${formatCount(LIST_NESTING_BUDGET)}); the file was not parsed`,
    hint: 'Flatten the lists: indent fewer items under one another.',
  };
}

/** 80000 → "80,000". */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
