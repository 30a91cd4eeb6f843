/**
 * The Fastify app factory: routes, GraphQL endpoint and error mapping.
 * `buildApp()` does not listen; server.ts does, tests use `app.inject()`.
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { getConfig } from './config';
import { AppError } from './errors';
import { createContext } from './graphql/context';
import { executeQuery } from './graphql/resolvers';
import assessmentsRoutes from './routes/assessments.routes';
import authRoutes from './routes/auth.routes';
import communitiesRoutes from './routes/communities.routes';
import healthRoutes from './routes/health.routes';
import membershipsRoutes from './routes/memberships.routes';
import usersRoutes from './routes/users.routes';
import { createServices, type Services } from './services';

export interface AppOptions {
  services?: Services;
  logger?: boolean;
}

/** A ready-to-register app with every route; one set of services unless given. */
export function buildApp(options: AppOptions = {}): FastifyInstance {
  const config = getConfig();
  const services = options.services ?? createServices();
  const app = Fastify({ logger: options.logger ?? (config.logLevel !== 'silent' && { level: config.logLevel }) });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      return reply.code(error.statusCode).send({ error: error.code, message: error.message });
    }
    if (error.validation) return reply.code(400).send({ error: 'VALIDATION', message: error.message });
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: error.code ?? 'BAD_REQUEST', message: error.message });
    }
    request.log.error(error);
    return reply.code(500).send({ error: 'INTERNAL', message: 'something went wrong' });
  });

  app.register(healthRoutes);
  app.register(authRoutes, { services });
  app.register(usersRoutes, { services });
  app.register(communitiesRoutes, { services });
  app.register(membershipsRoutes, { services });
  app.register(assessmentsRoutes, { services });

  app.post<{ Body: { query: string; variables?: Record<string, unknown> } }>('/graphql', {
    schema: { body: { type: 'object', required: ['query'], properties: { query: { type: 'string' }, variables: { type: 'object' } } } },
  }, async (request) => executeQuery(request.body.query, request.body.variables, createContext(request.headers.authorization, services)));

  return app;
}
