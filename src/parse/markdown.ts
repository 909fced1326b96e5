// Markdown → mdast. The only module that imports the Markdown parser. Pure; never touches the filesystem.
// It calls remark-parse's own engine (mdast-util-from-markdown over micromark) directly with exactly the
// syntax extensions the format needs: CommonMark, YAML frontmatter and GFM tables (Closure Review
// classification tables). The rest of GFM (autolink literals, footnotes, strikethrough, task list items)
// never changes structure here — descriptions are kept as verbatim source slices — and autolink-literal
// scanning alone costs ~20% of a remark-gfm parse (measured on the seed).
import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfmTable } from 'micromark-extension-gfm-table';

const OPTIONS = {
  extensions: [frontmatter(['yaml']), gfmTable()],
  mdastExtensions: [frontmatterFromMarkdown(['yaml']), gfmTableFromMarkdown()],
};

const BOM = 0xfeff;

/**
 * Parses `text` (from offset `from`, default 0) into an mdast tree whose positions index the whole
 * `text`: offsets, lines and columns are those of the original string, a leading BOM included.
 */
export function parseMarkdownTree(text: string, from = 0): Root {
  let start = Math.max(0, Math.min(from, text.length));
  // micromark drops a leading BOM without counting it; skip it ourselves so offsets stay exact.
  if (text.charCodeAt(start) === BOM) start++;
  const tree = fromMarkdown(start === 0 ? text : text.slice(start), OPTIONS);
  if (start > 0) rebasePositions(tree, text, start);
  return tree;
}

interface Point {
  line: number;
  column: number;
  offset?: number | undefined;
}

interface PositionedNode {
  position?: { start: Point; end: Point } | undefined;
  children?: PositionedNode[];
}

/** Shifts every position of a tree parsed from `text.slice(start)` so it indexes `text`. */
function rebasePositions(tree: Root, text: string, start: number): void {
  let lineShift = 0;
  let lineStart = 0;
  for (let i = 0; i < start; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      lineShift++;
      lineStart = i + 1;
    }
  }
  const columnShift = start - lineStart;
  const shift = (p: Point): void => {
    if (p.line === 1) p.column += columnShift;
    p.line += lineShift;
    if (p.offset !== undefined) p.offset += start;
  };
  const stack: PositionedNode[] = [tree as PositionedNode];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.position) {
      shift(node.position.start);
      shift(node.position.end);
    }
    if (node.children) for (const child of node.children) stack.push(child);
  }
}
