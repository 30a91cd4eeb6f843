/**
 * Scenarios: calls worth trying on a module, each a few lines of test code
 * (set-up, the call, clean-up) that the probe runs and the generator turns
 * into a test when it proves useful. Functions and methods are called with
 * the plain sample and then with one argument changed at a time; a method
 * taking an id also gets the id of something the class just created (made
 * with each variant of the creator's arguments), a creator is called twice,
 * and a module that reads the environment has its zero-argument functions
 * called under environments with each variable missing, malformed or set to a
 * value the module compares against.
 */
import { envValue } from '../blocks.js';
import type { ClassInfo, FunctionInfo, MethodInfo, ModuleAnalysis, ParamInfo } from '../types.js';
import { candidates, type TypeWorld } from './pools.js';
import { sequenceScenarios } from './sequences.js';

export interface Scenario {
  id: number;
  /** Id of the block (in the test file) the test belongs to. */
  block: string;
  /** The callable it exercises, as labelled in the file (`UsersService#create`): its plain checks give way to these. */
  owner: string;
  /** How the call reads in the test's name. */
  shown: string;
  setup: string[];
  call: string;
  cleanup: string[];
  /** The call is `app.inject(...)`: the test checks the response. */
  request?: boolean;
  /** Environment variables the scenario sets apart from the others: a kept one answers their placeholders. */
  varies?: string[];
  /** The call reads the instance after the set-up changed it: the test says what state it is left in. */
  state?: boolean;
}

/** Calls that act on the process or the world: never made by generated code. */
const PROCESS_NAME = /^(start|stop|main|run|listen|serve|exit|shutdown|kill|spawn|exec|bootstrap|daemon)(?![a-z])/;
/** Calls that change stored things: made only when the module does no I/O of its own. */
const CHANGE_NAME = /^(close|delete|remove|drop|reset|clear|destroy|write|save|send|seed|migrate|connect|disconnect|init|upload|publish|emit|truncate|purge)(?![a-z])/;
/** Imports that mean the module itself reaches files, processes or the network. */
const IO_IMPORT = /^(node:)?(fs|fs\/promises|child_process|net|tls|http|https|http2|dgram|cluster|worker_threads)$|^(pg|mysql2?|mongodb|mongoose|ioredis|redis|axios|node-fetch|undici|got|@prisma\/client|nodemailer|aws-sdk|@aws-sdk\/.*|kafkajs|amqplib|knex|sequelize|typeorm)$/;

const CREATOR_NAME = /^(create|add|insert|register|signUp|signup|make|build)/;
const ID_NAME = /^id$|Id$/;
const MAX_PER_CALLABLE = 40;
const MAX_TOTAL = 700;

export interface ScenarioOptions {
  kind: 'service' | 'route' | 'config';
  world: TypeWorld;
}

/** Whether the module may have `name` called in a test. */
export function mayCall(analysis: ModuleAnalysis, name: string): boolean {
  if (PROCESS_NAME.test(name)) return false;
  if (CHANGE_NAME.test(name)) return !analysis.imports.some((spec) => IO_IMPORT.test(spec));
  return true;
}

interface Variant {
  args: string[];
  shown: string[];
}

/**
 * Argument lists: the repository's examples for `label` first, then the plain
 * sample (the first example, when there is one) with one argument changed at
 * a time (optional ones filled in up to it). Example values join each
 * parameter's pool, so a parameter no type describes can still vary.
 */
