// A unified diff of two texts (what `--dry-run` prints for planned file edits). Pure; no dependency.
// Lines are compared with their line breaks, so a changed line ending shows as a change. The common
// prefix and suffix are trimmed first and Myers' O(ND) algorithm diffs the rest: our edits are small
// and local, so the middle part is tiny even in a large file. Output follows `diff -u` / git:
// `--- a/path`, `+++ b/path`, `@@ -l,s +l,s @@` hunks with 3 lines of context, and
// `\ No newline at end of file` after a last line without a line break.

export interface UnifiedDiffOptions {
  /** Lines of context around each change (default 3). */
  context?: number;
  /** Labels for the two sides (default `a/<path>` and `b/<path>`). */
  oldLabel?: string;
  newLabel?: string;
}

type Op = { kind: 'equal' | 'delete' | 'insert'; line: string };

/** The unified diff of `before` → `after` for `path`, or '' when they are equal. Ends with a line break. */
export function renderUnifiedDiff(path: string, before: string, after: string, options: UnifiedDiffOptions = {}): string {
  if (before === after) return '';
  const context = Math.max(0, options.context ?? 3);
  const ops = diffLines(splitLinesKeepingBreaks(before), splitLinesKeepingBreaks(after));
  const out: string[] = [`--- ${options.oldLabel ?? `a/${path}`}`, `+++ ${options.newLabel ?? `b/${path}`}`];
  // Positions (old line index, new line index) before each op.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 0;
  let n = 0;
  for (const op of ops) {
    oldAt.push(o);
    newAt.push(n);
    if (op.kind !== 'insert') o++;
    if (op.kind !== 'delete') n++;
  }
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.kind === 'equal') {
      i++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change that
    // is at most 2*context equal lines away from the previous one.
    const start = Math.max(0, i - context);
    let end = i;
    let lastChange = i;
    while (end < ops.length) {
      if (ops[end]!.kind !== 'equal') lastChange = end;
      else if (end - lastChange > 2 * context) break;
      end++;
    }
    end = Math.min(ops.length, lastChange + 1 + context);
    const slice = ops.slice(start, end);
    const oldCount = slice.filter((op) => op.kind !== 'insert').length;
    const newCount = slice.filter((op) => op.kind !== 'delete').length;
    out.push(`@@ -${formatRange(oldAt[start]!, oldCount)} +${formatRange(newAt[start]!, newCount)} @@`);
    for (const op of slice) {
      const mark = op.kind === 'equal' ? ' ' : op.kind === 'delete' ? '-' : '+';
      const hasBreak = op.line.endsWith('\n');
      out.push(mark + (hasBreak ? op.line.slice(0, -1) : op.line));
      if (!hasBreak) out.push('\\ No newline at end of file');
    }
    i = end;
  }
  return `${out.join('\n')}\n`;
}

/** `start,count` as diff prints it: 1-based start, the line before for an empty range, `,1` omitted. */
function formatRange(index: number, count: number): string {
  const start = count === 0 ? index : index + 1;
  return count === 1 ? `${start}` : `${start},${count}`;
}

/** Lines with their `\n` kept (a `\r` before it stays part of the line). */
export function splitLinesKeepingBreaks(text: string): string[] {
  const lines: string[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      lines.push(text.slice(from, i + 1));
      from = i + 1;
    }
  }
  if (from < text.length) lines.push(text.slice(from));
  return lines;
}

function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const ops: Op[] = a.slice(0, prefix).map((line) => ({ kind: 'equal', line }));
  ops.push(...myers(a.slice(prefix, a.length - suffix), b.slice(prefix, b.length - suffix)));
  ops.push(...a.slice(a.length - suffix).map((line): Op => ({ kind: 'equal', line })));
  return ops;
}

/** Myers' shortest edit script, deletions before insertions within a change. */
function myers(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((line) => ({ kind: 'insert', line }));
  if (m === 0) return a.map((line) => ({ kind: 'delete', line }));
  const max = n + m;
  const offset = max + 1;
  let v: Int32Array = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    v = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = v[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: 'equal', line: a[x - 1]! });
      x--;
      y--;
    }
    if (x === prevX) {
      ops.push({ kind: 'insert', line: b[y - 1]! });
      y--;
    } else {
      ops.push({ kind: 'delete', line: a[x - 1]! });
      x--;
    }
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: 'equal', line: a[x - 1]! });
    x--;
    y--;
  }
  ops.reverse();
  return groupChanges(ops);
}

/** Within each run of changes, deletions first (the order `diff -u` prints them in). */
function groupChanges(ops: Op[]): Op[] {
  const out: Op[] = [];
  let deletes: Op[] = [];
  let inserts: Op[] = [];
  const flush = () => {
    out.push(...deletes, ...inserts);
    deletes = [];
    inserts = [];
  };
  for (const op of ops) {
    if (op.kind === 'equal') {
      flush();
      out.push(op);
    } else (op.kind === 'delete' ? deletes : inserts).push(op);
  }
  flush();
  return out;
}
