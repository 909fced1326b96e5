// Five-field cron expressions (minute hour day-of-month month day-of-week) for the watch daemon's
// `--schedule`. Pure: no timers, no clock — the caller passes the instant to search from.
//
// Supported: `*`, numbers, lists `1,15`, ranges `1-5`, steps `*/10` `0-30/5` `7/2`, month and day
// names (`jan`, `mon-fri`), day-of-week 0-7 (0 and 7 are Sunday), and the shorthands @hourly,
// @daily/@midnight, @weekly, @monthly, @yearly/@annually. As in Vixie cron, when both day-of-month
// and day-of-week are restricted a day matches if EITHER does. Times are local (the daemon's TZ).
//
// Croner finds the times (months of different lengths, leap years, daylight-saving gaps). The
// parser below stays ours for its messages: it names the field that is wrong in the user's words
// ("Invalid day-of-month field "0""), where croner names its own indices ("Invalid value for day:
// -1"), and it keeps the language to the five fields documented above (adr/0014).
import { Cron } from 'croner';

/** A parsed schedule: the allowed values of each field. */
export interface CronSchedule {
  readonly expression: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  /** 0 = Sunday … 6 = Saturday. */
  readonly daysOfWeek: ReadonlySet<number>;
  readonly dayOfMonthRestricted: boolean;
  readonly dayOfWeekRestricted: boolean;
  /** The same schedule as croner runs it (paused: it never starts a timer). */
  readonly job: Cron;
}

export type CronParseResult = { ok: true; schedule: CronSchedule } | { ok: false; message: string };

const SHORTHANDS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Offset added to a name's index (months are 1-based). */
  nameBase?: number;
}

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 },
  { name: 'day-of-week', min: 0, max: 7, names: DAY_NAMES, nameBase: 0 },
];

/** Parses a cron expression; a problem is reported as a message, never thrown. */
export function parseCron(expression: string): CronParseResult {
  const trimmed = expression.trim();
  const expanded = SHORTHANDS[trimmed.toLowerCase()] ?? trimmed;
  const parts = expanded.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 5) {
    return {
      ok: false,
      message: `A schedule has 5 fields (minute hour day-of-month month day-of-week), got ${parts.length} in "${expression}"`,
    };
  }
  const sets: Array<Set<number>> = [];
  for (let i = 0; i < 5; i++) {
    const parsed = parseField(parts[i]!, FIELDS[i]!);
    if (typeof parsed === 'string')
      return { ok: false, message: `Invalid ${FIELDS[i]!.name} field "${parts[i]}" in "${expression}": ${parsed}` };
    sets.push(parsed);
  }
  const dow = sets[4]!;
  if (dow.has(7)) {
    dow.delete(7);
    dow.add(0);
  }
  const fields = { minutes: sets[0]!, hours: sets[1]!, daysOfMonth: sets[2]!, months: sets[3]!, daysOfWeek: dow };
  // Vixie cron: a day field that starts with `*` (even `*/2`) leaves the day to the other field.
  const dayOfMonthRestricted = !parts[2]!.startsWith('*');
  const dayOfWeekRestricted = !parts[4]!.startsWith('*');
  return {
    ok: true,
    schedule: {
      expression: trimmed,
      ...fields,
      dayOfMonthRestricted,
      dayOfWeekRestricted,
      job: toCronerJob(fields, dayOfMonthRestricted && dayOfWeekRestricted),
    },
  };
}

/**
 * The parsed sets as croner runs them: explicit lists, so that croner reads no syntax of its own
 * (it reads a stepped star in a day field as a restriction, where Vixie cron does not), and day-of-month
 * OR day-of-week only when both are restricted.
 */
function toCronerJob(fields: Pick<CronSchedule, 'minutes' | 'hours' | 'daysOfMonth' | 'months' | 'daysOfWeek'>, eitherDay: boolean): Cron {
  const list = (values: ReadonlySet<number>) => [...values].sort((a, b) => a - b).join(',');
  const pattern = [fields.minutes, fields.hours, fields.daysOfMonth, fields.months, fields.daysOfWeek].map(list).join(' ');
  return new Cron(pattern, { paused: true, mode: '5-part', domAndDow: !eitherDay });
}

function parseField(text: string, spec: FieldSpec): Set<number> | string {
  const out = new Set<number>();
  for (const item of text.split(',')) {
    if (item === '') return 'empty list item';
    const [rangePart, stepPart, extra] = item.split('/');
    if (extra !== undefined) return `"${item}" has more than one "/"`;
    let step = 1;
    if (stepPart !== undefined) {
      if (!/^\d+$/.test(stepPart) || Number(stepPart) === 0) return `step "${stepPart}" must be a positive integer`;
      step = Number(stepPart);
    }
    let lo: number;
    let hi: number;
    if (rangePart === '*') {
      lo = spec.min;
      hi = spec.name === 'day-of-week' ? 6 : spec.max;
    } else {
      const bounds = rangePart!.split('-');
      if (bounds.length > 2) return `"${rangePart}" is not a range`;
      const a = parseValue(bounds[0]!, spec);
      if (typeof a === 'string') return a;
      lo = a;
      if (bounds.length === 2) {
        const b = parseValue(bounds[1]!, spec);
        if (typeof b === 'string') return b;
        hi = b;
      } else {
        // `7/2` means "from 7 to the end, every 2nd".
        hi = stepPart !== undefined ? spec.max : a;
      }
      if (hi < lo) return `range ${rangePart} runs backwards`;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

function parseValue(text: string, spec: FieldSpec): number | string {
  const lower = text.toLowerCase();
  if (spec.names) {
    const index = spec.names.indexOf(lower);
    if (index >= 0) return index + (spec.nameBase ?? 0);
  }
  if (!/^\d+$/.test(text)) return `"${text}" is not a number${spec.names ? ' or a name' : ''}`;
  const value = Number(text);
  if (value < spec.min || value > spec.max) return `${value} is outside ${spec.min}-${spec.max}`;
  return value;
}

/** True when the local time of `date` (to the minute) matches the schedule. */
export function matchesCron(schedule: CronSchedule, date: Date): boolean {
  const minute = new Date(date.getTime());
  minute.setSeconds(0, 0);
  return schedule.job.match(minute);
}

/** How far ahead a next time is searched for: no schedule we accept fires less often than once in 8 years. */
const SEARCH_LIMIT_MS = 8 * 366 * 24 * 3600 * 1000;

/**
 * The first minute strictly after `after` that matches, or undefined when none does within eight
 * years (e.g. "0 0 31 2 *").
 */
export function nextCronTime(schedule: CronSchedule, after: Date): Date | undefined {
  const next = schedule.job.nextRun(after);
  return next && next.getTime() <= after.getTime() + SEARCH_LIMIT_MS ? next : undefined;
}
