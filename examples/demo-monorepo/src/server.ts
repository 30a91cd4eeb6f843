/**
 * Starts the API: builds the app, listens on HOST:PORT, and closes cleanly
 * on SIGINT/SIGTERM so in-flight requests finish.
 */
import { buildApp } from './app';
import { getConfig } from './config';

export async function start(): Promise<void> {
  const config = getConfig();
  const app = buildApp({ logger: true });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      app.log.info(`${signal} received, closing`);
      void app.close().then(() => process.exit(0));
    });
  }
  await app.listen({ host: config.host, port: config.port });
}

if (require.main === module) {
  start().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
