// One text per JSON value: the form the mirror's `extra` columns are compared in, by the planner
// (desired rows) and by the mirror reader alike. Pure.

/** JSON with object keys sorted, so equal values always compare equal as text (as jsonb prints them is not relied on). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
