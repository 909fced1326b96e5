// Today's date as edits record it (`created:`, `updated:`, a review's or an ADR's date): the local
// calendar date of the instant given, so a plan written at 00:30 in Berlin carries that day, not
// yesterday's UTC date. Pure: the caller passes the instant (its clock).

/** `YYYY-MM-DD` of `date` in the local time zone. */
export function toLocalIsoDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
