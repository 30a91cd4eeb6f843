/**
 * /communities/:communityId/members: joining, leaving, and roles within a
 * community (changed by its owners and moderators).
 */
import type { FastifyInstance } from 'fastify';
import { ForbiddenError } from '../errors';
import { currentUser, requireAuth } from '../middleware/auth.middleware';
import { createServices, type RouteOptions } from '../services';
import type { MemberRole } from '../types';

interface CommunityParams {
  communityId: string;
}

interface MemberParams extends CommunityParams {
  userId: string;
}

export default async function membershipsRoutes(app: FastifyInstance, options: RouteOptions = {}): Promise<void> {
  const { memberships, communities, notifications, auth } = options.services ?? createServices();
  const authenticated = requireAuth(auth);

  app.get<{ Params: CommunityParams }>('/communities/:communityId/members', async (request) => {
    communities.get(request.params.communityId);
    return memberships.members(request.params.communityId);
  });

  app.post<{ Params: CommunityParams }>('/communities/:communityId/members', { preHandler: authenticated }, async (request, reply) => {
    const community = communities.get(request.params.communityId);
    const caller = currentUser(request);
    if (community.visibility === 'private' && caller.role !== 'admin') throw new ForbiddenError('this community is invite-only');
    const membership = memberships.join(community.id, caller.sub);
    notifications.notify(community.ownerId, `A new member joined ${community.name}`, 'membership');
    return reply.code(201).send(membership);
  });

  app.delete<{ Params: MemberParams }>('/communities/:communityId/members/:userId', { preHandler: authenticated }, async (request, reply) => {
    const { communityId, userId } = request.params;
    const caller = currentUser(request);
    if (caller.sub !== userId && !memberships.canModerate(communityId, caller.sub)) throw new ForbiddenError('only moderators may remove others');
    memberships.leave(communityId, userId);
    return reply.code(204).send();
  });

  app.put<{ Params: MemberParams; Body: { role: MemberRole } }>('/communities/:communityId/members/:userId/role', {
    preHandler: authenticated,
    schema: { body: { type: 'object', required: ['role'], properties: { role: { type: 'string', enum: ['owner', 'moderator', 'member'] } } } },
  }, async (request) => {
    const { communityId, userId } = request.params;
    if (!memberships.canModerate(communityId, currentUser(request).sub)) throw new ForbiddenError('only moderators may change roles');
    return memberships.changeRole(communityId, userId, request.body.role);
  });
}
