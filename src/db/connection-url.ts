// Postgres connection URLs: validation, and redaction of the password wherever a URL or a driver
// message could reach output or logs (shared/RELIABILITY.md: "a password in DATABASE_URL never reaches
// output or logs"). Pure. Never connects.
import type { WorkplanConfig } from '../model/config.js';
import { SyncError } from '../model/errors.js';

/**
 * The mirror's database URL, from the environment variable the configuration names (`database.urlEnv`,
 * default DATABASE_URL), trimmed; undefined (unset or blank) means the embedded store. The one place
 * the URL is resolved: every command and the hook agree on which database they mean.
 */
export function resolveDatabaseUrl(config: Pick<WorkplanConfig, 'database'>, env: NodeJS.ProcessEnv): string | undefined {
  return env[config.database.urlEnv]?.trim() || undefined;
}

/** A validated Postgres connection URL. */
export interface DatabaseUrl {
  /** The URL as given (contains the password: never print it). */
  readonly url: string;
  /**
   * What the driver connects with (contains the password): the URL, with `uselibpqcompat=true` added
   * when it has an `sslmode` (see withLibpqSslModes).
   */
  readonly connectionString: string;
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

/**
 * Parses and validates a `postgresql://` or `postgres://` URL; throws SyncError DB_URL_INVALID.
 * `source` names where the URL came from (the environment variable, e.g. "DATABASE_URL"). The error
 * never shows a value that did not parse as a Postgres URL: without the URL's structure there is no
 * telling where a password sits in it (`alice:S3cret@host/db`, `postgres//alice:S3cret@…`), and the
 * variable may hold another secret altogether (database.urlEnv names any variable).
 */
export function parseDatabaseUrl(raw: string, source = 'DATABASE_URL'): DatabaseUrl {
  const text = raw.trim();
  let shown: string | undefined;
  const fail = (why: string): never => {
    const what =
      shown === undefined
        ? `The database URL in ${source} is invalid: ${why}. (Its value is not shown: it may hold a password.)`
        : `The database URL in ${source} (${JSON.stringify(shown)}) is invalid: ${why}.`;
    throw new SyncError('DB_URL_INVALID', what, {
      hint: `Set ${source} to the form postgresql://<user>:<password>@<host>:5432/<database> (percent-encode special characters in the password), or unset it to use the embedded store.`,
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
  // Parsed: the password's place is known, so the URL can be shown without it.
  shown = redactParsedUrl(url);
  const redacted = shown;
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
    connectionString: withLibpqSslModes(text, url),
    redacted,
    host: url.hostname || (socketHost ?? ''),
    port,
    database,
    user,
    password: password ?? url.searchParams.get('password') ?? undefined,
  };
}

/**
 * `sslmode` means what it means to libpq (psql, Prisma's engines): `require` encrypts without verifying
 * the server's certificate, `verify-full` verifies it. pg 8 treats prefer/require/verify-ca as
 * verify-full unless told `uselibpqcompat=true`, and prints a SECURITY WARNING on stderr before anything
 * of ours; its next major version adopts libpq's meanings. A URL that says uselibpqcompat itself is
 * left as it is.
 */
function withLibpqSslModes(text: string, url: URL): string {
  if (!url.searchParams.has('sslmode') || url.searchParams.has('uselibpqcompat')) return text;
  const hash = text.indexOf('#');
  const [base, fragment] = hash >= 0 ? [text.slice(0, hash), text.slice(hash)] : [text, ''];
  return `${base}${base.includes('?') ? '&' : '?'}uselibpqcompat=true${fragment}`;
}

/** A parsed URL with its password (in the userinfo or a `password=` parameter) replaced by `***`. */
function redactParsedUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password !== '') copy.password = '***';
  if (copy.searchParams.has('password')) copy.searchParams.set('password', '***');
  return copy.href.replace(/:%2A%2A%2A@/i, ':***@').replace(/password=%2A%2A%2A/gi, 'password=***');
}

/**
 * Whatever in a connection string looks like a password, even when it is not a well-formed URL
 * (`alice:S3cret@host/db`): what to scrub from messages as a last line of defence.
 */
export function passwordCandidates(raw: string | undefined): string[] {
  if (!raw) return [];
  const found = new Set<string>();
  const text = raw.trim();
  let parsed: URL | undefined;
  try {
    parsed = SCHEME.test(text) ? new URL(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed) {
    // A well-formed URL says where its password is (and `postgresql://user@host` has none).
    if (parsed.password) found.add(parsed.password);
  } else {
    const userinfo = /^(?:[a-z][a-z0-9+.-]*:?\/*)?[^:@/\s]*:([^\s]*)@/i.exec(text);
    if (userinfo?.[1]) found.add(userinfo[1]);
  }
  for (const m of raw.matchAll(/[?&]password=([^&#\s]+)/gi)) found.add(m[1]!);
  const out: string[] = [];
  for (const p of found) {
    out.push(p);
    try {
      out.push(decodeURIComponent(p));
    } catch {
      // not percent-encoded
    }
  }
  return [...new Set(out)].filter((p) => p.length >= 3);
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
