/**
 * Root resolvers for the schema in schema.ts, and `executeQuery`, which runs
 * a query against them (used by POST /graphql).
 */
import { graphql, type ExecutionResult } from 'graphql';
import { UnauthorizedError } from '../errors';
import { toPublicUser } from '../services/users.service';
import type { Community } from '../types';
import { createContext, type GraphQLContext } from './context';
import { getSchema } from './schema';

function withCount(community: Community, context: GraphQLContext) {
  return { ...community, memberCount: context.services.memberships.members(community.id).length };
}

function signedIn(context: GraphQLContext) {
  if (!context.user) throw new UnauthorizedError('sign in to do this');
  return context.user;
}

export const rootValue = {
  me: (_args: unknown, context: GraphQLContext) => (context.user ? toPublicUser(context.services.users.get(context.user.sub)) : null),
  user: ({ id }: { id: string }, context: GraphQLContext) => {
    const user = context.services.users.find(id);
    return user ? toPublicUser(user) : null;
  },
  communities: ({ query, limit }: { query?: string; limit?: number }, context: GraphQLContext) =>
    context.services.communities.search(query ?? '', limit ?? 20).map((c) => withCount(c, context)),
  community: ({ id }: { id: string }, context: GraphQLContext) => {
    try {
      return withCount(context.services.communities.get(id), context);
    } catch {
      return null;
    }
  },
  assessments: ({ communityId }: { communityId: string }, context: GraphQLContext) =>
    context.services.assessments.listForCommunity(communityId).map((a) => ({ ...a, questionCount: a.questions.length })),
  createCommunity: ({ name, description }: { name: string; description?: string }, context: GraphQLContext) => {
    const user = signedIn(context);
    const community = context.services.communities.create(name, user.sub, description);
    context.services.memberships.join(community.id, user.sub, 'owner');
    return withCount(community, context);
  },
  markNotificationsRead: (_args: unknown, context: GraphQLContext) => context.services.notifications.markAllRead(signedIn(context).sub),
};

/** Run a GraphQL query; errors come back in `errors`, never thrown. */
export async function executeQuery(
  query: string,
  variables?: Record<string, unknown>,
  context: GraphQLContext = createContext(),
): Promise<ExecutionResult> {
  return graphql({ schema: getSchema(), source: query, rootValue, contextValue: context, variableValues: variables });
}
