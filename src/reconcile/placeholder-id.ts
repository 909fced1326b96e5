// The placeholder an id write-back edit carries until the sync has planned the real id. Its own module
// so that code filling placeholders in (sync, the hook) does not load the parser to learn it.

/** The uuid written into placeholder edits; replaced by the planned id before the edit is applied. */
export const PLACEHOLDER_UUID = '00000000-0000-4000-8000-000000000000';
