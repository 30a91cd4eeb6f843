/**
 * The GraphQL schema (SDL) of the read API and the few mutations the web
 * client uses; built once into an executable schema.
 */
import { buildSchema, type GraphQLSchema } from 'graphql';

export const typeDefs = /* GraphQL */ `
  enum Role {
    admin
    member
    viewer
  }

  type User {
    id: ID!
    email: String!
    name: String!
    role: Role!
    active: Boolean!
  }

  type Community {
    id: ID!
    name: String!
    slug: String!
    description: String!
    visibility: String!
    memberCount: Int!
  }

  type Assessment {
    id: ID!
    title: String!
    status: String!
    passingScore: Int!
    questionCount: Int!
  }

  type Query {
    me: User
    user(id: ID!): User
    communities(query: String, limit: Int): [Community!]!
    community(id: ID!): Community
    assessments(communityId: ID!): [Assessment!]!
  }

  type Mutation {
    createCommunity(name: String!, description: String): Community!
    markNotificationsRead: Int!
  }
`;

let built: GraphQLSchema | undefined;

/** The executable schema (built on first use). */
export function getSchema(): GraphQLSchema {
  built ??= buildSchema(typeDefs);
  return built;
}

/** Names of the root Query fields, for docs and introspection checks. */
export function queryFields(): string[] {
  return Object.keys(getSchema().getQueryType()?.getFields() ?? {});
}
