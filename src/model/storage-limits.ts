// The limits a value from a file must respect before the mirror stores it. Pure constants.
//
// Why: a Postgres b-tree index row holds at most 2,704 bytes (a third of a page), a text or jsonb
// value cannot hold U+0000 or a lone UTF-16 surrogate, and an `integer` column stops at 2^31 - 1.
// A file that crossed any of them would make the database refuse the whole sync's transaction, so
// each limit is checked first and reported as a diagnostic on the file that crosses it
// (src/reconcile/storable.ts; documented in docs/format.md, "Storage limits").

/**
 * Characters of an indexed identifier: workplan, task and ADR ids, ADR slugs, domain slugs,
 * dependency targets, closure-entry task ids. At 4 bytes a character at most, with the uuid it is
 * indexed beside, an index row stays far below 2,704 bytes.
 */
export const MAX_ID_LENGTH = 255;

/** UTF-8 bytes of a repository-relative file path (indexed with the repository's uuid). */
export const MAX_PATH_BYTES = 1024;

/** Characters of a title (workstream, task, phase, ADR). Not indexed; a title is a line, not a page. */
export const MAX_TITLE_LENGTH = 1000;

/** Characters of a vocabulary value (statuses and priorities are stored in indexed columns). */
export const MAX_VOCABULARY_VALUE_LENGTH = 100;

/** The largest value of a Postgres `integer` column (phase and ADR numbers). */
export const MAX_INTEGER = 2_147_483_647;

/** Nesting depth of a frontmatter or metadata value stored as jsonb (Postgres limits its stack). */
export const MAX_JSON_DEPTH = 64;
