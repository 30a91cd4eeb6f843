/**
 * /auth: registration, login, the caller's own account, password changes.
 */
import type { FastifyInstance } from 'fastify';
import { currentUser, requireAuth } from '../middleware/auth.middleware';
import { createServices, type RouteOptions } from '../services';
import { toPublicUser } from '../services/users.service';

const credentials = {
  type: 'object',
  required: ['email', 'password'],
  properties: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
} as const;

export default async function authRoutes(app: FastifyInstance, options: RouteOptions = {}): Promise<void> {
  const { auth, users, notifications } = options.services ?? createServices();

  app.post<{ Body: { email: string; password: string; name?: string } }>('/auth/register', { schema: { body: credentials } }, async (request, reply) => {
    const { email, password, name } = request.body;
    const session = auth.register(email, name ?? email.split('@')[0] ?? email, password);
    notifications.notify(session.user.id, `Welcome, ${session.user.name}!`, 'welcome');
    return reply.code(201).send(session);
  });

  app.post<{ Body: { email: string; password: string } }>('/auth/login', { schema: { body: credentials } }, async (request) =>
    auth.login(request.body.email, request.body.password),
  );

  app.get('/auth/me', { preHandler: requireAuth(auth) }, async (request) => {
    const user = users.get(currentUser(request).sub);
    return { ...toPublicUser(user), unreadNotifications: notifications.unreadCount(user.id) };
  });

  app.post<{ Body: { currentPassword: string; newPassword: string } }>('/auth/password', {
    preHandler: requireAuth(auth),
    schema: { body: { type: 'object', required: ['currentPassword', 'newPassword'], properties: { currentPassword: { type: 'string' }, newPassword: { type: 'string' } } } },
  }, async (request, reply) => {
    auth.changePassword(currentUser(request).sub, request.body.currentPassword, request.body.newPassword);
    return reply.code(204).send();
  });
}
