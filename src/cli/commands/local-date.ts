// Today's date for commands that record one (`close`, `cleanup`): the local calendar date, so a review
// written at 00:30 in Berlin carries that day, not yesterday's UTC date. The clock is read here, in the
// CLI; the use cases receive the date (`--date` overrides it, for tests and back-dating).

/** `YYYY-MM-DD` of `date` in the local time zone. */
export function formatLocalDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
