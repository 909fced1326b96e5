// Who may call what (adr/0012). Read-only by default; `--allow-writes` enables PATCH with a bearer
// token. On a non-loopback address a token is required and guards every request (the plans may be
// private): an API client sends `Authorization: Bearer <token>`; a browser opens `/?token=<token>`
// once, which sets an HttpOnly cookie and redirects to the page without it.
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

export interface AccessPolicy {
  token?: string;
  /** `writes`: reads are open (loopback); `all`: every request needs the token. */
  protect: 'writes' | 'all';
}

export const TOKEN_COOKIE = 'workplan_token';

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1';
}

/** Whether the request carries the token (header or cookie), compared in constant time. */
export function hasToken(policy: AccessPolicy, authorization: string | undefined, cookie: string | undefined): boolean {
  if (!policy.token) return false;
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const fromCookie = readCookie(cookie, TOKEN_COOKIE);
  return [bearer, fromCookie].some((given) => given !== undefined && sameSecret(given, policy.token!));
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}
