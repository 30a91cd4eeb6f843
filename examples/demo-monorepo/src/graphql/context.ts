/**
 * The per-request GraphQL context: the caller (from the bearer token, or
 * none) and the services the resolvers read through.
 */
import { bearerToken } from '../middleware/auth.middleware';
import { createServices, type Services } from '../services';
import type { TokenPayload } from '../utils/crypto';

export interface GraphQLContext {
  user: TokenPayload | null;
  services: Services;
}

/** A context for a request with this Authorization header; an invalid token means an anonymous caller. */
export function createContext(authorization?: string, services: Services = createServices()): GraphQLContext {
  const token = bearerToken(authorization);
  if (!token) return { user: null, services };
  try {
    return { user: services.auth.authenticate(token), services };
  } catch {
    return { user: null, services };
  }
}

/** True when the context has a signed-in caller. */
export function isAuthenticated(context: GraphQLContext): boolean {
  return context.user !== null;
}
