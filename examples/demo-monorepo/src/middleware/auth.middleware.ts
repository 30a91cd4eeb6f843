/**
 * JWT verification for Fastify routes: reads the bearer token, verifies it
 * with the auth service, and puts the caller's claims on `request.user`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../errors';
import type { AuthService } from '../services/auth.service';
import type { TokenPayload } from '../utils/crypto';

declare module 'fastify' {
  interface FastifyRequest {
    user?: TokenPayload;
  }
}

/** The token of an `Authorization: Bearer <token>` header; null when absent or malformed. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+([A-Za-z0-9_\-.]+)$/i.exec(header.trim());
  return match ? match[1]! : null;
}

/** A preHandler that rejects requests without a valid token (401). */
export function requireAuth(auth: AuthService) {
  return async function verifyJwt(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new UnauthorizedError('missing bearer token');
    request.user = auth.authenticate(token);
  };
}

/** A preHandler that sets `request.user` when a valid token is sent, and lets anonymous requests through. */
export function optionalAuth(auth: AuthService) {
  return async function maybeVerifyJwt(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const token = bearerToken(request.headers.authorization);
    if (!token) return;
    try {
      request.user = auth.authenticate(token);
    } catch {
      request.user = undefined;
    }
  };
}

/** The caller's claims; throws 401 when the route forgot requireAuth. */
export function currentUser(request: FastifyRequest): TokenPayload {
  if (!request.user) throw new UnauthorizedError();
  return request.user;
}
