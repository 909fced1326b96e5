// Tables that fit the terminal (pure): natural widths when they fit or when the output is not a
// terminal; flexible columns cut with `…` first, then optional columns dropped from the right.
import { describe, expect, it } from 'vitest';
import { renderTable, type TableColumn } from '../../src/cli/render-table.js';

const columns: TableColumn[] = [
  { header: 'ID' },
  { header: 'N', align: 'right' },
  { header: 'TITLE', flex: true, minWidth: 8 },
  { header: 'FILE', optional: true },
];
const rows = [
  ['A-1', '3', 'A rather long title that goes on', 'workplans/a.md'],
  ['B-22', '12', 'Short', 'workplans/b.md'],
];

describe('renderTable', () => {
  it('uses natural widths without a limit', () => {
    expect(renderTable(columns, rows)).toEqual([
      'ID     N  TITLE                             FILE',
      'A-1    3  A rather long title that goes on  workplans/a.md',
      'B-22  12  Short                             workplans/b.md',
    ]);
  });

  it('cuts the flexible column first, then drops optional columns, never exceeding the width', () => {
    const cut = renderTable(columns, rows, 50);
    expect(cut[1]).toBe('A-1    3  A rather long title tha…  workplans/a.md');
    for (const line of cut) expect([...line].length).toBeLessThanOrEqual(50);
    const narrow = renderTable(columns, rows, 24);
    expect(narrow).toEqual(['ID     N  TITLE', 'A-1    3  A rather long…', 'B-22  12  Short']);
  });
});
