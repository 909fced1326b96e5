// The fast block path: a line-oriented scanner that reads Markdown's block structure into exactly the
// mdast micromark's block pass gives (markdown.ts: inline constructs off, character escapes on), for
// the constructs real workplans and ADRs are made of — paragraphs, ATX and setext headings, thematic
// breaks, bullet and ordered lists and block quotes nested to any depth, fenced code, HTML comments
// and GFM tables. Anything else (indented code, link reference definitions, other HTML, tabs where
// micromark counts columns, empty list items, unclosed fences) declines: the
// scan stops before the top-level block holding it and micromark reads on from there. Pure.
// Why and how it stays exact: adr/0010-a-line-scanner-reads-block-structure.md.
import type { Blockquote, Code, Heading, Html, List, ListItem, Paragraph, PhrasingContent, RootContent, Table } from 'mdast';
import { declineFastPath, FastPathDeclined } from './markdown-fast-decline.js';
import {
  countSpaces,
  hasCommentClose,
  isCommentOpen,
  isFenceClose,
  isSpaceOrTab,
  isThematicBreak,
  readAtxHeading,
  readFenceOpen,
  readListMarker,
  readSetextUnderline,
  skipWhitespace,
  type ListKind,
  type ListMarker,
} from './markdown-fast-lines.js';
import { buildTableRow, countHeadCells, readDelimiterRow } from './markdown-fast-table.js';
import { buildTextNodes, decodeText, point, type TextLine } from './markdown-fast-text.js';

export interface FastBlocks {
  /** The top-level nodes that start before `until`, exactly as micromark's block pass reads them. */
  nodes: RootContent[];
  /** Where the scan stopped: `end` when it read everything, else a line or block start it did not read past. */
  until: number;
  /** Why the scan stopped early (the construct it declined), and the line where it declined. */
  declined?: string;
  declinedLine?: number;
}

export interface ScanStart {
  /** The line number (1-based) of `from`, and the offset of that line's first character. */
  line: number;
  origin: number;
  /** True when micromark would try YAML frontmatter at `from` (the first chunk of a document). */
  frontmatter: boolean;
}

/** Scans text[from, end) — `from` at a clean block start — into top-level mdast nodes (see FastBlocks). */
export function scanBlocks(text: string, from: number, end: number, start: ScanStart): FastBlocks {
  return new BlockScanner(text, from, end, start).scan();
}

/** An open list and the item being read in it (micromark keeps one container per list). */
interface ListFrame {
  quote: false;
  node: List;
  item: ListItem;
  kind: ListKind;
  /** Columns an item line must be indented by to continue the item (relative to the parent's content). */
  size: number;
  /** Where the item's last content line ends. */
  endLine: number;
  endOrigin: number;
  endOffset: number;
}

/** An open block quote. */
interface QuoteFrame {
  quote: true;
  node: Blockquote;
  endLine: number;
  endOrigin: number;
  endOffset: number;
}

type Frame = ListFrame | QuoteFrame;

/** A block quote's `>` at `quoteAt`. */
interface QuoteMarker {
  quoteAt: number;
}

type Leaf =
  | { kind: 'paragraph'; depth: number; node: Paragraph; lines: TextLine[]; bracket: boolean }
  | {
      kind: 'fence';
      depth: number;
      node: Code;
      marker: number;
      size: number;
      indent: number;
      value: string;
      contentLines: number;
      eol: string;
    }
  | { kind: 'html'; depth: number; node: Html; value: string; eol: string }
  | { kind: 'table'; depth: number; node: Table };

const NUL = 0;
const LT = 60;
const GT = 62;
const BRACKET = 91;
const DASH = 45;

class BlockScanner {
  private readonly nodes: RootContent[] = [];
  private readonly frames: Frame[] = [];
  private leaf: Leaf | undefined;
  /** Blank lines since the last content line (they make a list or an item spread, see attributeBlank). */
  private pendingBlank = false;
  /** Frames a blank line inside block quotes leaves out: it is not blank for the lists around the quotes. */
  private blankFloor = 0;
  // The current line: [start, contentEnd) before its line break, `next` after it.
  private start: number;
  private contentEnd = 0;
  private next = 0;
  private line: number;
  private origin: number;

  constructor(
    private readonly text: string,
    private readonly from: number,
    private readonly end: number,
    private readonly first: ScanStart,
  ) {
    this.start = from;
    this.line = first.line;
    this.origin = first.origin;
  }

