/**
 * Exploration on a CommonJS project tested with Jest and ts-jest (istanbul
 * counters, so scenarios are kept for the code they reach): a Fastify route
 * module served by the project's own app factory, signed up through its
 * register route; a gap task next to a person's test; and a gap task with
 * nothing left to add. The packages come from node_modules/.cache, installed
 * once from the npm registry. Every written file must pass under `jest`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPackages, makeProject, read, runTask } from './harness.js';

const AUTH = `import { randomBytes } from 'node:crypto';

const sessions = new Map<string, number>();
let users = 0;

export function openSession(): { token: string; userId: number } {
  const token = randomBytes(24).toString('hex');
  users += 1;
  sessions.set(token, users);
  return { token, userId: users };
}

export function userFor(header: string | undefined): number | undefined {
  if (header === undefined || !header.startsWith('Bearer ')) return undefined;
  return sessions.get(header.slice('Bearer '.length));
}
`;
const AUTH_ROUTES = `import type { FastifyInstance } from 'fastify';
import { openSession } from '../auth';

export default async function authRoutes(app: FastifyInstance): Promise<void> {
  const schema = { body: { type: 'object', required: ['email', 'password'], properties: { email: { type: 'string' }, password: { type: 'string', minLength: 8 } } } };
  app.post('/auth/register', { schema }, async (request, reply) => {
    const { email } = request.body as { email: string };
    const session = openSession();
    return reply.code(201).send({ token: session.token, user: { id: session.userId, email } });
  });
}
`;
const NOTES_ROUTES = `import type { FastifyInstance } from 'fastify';
import { userFor } from '../auth';

interface Note { id: number; owner: number; text: string }

export default async function notesRoutes(app: FastifyInstance): Promise<void> {
  const notes: Note[] = [];
  app.get('/notes', async (request, reply) => {
    const user = userFor(request.headers.authorization);
    if (user === undefined) return reply.code(401).send({ error: 'sign in first' });
    return { notes: notes.filter((note) => note.owner === user).map((note) => note.text) };
  });
  const schema = { body: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } } };
  app.post('/notes', { schema }, async (request, reply) => {
    const user = userFor(request.headers.authorization);
    if (user === undefined) return reply.code(401).send({ error: 'sign in first' });
    const note = { id: notes.length + 1, owner: user, text: (request.body as { text: string }).text };
    notes.push(note);
    return reply.code(201).send({ id: note.id, text: note.text });
  });
}
`;
const APP = `import Fastify from 'fastify';
import authRoutes from './routes/auth.routes';
import notesRoutes from './routes/notes.routes';

export async function buildApp() {
  const app = Fastify();
  await app.register(authRoutes);
  await app.register(notesRoutes);
  return app;
}
`;
const GRADE = `export function grade(score: number): string {
  if (score >= 90) return 'A';
  if (score >= 75) return 'B';
  if (score >= 50) return 'C';
  return 'F';
}
`;
// A person's tests: grade's top two bands, and every line of double.
const GRADE_TEST = `import { grade } from '../grade';

it('grades the top bands', () => {
  expect(grade(95)).toBe('A');
  expect(grade(80)).toBe('B');
});
`;
const DOUBLE = 'export function double(n: number): number {\n  return n * 2;\n}\n';
const DOUBLE_TEST = "import { double } from '../double';\n\nit('doubles', () => {\n  expect(double(2)).toBe(4);\n});\n";

let root = '';
const cleanups: (() => void)[] = [];
beforeAll(async () => {
  const dir = await installPackages('jest-fastify', { jest: '30', 'ts-jest': '29', '@types/jest': '30', fastify: '5.12', 'light-my-request': '6.6.0' });
  const project = makeProject(
    {
      'package.json': JSON.stringify({ name: 'notes-api', private: true, dependencies: { fastify: '^5' }, devDependencies: { jest: '^30', 'ts-jest': '^29', '@types/jest': '^30' } }),
      'jest.config.js': "module.exports = { preset: 'ts-jest', testEnvironment: 'node' };\n",
      'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, types: ['node', 'jest'] } }),
      'src/auth.ts': AUTH,
      'src/app.ts': APP,
      'src/routes/auth.routes.ts': AUTH_ROUTES,
      'src/routes/notes.routes.ts': NOTES_ROUTES,
      'src/grade.ts': GRADE,
      'src/__tests__/grade.test.ts': GRADE_TEST,
      'src/double.ts': DOUBLE,
      'src/__tests__/double.test.ts': DOUBLE_TEST,
    },
    // Outside node_modules, where Jest does not look for tests; its packages come from the cache through a link.
    os.tmpdir(),
  );
  symlinkSync(path.join(dir, 'node_modules'), path.join(project.root, 'node_modules'));
  root = project.root;
  cleanups.push(project.cleanup);
}, 300_000);
afterAll(() => cleanups.forEach((c) => c()));

/** Run one test file under the project's own jest. */
function jest(file: string) {
  const bin = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
  const result = spawnSync(process.execPath, [bin, '--ci', '--json', '--watchman=false', '--runTestsByPath', file], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return JSON.parse(result.stdout) as { success: boolean; numFailedTests: number; numPassedTests: number };
}

describe('a route module served by the app factory, behind sign-in', () => {
  it('signs a user up through the register route and pins 401 without the token, 2xx with it', async () => {
    const { outcome } = await runTask(root, { target: 'src/routes/notes.routes.ts', template: 'route', test_file: '{dir}/__tests__/{name}.test.ts' });
    expect(outcome.status).toBe('changed');
    expect(outcome.summary).toMatch(/0 dropped/);
    const text = await read(root, 'src/routes/__tests__/notes.routes.test.ts');
    // The project's own app, not a bare Fastify instance.
    expect(text).toContain('import * as appModule from "../../app";');
    expect(text).toContain('const app = await appModule.buildApp();');
    expect(text).not.toContain("from 'fastify'");
    // Signed up through the app, and the token from the answer used as the caller's.
    expect(text).toMatch(/const me = \(\s*await app\.inject\(\{\s*method: "POST",\s*url: "\/auth\/register",/);
    expect(text).toContain('authorization: `Bearer ${me.token}`');
    expect(text).toMatch(/it\("GET \/notes without signing in answers 401"[\s\S]*?expect\(response\.statusCode\)\.toBe\(401\);\s*expect\(response\.json\(\)\)\.toMatchObject\(\{ error: "sign in first" \}\);/);
    expect(text).toMatch(/it\("GET \/notes signed in answers 200"[\s\S]*?expect\(response\.statusCode\)\.toBe\(200\);/);
    expect(text).toMatch(/it\("POST \/notes signed in answers 201"[\s\S]*?expect\(response\.statusCode\)\.toBe\(201\);/);
    // The token is made of chance: never pinned.
    expect(text).not.toMatch(/[0-9a-f]{48}/);
    const report = jest('src/routes/__tests__/notes.routes.test.ts');
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBeGreaterThanOrEqual(4);
  }, 300_000);
});

describe('gap tasks (coverage: true) beside a person\'s test', () => {
  it('write only tests that reach what the person\'s test does not', async () => {
    const { outcome } = await runTask(root, { target: 'src/grade.ts', test_file: '{dir}/__tests__/{name}.gaps.test.ts', coverage: true });
    expect(outcome.status).toBe('changed');
    const text = await read(root, 'src/__tests__/grade.gaps.test.ts');
    // The lowest band is reached by nothing else; "A" and "B" are, so no test says them again.
    expect(text).toMatch(/const result = subject\.grade\(-?\d+(\.\d+)?\);\s*expect\(result\)\.toBe\("F"\);/);
    expect(text).not.toContain('toBe("A")');
    expect(text).not.toContain('toBe("B")');
    expect(text).not.toContain('is a function');
    expect(await read(root, 'src/__tests__/grade.test.ts')).toBe(GRADE_TEST);
    const report = jest('src/__tests__/grade.gaps.test.ts');
    expect(report.numFailedTests).toBe(0);
    expect(report.success).toBe(true);
  }, 300_000);

  it('write nothing when the person\'s test already reaches everything', async () => {
    const { outcome } = await runTask(root, { target: 'src/double.ts', test_file: '{dir}/__tests__/{name}.gaps.test.ts', coverage: true });
    expect(outcome.status).toBe('unchanged');
    expect(outcome.summary).toMatch(/src\/double\.ts: its other tests already reach all the code the generated tests reached/);
    expect(existsSync(path.join(root, 'src/__tests__/double.gaps.test.ts'))).toBe(false);
  }, 300_000);
});
