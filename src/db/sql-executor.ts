// The slice of a Prisma client (or interactive transaction) the mirror's SQL needs. Keeping it this
// small lets the write path stay set-based SQL and keeps the generated client out of pure code.

export interface SqlExecutor {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/** SQL for "the elements of a JSON array parameter", e.g. `id = ANY(${jsonTextArray(2)}::uuid[])`. */
export function jsonTextArray(param: number): string {
  return `ARRAY(SELECT jsonb_array_elements_text($${param}::jsonb))`;
}
