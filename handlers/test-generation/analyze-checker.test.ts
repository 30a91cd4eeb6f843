/**
 * Types from the type checker, on small TypeScript projects written to temp
 * directories (one with a package's `.d.ts` in its node_modules) and on the
 * sources of redux as published: what each parameter's type becomes, and the
 * candidate arguments pools then makes of it.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPackages } from '../../test/test-generation/harness.js';
import { analyzeSource, loadAnalyzer } from './analyze.js';
import { refineWithChecker } from './analyze-checker.js';
import { addDeclared } from './explore/declared.js';
import { candidates, emptyWorld, type TypeWorld } from './explore/pools.js';
import type { ModuleAnalysis, ParamInfo } from './types.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-checker-'));
  dirs.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

/** The refined analyses of `sources`, as the handler makes them. */
async function refined(root: string, sources: string[]): Promise<Map<string, ModuleAnalysis>> {
  await loadAnalyzer();
  const analyses = new Map(sources.map((source) => [source, analyzeSource(source, readFileSync(path.join(root, source), 'utf8'))]));
  await refineWithChecker(root, analyses);
  return analyses;
}

/** The type world exploration builds from one refined analysis. */
function worldOf(analysis: ModuleAnalysis, source: string): TypeWorld {
  const world = { ...emptyWorld(), shapes: { ...analysis.shapes }, unions: { ...analysis.unions } };
  addDeclared(world, analysis, source, (module) => `./${module.replace(/\.ts$/, '')}`);
  return world;
}

const fn = (analysis: ModuleAnalysis | undefined, name: string) => analysis?.functions.find((f) => f.name === name);
const param = (analysis: ModuleAnalysis | undefined, name: string, index = 0) => fn(analysis, name)?.params[index] as ParamInfo;

