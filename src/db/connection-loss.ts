// Is this error "the database went away" (retry later) rather than a real failure? Pure.
// The watch daemon retries such errors with backoff (it keeps running through a database restart);
// opening the mirror translates them into DB_UNREACHABLE.
// Errors reach us in several wrappings — our SyncError DB_UNREACHABLE, Prisma's P1001/P1017,
// a driver-adapter error, or a raw `pg`/socket error — so the cause chain is searched.
import { isSyncError } from '../model/errors.js';

const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
// 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now; class 08 connection exceptions.
const SQLSTATES = /^(57P0[123]|08\d{3})$/;
const MESSAGES =
  /(connection terminated|server closed the connection|can't reach database server|connection refused|econnrefused|econnreset|terminating connection due to administrator command|the database system is (shutting down|starting up)|timed out fetching a new connection|is not currently accepting connections|connection is closed|client has encountered a connection error)/i;

/** True when `error` (or any error in its cause chain) means the database could not be reached. */
export function isConnectionLoss(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    if (isSyncError(current)) return current.code === 'DB_UNREACHABLE';
    const e = current as { code?: unknown; message?: unknown; cause?: unknown; kind?: unknown; originalCode?: unknown };
    const code = typeof e.code === 'string' ? e.code : typeof e.originalCode === 'string' ? e.originalCode : undefined;
    if (code && (PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || SQLSTATES.test(code))) return true;
    if (e.kind === 'DatabaseNotReachable' || e.kind === 'ConnectionClosed' || e.kind === 'SocketTimeout') return true;
    if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
    current = e.cause;
  }
  return false;
}
