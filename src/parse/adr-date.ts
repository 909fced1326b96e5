// ADR dates as authors write them → `YYYY-MM-DD`. Pure. See docs/adr-format.md ("Date").
// Read: ISO dates and date-times (`2021-03-04T10:00:00Z`, `2021-05-06 10:00`), `YYYY/MM/DD`,
// `YYYY.MM.DD`, `YYYYMMDD`, `DD.MM.YYYY`, `DD/MM/YYYY` or `MM/DD/YYYY` when one part is over 12,
// and English month names (`December 1, 2021`, `1 December 2021`, `Dec. 1st, 2021`). A slashed date
// whose parts could be either day or month (`07/11/2016`) is ambiguous: it is not guessed.
import { isIsoDate } from './value-formats.js';

export type DateReading =
  | { kind: 'date'; date: string }
  | { kind: 'ambiguous'; readings: [string, string] }
  | { kind: 'unrecognised' }
  | { kind: 'empty' };

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};
const MONTH = '([A-Za-z]{3,9})\\.?';
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const WEEKDAY = '(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\\.?,?\\s+)?';
const END = '(?=$|[\\sT,;(\\[])';

/** Reads a written date; `date` is always a real calendar date in `YYYY-MM-DD`. */
export function readAdrDate(written: string): DateReading {
  const text = written
    .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
    .replace(/^[\s*_`"'[]+|[\s*_`"'\].]+$/g, '')
    .trim();
  if (text === '') return { kind: 'empty' };
  let m = new RegExp(`^(\\d{4})[-/._](\\d{1,2})[-/._](\\d{1,2})${END}`).exec(text);
  if (m) return dateOf(m[1]!, m[2]!, m[3]!);
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (m) return dateOf(m[1]!, m[2]!, m[3]!);
  m = new RegExp(`^(\\d{1,2})\\.\\s?(\\d{1,2})\\.\\s?(\\d{4})${END}`).exec(text);
  if (m) return dateOf(m[3]!, m[2]!, m[1]!);
  m = new RegExp(`^(\\d{1,2})[/-](\\d{1,2})[/-](\\d{4})${END}`).exec(text);
  if (m) return readSlashedDate(m[1]!, m[2]!, m[3]!);
  m = new RegExp(`^${WEEKDAY}${MONTH}\\s+${DAY},?\\s+(\\d{4})${END}`, 'i').exec(text);
  if (m) return dateOfMonthName(m[3]!, m[1]!, m[2]!);
  m = new RegExp(`^${WEEKDAY}${DAY}\\.?\\s+(?:of\\s+)?${MONTH},?\\s+(\\d{4})${END}`, 'i').exec(text);
  if (m) return dateOfMonthName(m[3]!, m[2]!, m[1]!);
  return { kind: 'unrecognised' };
}

function readSlashedDate(first: string, second: string, year: string): DateReading {
  const a = Number(first);
  const b = Number(second);
  if (a > 12) return dateOf(year, second, first);
  if (b > 12 || a === b) return dateOf(year, first, second);
  const dayFirst = dateOf(year, second, first);
  const monthFirst = dateOf(year, first, second);
  if (dayFirst.kind === 'date' && monthFirst.kind === 'date') return { kind: 'ambiguous', readings: [dayFirst.date, monthFirst.date] };
  return dayFirst.kind === 'date' ? dayFirst : monthFirst;
}

function dateOfMonthName(year: string, monthName: string, day: string): DateReading {
  const month = MONTHS[monthName.toLowerCase()];
  return month === undefined ? { kind: 'unrecognised' } : dateOf(year, String(month), day);
}

function dateOf(year: string, month: string, day: string): DateReading {
  const date = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return isIsoDate(date) ? { kind: 'date', date } : { kind: 'unrecognised' };
}
