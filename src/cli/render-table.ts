// A plain-text table that fits the terminal: columns as wide as their widest cell; when the terminal
// is narrower, the flexible columns (titles) are cut with `…`, then optional columns are dropped from
// the right. Output that is not a terminal (a pipe, a file) is never cut. Pure string building.

export interface TableColumn {
  header: string;
  /** Cut (with `…`) before anything else when the table is too wide, down to `minWidth`. */
  flex?: boolean;
  minWidth?: number;
  /** Dropped (rightmost first) when cutting the flexible columns is not enough. */
  optional?: boolean;
  align?: 'left' | 'right';
}

const GAP = 2;

/** The table's lines (header first); `maxWidth` undefined means no limit. */
export function renderTable(columns: readonly TableColumn[], rows: readonly string[][], maxWidth?: number): string[] {
  let shown = columns.map((_, i) => i);
  const natural = columns.map((c, i) => Math.max(width(c.header), ...rows.map((r) => width(r[i] ?? ''))));
  let widths = [...natural];
  const total = () => shown.reduce((n, i) => n + widths[i]!, 0) + GAP * (shown.length - 1);
  if (maxWidth !== undefined) {
    for (;;) {
      if (total() <= maxWidth) break;
      const over = total() - maxWidth;
      const flex = shown.filter((i) => columns[i]!.flex && widths[i]! > (columns[i]!.minWidth ?? 12));
      if (flex.length > 0) {
        const i = flex.reduce((a, b) => (widths[a]! >= widths[b]! ? a : b));
        widths[i] = Math.max(columns[i]!.minWidth ?? 12, widths[i]! - over);
        continue;
      }
      const optional = [...shown].reverse().find((i) => columns[i]!.optional);
      if (optional === undefined) break;
      shown = shown.filter((i) => i !== optional);
      widths = widths.map((w, i) => (i === optional ? 0 : w));
    }
  }
  const line = (cells: readonly string[]) =>
    shown
      .map((i, k) => {
        const text = cut(cells[i] ?? '', widths[i]!);
        const padding = ' '.repeat(widths[i]! - width(text));
        if (columns[i]!.align === 'right') return padding + text;
        return k === shown.length - 1 ? text : text + padding;
      })
      .join(' '.repeat(GAP))
      .replace(/\s+$/, '');
  return [line(columns.map((c) => c.header)), ...rows.map(line)];
}

/** Display width: code points (a fair approximation without a width table). */
function width(text: string): number {
  return [...text].length;
}

function cut(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}