describe('refineWithChecker on a project with a tsconfig', () => {
  let analysis: ModuleAnalysis | undefined;
  let world: TypeWorld;
  beforeAll(async () => {
    const root = project({
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022' }, include: ['src'] }),
      'node_modules/clock-lib/package.json': JSON.stringify({ name: 'clock-lib', types: 'index.d.ts' }),
      'node_modules/clock-lib/index.d.ts': 'export interface Tick { at: Date; label: string; repeat?: number }\nexport type Unit = "ms" | "s";\n',
      'src/model.ts': `export interface User { name: string; age?: number; roles: Role[] }
export type Role = 'admin' | 'member';
export enum Level { Low = 1, High = 2 }
export const enum Flag { On = 'on', Off = 'off' }
export class Account {
  constructor(readonly owner: User, private balance = 0) {}
}
export interface Box<T> { value: T; label: string }
`,
      'src/api.ts': `import type { Tick, Unit } from 'clock-lib';
import { type User, Level, Flag, Account, type Box } from './model';
export { Level } from './model';
export function greet(user: User): string { return user.name; }
export function pick<T extends string | number>(items: T[], limit = 3): T[] { return items.slice(0, limit); }
export function identity<T>(value: T): T { return value; }
export function first<T = boolean>(box: Box<T>): T { return box.value; }
export function at(level: Level, flag: Flag): string { return String(level) + flag; }
export function every(tick: Tick, unit: Unit): string { return tick.label + unit; }
export function later(done: (error: Error | null, count: number) => boolean, ready: Promise<string[]>): void {}
export function shapes(pair: [string, number], seen: Map<string, Date>, tags: Set<string>, pattern: RegExp, extra: Record<string, boolean>): void {}
export function audit(account: Account): string { return account.owner.name; }
export function parse(text: string): number;
export function parse(text: string, radix: number): number;
export function parse(text: string, radix?: number): number { return Number.parseInt(text, radix); }
export class Service {
  constructor(private readonly users: Map<string, User>) {}
  find(id: string, onMissing: () => User | undefined): User | undefined { return this.users.get(id) ?? onMissing(); }
  static of(...users: User[]): Service { return new Service(new Map(users.map((u) => [u.name, u]))); }
}
export const helpers = { double(n = 2) { return n * 2; } };
`,
    });
    analysis = (await refined(root, ['src/api.ts'])).get('src/api.ts');
    world = worldOf(analysis as ModuleAnalysis, 'src/api.ts');
  }, 300_000);

  it('gives an imported interface its fields, and a literal of them as the candidate', () => {
    expect(param(analysis, 'greet').type).toBe('User');
    expect(analysis?.shapes['User']).toEqual([
      { name: 'name', type: 'string', optional: false, rest: false },
      { name: 'age', type: 'number', optional: true, rest: false },
      { name: 'roles', type: 'Role[]', optional: false, rest: false },
    ]);
    expect(analysis?.unions['Role']).toEqual(['"admin"', '"member"']);
    expect(candidates(param(analysis, 'greet'), world)?.slice(0, 2)).toEqual(['{ name: "Ada", roles: ["admin"] }', '{ name: "Ada", age: 2, roles: ["admin"] }']);
  });

  it('gives a type parameter its constraint, else its default, else a string', () => {
    expect(param(analysis, 'pick').type).toBe('(string | number)[]');
    expect(param(analysis, 'identity').type).toBe('string');
    expect(candidates(param(analysis, 'identity'), world)?.[0]).toBe('"example"');
    expect(param(analysis, 'first').type).toBe('Box<boolean>');
    expect(candidates(param(analysis, 'first'), world)?.[0]).toBe('{ value: true, label: "example" }');
  });

  it('keeps a default parameter optional and records its default', () => {
    expect(param(analysis, 'pick', 1)).toEqual({ name: 'limit', type: 'number', optional: true, rest: false, default: '3' });
    expect(analysis?.consts[0]?.methods[0]?.params[0]).toEqual({ name: 'n', type: 'number', optional: true, rest: false, default: '2' });
  });

  it('takes an exported enum member by name, and the values of a const enum', () => {
    expect(param(analysis, 'at').type).toBe('Level');
    expect(candidates(param(analysis, 'at'), world)).toEqual(['subject.Level.Low', 'subject.Level.High']);
    expect(candidates(param(analysis, 'at', 1), world)).toEqual(['"on"', '"off"']);
  });

  it('reads types from a package .d.ts', () => {
    expect(param(analysis, 'every').type).toBe('Tick');
    expect(candidates(param(analysis, 'every'), world)?.[0]).toBe('{ at: new Date("2024-01-15T00:00:00.000Z"), label: "example" }');
    expect(candidates(param(analysis, 'every', 1), world)).toEqual(['"ms"', '"s"']);
  });

  it('answers a callback with a function returning a sample of its result, and a promise with a resolved one', () => {
    expect(param(analysis, 'later').type).toBe('(error: Error | null, count: number) => boolean');
    expect(candidates(param(analysis, 'later'), world)).toEqual(['() => true', '() => false']);
    expect(candidates(param(analysis, 'later', 1), world)).toEqual(['Promise.resolve(["example"])', 'Promise.resolve([])']);
  });

  it('makes tuples, maps, sets, regular expressions and records', () => {
    const pool = (i: number) => candidates(param(analysis, 'shapes', i), world)?.[0];
    expect([pool(0), pool(1), pool(2), pool(3), pool(4)]).toEqual([
      '["example", 1]',
      'new Map([["example", new Date("2024-01-15T00:00:00.000Z")]])',
      'new Set(["example"])',
      '/example/',
      '{ example: true }',
    ]);
  });

  it('constructs an instance of a project class through the module that exports it', () => {
    expect(param(analysis, 'audit').type).toBe('Account');
    expect(analysis?.declared?.['Account']).toMatchObject({ module: 'src/model.ts', name: 'Account', kind: 'class' });
    expect(candidates(param(analysis, 'audit'), world)).toEqual(['new modelTypes.Account({ name: "Ada", roles: ["admin"] })']);
  });

  it('reads an overloaded function through its implementation, and class members through the class', () => {
    expect(fn(analysis, 'parse')?.params).toEqual([
      { name: 'text', type: 'string', optional: false, rest: false },
      { name: 'radix', type: 'number', optional: true, rest: false },
    ]);
    const service = analysis?.classes.find((c) => c.name === 'Service');
    expect(service?.ctorParams?.[0]?.type).toBe('Map<string, User>');
    expect(service?.methods.find((m) => m.name === 'find')?.params[1]?.type).toBe('() => (undefined | User)');
    expect(candidates(service?.methods.find((m) => m.name === 'find')?.params[1] as ParamInfo, world)?.[0]).toBe('() => ({ name: "Ada", roles: ["admin"] })');
    expect(service?.methods.find((m) => m.name === 'of')?.params[0]).toEqual({ name: 'users', type: 'User[]', optional: false, rest: true });
  });
});

