/**
 * Classes and enums the type checker found behind parameter types (the
 * analysis's `declared`), made reachable from the generated test: an enum
 * gives its members (`subject.Color.Red`, or `typesModule.Color.Red` through
 * an import of the module that declares it), a class its constructor and the
 * parameters pools fills to call it (`new subject.Clock(new Date(...), "Ada")`).
 */
import path from 'node:path';
import type { ModuleAnalysis } from '../types.js';
import type { Dependency, TypeWorld } from './pools.js';

/**
 * Put the analysis's declared classes and enums into `world`; returns the
 * imports they need that `known` (the imports the world already has) lacks.
 */
export function addDeclared(world: TypeWorld, analysis: ModuleAnalysis, source: string, specifierFor: (module: string) => string, known: readonly Dependency[] = []): Dependency[] {
  const added: Dependency[] = [];
  const aliasOf = (module: string): string => {
    if (module === source) return 'subject';
    const specifier = specifierFor(module);
    const existing = [...known, ...added].find((d) => d.specifier === specifier);
    if (existing !== undefined) return existing.alias;
    const taken = new Set([...known, ...added].map((d) => d.alias));
    let alias = aliasName(module);
    for (let n = 2; taken.has(alias); n++) alias = `${aliasName(module)}${n}`;
    added.push({ alias, specifier });
    return alias;
  };
  for (const [key, value] of Object.entries(analysis.declared ?? {})) {
    if (value.kind === 'enum' && value.members !== undefined && value.members.length > 0) {
      const owner = `${aliasOf(value.module)}.${value.name}`;
      world.unions[key] = value.members.map((member) => `${owner}.${member}`);
    } else if (value.kind === 'class') {
      (world.classes ??= {})[key] = { make: `${aliasOf(value.module)}.${value.name}`, params: value.params ?? [] };
    }
  }
  return added;
}

/** `src/model/user-store.ts` -> `userStoreTypes`: named apart from the modules the source imports for their factories. */
function aliasName(module: string): string {
  const stem = path.posix.basename(module).replace(/\.[^.]+$/, '');
  const base = stem === 'index' ? path.posix.basename(path.posix.dirname(module)) : stem;
  const camel = base
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part, i) => (i === 0 ? part.toLowerCase() : `${part[0]?.toUpperCase() ?? ''}${part.slice(1)}`))
    .join('');
  return `${/^[A-Za-z_$]/.test(camel) ? camel : `m${camel}`}Types`;
}
