// Small conversions shared by the query modules: parameters in (a list as a JSON array, or NULL when
// the filter is unused), values out (timestamps, JSON counts, text arrays) whichever driver returned them.

/** A filter list as a JSON array parameter, or null when the filter is not used. */
export function toJsonList(values: readonly string[] | undefined): string | null {
  return values === undefined ? null : JSON.stringify(values);
}

/** A timestamp as ISO 8601 (drivers return Date, some adapters text). */
export function toIso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(String(value)).toISOString();
}

/** A nullable timestamp as ISO 8601. */
export function toIsoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : toIso(value);
}

/** A JSON object of counts (text or parsed), e.g. `{"todo": 3}`; empty when null. */
export function toRecordOfCounts(value: unknown): Record<string, number> {
  if (value === null || value === undefined) return {};
  const parsed = (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>;
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(parsed)) out[key] = Number(n);
  return out;
}

/** A text[] column (an array, or Postgres array text `{a,b}` from some adapters). */
export function toTextArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') {
    const inner = value.replace(/^\{|\}$/g, '');
    return inner === '' ? [] : inner.split(',').map((s) => s.replace(/^"|"$/g, ''));
  }
  return [];
}

/** A json/jsonb value (text or parsed) as an object. */
export function toJsonObject(value: unknown): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

/** A nullable text column. */
export function toTextOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
