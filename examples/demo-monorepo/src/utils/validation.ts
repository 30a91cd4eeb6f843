/**
 * Input validation and sanitising for request bodies and GraphQL arguments.
 * Every check throws a ValidationError naming the field, which the API
 * answers with 400.
 */
import { ValidationError } from '../errors';
import type { Role } from '../types';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const ROLES: readonly Role[] = ['admin', 'member', 'viewer'];

/** True when `value` looks like an email address. */
export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

/** Trim, collapse inner whitespace and strip control characters and angle brackets. */
export function sanitizeString(value: string): string {
  return value
    .replace(/[\u0000-\u001f\u007f<>]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A sanitised string between `min` and `max` characters long, or a ValidationError. */
export function requireString(value: unknown, field: string, min = 1, max = 200): string {
  if (typeof value !== 'string') throw new ValidationError(`${field} must be a string`, field);
  const clean = sanitizeString(value);
  if (clean.length < min) throw new ValidationError(`${field} must be at least ${min} characters`, field);
  if (clean.length > max) throw new ValidationError(`${field} must be at most ${max} characters`, field);
  return clean;
}

/** A lower-cased email address, or a ValidationError. */
export function requireEmail(value: unknown, field = 'email'): string {
  const email = requireString(value, field, 3, 254).toLowerCase();
  if (!isEmail(email)) throw new ValidationError(`${field} is not a valid email address`, field);
  return email;
}

/** A password long enough and not all one kind of character. */
export function requirePassword(value: unknown, field = 'password'): string {
  if (typeof value !== 'string') throw new ValidationError(`${field} must be a string`, field);
  if (value.length < 8) throw new ValidationError(`${field} must be at least 8 characters`, field);
  if (!/[a-zA-Z]/.test(value) || !/[0-9]/.test(value)) {
    throw new ValidationError(`${field} must contain letters and digits`, field);
  }
  return value;
}

/** True when `value` is one of the user roles. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** A URL-safe slug made from a name: "Rust Users!" -> "rust-users". */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

/** True when `value` is a valid slug. */
export function isSlug(value: string): boolean {
  return SLUG.test(value);
}

export interface Page {
  limit: number;
  offset: number;
}

/** limit and offset from query-string values, clamped to sane bounds. */
export function parsePagination(limit?: string | number, offset?: string | number): Page {
  const l = Number(limit ?? 20);
  const o = Number(offset ?? 0);
  if (!Number.isFinite(l) || !Number.isFinite(o)) throw new ValidationError('limit and offset must be numbers');
  return { limit: Math.min(Math.max(Math.trunc(l), 1), 100), offset: Math.max(Math.trunc(o), 0) };
}
