// Planner statistics for the mirror's tables. The query use cases join tasks, workstreams and
// dependencies by the thousand; without statistics Postgres guesses (a `removed_at IS NULL` filter
// keeps "0.5%" of the rows) and picks nested loops that cost seconds where a hash join costs
// milliseconds (list tasks of the 1,000-workplan corpus: 1.3 s → 90 ms on Postgres). A Postgres server
// analyzes new tables on its own within a minute; the embedded store (PGlite, single-user) never
// does. So before the mirror is read, tables that were never analyzed are. Static statements only.
import type { SqlExecutor } from './sql-executor.js';

/** One ANALYZE statement per mirror table the queries read (fixed text: no identifier is ever built). */
const ANALYZE: Record<string, string> = {
  repositories: 'ANALYZE repositories',
  domains: 'ANALYZE domains',
  workstreams: 'ANALYZE workstreams',
  phases: 'ANALYZE phases',
  tasks: 'ANALYZE tasks',
  dependencies: 'ANALYZE dependencies',
  closure_reviews: 'ANALYZE closure_reviews',
  closure_entries: 'ANALYZE closure_entries',
  adrs: 'ANALYZE adrs',
};

const NEVER_ANALYZED = `
SELECT c.relname
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.reltuples < 0
   AND c.relname = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))`;

/** Analyzes the mirror tables that never were (one catalog query when all were). Returns their names. */
export async function ensurePlannerStatistics(db: SqlExecutor): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<Array<{ relname: string }>>(NEVER_ANALYZED, JSON.stringify(Object.keys(ANALYZE)));
  const analyzed: string[] = [];
  for (const { relname } of rows) {
    const statement = ANALYZE[relname];
    if (!statement) continue;
    // A user who does not own the table gets a warning from Postgres, not an error: the query still runs.
    await db.$executeRawUnsafe(statement);
    analyzed.push(relname);
  }
  return analyzed;
}
