/**
 * Password hashing (scrypt) and signed tokens (HS256 JWTs) on node:crypto,
 * so the API needs no native or third-party crypto dependency.
 */
import { createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;

/** A salted scrypt hash: `scrypt$<salt>$<hash>`, both base64url. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, KEY_LENGTH);
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** True when `password` matches a hash made by hashPassword; false for any malformed hash. */
export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  if (expected.length !== KEY_LENGTH) return false;
  const actual = scryptSync(password, Buffer.from(salt, 'base64url'), KEY_LENGTH);
  return timingSafeEqual(actual, expected);
}

export interface TokenPayload {
  sub: string;
  role: string;
  iat: number;
  exp: number;
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function sign(data: string, secret: string): string {
  return createHmac('sha256', secret).update(data).digest('base64url');
}

/** A JWT for `subject` with `role`, valid for `ttlSeconds`. */
export function signToken(subject: string, role: string, secret: string, ttlSeconds = 3600, now = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: subject, role, iat, exp: iat + ttlSeconds })}`;
  return `${body}.${sign(body, secret)}`;
}

/** The payload of a valid, unexpired token signed with `secret`; null otherwise. */
export function verifyToken(token: string, secret: string, now = Date.now()): TokenPayload | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [header, payload, signature] = parts as [string, string, string];
  const expected = Buffer.from(sign(`${header}.${payload}`, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<TokenPayload>;
    if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return null;
    if (claims.exp * 1000 <= now) return null;
    return { sub: claims.sub, role: String(claims.role ?? 'viewer'), iat: Number(claims.iat ?? 0), exp: claims.exp };
  } catch {
    return null;
  }
}

/** A random opaque token, e.g. for password resets. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
