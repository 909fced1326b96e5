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
  const natural = columns.map((c, i) => Math.max(width(c.header), ...rows.map((r) => width(r[i] ?? ''))));
  let shown = columns.map((_, i) => i);
  let widths = fitFlexible(columns, shown, natural, maxWidth);
  // Too wide even with the flexible columns cut to their minimum: drop optional columns, rightmost first.
  while (widths === undefined) {
    const optional = [...shown].reverse().find((i) => columns[i]!.optional);
    if (optional === undefined) {
      widths = shown.map((i) => (columns[i]!.flex ? Math.min(natural[i]!, columns[i]!.minWidth ?? 12) : natural[i]!));
      break;
    }
    shown = shown.filter((i) => i !== optional);
    widths = fitFlexible(columns, shown, natural, maxWidth);
  }
  const w = widths;
  const line = (cells: readonly string[]) =>
    shown
      .map((i, k) => {
        const text = cut(cells[i] ?? '', w[k]!);
        const padding = ' '.repeat(w[k]! - width(text));
        if (columns[i]!.align === 'right') return padding + text;
        return k === shown.length - 1 ? text : text + padding;
      })
      .join(' '.repeat(GAP))
      .replace(/\s+$/, '');
  return [line(columns.map((c) => c.header)), ...rows.map(line)];
}

/** Widths of the shown columns within `maxWidth`, cutting the widest flexible column first; undefined when it cannot fit. */
function fitFlexible(
  columns: readonly TableColumn[],
  shown: readonly number[],
  natural: readonly number[],
  maxWidth: number | undefined,
): number[] | undefined {
  const widths = shown.map((i) => natural[i]!);
  if (maxWidth === undefined) return widths;
  const total = () => widths.reduce((n, x) => n + x, 0) + GAP * (shown.length - 1);
  while (total() > maxWidth) {
    const candidates = shown.map((_i, k) => k).filter((k) => columns[shown[k]!]!.flex && widths[k]! > (columns[shown[k]!]!.minWidth ?? 12));
    if (candidates.length === 0) return undefined;
    const k = candidates.reduce((a, b) => (widths[a]! >= widths[b]! ? a : b));
    widths[k] = Math.max(columns[shown[k]!]!.minWidth ?? 12, widths[k]! - (total() - maxWidth));
  }
  return widths;
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
