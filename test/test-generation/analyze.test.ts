/** The analysis of TS/JS modules: what a test can reach, found from the syntax alone. */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSource, loadAnalyzer } from '../../handlers/test-generation/analyze.js';
import { pickKind } from '../../handlers/test-generation/generate-ts.js';
import { sampleArguments } from '../../handlers/test-generation/values.js';

beforeAll(loadAnalyzer);

describe('exports', () => {
  it('finds functions with their parameters, sync and async, and default exports', () => {
    const a = analyzeSource('src/x.ts', `
      export function add(a: number, b = 2, ...rest: number[]): number { return a + b; }
      export async function load(id: string) { return { id }; }
      export const shout = (text: string) => text.toUpperCase() + '!';
      function hidden() {}
      export default function () { return true; }
    `);
    expect(a.functions.map((f) => f.name)).toEqual(['add', 'load', 'default', 'shout']);
    const add = a.functions[0];
    expect(add?.params).toEqual([
      { name: 'a', type: 'number', optional: false, rest: false },
      { name: 'b', type: 'number', optional: true, rest: false },
      { name: 'rest', type: 'number[]', optional: false, rest: true },
    ]);
    expect(add?.returns).toBe('number');
    expect(a.functions.find((f) => f.name === 'load')).toMatchObject({ async: true, returns: 'Promise<object>' });
    expect(a.functions.find((f) => f.name === 'shout')?.returns).toBe('');
    expect(a.functions.find((f) => f.name === 'default')?.returns).toBe('boolean');
    expect(a.defaultExport).toBe('function');
  });

  it('finds classes with constructors and public methods only', () => {
    const a = analyzeSource('src/svc.ts', `
      export class UserService {
        constructor(private readonly db: Db, limit?: number) {}
        async list(): Promise<User[]> { return []; }
        private secret() {}
        protected inner() {}
        static create(): UserService { return new UserService(null as never); }
      }
      export abstract class Base { abstract run(): void; describe(): string { return 'base'; } }
      export class Plain { ping() { return 'pong'; } }
    `);
    const [svc, base, plain] = a.classes;
    expect(svc?.ctorParams?.map((p) => p.name)).toEqual(['db', 'limit']);
    expect(svc?.methods.map((m) => `${m.static ? 'static ' : ''}${m.name}`)).toEqual(['list', 'static create']);
    expect(base?.abstract).toBe(true);
    expect(base?.methods.map((m) => m.name)).toEqual(['describe']);
    expect(plain?.ctorParams).toBeUndefined();
    expect(plain?.methods[0]?.returns).toBe('string');
  });

  it('finds consts, object literals with their methods, and literal values', () => {
    const a = analyzeSource('src/c.ts', `
      export const LIMIT = 10;
      export const NAME = 'api';
      export const ON = true;
      export const service = { count: 0, list() { return []; }, find: (id: string) => id, 'odd-key': 1 };
      export const client = makeClient();
    `);
    expect(a.consts.map((c) => [c.name, c.literal])).toEqual([
      ['LIMIT', 10],
      ['NAME', 'api'],
      ['ON', true],
      ['service', undefined],
      ['client', undefined],
    ]);
    const service = a.consts[3];
    expect(service?.keys).toEqual(['count', 'list', 'find']);
    expect(service?.methods.map((m) => m.name)).toEqual(['list', 'find']);
  });

  it('tells re-exports and type-only exports apart from values', () => {
    const a = analyzeSource('src/index.ts', `
      import createStore from './createStore';
      import type { Store } from './types';
      export { createStore };
      export type { Store };
      export { compose as pipe } from './compose';
      export * from './utils';
      export * as helpers from './helpers';
      export type { Action } from './actions';
      const local = () => 1;
      export { local as one };
    `);
    expect(a.reexports).toEqual(['pipe', '* from ./utils', 'helpers', 'createStore']);
    expect(a.functions.map((f) => f.name)).toEqual(['one']);
  });

  it('reports a file that does not parse, with the line', () => {
    const a = analyzeSource('src/broken.ts', 'export function f( {\n  return 1;\n');
    expect(a.syntaxErrors.length).toBeGreaterThan(0);
    expect(a.syntaxErrors[0]).toMatch(/^line \d+, column \d+: /);
  });

  it('parses JSX and plain JavaScript', () => {
    expect(analyzeSource('src/App.tsx', 'export const App = () => <div>hi</div>;').syntaxErrors).toEqual([]);
    const js = analyzeSource('lib/sum.js', 'export function sum(a, b) { return a + b; }');
    // No written types: `a + b` adds numbers or joins strings.
    expect(js.functions[0]?.params.map((p) => p.type)).toEqual(['number | string', 'number | string']);
  });
});

