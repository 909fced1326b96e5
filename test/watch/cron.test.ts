import { describe, expect, it } from 'vitest';
import { matchesCron, nextCronTime, parseCron, type CronSchedule } from '../../src/watch/cron.js';

function cron(expr: string): CronSchedule {
  const r = parseCron(expr);
  if (!r.ok) throw new Error(r.message);
  return r.schedule;
}
/** Local time, so the tests hold in every TZ. */
const at = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(y, mo - 1, d, h, mi, 0, 0);
const local = (date: Date | undefined) =>
  date
    ? `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')} ${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`
    : 'none';

describe('parseCron', () => {
  it('expands *, lists, ranges, steps and names', () => {
    const s = cron('*/15 9-17/4 1,15 jan-mar mon-fri');
    expect([...s.minutes]).toEqual([0, 15, 30, 45]);
    expect([...s.hours]).toEqual([9, 13, 17]);
    expect([...s.daysOfMonth]).toEqual([1, 15]);
    expect([...s.months]).toEqual([1, 2, 3]);
    expect([...s.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
  });

  it('treats day-of-week 7 as Sunday and accepts the @ shorthands', () => {
    expect([...cron('0 0 * * 7').daysOfWeek]).toEqual([0]);
    expect(cron('@daily').minutes.has(0)).toBe(true);
    expect([...cron('@weekly').daysOfWeek]).toEqual([0]);
  });

  it('rejects malformed expressions with a message naming the field', () => {
    for (const [expr, field] of [
      ['0 3 * *', '5 fields'],
      ['60 * * * *', 'minute'],
      ['* 24 * * *', 'hour'],
      ['* * 0 * *', 'day-of-month'],
      ['* * * 13 *', 'month'],
      ['* * * * 8', 'day-of-week'],
      ['*/0 * * * *', 'step'],
      ['5-1 * * * *', 'backwards'],
      ['a * * * *', 'not a number'],
    ] as const) {
      const r = parseCron(expr);
      expect(r.ok, expr).toBe(false);
      expect(r.ok ? '' : r.message).toContain(field);
    }
  });
});

describe('nextCronTime', () => {
  it('finds the next 03:00 strictly after the given instant', () => {
    const s = cron('0 3 * * *');
    expect(local(nextCronTime(s, at(2026, 11, 25, 2, 59)))).toBe('2026-11-25 03:00');
    expect(local(nextCronTime(s, at(2026, 11, 25, 3, 0)))).toBe('2026-11-26 03:00');
    expect(local(nextCronTime(s, at(2026, 12, 31, 4, 0)))).toBe('2027-01-01 03:00');
  });

  it('matches day-of-month OR day-of-week when both are restricted (Vixie cron)', () => {
    const s = cron('0 12 13 * fri');
    // 2026-11-25 is a Wednesday: the next Friday (27th) comes before the 13th of December.
    expect(local(nextCronTime(s, at(2026, 11, 25)))).toBe('2026-11-27 12:00');
    expect(matchesCron(s, at(2026, 12, 13, 12, 0))).toBe(true);
  });

  it('walks months of different lengths and leap years', () => {
    expect(local(nextCronTime(cron('0 0 31 * *'), at(2026, 2, 1)))).toBe('2026-03-31 00:00');
    expect(local(nextCronTime(cron('0 0 29 2 *'), at(2026, 3, 1)))).toBe('2028-02-29 00:00');
    expect(nextCronTime(cron('0 0 31 2 *'), at(2026, 1, 1))).toBeUndefined();
  });

  it('every minute is the next minute', () => {
    expect(local(nextCronTime(cron('* * * * *'), new Date(2026, 0, 1, 10, 7, 30)))).toBe('2026-01-01 10:08');
  });
});
