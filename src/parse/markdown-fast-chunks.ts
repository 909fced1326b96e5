// The fast block path inside the chunked parse (markdown-chunks.ts): answers, for a chunk, what
// micromark's parse of it would give — its top-level nodes and whether the cut line starts a node —
// from one scan (markdown-fast-blocks.ts) that runs ahead to the end of the text or to the first block
// it declines. Where it cannot answer, the chunk is parsed by micromark, and the scan starts again at
// the next chunk. Pure. See adr/0010-a-line-scanner-reads-block-structure.md.
import type { RootContent } from 'mdast';
import { scanBlocks, type FastBlocks } from './markdown-fast-blocks.js';

/** What the fast path knows of a chunk [start, cut) (or [start, end) without a cut). */
export interface FastChunk {
  /** The chunk's top-level nodes: those starting before the cut (all when there is none). */
  nodes: RootContent[];
  /** Whether a top-level node starts at the cut (micromark's test that the cut is clean). */
  startsAtCut: boolean;
}

export interface FastChunkReader {
  /**
   * The chunk starting at `start` (line `line`, whose column 1 is at `origin`; `first`: the range's
   * first chunk) up to `cut`, or undefined when the fast path does not know it.
   */
  read(start: number, line: number, origin: number, first: boolean, cut: number | undefined): FastChunk | undefined;
}

/** A reader for the range ending at `end` of `text`; `frontmatter`: micromark tries YAML frontmatter at the range's start. */
export function createFastChunkReader(text: string, end: number, frontmatter: boolean): FastChunkReader {
  let scan: FastBlocks | undefined;
  let scannedFrom = -1;
  return {
    read(start, line, origin, first, cut) {
      if (!scan || start < scannedFrom || start >= scan.until) {
        scan = scanBlocks(text, start, end, { line, origin, frontmatter: first && frontmatter });
        scannedFrom = start;
      }
      if (cut === undefined ? scan.until !== end : cut >= scan.until) return undefined;
      const limit = cut ?? end;
      const nodes: RootContent[] = [];
      let startsAtCut = false;
      for (const node of scan.nodes) {
        const offset = node.position!.start.offset!;
        if (offset < start) continue;
        if (offset >= limit) {
          startsAtCut = offset === cut;
          break;
        }
        nodes.push(node);
      }
      return { nodes, startsAtCut };
    },
  };
}
