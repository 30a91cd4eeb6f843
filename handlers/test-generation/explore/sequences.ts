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
import type { TypeWorld } from './pools.js';
import { mayCall, variants, type Scenario } from './scenarios.js';

/** At most this many sequences per class, so one class cannot use the whole budget. */
const MAX_PER_CLASS = 60;

/** Sequence scenarios for one class (appended to `out`). */
export function sequenceScenarios(out: Omit<Scenario, 'id'>[], cls: ClassInfo, analysis: ModuleAnalysis, world: TypeWorld): void {
  if (cls.abstract) return;
  const block = `class ${cls.name}`;
  const C = `subject.${cls.name}`;
  const ctorParams = cls.ctorParams ?? [];
  const ctorVariants = variants(ctorParams, world, 12, `new ${cls.name}`) ?? [];
  const first = ctorVariants[0];
  if (first === undefined) return;
  const added: Omit<Scenario, 'id'>[] = [];
  // The constructor itself, with each variant of its arguments: the instance (its own fields) or the error is pinned.
  if (ctorParams.length > 0) {
    for (const variant of ctorVariants) {
      added.push({ block, owner: `new ${cls.name}`, shown: `new ${cls.name}(${variant.shown.join(', ')})`, setup: [], call: `new ${C}(${variant.args.join(', ')})`, cleanup: [] });
    }
  }
  const construct = `const instance = new ${C}(${first.args.join(', ')});`;
  const methods = cls.methods.filter((m) => !m.static && mayCall(analysis, m.name));
  const samples = new Map(methods.map((m) => [m, variants(m.params, world, 3, `${cls.name}#${m.name}`) ?? []] as const));
  for (const before of methods) {
    const beforeVariants = samples.get(before) ?? [];
    for (const [k, change] of beforeVariants.slice(0, 2).entries()) {
      const awaited = before.async || /^Promise</.test(before.returns) ? 'await ' : '';
      const step = `${awaited}instance.${before.name}(${change.args.join(', ')});`;
      const shownStep = `${before.name}(${change.shown.join(', ')})`;
      // What the instance holds after the call: the state a void method leaves.
      if (k === 0 && /^(void|Promise<void>|)$/.test(before.returns)) {
        added.push({ block, owner: `${cls.name}#${before.name}`, shown: `${cls.name} after ${shownStep}`, setup: [construct, step], call: 'instance', cleanup: [], state: true });
      }
      for (const after of methods) {
        if (after === before) continue;
        const afterVariant = (samples.get(after) ?? [])[0];
        if (afterVariant === undefined) continue;
        added.push({
          block,
          owner: `${cls.name}#${after.name}`,
          shown: `${cls.name}#${after.name}(${afterVariant.shown.join(', ')}) after ${shownStep}`,
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
            shown: `${cls.name}#${after.name}(what ${shownStep} returned${rest.length > 0 ? `, ${afterVariant.shown.slice(1).join(', ')}` : ''})`,
            setup: [construct, `const made = ${step.replace(/;$/, '')};`],
            call: `instance.${after.name}(${['made', ...rest].join(', ')})`,
            cleanup: [],
          });
        }
      }
    }
  }
  out.push(...added.slice(0, MAX_PER_CLASS));
}
