// SQL expressions for a row's sync fingerprint: the md5 of the values the sync wrote. The same
// expression is evaluated over the incoming values when writing and over the stored row when reading,
// so a stored row whose expression no longer equals its `sync_fingerprint` was changed behind the
// file's back (drift). Generated from the column tables (model/mirror-columns.ts): the fingerprinted
// columns, in table order; column names are identical in the tables and in the write path's records.
import { ADR_COLUMNS, DEPENDENCY_COLUMNS, TASK_COLUMNS, WORKSTREAM_COLUMNS, type MirrorColumn } from '../model/mirror-columns.js';

const SEP = `chr(31)`;

/** The text a column contributes to a fingerprint: NULL is chr(1), so that NULL and '' differ. */
function fingerprintPart(alias: string, column: MirrorColumn): string {
  const ref = `${alias}.${column.name}`;
  const text = column.type === 'text' ? ref : column.type === 'text[]' ? `array_to_string(${ref}, ',')` : `${ref}::text`;
  return column.nullable ? `coalesce(${text}, chr(1))` : text;
}

/** The fingerprint expression of a column table's rows under `alias`. */
export function fingerprintSql(columns: readonly MirrorColumn[], alias: string): string {
  const parts = columns.filter((c) => c.fingerprint).map((c) => fingerprintPart(alias, c));
  return `md5(concat_ws(${SEP}, ${parts.join(', ')}))`;
}

export const workstreamFingerprintSql = (alias: string): string => fingerprintSql(WORKSTREAM_COLUMNS, alias);
export const taskFingerprintSql = (alias: string): string => fingerprintSql(TASK_COLUMNS, alias);
export const dependencyFingerprintSql = (alias: string): string => fingerprintSql(DEPENDENCY_COLUMNS, alias);
export const adrFingerprintSql = (alias: string): string => fingerprintSql(ADR_COLUMNS, alias);