describe('refineWithChecker without a tsconfig', () => {
  it('infers a program from the sources and what they import', async () => {
    const root = project({
      'lib/shapes.ts': 'export interface Point { x: number; y: number }\n',
      'lib/geo.ts': "import { Point } from './shapes.js';\nexport function norm(p: Point): number { return Math.hypot(p.x, p.y); }\n",
    });
    const analysis = (await refined(root, ['lib/geo.ts'])).get('lib/geo.ts');
    expect(candidates(param(analysis, 'norm'), worldOf(analysis as ModuleAnalysis, 'lib/geo.ts'))?.[0]).toBe('{ x: 1, y: 1 }');
  }, 300_000);

  it('leaves JavaScript and unparsable sources as the syntax read them', async () => {
    const files = { 'a.js': 'export function f(x) { return x; }\n', 'b.ts': 'export function g(x: number {\n' };
    const root = project(files);
    const analyses = await refined(root, Object.keys(files));
    for (const [name, text] of Object.entries(files)) expect(analyses.get(name)).toEqual(analyzeSource(name, text));
  }, 300_000);
});

describe('refineWithChecker on the sources of redux 5.0.1', () => {
  let analyses = new Map<string, ModuleAnalysis>();
  const sources = ['src/createStore.ts', 'src/combineReducers.ts', 'src/applyMiddleware.ts', 'src/bindActionCreators.ts', 'src/compose.ts', 'src/utils/isAction.ts'];
  beforeAll(async () => {
    const installed = await installPackages('packages', { redux: '5.0.1', 'ts-dedent': '2.3.0' });
    analyses = await refined(path.join(installed, 'node_modules', 'redux'), sources);
  }, 300_000);

  it('gives the generic reducer and the combined reducers map concrete candidates, and no enhancer whose store it cannot write', () => {
    const createStore = analyses.get('src/createStore.ts');
    const world = worldOf(createStore as ModuleAnalysis, 'src/createStore.ts');
    // Reducer<S, A> with S unconstrained: a function returning the stand-in state.
    expect(candidates(param(createStore, 'createStore'), world)).toEqual(['() => "example"', '() => ""']);
    expect(candidates(param(createStore, 'createStore', 2), world)).toBeUndefined();
    const combine = analyses.get('src/combineReducers.ts');
    expect(param(combine, 'default').type).toMatch(/^Record<string, \(state: any, action: any\) => any>$/);
    expect(candidates(param(combine, 'default'), worldOf(combine as ModuleAnalysis, 'src/combineReducers.ts'))).toEqual(['{ example: () => undefined }', '{}']);
  });

  it('gives middleware (an imported interface with a call signature) and the dispatch callback candidates', () => {
    const middleware = analyses.get('src/applyMiddleware.ts');
    const pool = candidates(param(middleware, 'default'), worldOf(middleware as ModuleAnalysis, 'src/applyMiddleware.ts'));
    expect(pool?.[0]).toBe('[() => () => () => undefined]');
    const bind = analyses.get('src/bindActionCreators.ts');
    const world = worldOf(bind as ModuleAnalysis, 'src/bindActionCreators.ts');
    // Dispatch is `<T extends UnknownAction>(action: T, ...extraArgs: any[]) => T`: a callback handing its action back.
    expect(candidates(param(bind, 'default', 1), world)).toEqual(['(action) => action']);
    expect(candidates(param(bind, 'default'), world)?.[0]).toBe('() => undefined');
  });
});
