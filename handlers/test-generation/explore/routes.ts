/**
 * Requests worth making to a route module's routes. The routes are served by
 * the project's own app when some module registers the plugin in a factory
 * (`buildApp()`), so error handling, auth and the other plugins are the real
 * ones; otherwise by a bare Fastify instance. A discovery run asks the app
 * for its routes and their JSON schemas (an onRoute hook) and signs a user up
 * through the project's registration route, to learn where the token and the
 * user's id are in its answer. Each route then gets requests: anonymous,
 * signed in with made-up ids, signed in with ids of things the same user just
 * created through the app's own POST routes, as another user, and with an
 * empty body where the schema requires fields.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { analyzeSource } from '../analyze.js';
import { runCandidate } from '../verify.js';
import type { ExploreRequest } from './index.js';
import { resolveModule } from './index.js';
import type { Dependency } from './pools.js';
import type { Scenario } from './scenarios.js';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  format?: string;
  additionalProperties?: boolean | JsonSchema;
}

interface Discovered {
  method: string;
  url: string;
  body?: JsonSchema;
  querystring?: JsonSchema;
}

interface Discovery {
  routes: Discovered[];
  signUp?: { url: string; payload: Record<string, unknown>; token: string[]; userId: string[] | undefined };
}

export interface RouteScenarios {
  scenarios: Scenario[];
  imports: string[];
  dependencies: Dependency[];
}

/** Scenarios for the routes of the source; undefined when it registers none the analysis can see. */
export async function routeScenarios(request: ExploreRequest, scratch: string): Promise<RouteScenarios | undefined> {
  const { analysis } = request;
  if (analysis.routes.length === 0 || analysis.plugin === undefined) return undefined;
  const factory = findAppFactory(request);
  const dependencies: Dependency[] = factory ? [{ alias: factory.alias, specifier: request.specifierFor(factory.file) }] : [];
  const imports = factory ? [] : ["import Fastify from 'fastify';"];
  const makeApp = factory
    ? [`const app = await ${factory.alias}.${factory.name}();`]
    : ['const app = Fastify();', `await app.register(subject.${analysis.plugin === 'default' ? 'default' : analysis.plugin});`];
  const HOOK = `(app.addHook ? app : { addHook() {} }).addHook('onRoute', (options) => {
    const methods = Array.isArray(options.method) ? options.method : [options.method];
    const schema = options.schema ?? {};
    for (const method of methods) routes.push({ method: String(method).toUpperCase(), url: options.url, body: schema.body, querystring: schema.querystring });
  });`;
  // The hook must be in place before the app loads its plugins (on the next tick), so the factory is not awaited first.
  const plugin = `subject.${analysis.plugin === 'default' ? 'default' : analysis.plugin}`;
  const discoverApp = factory
    ? [`let app = ${factory.alias}.${factory.name}();`, HOOK, "if (app && typeof app.then === 'function') app = await app;"]
    : ['const app = Fastify();', HOOK, `await app.register(${plugin});`];
  const discovery = await discover(request, discoverApp, dependencies, imports, scratch);
  const scenarios: Omit<Scenario, 'id'>[] = [];
  const seen = new Set<string>();
  for (const route of analysis.routes) {
    const key = `${route.method} ${route.url}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const found = discovery.routes.find((r) => r.method === route.method && samePath(r.url, route.url)) ?? { method: route.method, url: route.url };
    scenarios.push(...requestsFor(found, key, discovery, makeApp));
  }
  return { scenarios: scenarios.map((s, id) => ({ ...s, id })), imports, dependencies };
}

/** A module of the project that registers the plugin and exports a function building the app. */
function findAppFactory(request: ExploreRequest): { file: string; name: string; alias: string } | undefined {
  const top = request.source.includes('/') ? (request.source.split('/')[0] as string) : '.';
  let files: string[];
  try {
    files = readdirSync(path.join(request.root, top), { recursive: true, encoding: 'utf8' }).map((f) => path.posix.join(top, f.split(path.sep).join('/')));
  } catch {
    return undefined;
  }
  for (const file of files.filter((f) => /\.[cm]?[jt]sx?$/.test(f) && !/\.(test|spec)\.|__tests__|\.d\.ts$/.test(f) && f !== request.source).sort()) {
    let text: string;
    try {
      text = readFileSync(path.join(request.root, file), 'utf8');
    } catch {
      continue;
    }
    if (!text.includes('register(')) continue;
    for (const match of text.matchAll(/import\s+([A-Za-z_$][\w$]*)\s*(?:,\s*\{[^}]*\})?\s+from\s+['"](\.[^'"]+)['"]/g)) {
      const local = match[1] as string;
      if (resolveModule(request.root, file, match[2] as string) !== request.source) continue;
      if (!new RegExp(`register\\(\\s*${local.replace(/\$/g, '\\$')}\\b`).test(text)) continue;
      const module = analyzeSource(file, text);
      const candidates = module.functions.filter((fn) => fn.name !== 'default' && fn.params.every((p) => p.optional || p.rest));
      const factory = candidates.find((fn) => /app|server/i.test(fn.name) && /^(build|create|make|get|init)/i.test(fn.name)) ?? candidates.find((fn) => /app|server/i.test(fn.name));
      if (factory) return { file, name: factory.name, alias: 'appModule' };
    }
  }
  return undefined;
}

function samePath(a: string, b: string): boolean {
  const norm = (url: string) => (url === '' ? '/' : url).replace(/:\w+/g, ':p').replace(/\/$/, '') || '/';
  return norm(a) === norm(b);
}

/** Ask the app for its routes, and sign a user up if it can. */
async function discover(request: ExploreRequest, makeApp: string[], dependencies: Dependency[], imports: string[], scratch: string): Promise<Discovery> {
  const out = path.join(scratch, 'routes.json');
  const text = `// @ts-nocheck
// Route discovery written by orchestrate test_generation for ${request.source}; removed after the run.
${request.style.framework === 'vitest' ? "import { it } from 'vitest';" : ''}
import { writeFileSync } from 'node:fs';
import * as subject from ${JSON.stringify(request.importPath)};
${dependencies.map((d) => `import * as ${d.alias} from ${JSON.stringify(d.specifier)};`).join('\n')}
${imports.join('\n')}

it('orchestrate route discovery', async () => {
  const routes = [];
  const result = { routes };
  ${makeApp.join('\n  ')}
  const sampleBody = (${sampleBody.toString()});
  try {
    await app.ready();
    // An async factory registers its plugins before the hook can be added: read the routes from the app's own listing then.
    const listed = routes.length === 0 && typeof app.printRoutes === 'function';
    if (listed) routes.push(...(${listedRoutes.toString()})(String(app.printRoutes({ commonPrefix: false }))));
    // Without a schema, the fields a body needs are learnt from the app's own 400 answers.
    const learn = async (route, headers) => {
      const payload = {};
      for (let i = 0; i < 8; i++) {
        const response = await app.inject({ method: route.method, url: route.url.replace(/:\\w+/g, '1'), headers, payload });
        let message = '';
        try { message = String(response.json().message ?? ''); } catch {}
        const missing = response.statusCode === 400 ? /required property '([^']+)'/.exec(message) : null;
        if (!missing || missing[1] in payload) break;
        payload[missing[1]] = sampleBody({ type: 'string' }, 1, missing[1]);
      }
      const keys = Object.keys(payload);
      return keys.length === 0 ? undefined : { type: 'object', required: keys, properties: Object.fromEntries(keys.map((k) => [k, { type: 'string' }])) };
    };
    const signUp = routes.find((r) => r.method === 'POST' && /(register|sign-?up)$/i.test(r.url));
    let token;
    if (signUp) {
      if (!signUp.body) signUp.body = await learn(signUp, undefined);
      const payload = sampleBody(signUp.body, 1);
      const response = await app.inject({ method: 'POST', url: signUp.url, payload });
      let body;
      try { body = response.json(); } catch { body = undefined; }
      result.signUp = { url: signUp.url, payload, status: response.statusCode, body };
      const find = (value, depth) => {
        if (!value || typeof value !== 'object' || depth > 3) return undefined;
        for (const [key, item] of Object.entries(value)) if (/^(token|accessToken|access_token|jwt|idToken)$/.test(key) && typeof item === 'string') return item;
        for (const item of Object.values(value)) { const found = find(item, depth + 1); if (found) return found; }
        return undefined;
      };
      token = find(body, 0);
    }
    if (listed) {
      for (const route of routes) {
        if (route !== signUp && !route.body && ['POST', 'PUT', 'PATCH'].includes(route.method)) route.body = await learn(route, token ? { authorization: 'Bearer ' + token } : undefined);
      }
    }
  } finally {
    await app.close();
  }
  writeFileSync(${JSON.stringify(out)}, JSON.stringify(result));
}, 120000);
`;
  const run = await runCandidate({ root: request.root, framework: request.style.framework, testFile: request.testFile, text, source: request.source, coverage: false, esm: request.style.esm, signal: request.signal, timeoutMs: 5 * 60_000 }).catch((error: unknown) => {
    request.signal.throwIfAborted();
    return { suiteError: String(error), failed: new Map<string, string>() };
  });
  let raw: { routes?: Discovered[]; signUp?: { url: string; payload: Record<string, unknown>; status: number; body: unknown } };
  try {
    raw = JSON.parse(await readFile(out, 'utf8')) as typeof raw;
  } catch {
    const why = run.suiteError ?? [...run.failed.values()][0] ?? 'no answer';
    request.log(`${request.source}: the app did not list its routes (${why.split('\n')[0]}); requests are built from the source alone`);
    return { routes: [] };
  }
  const discovery: Discovery = { routes: raw.routes ?? [] };
  const signUp = raw.signUp;
  if (signUp && signUp.status < 300) {
    const token = findPath(signUp.body, (key, value) => /^(token|accessToken|access_token|jwt|idToken)$/.test(key) && typeof value === 'string');
    const userId = findPath(signUp.body, (key, value, trail) => key === 'id' && (typeof value === 'string' || typeof value === 'number') && (trail.length === 0 || /user|account|profile|me/i.test(trail.at(-1) ?? '')));
    if (token) discovery.signUp = { url: signUp.url, payload: signUp.payload, token, userId };
  }
  return discovery;
}

/**
 * Routes from Fastify's printRoutes({ commonPrefix: false }) tree: each line is
 * a path fragment under its parent, with its methods in brackets. Runs inside
 * the discovery file, so it uses nothing from outside itself.
 */
function listedRoutes(tree: string): Discovered[] {
  const out: Discovered[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?) \(([^)]*)\)\s*$/.exec(line);
    if (!match) continue;
    const depth = Math.floor((match[1] ?? '').length / 4);
    const full = (depth > 0 ? (stack[depth - 1] ?? '') : '') + (match[2] ?? '');
    stack[depth] = full;
    stack.length = depth + 1;
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim())) {
      if (method !== '-' && method !== 'HEAD' && method !== 'OPTIONS') out.push({ method, url: full });
    }
  }
  return out;
}

/** The key path to the first value `wanted` accepts, breadth first, at most three deep. */
function findPath(value: unknown, wanted: (key: string, value: unknown, trail: string[]) => boolean): string[] | undefined {
  let level: { node: unknown; trail: string[] }[] = [{ node: value, trail: [] }];
  for (let depth = 0; depth < 3 && level.length > 0; depth++) {
    const next: typeof level = [];
    for (const { node, trail } of level) {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) continue;
      for (const [key, child] of Object.entries(node)) {
        if (wanted(key, child, trail)) return [...trail, key];
        next.push({ node: child, trail: [...trail, key] });
      }
    }
    level = next;
  }
  return undefined;
}

/** A sample body for a JSON schema: required fields (all when none are), enums' first value, fitting strings by name. */
function sampleBody(schema: JsonSchema | undefined, n: number, name = ''): unknown {
  if (!schema || typeof schema !== 'object') return {};
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  if (type === 'object' || schema.properties) {
    const out: Record<string, unknown> = {};
    const props = schema.properties ?? {};
    const required = schema.required ?? Object.keys(props);
    for (const key of Object.keys(props)) if (required.includes(key) || !schema.required) out[key] = sampleBody(props[key], n, key);
    return out;
  }
  if (type === 'array') return [sampleBody(schema.items, n, name)];
  if (type === 'integer' || type === 'number') return schema.minimum ?? 1;
  if (type === 'boolean') return true;
  if (/e-?mail/i.test(name) || schema.format === 'email') return `user${n}@example.com`;
  if (/password|secret/i.test(name)) return 'Secret-password-123';
  if (/name|title/i.test(name)) return 'Ada';
  return 'example';
}

interface Built {
  /** Lines that make what the request needs. */
  lines: string[];
  /** The URL as a template literal body (params filled). */
  url: string;
  /** Body fields filled with ids of made things, as expressions. */
  bodyIds: Record<string, string>;
}

/** The requests for one route. */
function requestsFor(route: Discovered, owner: string, discovery: Discovery, makeApp: string[]): Omit<Scenario, 'id'>[] {
  const block = 'routes';
  const out: Omit<Scenario, 'id'>[] = [];
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
  const body = hasBody ? (sampleBody(route.body, 2) as Record<string, unknown>) : undefined;
  const signUp = discovery.signUp;
  const dummyUrl = fillUrl(route.url);
  const push = (shown: string, setup: string[], url: string, headers: string | undefined, payload: string | undefined) => {
    const parts = [`method: '${route.method}'`, `url: ${url}`];
    if (headers) parts.push(`headers: ${headers}`);
    if (payload !== undefined) parts.push(`payload: ${payload}`);
    out.push({ block, owner, shown: `${route.method} ${route.url} ${shown}`, setup: [...makeApp, ...setup], call: `app.inject({ ${parts.join(', ')} })`, cleanup: ['await app.close();'], request: true });
  };
  const payloadOf = (ids: Record<string, string>, value: unknown = body) => {
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return JSON.stringify(value);
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${ids[k] ?? JSON.stringify(v)}`);
    return `{ ${entries.join(', ')} }`;
  };

  push('without signing in', [], quoteUrl(dummyUrl), undefined, payloadOf({}));
  if (!signUp) {
    if (hasBody && route.body?.required?.length) push('with an empty body', [], quoteUrl(dummyUrl), undefined, '{}');
    return out;
  }
  const me = signUpLines('me', 1, signUp);
  const auth = (who: string) => `{ authorization: \`Bearer \${${who}.${signUp.token.join('.')}}\` }`;
  push(/:\w/.test(route.url) ? 'signed in, with ids that do not exist' : 'signed in', me, quoteUrl(dummyUrl), auth('me'), payloadOf({}));
  const built = buildNeeds(route, discovery, signUp);
  if (built.lines.length > 0 || Object.keys(built.bodyIds).length > 0) {
    push('signed in, for things the caller made', [...me, ...built.lines], `\`${built.url}\``, auth('me'), payloadOf(built.bodyIds));
    push('signed in as another user, for things someone else made', [...me, ...built.lines, ...signUpLines('other', 3, signUp)], `\`${built.url}\``, auth('other'), payloadOf(built.bodyIds));
  }
  if (hasBody && route.body?.required?.length) push('signed in, with an empty body', [...me, ...built.lines], `\`${built.url}\``, auth('me'), '{}');
  const query = route.querystring?.properties ?? {};
  for (const [name, schema] of Object.entries(query)) {
    for (const value of schema.enum ?? []) push(`with ${name}=${String(value)}`, [], quoteUrl(`${dummyUrl}?${name}=${encodeURIComponent(String(value))}`), undefined, undefined);
    if (!schema.enum && (schema.type === 'integer' || schema.type === 'number')) push(`with ${name}=${schema.minimum ?? 1}`, [], quoteUrl(`${dummyUrl}?${name}=${schema.minimum ?? 1}`), undefined, undefined);
    if (!schema.enum && schema.type === 'string') push(`with ${name}=example`, [], quoteUrl(`${dummyUrl}?${name}=example`), undefined, undefined);
  }
  return out;
}