describe('object parameters', () => {
  it('get a literal of the required fields when the module declares their type', () => {
    const a = analyzeSource('src/users.ts', `
      import type { Role } from './types';
      export interface CreateUser { email: string; name: string; age: number; role?: Role }
      type Page = { limit: number; tags: string[] };
      interface WithRole { role: Role }
      interface Extended extends CreateUser { id: string }
      export function create(input: CreateUser, page: Page, filter: Partial<CreateUser>) { return input; }
      export function assign(input: WithRole) { return input; }
      export function extend(input: Extended) { return input; }
    `);
    expect(Object.keys(a.shapes)).toEqual(['CreateUser', 'WithRole', 'Page']);
    const [create, assign, extend] = a.functions;
    expect(sampleArguments(create?.params ?? [], a.shapes)).toEqual(['{ email: "user@example.com", name: "Ada", age: 2 }', '{ limit: 2, tags: ["example"] }', '{}']);
    // A field of a type declared elsewhere, or a shape that extends another: no made-up value.
    expect(sampleArguments(assign?.params ?? [], a.shapes)).toBeUndefined();
    expect(sampleArguments(extend?.params ?? [], a.shapes)).toBeUndefined();
  });
});

describe('routes and configuration', () => {
  const routes = `
    import type { FastifyInstance } from 'fastify';
    import { prisma } from '../db';
    export default async function usersRoutes(fastify: FastifyInstance) {
      fastify.get('/users', async () => prisma.user.findMany());
      fastify.post('/users', { schema: {} }, async (request) => request.body);
      fastify.route({ method: 'DELETE', url: '/users/:id', handler: async () => ({}) });
      fastify.route({ method: ['PUT', 'PATCH'], url: '/users/:id', handler: async () => ({}) });
    }
  `;

  it('finds Fastify routes with method and URL, and the plugin that registers them', () => {
    const a = analyzeSource('src/routes/users.routes.ts', routes);
    expect(a.routes.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /users', 'POST /users', 'DELETE /users/:id', 'PUT /users/:id']);
    expect(a.plugin).toBe('default');
    expect(a.imports).toEqual(['fastify', '../db']);
    expect(pickKind(a, 'auto', 'src/routes/users.routes.ts')).toBe('route');
  });

  it('does not take a Map or an axios call for a route', () => {
    const a = analyzeSource('src/cache.ts', `const m = new Map(); export function get(k: string) { return m.get(k); } export const f = () => axios.get('https://x');`);
    expect(a.routes).toEqual([]);
  });

  it('finds the environment variables a config module reads, in every spelling', () => {
    const a = analyzeSource('src/config.ts', `
      const { DATABASE_URL, PORT: port = '3000' } = process.env;
      export const config = { db: DATABASE_URL, port: Number(port), secret: process.env.JWT_SECRET, env: process.env['NODE_ENV'] };
    `);
    expect(a.env).toEqual(['DATABASE_URL', 'JWT_SECRET', 'NODE_ENV', 'PORT']);
    expect(pickKind(a, 'auto', 'src/config.ts')).toBe('config');
  });

  it('keeps a service that reads one variable a service', () => {
    const a = analyzeSource('src/services/mail.ts', 'export function from(): string { return process.env.MAIL_FROM ?? "x"; }');
    expect(pickKind(a, 'auto', 'src/services/mail.ts')).toBe('service');
  });

  it('refuses a forced kind that does not apply', () => {
    const a = analyzeSource('src/math.ts', 'export const one = 1;');
    expect(() => pickKind(a, 'route', 'src/math.ts')).toThrow(/template route does not apply to src\/math.ts/);
    expect(() => pickKind(a, 'config', 'src/math.ts')).toThrow(/reads no process.env/);
  });
});