  scan(): FastBlocks {
    try {
      while (this.start < this.end) {
        this.findLineEnd();
        this.readLine();
        this.start = this.next;
        this.line++;
        this.origin = this.next;
      }
      this.closeLeaf();
      this.closeFrames(0);
      return { nodes: this.nodes, until: this.end };
    } catch (error) {
      if (!(error instanceof FastPathDeclined)) throw error;
      return this.stopped(error.reason);
    }
  }

  /** The nodes read before the top-level block open at the current line (or before the line). */
  private stopped(reason: string): FastBlocks {
    const open = this.frames[0]?.node ?? (this.leaf ? (this.leaf.depth === 0 ? this.leaf.node : undefined) : undefined);
    const until = open ? open.position!.start.offset! : this.start;
    const nodes = this.nodes.filter((node) => node.position!.start.offset! < until);
    return { nodes, until, declined: reason, declinedLine: this.line };
  }

  private findLineEnd(): void {
    const { text, end } = this;
    let i = this.start;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) break;
      if (c === NUL) declineFastPath('NUL character');
      i++;
    }
    this.contentEnd = i;
    this.next = i < end ? (text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1) : i;
  }

  private readLine(): void {
    const { text, frames } = this;
    const end = this.contentEnd;
    let pos = this.start;
    let matched = 0;
    for (; matched < frames.length; matched++) {
      const frame = frames[matched]!;
      const blank = skipWhitespace(text, pos, end) === end;
      if (frame.quote) {
        // A block quote continues on a line whose next non-blank character (up to three spaces in) is `>`.
        const indent = blank ? 4 : countSpaces(text, pos, end, 4);
        if (indent > 3 || text.charCodeAt(pos + indent) !== GT) break;
        pos = this.afterQuoteMarker(pos + indent);
        continue;
      }
      if (blank) {
        pos += this.blankIndent(pos, frame.size);
        continue;
      }
      if (isSpaceOrTab(text.charCodeAt(pos)) && countSpaces(text, pos, end, frame.size) === frame.size) {
        pos += frame.size;
        continue;
      }
      // Not indented enough for the item: a sibling item (same bullet or delimiter) continues the list.
      const indent = countSpaces(text, pos, end, 4);
      const sibling = indent <= 3 ? readListMarker(text, pos + indent, end, frame.kind, false) : undefined;
      if (sibling) {
        this.startSibling(matched, pos, sibling);
        this.readContainersAndFlow(sibling.contentStart, false);
        return;
      }
      break;
    }
    const blank = skipWhitespace(text, pos, end) === end;
    if (matched === frames.length) this.readMatchedLine(pos, blank);
    else if (blank) {
      // A blank line ends the block quotes it does not continue (and what is open inside them).
      this.closeLeaf();
      this.closeFrames(matched);
      this.readBlankLine(matched);
    } else this.readUnmatchedLine(pos, matched);
  }

  /**
   * A line blank after the prefixes of the `depth` frames it continues: the open leaf ends. Inside a
   * block quote (`>` and nothing) it is content of the quote, and blank only for what the quote holds.
   */
  private readBlankLine(depth: number): void {
    this.closeLeaf();
    let floor = 0;
    for (let i = 0; i < depth; i++) if (this.frames[i]!.quote) floor = i + 1;
    if (floor > 0) {
      // micromark ends a list inside the quote after such a line but its last item before it: unread.
      if (this.frames.length > floor) declineFastPath('blank line in a list inside a block quote');
      this.markContent();
    }
    this.blankFloor = this.pendingBlank ? Math.min(this.blankFloor, floor) : floor;
    this.pendingBlank = true;
  }

  /** The offset after a block quote's `>` at p and the one space that may follow it. */
  private afterQuoteMarker(p: number): number {
    const c = this.text.charCodeAt(p + 1);
    if (c === 9) declineFastPath('tab after a block quote marker');
    return c === 32 ? p + 2 : p + 1;
  }

  /** Spaces a blank line gives to an item's indentation (a tab there matters only inside code or HTML). */
  private blankIndent(pos: number, size: number): number {
    let n = 0;
    while (n < size && pos + n < this.contentEnd && this.text.charCodeAt(pos + n) === 32) n++;
    if (this.text.charCodeAt(pos + n) === 9 && (this.leaf?.kind === 'fence' || this.leaf?.kind === 'html'))
      declineFastPath('tab in a blank line');
    return n;
  }

  /** Every open list continues on this line. */
  private readMatchedLine(pos: number, blank: boolean): void {
    const leaf = this.leaf;
    if (leaf?.kind === 'fence') return this.readFenceLine(leaf, pos, blank);
    if (leaf?.kind === 'html') return this.readHtmlLine(leaf, pos);
    if (blank) return this.readBlankLine(this.frames.length);
    const paragraph = leaf?.kind === 'paragraph' ? leaf : undefined;
    if (this.readNewContainers(pos, paragraph !== undefined, this.frames.length)) return;
    if (paragraph && this.continuesParagraph(paragraph, pos, false)) return this.markContent();
    this.attributeBlank(this.frames.length);
    this.readFlow(pos);
  }

  /** Some open lists or quotes do not continue: a new container, a lazy paragraph line, or their end. */
  private readUnmatchedLine(pos: number, matched: number): void {
    // A container starting inside a block quote ends the lists open in that quote after the quote's
    // marker on this line (micromark's exit point; `> * a` / `> - b`): unread.
    if (matched > 0 && this.frames[matched - 1]!.quote && matched < this.frames.length && this.readContainerStart(pos, false)) {
      declineFastPath('a container ending a list inside a block quote');
    }
    if (this.readNewContainers(pos, false, matched)) return;
    const leaf = this.leaf;
    if (leaf?.kind === 'paragraph' && this.continuesParagraph(leaf, pos, true)) return this.markContent();
    this.closeLeaf();
    this.closeFrames(matched);
    this.attributeBlank(matched);
    this.readFlow(pos);
  }

  /** A new item of the list at `depth`: the item before it and every list inside it end. */
  private startSibling(depth: number, pos: number, marker: ListMarker): void {
    this.closeLeaf();
    this.closeFrames(depth + 1);
    const frame = this.frames[depth] as ListFrame;
    if (this.pendingBlank && depth >= this.blankFloor) frame.node.spread = true;
    this.pendingBlank = false;
    frame.item.position!.end = point(frame.endLine, frame.endOrigin, frame.endOffset);
    frame.item = this.createItem(marker);
    frame.size = marker.contentStart - pos;
    frame.node.children.push(frame.item);
  }

  /**
   * New list items at pos (and nested ones after them on the same line), then the rest of the line
   * as flow. False when pos starts no container. `interrupt`: a paragraph is open (micromark's rule).
   */
  private readNewContainers(pos: number, interrupt: boolean, matched: number): boolean {
    const marker = this.readContainerStart(pos, interrupt);
    if (!marker) return false;
    this.closeLeaf();
    this.closeFrames(matched);
    this.attributeBlank(matched);
    this.readContainersAndFlow(this.openContainer(pos, marker), interrupt);
    return true;
  }

  /** More list items opening on this line at pos, then the line's flow. */
  private readContainersAndFlow(pos: number, interrupt: boolean): void {
    for (;;) {
      const marker = this.readContainerStart(pos, interrupt);
      if (!marker) break;
      pos = this.openContainer(pos, marker);
    }
    // Only a block quote opens on a blank rest of line (an empty list item declines).
    if (skipWhitespace(this.text, pos, this.contentEnd) === this.contentEnd) return this.readBlankLine(this.frames.length);
    this.readFlow(pos);
  }

  private readContainerStart(pos: number, interrupt: boolean): ListMarker | QuoteMarker | undefined {
    const end = this.contentEnd;
    const indent = countSpaces(this.text, pos, end, 4);
    if (indent > 3) return undefined;
    if (this.text.charCodeAt(pos + indent) === GT) return { quoteAt: pos + indent };
    return readListMarker(this.text, pos + indent, end, undefined, interrupt);
  }

  /** Opens the list or block quote whose prefix starts at pos; returns where its content starts. */
  private openContainer(pos: number, marker: ListMarker | QuoteMarker): number {
    if (!('quoteAt' in marker)) return this.openList(pos, marker);
    const start = point(this.line, this.origin, marker.quoteAt);
    const node: Blockquote = { type: 'blockquote', children: [], position: { start, end: point(this.line, this.origin, this.contentEnd) } };
    this.append(node, this.frames.length);
    this.frames.push({ quote: true, node, endLine: this.line, endOrigin: this.origin, endOffset: this.contentEnd });
    return this.afterQuoteMarker(marker.quoteAt);
  }

  /** Opens a list whose first item's prefix starts at pos; returns where the item's content starts. */
  private openList(pos: number, marker: ListMarker): number {
    const item = this.createItem(marker);
    const node: List = {
      type: 'list',
      ordered: marker.ordered,
      start: marker.ordered ? marker.value : null,
      spread: false,
      children: [item],
      position: { start: point(this.line, this.origin, marker.markerStart), end: point(this.line, this.origin, this.contentEnd) },
    };
    this.append(node, this.frames.length);
    this.frames.push({
      quote: false,
      node,
      item,
      kind: { ordered: marker.ordered, marker: marker.marker },
      size: marker.contentStart - pos,
      endLine: this.line,
      endOrigin: this.origin,
      endOffset: this.contentEnd,
    });
    return marker.contentStart;
  }

  private createItem(marker: ListMarker): ListItem {
    const start = point(this.line, this.origin, marker.markerStart);
    return {
      type: 'listItem',
      spread: false,
      checked: null,
      children: [],
      position: { start, end: point(this.line, this.origin, this.contentEnd) },
    };
  }

  /** The line's content at pos (inside every open list) as a new flow construct. */
  private readFlow(pos: number): void {
    const { text } = this;
    const end = this.contentEnd;
    const depth = this.frames.length;
    const indent = countSpaces(text, pos, end, 4);
    if (indent > 3) declineFastPath('indented code');
    const p = pos + indent;
    const c = text.charCodeAt(p);
    if (this.first.frontmatter && this.start === this.from && text.startsWith('---', p)) declineFastPath('frontmatter fence');
    if (this.readLineBlock(pos, p, depth)) return this.markContent();
    const leaf = this.leaf;
    if (leaf?.kind === 'table') {
      leaf.node.children.push(buildTableRow(text, p, end, this.line, this.origin));
      leaf.node.position!.end = point(this.line, this.origin, end);
      return this.markContent();
    }
    if (this.startsTable(p, depth)) return this.readTableHead(p);
    this.closeLeaf();
    const node: Paragraph = {
      type: 'paragraph',
      children: [],
      position: { start: point(this.line, this.origin, p), end: point(this.line, this.origin, end) },
    };
    this.append(node, depth);
    this.leaf = { kind: 'paragraph', depth, node, lines: [], bracket: c === BRACKET };
    this.addParagraphLine(this.leaf, p);
    this.markContent();
  }

  /** A heading, thematic break, code fence or HTML comment at p (after `pos` and up to three spaces). */
  private readLineBlock(pos: number, p: number, depth: number): boolean {
    const { text } = this;
    const end = this.contentEnd;
    const c = text.charCodeAt(p);
    if (c === 35) {
      const heading = readAtxHeading(text, p, end);
      if (heading) {
        this.closeLeaf();
        const node: Heading = {
          type: 'heading',
          depth: heading.depth as Heading['depth'],
          children: [],
          position: { start: point(this.line, this.origin, p), end: point(this.line, this.origin, end) },
        };
        if (heading.contentEnd > heading.contentStart) {
          node.children = buildTextNodes(text, [
            { start: heading.contentStart, end: heading.contentEnd, next: this.next, line: this.line, origin: this.origin },
          ]) as PhrasingContent[];
        }
        this.append(node, depth);
        return true;
      }
    } else if (isThematicBreak(text, p, end)) {
      this.closeLeaf();
      this.append(
        { type: 'thematicBreak', position: { start: point(this.line, this.origin, p), end: point(this.line, this.origin, end) } },
        depth,
      );
      return true;
    } else if (c === 96 || c === 126) {
      const fence = readFenceOpen(text, p, end);
      if (fence) {
        this.closeLeaf();
        const lang = fence.langEnd > fence.langStart ? decodeText(text, fence.langStart, fence.langEnd) : null;
        const meta = fence.metaEnd > fence.metaStart ? decodeText(text, fence.metaStart, fence.metaEnd) : null;
        const node: Code = {
          type: 'code',
          lang,
          meta,
          value: '',
          position: { start: point(this.line, this.origin, p), end: point(this.line, this.origin, end) },
        };
        this.append(node, depth);
        this.leaf = {
          kind: 'fence',
          depth,
          node,
          marker: fence.marker,
          size: fence.size,
          indent: p - pos,
          value: '',
          contentLines: 0,
          eol: '',
        };
        this.leaf.eol = text.slice(end, this.next);
        return true;
      }
    } else if (c === LT) {
      if (!isCommentOpen(text, p, end)) declineFastPath('HTML other than a comment');
      this.closeLeaf();
      const node: Html = {
        type: 'html',
        value: '',
        position: { start: point(this.line, this.origin, pos), end: point(this.line, this.origin, end) },
      };
      this.append(node, depth);
      const leaf: Leaf = { kind: 'html', depth, node, value: text.slice(pos, end), eol: text.slice(end, this.next) };
      if (hasCommentClose(text, p + 2, end)) {
        node.value = leaf.value;
      } else this.leaf = leaf;
      return true;
    }
    return false;
  }

  private readFenceLine(leaf: Extract<Leaf, { kind: 'fence' }>, pos: number, blank: boolean): void {
    const { text } = this;
    const end = this.contentEnd;
    if (!blank && isFenceClose(text, pos, end, leaf.marker, leaf.size, pos === this.start)) {
      leaf.node.value = leaf.value;
      leaf.node.position!.end = point(this.line, this.origin, end);
      this.leaf = undefined;
      return this.markContent();
    }
    let p = pos;
    for (let n = 0; n < leaf.indent && p < end; n++, p++) {
      const c = text.charCodeAt(p);
      if (c === 9) declineFastPath('tab in fenced code indentation');
      if (c !== 32) break;
    }
    if (leaf.contentLines > 0) leaf.value += leaf.eol;
    leaf.value += text.slice(p, end);
    leaf.contentLines++;
    leaf.eol = text.slice(end, this.next);
    this.markContent();
  }

  private readHtmlLine(leaf: Extract<Leaf, { kind: 'html' }>, pos: number): void {
    const end = this.contentEnd;
    leaf.value += leaf.eol + this.text.slice(pos, end);
    leaf.eol = this.text.slice(end, this.next);
    if (hasCommentClose(this.text, pos, end)) {
      leaf.node.value = leaf.value;
      leaf.node.position!.end = point(this.line, this.origin, end);
      this.leaf = undefined;
    }
    this.markContent();
  }

  /**
   * Whether the line at pos continues the open paragraph (then it is added): it does unless a heading,
   * thematic break, fence, HTML, table or (when not lazy) setext underline starts on it. A setext
   * underline turns the paragraph into a heading here.
   */
  private continuesParagraph(leaf: Extract<Leaf, { kind: 'paragraph' }>, pos: number, lazy: boolean): boolean {
    const { text } = this;
    const end = this.contentEnd;
    const indent = countSpaces(text, pos, end, 4);
    if (indent <= 3) {
      const p = pos + indent;
      const c = text.charCodeAt(p);
      if (c === 35 && readAtxHeading(text, p, end)) return false;
      if (!lazy) {
        const depth = readSetextUnderline(text, p, end);
        if (depth) {
          this.closeSetext(leaf, depth);
          return true;
        }
      }
      if (isThematicBreak(text, p, end)) return false;
      if ((c === 96 || c === 126) && readFenceOpen(text, p, end)) return false;
      if (c === LT) {
        if (isCommentOpen(text, p, end)) return false;
        declineFastPath('HTML other than a comment');
      }
      if (this.startsTable(p, lazy ? -1 : this.frames.length)) return false;
    }
    this.addParagraphLine(leaf, skipWhitespace(text, pos, end));
    return true;
  }

  private addParagraphLine(leaf: Extract<Leaf, { kind: 'paragraph' }>, p: number): void {
    if (leaf.bracket && this.text.slice(p, this.contentEnd).includes(']:')) declineFastPath('link reference definition');
    leaf.lines.push({ start: p, end: this.contentEnd, next: this.next, line: this.line, origin: this.origin });
    leaf.node.position!.end = point(this.line, this.origin, this.contentEnd);
  }

  /** The paragraph, with this line as its underline, is a setext heading. */
  private closeSetext(leaf: Extract<Leaf, { kind: 'paragraph' }>, depth: 1 | 2): void {
    const heading: Heading = {
      type: 'heading',
      depth,
      children: buildTextNodes(this.text, leaf.lines) as PhrasingContent[],
      position: { start: leaf.node.position!.start, end: point(this.line, this.origin, this.contentEnd) },
    };
    const siblings = this.childrenAt(leaf.depth);
    siblings[siblings.length - 1] = heading;
    this.leaf = undefined;
  }

  /**
   * True when a table starts at p: its head row here and a delimiter row with as many cells on the
   * next line. Tables are read at the top level only (`depth` 0); one that may start deeper declines.
   */
  private startsTable(p: number, depth: number): boolean {
    const { text } = this;
    if (this.next >= this.end) return false;
    let nextEnd = this.next;
    while (nextEnd < this.end && text.charCodeAt(nextEnd) !== 10 && text.charCodeAt(nextEnd) !== 13) nextEnd++;
    if (depth !== 0) {
      // The next line still carries its containers' markers (`> |---|`): look past them.
      if (looksLikeDelimiterRow(text, skipQuoteMarkers(text, this.next, nextEnd), nextEnd)) declineFastPath('table inside a container');
      return false;
    }
    const size = countHeadCells(text, p, this.contentEnd);
    if (size === undefined) return false;
    const first = skipWhitespace(text, this.next, nextEnd);
    if (text.charCodeAt(first) === DASH && isSpaceOrTab(text.charCodeAt(first + 1))) {
      if (looksLikeDelimiterRow(text, this.next, nextEnd)) declineFastPath('table delimiter row or list item');
      return false;
    }
    return readDelimiterRow(text, this.next, nextEnd, size) !== undefined;
  }

  /** A table's head row at p and its delimiter row (the next line, read here too). */
  private readTableHead(p: number): void {
    this.closeLeaf();
    const { text } = this;
    const head = buildTableRow(text, p, this.contentEnd, this.line, this.origin);
    const size = countHeadCells(text, p, this.contentEnd)!;
    // The delimiter row: the next line.
    this.start = this.next;
    this.line++;
    this.origin = this.next;
    this.findLineEnd();
    const align = readDelimiterRow(text, this.start, this.contentEnd, size)!;
    const node: Table = {
      type: 'table',
      align,
      children: [head],
      position: { start: { ...head.position!.start }, end: point(this.line, this.origin, this.contentEnd) },
    };
    this.append(node, 0);
    this.leaf = { kind: 'table', depth: 0, node };
    this.markContent();
  }

  /** Blank lines before a content line at `depth` make the item holding it spread. */
  private attributeBlank(depth: number): void {
    const frame = this.frames[depth - 1];
    if (this.pendingBlank && frame && !frame.quote && depth - 1 >= this.blankFloor) frame.item.spread = true;
    this.pendingBlank = false;
  }

  /** The line is content of every open list item: each item (and list) ends after it for now. */
  private markContent(): void {
    for (const frame of this.frames) {
      frame.endLine = this.line;
      frame.endOrigin = this.origin;
      frame.endOffset = this.contentEnd;
    }
  }

  private append(node: RootContent, depth: number): void {
    this.childrenAt(depth).push(node);
  }

  private childrenAt(depth: number): RootContent[] {
    if (depth === 0) return this.nodes;
    const frame = this.frames[depth - 1]!;
    return (frame.quote ? frame.node.children : frame.item.children) as RootContent[];
  }

  private closeLeaf(): void {
    const leaf = this.leaf;
    if (!leaf) return;
    if (leaf.kind === 'paragraph') leaf.node.children = buildTextNodes(this.text, leaf.lines) as PhrasingContent[];
    else if (leaf.kind === 'fence') declineFastPath('unclosed code fence');
    else if (leaf.kind === 'html') declineFastPath('unclosed HTML comment');
    this.leaf = undefined;
  }

  /** Ends the lists and quotes at `depth` and deeper, each at its last content line. */
  private closeFrames(depth: number): void {
    while (this.frames.length > depth) {
      const frame = this.frames.pop()!;
      if (!frame.quote) frame.item.position!.end = point(frame.endLine, frame.endOrigin, frame.endOffset);
      frame.node.position!.end = point(frame.endLine, frame.endOrigin, frame.endOffset);
    }
  }
}

/** The position after any block quote markers and white space at the start of a line. */
function skipQuoteMarkers(text: string, from: number, to: number): number {
  let i = from;
  while (i < to && (text.charCodeAt(i) === 62 || isSpaceOrTab(text.charCodeAt(i)))) i++;
  return i;
}

/** Lexically a delimiter row (`|`, `:`, `-` and whitespace, with a `-`), after any indentation. */
function looksLikeDelimiterRow(text: string, from: number, to: number): boolean {
  let dash = false;
  for (let i = skipWhitespace(text, from, to); i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === DASH) dash = true;
    else if (c !== 124 && c !== 58 && !isSpaceOrTab(c)) return false;
  }
  return dash;
}
