/**
 * Call sequences on objects: what a class does is often visible only after
 * several calls on one instance. For each class that can be built, the
 * constructor is tried with its own argument variants (the instance it makes
 * is pinned, so a constructor that checks its arguments gets tests), every
 * method is called after each other method has changed the instance (the
 * second call's result pinned), and a method that returns nothing is followed
 * by a look at the instance it changed. Values a method returns are passed on
 * to a later method taking that type.
 */
import type { ClassInfo, ModuleAnalysis } from '../types.js';
import { candidates, type TypeWorld } from './pools.js';
import { mayCall, variants, type Scenario } from './scenarios.js';

/** At most this many sequences per class and way of building it, so one class cannot use the whole budget. */
const MAX_PER_CLASS = 60;

/**
 * How to build an instance for method calls: the plain call (optional
 * parameters left out) and, when it differs, one with every optional
 * parameter given its fullest value. Many classes refuse the plain call (an
 * options object whose `maxSize` must be set), and the scenarios built on a
 * construction that throws say nothing.
 */
export function constructions(cls: ClassInfo, world: TypeWorld): { args: string[]; shown: string[] }[] {
  const params = cls.ctorParams ?? [];
  const plain = variants(params, world, 1, `new ${cls.name}`)?.[0];
  if (plain === undefined) return [];
  const full: string[] = [];
  for (const param of params) {
    if (param.rest) break;
    const pool = candidates(param, world) ?? [];
    const objects = pool.filter((value) => value.startsWith('{ '));
    // The first object with the most fields: every option set, each to its plain sample.
    const fields = (value: string) => value.split(':').length;
    const fullest = objects.reduce<string | undefined>((best, value) => (best === undefined || fields(value) > fields(best) ? value : best), undefined);
    const value = param.optional ? (fullest ?? pool.find((v) => v !== 'undefined')) : (plain.args[full.length] ?? pool[0]);
    if (value === undefined) break;
    full.push(value);
  }
  if (full.length <= plain.args.length || full.join(', ') === plain.args.join(', ')) return [plain];
  return [plain, { args: full, shown: full.map((v) => (v.length > 60 ? `${v.slice(0, 57)}...` : v)) }];
}

/** Sequence scenarios for one class (appended to `out`). */
export function sequenceScenarios(out: Omit<Scenario, 'id'>[], cls: ClassInfo, analysis: ModuleAnalysis, world: TypeWorld): void {
  if (cls.abstract) return;
  const ways = constructions(cls, world);
  // Each way of building gets its own allowance: the plain one may be refused, and then only the other's sequences say anything.
  for (const [n, way] of ways.entries()) {
    const added: Omit<Scenario, 'id'>[] = [];
    sequencesOn(added, cls, analysis, world, way, n > 0);
    out.push(...added.slice(0, MAX_PER_CLASS));
  }
}

function sequencesOn(added: Omit<Scenario, 'id'>[], cls: ClassInfo, analysis: ModuleAnalysis, world: TypeWorld, first: { args: string[]; shown: string[] }, alternative: boolean): void {
  const block = `class ${cls.name}`;
  const C = `subject.${cls.name}`;
  const ctorParams = cls.ctorParams ?? [];
  const ctorVariants = alternative ? [] : (variants(ctorParams, world, 12, `new ${cls.name}`) ?? []);
  // The constructor itself, with each variant of its arguments: the instance (its own fields) or the error is pinned.
  if (ctorParams.length > 0) {
    for (const variant of alternative ? [first] : ctorVariants) {
      added.push({ block, owner: `new ${cls.name}`, shown: `new ${cls.name}(${variant.shown.join(', ')})`, setup: [], call: `new ${C}(${variant.args.join(', ')})`, cleanup: [] });
    }
  }
  const construct = `const instance = new ${C}(${first.args.join(', ')});`;
  const on = alternative ? ` on new ${cls.name}(${first.shown.join(', ')})` : '';
  const methods = cls.methods.filter((m) => !m.static && mayCall(analysis, m.name));
  const samples = new Map(methods.map((m) => [m, variants(m.params, world, 3, `${cls.name}#${m.name}`) ?? []] as const));
  // On another construction, each method's own calls too (on the plain one, scenarios.ts makes them).
  if (alternative) {
    for (const method of methods) {
      for (const variant of (samples.get(method) ?? []).slice(0, 2)) {
        added.push({ block, owner: `${cls.name}#${method.name}`, shown: `${cls.name}#${method.name}(${variant.shown.join(', ')})${on}`, setup: [construct], call: `instance.${method.name}(${variant.args.join(', ')})`, cleanup: [] });
      }
    }
  }
  for (const before of methods) {
    const beforeVariants = samples.get(before) ?? [];
    for (const [k, change] of beforeVariants.slice(0, 2).entries()) {
      const awaited = before.async || /^Promise</.test(before.returns) ? 'await ' : '';
      const step = `${awaited}instance.${before.name}(${change.args.join(', ')});`;
      const shownStep = `${before.name}(${change.shown.join(', ')})`;
      // What the instance holds after the call: the state a void method leaves.
      if (k === 0 && /^(void|Promise<void>|)$/.test(before.returns)) {
        added.push({ block, owner: `${cls.name}#${before.name}`, shown: `${cls.name} after ${shownStep}${on}`, setup: [construct, step], call: 'instance', cleanup: [], state: true });
      }
      for (const after of methods) {
        if (after === before) continue;
        const afterVariant = (samples.get(after) ?? [])[0];
        if (afterVariant === undefined) continue;
        added.push({
          block,
          owner: `${cls.name}#${after.name}`,
          shown: `${cls.name}#${after.name}(${afterVariant.shown.join(', ')}) after ${shownStep}${on}`,
          setup: [construct, step],
          call: `instance.${after.name}(${afterVariant.args.join(', ')})`,
          cleanup: [],
        });
        // A value the first call returns, handed to a method whose first parameter has that type.
        const param = after.params[0];
        if (k === 0 && param !== undefined && before.returns !== '' && param.type === before.returns && !/^(void|string|number|boolean|unknown|any)$/.test(param.type)) {
          const rest = afterVariant.args.slice(1);
          added.push({
            block,
            owner: `${cls.name}#${after.name}`,
            shown: `${cls.name}#${after.name}(what ${shownStep} returned${rest.length > 0 ? `, ${afterVariant.shown.slice(1).join(', ')}` : ''})${on}`,
            setup: [construct, `const made = ${step.replace(/;$/, '')};`],
            call: `instance.${after.name}(${['made', ...rest].join(', ')})`,
            cleanup: [],
          });
        }
      }
    }
  }
}
