// SQL expressions for a row's sync fingerprint: the md5 of the values the sync wrote. The same
// expression is evaluated over the incoming values when writing and over the stored row when reading,
// so a stored row whose expression no longer equals its `sync_fingerprint` was changed behind the
// file's back (drift). Column names are identical in the tables and in the write path's record sets.

const SEP = `chr(31)`;
const nullable = (col: string) => `coalesce(${col}, chr(1))`;

function fingerprint(parts: string[]): string {
  return `md5(concat_ws(${SEP}, ${parts.join(', ')}))`;
}

export function workstreamFingerprintSql(a: string): string {
  return fingerprint([
    `${a}.file_id`,
    `${a}.domain_id::text`,
    `${a}.title`,
    `${a}.status`,
    nullable(`${a}.owner`),
    nullable(`${a}.topic_slug`),
    nullable(`${a}.created_on`),
    nullable(`${a}.updated_on`),
    nullable(`${a}.completed_on`),
    nullable(`${a}.summary`),
    nullable(`${a}.context`),
    nullable(`${a}.notes`),
    `${a}.file_path`,
    `${a}.extra::text`,
  ]);
}

export function taskFingerprintSql(a: string): string {
  return fingerprint([
    `${a}.file_id`,
    `${a}.workstream_id::text`,
    `${a}.label`,
    `${a}.title`,
    `${a}.status`,
    `${a}.priority`,
    `${a}.description`,
    `${a}.position::text`,
    `${a}.source_line::text`,
    nullable(`${a}.phase_id::text`),
    `${a}.extra::text`,
  ]);
}

export function dependencyFingerprintSql(a: string): string {
  return fingerprint([
    `${a}.workstream_id::text`,
    `${a}.kind`,
    `array_to_string(${a}.targets, ',')`,
    `${a}.text`,
    `${a}.position::text`,
  ]);
}

export function adrFingerprintSql(a: string): string {
  return fingerprint([
    `${a}.file_id`,
    nullable(`${a}.number::text`),
    `${a}.title`,
    nullable(`${a}.status`),
    nullable(`${a}.status_text`),
    nullable(`${a}.decided_on`),
    nullable(`${a}.date_text`),
    nullable(`${a}.domain`),
    `${a}.format`,
    `array_to_string(${a}.supersedes, ',')`,
    `array_to_string(${a}.superseded_by, ',')`,
    `array_to_string(${a}.decision_makers, ',')`,
    `${a}.file_path`,
    `${a}.extra::text`,
  ]);
}
