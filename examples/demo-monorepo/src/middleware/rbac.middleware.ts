/**
 * Role-based access control: admin > member > viewer. Checks run after
 * requireAuth, as preHandlers or inline in handlers.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../errors';
import type { Role } from '../types';

const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2 };

/** The rank of a role; unknown roles rank below viewer. */
export function roleRank(role: string): number {
  return role in RANK ? RANK[role as Role] : -1;
}

/** True when `role` is at least `minimum`. */
export function hasRole(role: string, minimum: Role): boolean {
  return roleRank(role) >= RANK[minimum];
}

/** True when the caller is the user themself or an admin. */
export function canActOnUser(actorId: string, actorRole: string, targetId: string): boolean {
  return actorId === targetId || actorRole === 'admin';
}

/** A preHandler that answers 403 unless the caller has at least `minimum`. */
export function requireRole(minimum: Role) {
  return async function checkRole(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    if (!request.user) throw new UnauthorizedError();
    if (!hasRole(request.user.role, minimum)) throw new ForbiddenError(`requires the ${minimum} role`);
  };
}

/** Throws 403 unless the caller may act on `targetId`. */
export function assertCanActOnUser(request: FastifyRequest, targetId: string): void {
  if (!request.user) throw new UnauthorizedError();
  if (!canActOnUser(request.user.sub, request.user.role, targetId)) throw new ForbiddenError('you may only change your own account');
}
