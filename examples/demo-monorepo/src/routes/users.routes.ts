/**
 * /users: public profiles, and profile and role changes by the user or an admin.
 */
import type { FastifyInstance } from 'fastify';
import { requireAuth } from '../middleware/auth.middleware';
import { assertCanActOnUser, requireRole } from '../middleware/rbac.middleware';
import { createServices, type RouteOptions } from '../services';
import { toPublicUser } from '../services/users.service';
import type { Role } from '../types';

interface IdParams {
  id: string;
}

export default async function usersRoutes(app: FastifyInstance, options: RouteOptions = {}): Promise<void> {
  const { users, auth } = options.services ?? createServices();
  const authenticated = requireAuth(auth);

  app.get<{ Querystring: { limit?: number; offset?: number; role?: Role } }>('/users', {
    schema: {
      querystring: {
        type: 'object',
        properties: { limit: { type: 'integer', minimum: 1 }, offset: { type: 'integer', minimum: 0 }, role: { type: 'string', enum: ['admin', 'member', 'viewer'] } },
      },
    },
  }, async (request) => users.list(request.query.limit, request.query.offset, request.query.role).map(toPublicUser));

  app.get<{ Params: IdParams }>('/users/:id', async (request) => toPublicUser(users.get(request.params.id)));

  app.patch<{ Params: IdParams; Body: { name: string } }>('/users/:id', {
    preHandler: authenticated,
    schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
  }, async (request) => {
    assertCanActOnUser(request, request.params.id);
    return toPublicUser(users.rename(request.params.id, request.body.name));
  });

  app.put<{ Params: IdParams; Body: { role: string } }>('/users/:id/role', {
    preHandler: [authenticated, requireRole('admin')],
    schema: { body: { type: 'object', required: ['role'], properties: { role: { type: 'string' } } } },
  }, async (request) => toPublicUser(users.changeRole(request.params.id, request.body.role)));

  app.delete<{ Params: IdParams }>('/users/:id', { preHandler: [authenticated, requireRole('admin')] }, async (request, reply) => {
    users.remove(request.params.id);
    return reply.code(204).send();
  });
}
