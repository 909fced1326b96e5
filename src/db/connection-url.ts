// Postgres connection URLs: validation, and redaction of the password wherever a URL or a driver
// message could reach output or logs (shared/RELIABILITY.md: "a password in DATABASE_URL never reaches
// output or logs"). Pure. Never connects.
import { SyncError } from '../model/errors.js';

/** A validated Postgres connection URL. */
export interface DatabaseUrl {
  /** The URL as given (contains the password: never print it). */
  readonly url: string;
  /** The URL with the password replaced by `***`. */
  readonly redacted: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** The decoded password, if any, kept so messages can be scrubbed of it. */
  readonly password: string | undefined;
}

const SCHEME = /^(postgres|postgresql):\/\//i;

/** Parses and validates a `postgresql://` or `postgres://` URL; throws SyncError DB_URL_INVALID. */
export function parseDatabaseUrl(raw: string): DatabaseUrl {
  const text = raw.trim();
  const redacted = redactUrl(text);
  const fail = (why: string): never => {
    throw new SyncError('DB_URL_INVALID', `The database URL ${JSON.stringify(redacted)} is invalid: ${why}.`, {
      hint: 'Use the form postgresql://user:password@host:5432/database (percent-encode special characters in the password).',
    });
  };
  if (text === '') fail('it is empty');
  if (!SCHEME.test(text)) fail('it must start with postgresql:// or postgres://');

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail('it is not a well-formed URL');
  }
  const socketHost = url.searchParams.get('host');
  if (url.hostname === '' && !socketHost) fail('it names no host');
  let port = 5432;
  if (url.port !== '') {
    port = Number(url.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`the port ${url.port} is out of range`);
  }
  let database: string;
  let user: string;
  let password: string | undefined;
  try {
    database = decodeURIComponent(url.pathname.replace(/^\//, ''));
    user = decodeURIComponent(url.username);
    password = url.password === '' ? undefined : decodeURIComponent(url.password);
  } catch {
    return fail('it contains a malformed percent-encoding');
  }
  if (database.includes('/')) fail('the database name may not contain "/"');
  if (url.searchParams.has('schema')) {
    // pg silently ignores Prisma's ?schema= parameter; tables would land in `public` unannounced.
    fail('the ?schema= parameter is not supported; use a separate database, or options=-c%20search_path%3D<schema>');
  }
  return {
    url: text,
    redacted,
    host: url.hostname || (socketHost ?? ''),
    port,
    database,
    user,
    password: password ?? url.searchParams.get('password') ?? undefined,
  };
}

/**
 * Replaces the password in a connection URL with `***` (also a `password=` query parameter). Works on
 * malformed URLs too, since those are exactly the ones that end up in error messages.
 */
export function redactUrl(url: string): string {
  let out = url;
  const scheme = /^([a-z][a-z0-9+.-]*:\/\/)/i.exec(out);
  if (scheme) {
    const prefix = scheme[1] ?? '';
    const rest = out.slice(prefix.length);
    // The userinfo ends at the last "@" before the query: an unencoded "@" may sit in the password.
    const beforeQuery = rest.split(/[?#]/, 1)[0] ?? '';
    const at = beforeQuery.lastIndexOf('@');
    if (at >= 0) {
      const userinfo = rest.slice(0, at);
      const colon = userinfo.indexOf(':');
      if (colon >= 0) out = `${prefix}${userinfo.slice(0, colon)}:***${rest.slice(at)}`;
    }
  }
  return out.replace(/([?&]password=)[^&#\s]*/gi, '$1***');
}

/**
 * Scrubs a message (typically from the driver) of every connection URL and of the password itself,
 * raw or percent-encoded.
 */
export function redactMessage(message: string, url?: Pick<DatabaseUrl, 'password'>): string {
  let out = message.replace(/\b(postgres(?:ql)?:\/\/[^\s"'<>]*)/gi, (match) => redactUrl(match));
  const password = url?.password;
  if (password && password.length >= 3) {
    for (const form of new Set([password, encodeURIComponent(password)])) out = out.split(form).join('***');
  }
  return out;
}
