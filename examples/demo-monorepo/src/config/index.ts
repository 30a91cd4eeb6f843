/**
 * The API's configuration: environment and database settings, read once and
 * checked. `loadConfig()` reads them again, for tests and tools.
 */
import { databaseConfig, type DatabaseConfig } from './database';
import { readEnv, type Env } from './env';

export interface Config extends Env {
  database: DatabaseConfig;
  isProduction: boolean;
  version: string;
}

/** Read and check the whole configuration from process.env. */
export function loadConfig(): Config {
  const env = readEnv();
  return {
    ...env,
    database: databaseConfig(),
    isProduction: env.nodeEnv === 'production',
    version: process.env.APP_VERSION ?? '0.0.0-dev',
  };
}

let cached: Config | undefined;

/** The configuration of this process, read on first use. */
export function getConfig(): Config {
  cached ??= loadConfig();
  return cached;
}

/** Forget the cached configuration, so the next getConfig() reads process.env again. */
export function resetConfig(): void {
  cached = undefined;
}

export { ConfigError } from './env';
