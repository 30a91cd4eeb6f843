/**
 * /communities: search and read are public; creating needs an account, and
 * changing or archiving needs the owner (or an admin).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError } from '../errors';
import { currentUser, requireAuth } from '../middleware/auth.middleware';
import { createServices, type RouteOptions } from '../services';
import type { Visibility } from '../types';

interface IdParams {
  id: string;
}

interface CommunityBody {
  name: string;
  description?: string;
  visibility?: Visibility;
}

const communityBody = {
  type: 'object',
  properties: { name: { type: 'string' }, description: { type: 'string' }, visibility: { type: 'string', enum: ['public', 'private'] } },
} as const;

export default async function communitiesRoutes(app: FastifyInstance, options: RouteOptions = {}): Promise<void> {
  const { communities, memberships, auth } = options.services ?? createServices();
  const authenticated = requireAuth(auth);

  const assertOwner = (request: FastifyRequest, communityId: string): void => {
    const caller = currentUser(request);
    if (caller.role !== 'admin' && communities.get(communityId).ownerId !== caller.sub) {
      throw new ForbiddenError('only the owner may change this community');
    }
  };

  app.get<{ Querystring: { q?: string; limit?: number; offset?: number } }>('/communities', async (request) =>
    communities.search(request.query.q, request.query.limit, request.query.offset),
  );

  app.get<{ Params: IdParams }>('/communities/:id', async (request) => {
    const community = communities.get(request.params.id);
    return { ...community, members: memberships.members(community.id).length };
  });

  app.post<{ Body: CommunityBody }>('/communities', {
    preHandler: authenticated,
    schema: { body: { ...communityBody, required: ['name'] } },
  }, async (request, reply) => {
    const owner = currentUser(request).sub;
    const community = communities.create(request.body.name, owner, request.body.description, request.body.visibility);
    memberships.join(community.id, owner, 'owner');
    return reply.code(201).send(community);
  });

  app.patch<{ Params: IdParams; Body: Partial<CommunityBody> }>('/communities/:id', {
    preHandler: authenticated,
    schema: { body: communityBody },
  }, async (request) => {
    assertOwner(request, request.params.id);
    return communities.update(request.params.id, request.body);
  });

  app.post<{ Params: IdParams }>('/communities/:id/archive', { preHandler: authenticated }, async (request) => {
    assertOwner(request, request.params.id);
    return communities.archive(request.params.id);
  });
}