export function variants(params: readonly ParamInfo[], world: TypeWorld, limit = MAX_PER_CALLABLE, label?: string): Variant[] | undefined {
  const examples = fittingExamples(params, label === undefined || !Object.hasOwn(world.examples, label) ? [] : (world.examples[label] as string[][]));
  const pools: (string[] | undefined)[] = [];
  for (const [i, param] of params.entries()) {
    if (param.rest) break;
    const seen = examples.map((args) => args[i]).filter((value): value is string => value !== undefined);
    const generated = candidates(param, world);
    const pool = seen.length === 0 ? generated : [...new Set([...seen, ...(generated ?? []), ...cutShort(seen)])];
    if (pool === undefined && !param.optional) return undefined;
    pools.push(pool);
  }
  const required = params.findIndex((p) => p.optional || p.rest);
  const base = (required === -1 ? pools.length : required);
  const baseline = examples[0] ?? pools.slice(0, base).map((pool) => (pool as string[])[0] as string);
  const out: Variant[] = examples.slice(0, limit).map((args) => ({ args, shown: args.map(show) }));
  if (out.length === 0) out.push({ args: baseline, shown: baseline.map(show) });
  const tried = new Set(out.map((v) => v.args.join(', ')));
  // Round robin over the parameters (first alternative of each, then the second...), so a short list still varies each one.
  const longest = Math.max(0, ...pools.map((pool) => pool?.length ?? 0));
  for (let k = 0; k < longest && out.length < limit; k++) {
    for (let i = 0; i < pools.length && out.length < limit; i++) {
      const pool = pools[i];
      // The baseline holds each pool's first value up to its length: start after it.
      const value = pool?.[i < baseline.length ? k + 1 : k];
      if (value === undefined) continue;
      const args = [...baseline];
      for (let j = baseline.length; j < i; j++) args[j] = 'undefined';
      args[i] = value;
      if (tried.has(args.join(', '))) continue;
      tried.add(args.join(', '));
      out.push({ args, shown: args.map(show) });
    }
  }
  // A rest parameter: the plain call with one and then two values for it (`dedent(text, ...values)`, `Math.max(...n)`).
  const restParam = params.find((p) => p.rest);
  const element = restParam === undefined ? undefined : restElement(restParam, world);
  if (element !== undefined && pools.length === params.length - 1) {
    const filled = [...baseline];
    for (let j = baseline.length; j < pools.length; j++) filled[j] = 'undefined';
    for (const extra of [element.slice(0, 1), element.slice(0, 2)]) {
      if (out.length >= limit + 2 || extra.length === 0) break;
      const args = [...filled, ...extra];
      if (tried.has(args.join(', '))) continue;
      tried.add(args.join(', '));
      out.push({ args, shown: args.map(show) });
    }
  }
  return out;
}

/**
 * An example string cut short just after its first and its last separator
 * (`"image/svg+xml;"`, `"a=1&b="`): text that ends where a parser expects
 * more, which the README's well-formed examples never show and made-up
 * values rarely come near.
 */
