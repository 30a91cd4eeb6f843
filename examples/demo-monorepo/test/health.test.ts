import Fastify from 'fastify';
import healthRoutes from '../src/routes/health.routes';

describe('GET /health', () => {
  const app = Fastify();
  app.register(healthRoutes);
  afterAll(() => app.close());

  it('answers ok with the version', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', version: expect.any(String) });
  });
});
