/**
 * Turns the analysis of a module into test blocks: one block per export (or
 * per route module, or per configuration module), each a `describe` holding
 * tests with real assertions and `it.todo` placeholders for behaviour that
 * cannot be known from the source. Blocks are data, so that verification can
 * drop a failing test and render the block again without it.
 */
import type { ClassInfo, ConstInfo, FunctionInfo, MethodInfo, ModuleAnalysis, ParamInfo } from './types.js';
import { describeCheck, resultCheck, sampleArguments, type ResultCheck, type Shapes } from './values.js';

export type TemplateKind = 'service' | 'route' | 'config';

export interface TestCase {
  title: string;
  lines: string[];
  /** What to write in its place when it fails verification. */
  fallbackTodo: string;
  /** The callable it calls (`UsersService#create`), when it calls one: explored tests of that callable replace it. */
  owner?: string;
}

export interface Block {
  /** Stable id written in the markers; a rerun adds only blocks whose id is not in the file. */
  id: string;
  title: string;
  tests: TestCase[];
  todos: string[];
}

export interface BlockOptions {
  kind: TemplateKind;
  /** `vi` or `jest`. */
  api: 'vi' | 'jest';
  /** The module specifier of the source, as the test file imports it. */
  importPath: string;
}

/** Names whose call could touch the world (servers, files, databases): never called, left as placeholders. */
const SIDE_EFFECT_NAME = /^(start|stop|main|run|listen|serve|exit|shutdown|close|delete|remove|drop|reset|clear|destroy|kill|write|save|send|seed|migrate|connect|disconnect|init|bootstrap|spawn|exec|upload|publish|emit|truncate|purge)(?![a-z])/i;

/** Methods that make something and return it, id included. */
const CREATOR_NAME = /^(create|add|insert|register|signUp|signup)$/;

/** Every block for a module, in source order of kind: module, routes or config, then exports. */
export function buildBlocks(analysis: ModuleAnalysis, options: BlockOptions): Block[] {
  const blocks: Block[] = [];
  if (options.kind === 'config') return [configBlock(analysis, options)];
  const exported = exportedNames(analysis);
  if (exported.length > 0) {
    blocks.push({
      id: 'module',
      title: 'module',
      tests: [{
        title: `exports ${listWords(exported)}`,
        lines: [`expect(Object.keys(subject)).toEqual(expect.arrayContaining(${JSON.stringify(exported)}));`],
        fallbackTodo: 'module: its exports could not be checked',
      }],
      todos: [],
    });
  }
  if (options.kind === 'route') blocks.push(routeBlock(analysis));
  const shapes = analysis.shapes;
  for (const fn of analysis.functions) if (!(options.kind === 'route' && fn.name === analysis.plugin)) blocks.push(functionBlock(fn, shapes));
  for (const cls of analysis.classes) blocks.push(classBlock(cls, shapes));
  for (const value of analysis.consts) if (!(options.kind === 'route' && value.name === analysis.plugin)) blocks.push(constBlock(value, shapes));
  return blocks.filter((block) => block.tests.length + block.todos.length > 0);
}

/** The value exports (and named re-exports) a test can see on the module namespace. */
export function exportedNames(analysis: ModuleAnalysis): string[] {
  const names = [
    ...analysis.functions.map((f) => f.name),
    ...analysis.classes.map((c) => c.name),
    ...analysis.consts.map((c) => c.name),
    ...analysis.reexports.filter((name) => !name.startsWith('* from')),
  ];
  return [...new Set(names)];
}

function ref(name: string): string {
  return `subject.${name}`;
}

function signature(name: string, params: readonly ParamInfo[]): string {
  return `${name}(${params.map((p) => `${p.rest ? '...' : ''}${p.name}${p.optional ? '?' : ''}${p.type ? `: ${p.type}` : ''}`).join(', ')})`;
}

/** A first argument taken from an earlier call (the id of something created), with the lines that make it. */
interface FirstArgument {
  prelude: string[];
  expression: string;
  /** How the argument reads in the test's name. */
  shown: string;
}

/** A test calling `callee` with sample arguments and checking what it returns; or a placeholder. */
function callTest(
  label: string,
  callee: string,
  callable: { name: string; params: ParamInfo[]; returns: string },
  shapes: Shapes,
  first?: FirstArgument,
): TestCase | string {
  const placeholder = `${signature(label, callable.params)}: behaviour to be specified`;
  if (SIDE_EFFECT_NAME.test(callable.name)) return placeholder;
  const rest = sampleArguments(first ? callable.params.slice(1) : callable.params, shapes);
  if (rest === undefined) return placeholder;
  const args = first ? [first.expression, ...rest] : rest;
  const call = `${callee}(${args.join(', ')})`;
  const { promise, check } = resultCheck(callable.returns);
  const shown = `${label}(${(first ? [first.shown, ...rest] : rest).join(', ')})`;
  const fallbackTodo = `${shown}: failed when run with these values; specify its behaviour`;
  const prelude = first?.prelude ?? [];
  if (promise) {
    return {
      title: `${shown} ${describeCheck(check, true)}`,
      lines: [...prelude, `const returned = ${call};`, 'expect(returned).toBeInstanceOf(Promise);', ...checkLines(check, 'await returned')],
      fallbackTodo,
      owner: label,
    };
  }
  if (check.kind === 'none') {
    return {
      title: `${shown} runs without throwing`,
      lines: [...prelude, 'let returned: unknown;', `expect(() => {`, `  returned = ${call};`, '}).not.toThrow();', '// A promise it returns must settle without rejecting.', 'if (returned instanceof Promise) await returned;'],
      fallbackTodo,
      owner: label,
    };
  }
  return { title: `${shown} ${describeCheck(check, false)}`, lines: [...prelude, ...checkLines(check, call)], fallbackTodo, owner: label };
}