function signUpLines(who: string, n: number, signUp: NonNullable<Discovery['signUp']>): string[] {
  const payload = JSON.stringify({ ...signUp.payload, ...Object.fromEntries(Object.entries(signUp.payload).filter(([k]) => /e-?mail/i.test(k)).map(([k]) => [k, `user${n}@example.com`])) });
  return [`const ${who} = (await app.inject({ method: 'POST', url: ${JSON.stringify(signUp.url)}, payload: ${payload} })).json();`];
}

/** Lines that create what the route's params and body ids name, through the app's own POST routes. */
function buildNeeds(route: Discovered, discovery: Discovery, signUp: NonNullable<Discovery['signUp']>): Built {
  const lines: string[] = [];
  const made = new Map<string, string>();
  const userId = signUp.userId ? `me.${signUp.userId.join('.')}` : undefined;
  let counter = 0;
  const make = (collection: string, depth: number): string | undefined => {
    if (made.has(collection)) return made.get(collection);
    if (depth > 2) return undefined;
    const creator = discovery.routes.find((r) => r.method === 'POST' && r.url === collection);
    if (!creator) return undefined;
    const ids: Record<string, string> = {};
    const body = sampleBody(creator.body, 2) as Record<string, unknown>;
    for (const key of Object.keys(body ?? {})) {
      if (!/Id$/.test(key)) continue;
      const id = idFor(key, depth + 1);
      if (id) ids[key] = id;
    }
    const name = `made${++counter}`;
    const entries = Object.entries(body ?? {}).map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${ids[k] ?? JSON.stringify(v)}`);
    lines.push(`const ${name} = (await app.inject({ method: 'POST', url: ${JSON.stringify(collection)}, headers: { authorization: \`Bearer \${me.${signUp.token.join('.')}}\` }, payload: { ${entries.join(', ')} } })).json();`);
    made.set(collection, `${name}.id`);
    return `${name}.id`;
  };
  const idFor = (param: string, depth: number, prefix?: string): string | undefined => {
    if (/^(user|owner|member|author|account)Id$/i.test(param)) return userId;
    if (param === 'id' && prefix !== undefined) return /\/users$/.test(prefix) ? userId ?? make(prefix, depth) : make(prefix, depth);
    const stem = param.replace(/Id$/, '');
    const plural = stem.endsWith('y') ? `${stem.slice(0, -1)}ies` : stem.endsWith('s') ? `${stem}es` : `${stem}s`;
    const collection = discovery.routes.find((r) => r.method === 'POST' && r.url.split('/').at(-1)?.toLowerCase() === plural.toLowerCase())?.url;
    return collection ? make(collection, depth) : undefined;
  };
  const url = route.url.replace(/:(\w+)/g, (_all, param: string, offset: number) => {
    const prefix = route.url.slice(0, offset).replace(/\/$/, '');
    const id = idFor(param, 0, prefix);
    return id ? `\${${id}}` : '1';
  });
  const bodyIds: Record<string, string> = {};
  for (const key of Object.keys(route.body?.properties ?? {})) {
    if (!/Id$/.test(key)) continue;
    const id = idFor(key, 0);
    if (id) bodyIds[key] = id;
  }
  return { lines, url, bodyIds };
}

/** The URL with `1` for each parameter (an id that does not exist) and `x` for a wildcard. */
function fillUrl(url: string): string {
  return (url === '' ? '/' : url).replace(/:\w+/g, '1').replace(/\*/g, 'x');
}

function quoteUrl(url: string): string {
  return `'${url.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