function cutShort(examples: readonly string[]): string[] {
  const out: string[] = [];
  for (const source of examples.slice(0, 2)) {
    if (!/^"/.test(source)) continue;
    let text: string;
    try {
      text = JSON.parse(source) as string;
    } catch {
      continue;
    }
    const at = [...text.matchAll(/[;,=&:]/g)].map((m) => m.index);
    for (const cut of new Set([at[0], at[at.length - 1]])) if (cut !== undefined && cut > 0) out.push(JSON.stringify(text.slice(0, cut + 1)));
  }
  return out;
}

/** Candidates for one value of a rest parameter (`...values: T[]` gives T's). */
function restElement(param: ParamInfo, world: TypeWorld): string[] | undefined {
  const type = param.type.trim();
  const element = /^(?:readonly\s+)?(.+)\[\]$/.exec(type)?.[1] ?? /^(?:Readonly)?Array<(.+)>$/.exec(type)?.[1] ?? (type === '' ? 'unknown' : undefined);
  if (element === undefined) return undefined;
  return candidates({ ...param, type: element.replace(/^\((.*)\)$/, '$1'), rest: false, optional: false }, world);
}

/** Examples that fit the parameters: every required one given, no more than they take unless the last is a rest parameter. */
function fittingExamples(params: readonly ParamInfo[], examples: readonly string[][]): string[][] {
  const rest = params.some((p) => p.rest);
  const fixed = params.filter((p) => !p.rest).length;
  const needed = params.filter((p) => !p.optional && !p.rest).length;
  return examples.filter((args) => args.length >= needed && (rest || args.length <= fixed));
}

/** Every scenario for a module. */
export function buildScenarios(analysis: ModuleAnalysis, options: ScenarioOptions): Scenario[] {
  const out: Omit<Scenario, 'id'>[] = [];
  const { world } = options;
  const reset = analysis.functions.find((fn) => /^(reset|clear)/i.test(fn.name) && fn.params.every((p) => p.optional));

  for (const fn of analysis.functions) {
    if (options.kind === 'route' && fn.name === analysis.plugin) continue;
    if (!mayCall(analysis, fn.name)) continue;
    const block = `export ${fn.name}`;
    // A module that reads the environment: its zero-argument functions are called only under an environment the test sets.
    const envOnly = analysis.env.length > 0 && fn.params.every((p) => p.optional);
    if (!envOnly) callScenarios(out, block, fn.name, `subject.${fn.name}`, fn, [], world);
    else envScenarios(out, block, fn, analysis, reset, world.strings);
  }
  for (const cls of analysis.classes) {
    classScenarios(out, cls, analysis, world);
    sequenceScenarios(out, cls, analysis, world);
  }
  for (const value of analysis.consts) {
    if (options.kind === 'route' && value.name === analysis.plugin) continue;
    for (const method of value.methods) {
      if (!mayCall(analysis, method.name)) continue;
      callScenarios(out, `export ${value.name}`, `${value.name}.${method.name}`, `subject.${value.name}.${method.name}`, method, [], world);
    }
  }
  return interleave(out).slice(0, MAX_TOTAL).map((scenario, id) => ({ ...scenario, id }));
}

/**
 * Every callable's first scenario, then every callable's second, and so on:
 * when the time budget or the cap cuts the list short, each callable has had
 * its plain call and its first variations rather than the first few callables
 * all of theirs.
 */
function interleave(scenarios: Omit<Scenario, 'id'>[]): Omit<Scenario, 'id'>[] {
  const byOwner = new Map<string, Omit<Scenario, 'id'>[]>();
  for (const scenario of scenarios) byOwner.set(scenario.owner, [...(byOwner.get(scenario.owner) ?? []), scenario]);
  const lists = [...byOwner.values()];
  const out: Omit<Scenario, 'id'>[] = [];
  for (let k = 0; out.length < scenarios.length; k++) for (const list of lists) if (k < list.length) out.push(list[k] as Omit<Scenario, 'id'>);
  return out;
}

function callScenarios(out: Omit<Scenario, 'id'>[], block: string, label: string, callee: string, callable: FunctionInfo | MethodInfo, setup: string[], world: TypeWorld): void {
  for (const variant of variants(callable.params, world, MAX_PER_CALLABLE, label) ?? []) {
    out.push({ block, owner: label, shown: `${label}(${variant.shown.join(', ')})`, setup, call: `${callee}(${variant.args.join(', ')})`, cleanup: [] });
  }
}

function classScenarios(out: Omit<Scenario, 'id'>[], cls: ClassInfo, analysis: ModuleAnalysis, world: TypeWorld): void {
  const block = `class ${cls.name}`;
  const C = `subject.${cls.name}`;
  for (const method of cls.methods.filter((m) => m.static && mayCall(analysis, m.name))) {
    callScenarios(out, block, `${cls.name}.${method.name}`, `${C}.${method.name}`, method, [], world);
  }
  if (cls.abstract) return;
  const ctor = variants(cls.ctorParams ?? [], world, 1, `new ${cls.name}`)?.[0];
  if (ctor === undefined) return;
  const construct = `new ${C}(${ctor.args.join(', ')})`;
  const made = [`const instance = ${construct};`];
  const methods = cls.methods.filter((m) => !m.static && mayCall(analysis, m.name));
  const creator = methods.find((m) => CREATOR_NAME.test(m.name) && variants(m.params, world, 1, `${cls.name}#${m.name}`) !== undefined);
  const creatorVariants = creator ? (variants(creator.params, world, MAX_PER_CALLABLE, `${cls.name}#${creator.name}`) ?? []) : [];
  // The id is typed as the method taking it wants it, so the test type-checks under ts-jest.
  const createdBy = (variant: Variant, idType = 'string') => {
    const awaited = creator && (creator.async || /^Promise</.test(creator.returns)) ? 'await ' : '';
    return {
      line: `const created = (${awaited}instance.${creator?.name}(${variant.args.join(', ')})) as unknown as { id: ${idType} };`,
      shown: `id of one from ${creator?.name}(${variant.shown.join(', ')})`,
    };
  };
  for (const method of methods) {
    const label = `${cls.name}#${method.name}`;
    callScenarios(out, block, label, `instance.${method.name}`, method, made, world);
    if (!creator) continue;
    if (method === creator) {
      const base = creatorVariants[0];
      if (base) out.push({ block, owner: label, shown: `${label}(${base.shown.join(', ')}) twice`, setup: [...made, `instance.${method.name}(${base.args.join(', ')});`], call: `instance.${method.name}(${base.args.join(', ')})`, cleanup: [] });
      continue;
    }
    const first = method.params[0];
    if (first && ID_NAME.test(first.name) && /^(string|number|)$/.test(first.type)) {
      const rest = variants(method.params.slice(1), world, 12) ?? [];
      creatorVariants.slice(0, 8).forEach((creatorVariant, c) => {
        const { line, shown } = createdBy(creatorVariant, first.type === 'number' ? 'number' : 'string');
        for (const variant of c === 0 ? rest : rest.slice(0, 4)) {
          out.push({ block, owner: label, shown: `${label}(${[shown, ...variant.shown].join(', ')})`, setup: [...made, line], call: `instance.${method.name}(${['created.id', ...variant.args].join(', ')})`, cleanup: [] });
        }
      });
    } else {
      const base = creatorVariants[0];
      const own = variants(method.params, world, 6, label) ?? [];
      if (base) {
        const { line } = createdBy(base);
        for (const variant of own) {
          out.push({ block, owner: label, shown: `${label}(${variant.shown.join(', ')}) after ${creator.name}(${base.shown.join(', ')})`, setup: [...made, line], call: `instance.${method.name}(${variant.args.join(', ')})`, cleanup: [] });
        }
      }
    }
  }
}

/** Environments to call a zero-argument function under. */
function envScenarios(out: Omit<Scenario, 'id'>[], block: string, fn: FunctionInfo, analysis: ModuleAnalysis, reset: FunctionInfo | undefined, strings: string[]): void {
  const names = analysis.env;
  const full = Object.fromEntries(names.map((name) => [name, envValue(name)]));
  const literals = strings.slice(0, 4);
  const cases: { set: Record<string, string>; unset: string[]; shown: string; varies?: string[] }[] = [
    { set: full, unset: [], shown: 'every variable set' },
    { set: {}, unset: names, shown: 'no variable set' },
  ];
  for (const name of names) {
    const numeric = /PORT|TIMEOUT|TTL|SIZE|MAX|MIN|LIMIT|COUNT|ROUNDS|SECONDS|MS$/.test(name);
    const odd = numeric ? ['not-a-number', '-1'] : ['invalid', 'x'];
    for (const value of [...odd, '', ...literals]) {
      cases.push({ set: { ...full, [name]: value }, unset: [], shown: `${name}=${JSON.stringify(value)}`, varies: [name] });
      if (value !== '' && literals.includes(value)) cases.push({ set: { [name]: value }, unset: names.filter((n) => n !== name), shown: `only ${name}=${JSON.stringify(value)}`, varies: [name] });
    }
  }
  const resetLine = reset ? [`subject.${reset.name}();`] : [];
  for (const c of cases.slice(0, 60)) {
    out.push({
      block,
      owner: fn.name,
      shown: `${fn.name}() with ${c.shown}`,
      setup: [
        'const savedEnv = { ...process.env };',
        `for (const name of ${JSON.stringify(names)}) delete process.env[name];`,
        ...(Object.keys(c.set).length > 0 ? [`Object.assign(process.env, ${JSON.stringify(c.set)});`] : []),
        ...resetLine,
      ],
      call: `subject.${fn.name}()`,
      cleanup: ['process.env = savedEnv;', ...resetLine],
      ...(c.varies ? { varies: c.varies } : {}),
    });
  }
}

/** An argument as it reads in a test name. */
function show(expression: string): string {
  const long = /^"x"\.repeat\((\d+)\)$/.exec(expression);
  if (long) return `"x" × ${long[1]}`;
  return expression.length > 60 ? `${expression.slice(0, 57)}...` : expression;
}
