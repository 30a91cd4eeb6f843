/**
 * The environment variables the API reads, their defaults and checks. With an
 * empty environment every value has a default that suits development.
 */

export type NodeEnv = 'development' | 'test' | 'production';

export interface Env {
  nodeEnv: NodeEnv;
  host: string;
  port: number;
  logLevel: string;
  jwtSecret: string;
  tokenTtlSeconds: number;
  corsOrigins: string[];
}

const NODE_ENVS: readonly NodeEnv[] = ['development', 'test', 'production'];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const DEV_SECRET = 'dev-secret-change-me-0123456789abcdef';

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

/** A whole number in [min, max] from a variable, or `fallback` when it is unset or empty. */
export function intFromEnv(name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `must be a whole number between ${min} and ${max}, not "${raw}"`);
  }
  return value;
}

/** A comma-separated list from a variable, blanks dropped. */
export function listFromEnv(name: string, fallback: string[] = []): string[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  return raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/** Read and check every variable of the API. */
export function readEnv(): Env {
  const nodeEnv = (process.env.NODE_ENV ?? 'development') as NodeEnv;
  if (!NODE_ENVS.includes(nodeEnv)) throw new ConfigError('NODE_ENV', `must be one of ${NODE_ENVS.join(', ')}`);
  const logLevel = process.env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  const jwtSecret = process.env.JWT_SECRET ?? (nodeEnv === 'production' ? '' : DEV_SECRET);
  if (jwtSecret.length < 32) throw new ConfigError('JWT_SECRET', 'must be set to at least 32 characters');
  return {
    nodeEnv,
    host: process.env.HOST ?? '0.0.0.0',
    port: intFromEnv('PORT', 3000, 0, 65535),
    logLevel,
    jwtSecret,
    tokenTtlSeconds: intFromEnv('TOKEN_TTL_SECONDS', 3600, 60, 86400 * 30),
    corsOrigins: listFromEnv('CORS_ORIGINS', ['http://localhost:5173']),
  };
}