function checkLines(check: ResultCheck, value: string): string[] {
  switch (check.kind) {
    case 'typeof':
      return [`const result = ${value};`, `expect(typeof result).toBe('${check.type}');`];
    case 'undefined':
      return [`const result = ${value};`, 'expect(result).toBeUndefined();'];
    case 'array':
      return [`const result = ${value};`, 'expect(Array.isArray(result)).toBe(true);'];
    case 'object':
      return [`const result = ${value};`, 'expect(result).toEqual(expect.any(Object));'];
    case 'none':
      return ['// It must settle without rejecting.', `${value};`];
  }
}

function functionBlock(fn: FunctionInfo, shapes: Shapes): Block {
  const tests: TestCase[] = [{ title: `${fn.name} is a function`, lines: [`expect(typeof ${ref(fn.name)}).toBe('function');`], fallbackTodo: `${fn.name}: not a function when loaded` }];
  const todos: string[] = [];
  const call = callTest(fn.name, ref(fn.name), fn, shapes);
  if (typeof call === 'string') todos.push(call);
  else tests.push(call);
  return { id: `export ${fn.name}`, title: fn.name, tests, todos };
}

function classBlock(cls: ClassInfo, shapes: Shapes): Block {
  const tests: TestCase[] = [];
  const todos: string[] = [];
  const C = ref(cls.name);
  const instanceMethods = cls.methods.filter((m) => !m.static);
  for (const method of cls.methods) {
    const owner = method.static ? C : `${C}.prototype`;
    tests.push({ title: `${cls.name}${method.static ? '.' : '#'}${method.name} is a method`, lines: [`expect(typeof ${owner}.${method.name}).toBe('function');`], fallbackTodo: `${cls.name}.${method.name}: not a method when loaded` });
  }
  const ctorArgs = cls.abstract ? undefined : sampleArguments(cls.ctorParams ?? [], shapes);
  if (ctorArgs === undefined) {
    if (!cls.abstract) todos.push(`new ${signature(cls.name, cls.ctorParams ?? [])}: construction to be specified`);
  } else {
    const construct = `new ${C}(${ctorArgs.join(', ')})`;
    tests.push({ title: `new ${cls.name}(${ctorArgs.join(', ')}) makes an instance`, lines: [`expect(${construct}).toBeInstanceOf(${C});`], fallbackTodo: `new ${cls.name}(${ctorArgs.join(', ')}): failed; specify how it is constructed` });
    for (const method of instanceMethods) pushCall(method, `${cls.name}#${method.name}`, `${construct}.${method.name}`);
    // A method that takes the id of something the class creates is also called with the id of one it just created.
    const creator = instanceMethods.find((m) => CREATOR_NAME.test(m.name) && sampleArguments(m.params, shapes) !== undefined);
    const creatorArgs = creator ? sampleArguments(creator.params, shapes) : undefined;
    if (creator && creatorArgs) {
      const awaited = resultCheck(creator.returns).promise || creator.async ? 'await ' : '';
      for (const method of instanceMethods) {
        const id = method.params[0];
        if (method === creator || !id || !/^id$|Id$/.test(id.name) || !/^(string|number)$/.test(id.type)) continue;
        const test = callTest(`${cls.name}#${method.name}`, 'instance.' + method.name, method, shapes, {
          prelude: [
            `const instance = ${construct};`,
            `const created = (${awaited}instance.${creator.name}(${creatorArgs.join(', ')})) as unknown as { id: ${id.type} };`,
          ],
          expression: 'created.id',
          shown: `id of one from ${creator.name}`,
        });
        if (typeof test !== 'string') tests.push(test);
      }
    }
  }
  for (const method of cls.methods.filter((m) => m.static)) pushCall(method, `${cls.name}.${method.name}`, `${C}.${method.name}`);
  if (ctorArgs === undefined) for (const method of instanceMethods) todos.push(`${signature(`${cls.name}#${method.name}`, method.params)}: behaviour to be specified`);
  return { id: `class ${cls.name}`, title: cls.name, tests, todos };

  function pushCall(method: MethodInfo, label: string, callee: string): void {
    const call = callTest(label, callee, method, shapes);
    if (typeof call === 'string') todos.push(call);
    else tests.push(call);
  }
}

function constBlock(value: ConstInfo, shapes: Shapes): Block {
  const tests: TestCase[] = [];
  const todos: string[] = [];
  const v = ref(value.name);
  if (value.literal !== undefined) {
    tests.push({ title: `${value.name} is ${JSON.stringify(value.literal)}`, lines: [`expect(${v}).toBe(${JSON.stringify(value.literal)});`], fallbackTodo: `${value.name}: value to be specified` });
  } else if (value.keys.length > 0) {
    tests.push({ title: `${value.name} has ${listWords(value.keys)}`, lines: [`expect(Object.keys(${v})).toEqual(expect.arrayContaining(${JSON.stringify(value.keys)}));`], fallbackTodo: `${value.name}: shape to be specified` });
    for (const method of value.methods) {
      tests.push({ title: `${value.name}.${method.name} is a function`, lines: [`expect(typeof ${v}.${method.name}).toBe('function');`], fallbackTodo: `${value.name}.${method.name}: to be specified` });
      const call = callTest(`${value.name}.${method.name}`, `${v}.${method.name}`, method, shapes);
      if (typeof call === 'string') todos.push(call);
      else tests.push(call);
    }
  } else {
    tests.push({ title: `${value.name} is defined`, lines: [`expect(${v}).toBeDefined();`], fallbackTodo: `${value.name}: value to be specified` });
  }
  return { id: `export ${value.name}`, title: value.name, tests, todos };
}

function routeBlock(analysis: ModuleAnalysis): Block {
  const plugin = analysis.plugin ?? 'default';
  const seen = new Set<string>();
  const tests: TestCase[] = [];
  for (const route of analysis.routes) {
    const key = `${route.method} ${route.url}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const url = (route.url === '' ? '/' : route.url).replace(/:(\w+)/g, '1').replace(/\*/g, 'x');
    const payload = ['POST', 'PUT', 'PATCH'].includes(route.method) ? ', payload: {}' : '';
    tests.push({
      title: `${key} answers a well-formed request without a server error`,
      lines: [
        'const app = Fastify();',
        'try {',
        `  await app.register(${ref(plugin)});`,
        `  const response = await app.inject({ method: '${route.method}', url: ${JSON.stringify(url)}${payload} });`,
        '  expect(response.statusCode).toBeLessThan(500);',
        '} finally {',
        '  await app.close();',
        '}',
      ],
      fallbackTodo: `${key}: failed on a Fastify instance of its own (it may need decorators, a database or auth); specify it`,
      owner: key,
    });
  }
  return { id: 'routes', title: 'routes', tests, todos: [] };
}

function configBlock(analysis: ModuleAnalysis, options: BlockOptions): Block {
  const env = Object.fromEntries(analysis.env.map((name) => [name, envValue(name)]));
  const exported = exportedNames(analysis);
  const lines = [
    'const saved = { ...process.env };',
    'try {',
    `  Object.assign(process.env, ${JSON.stringify(env)});`,
    `  ${options.api}.resetModules();`,
    `  const loaded = await import(${JSON.stringify(options.importPath)});`,
    exported.length > 0 ? `  expect(Object.keys(loaded)).toEqual(expect.arrayContaining(${JSON.stringify(exported)}));` : '  expect(loaded).toBeDefined();',
    ...analysis.consts.filter((c) => c.literal !== undefined).map((c) => `  expect(loaded.${c.name}).toBe(${JSON.stringify(c.literal)});`),
    '} finally {',
    '  process.env = saved;',
    '}',
  ];
  const names = analysis.env.length > 0 ? analysis.env.join(', ') : 'no variables';
  return {
    id: 'config',
    title: 'configuration',
    tests: [{ title: `loads with ${names} set`, lines, fallbackTodo: `loading with ${names} set failed; specify the configuration it expects` }],
    todos: analysis.env.map((name) => `${name}: behaviour when it is missing or malformed`),
  };
}

/** A plausible value for an environment variable, from its name. */
export function envValue(name: string): string {
  if (name === 'NODE_ENV') return 'test';
  if (/PORT$/.test(name)) return '3000';
  if (/DATABASE_URL|DB_URL/.test(name)) return 'postgres://user:password@localhost:5432/test';
  if (/REDIS_URL/.test(name)) return 'redis://localhost:6379';
  if (/URL|URI|ENDPOINT/.test(name)) return 'http://localhost:3000';
  if (/HOST/.test(name)) return 'localhost';
  if (/SECRET|KEY|TOKEN|PASSWORD|SALT/.test(name)) return 'test-secret-0123456789abcdef0123456789abcdef';
  if (/^(ENABLE|DISABLE|USE|DEBUG)|_ENABLED$|_DEBUG$/.test(name)) return 'true';
  if (/TIMEOUT|TTL|MAX|MIN|LIMIT|COUNT|ROUNDS|SIZE/.test(name)) return '10';
  if (/LEVEL/.test(name)) return 'info';
  return 'test';
}

function listWords(names: readonly string[]): string {
  return names.length <= 4 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}
