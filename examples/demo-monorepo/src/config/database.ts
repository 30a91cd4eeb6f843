/**
 * Database connection settings from DATABASE_URL and DB_* variables. The API
 * stores data in memory until the Postgres migration lands; `memory://` is
 * the default and needs no server.
 */
import { ConfigError, intFromEnv } from './env';

export type Driver = 'memory' | 'postgres';

export interface DatabaseConfig {
  driver: Driver;
  url: string;
  host: string;
  port: number;
  database: string;
  poolSize: number;
  ssl: boolean;
}

const DEFAULT_URL = 'memory://demo';

/** Parse a database URL into its parts; throws ConfigError for a scheme the API cannot use. */
export function parseDatabaseUrl(url: string): Pick<DatabaseConfig, 'driver' | 'host' | 'port' | 'database'> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('DATABASE_URL', `is not a URL: "${url}"`);
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (scheme === 'memory') return { driver: 'memory', host: '', port: 0, database: parsed.hostname || 'demo' };
  if (scheme === 'postgres' || scheme === 'postgresql') {
    return {
      driver: 'postgres',
      host: parsed.hostname,
      port: parsed.port === '' ? 5432 : Number(parsed.port),
      database: parsed.pathname.replace(/^\//, '') || 'postgres',
    };
  }
  throw new ConfigError('DATABASE_URL', `uses "${scheme}"; use postgres:// or memory://`);
}

/** The database settings of this process. */
export function databaseConfig(): DatabaseConfig {
  const url = process.env.DATABASE_URL ?? DEFAULT_URL;
  const parts = parseDatabaseUrl(url);
  return {
    ...parts,
    url,
    poolSize: intFromEnv('DB_POOL_SIZE', 10, 1, 100),
    ssl: process.env.DB_SSL === 'true' || (parts.driver === 'postgres' && process.env.NODE_ENV === 'production'),
  };
}

/** The URL with its password replaced, for logs. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
