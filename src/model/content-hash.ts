// Content hashes: sha256, lowercase hex. Pure: node:crypto hashing does no I/O, so the pure core
// may use it (the "no node:fs / process / clock / randomness" rule is about effects, not about
// this module). Files are compared by the hash of their BYTES, never by mtime or size.
import { createHash } from 'node:crypto';

/** sha256 (lowercase hex) of raw bytes. */
export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * sha256 (lowercase hex) of a text's UTF-8 encoding. Equals `hashBytes` of a file's bytes only
 * when the file is valid UTF-8 and was decoded without dropping its BOM; otherwise a
 * compare-and-swap against it fails safe (a conflict, never an overwrite).
 */
export function hashText(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The id git gives these bytes as a blob (`git hash-object`): sha1 of `blob <size>\0<bytes>`. */
export function gitBlobHash(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}
