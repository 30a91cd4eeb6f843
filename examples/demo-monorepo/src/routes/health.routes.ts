/**
 * Liveness and readiness: GET /health for load balancers, GET /health/ready
 * for deploys (checks the configuration and the store).
 */
import type { FastifyInstance } from 'fastify';
import { getConfig } from '../config';

const started = Date.now();

export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/health', async () => ({
    status: 'ok',
    uptimeSeconds: Math.round((Date.now() - started) / 1000),
    version: getConfig().version,
  }));

  app.get('/health/ready', async (_request, reply) => {
    const { database } = getConfig();
    const ready = database.driver === 'memory' || database.host !== '';
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', database: database.driver });
  });
}
