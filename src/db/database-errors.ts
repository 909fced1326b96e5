// Turns driver errors about reaching a database into SyncError DB_UNREACHABLE with a one-line,
// password-free message. Pure.
import { SyncError } from '../model/errors.js';
import { redactMessage, type DatabaseUrl } from './connection-url.js';

const EXPLANATIONS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused (is the server running, on that host and port?)',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved (DNS is unavailable)',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ECONNRESET: 'the server closed the connection',
  '28P01': 'the password was rejected',
  '28000': 'the server rejected the login',
  '3D000': 'the database does not exist',
  '57P03': 'the server is starting up or shutting down',
  '53300': 'the server has too many connections',
};

/** DB_UNREACHABLE for a failure to connect to `where` (already redacted). */
export function toUnreachableError(error: unknown, where: string, url?: Pick<DatabaseUrl, 'password'>): SyncError {
  if (error instanceof SyncError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const detail = redactMessage(firstLine(raw) || 'unknown error', url);
  const why = typeof code === 'string' && EXPLANATIONS[code] ? `${EXPLANATIONS[code]}: ${detail}` : detail;
  return new SyncError('DB_UNREACHABLE', `Cannot connect to the database at ${where}: ${why}.`, {
    hint: 'Check DATABASE_URL (host, port, user, password, database) and that the server accepts connections. Nothing was changed.',
    cause: new Error(redactMessage(raw, url)),
  });
}

function firstLine(text: string): string {
  return (text.split('\n').find((line) => line.trim() !== '') ?? '').trim().replace(/\.$/, '');
}
