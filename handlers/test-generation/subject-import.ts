/**
 * How a test (or the probe) binds the module under test to the name
 * `subject`. Every generated call reads `subject.<export>` (`subject.default`
 * for a default export), so an ES module is imported as a namespace; a
 * CommonJS module's `module.exports` is reached through the namespace's
 * `default` (what Node, Vitest and Jest's interop all give) and spread so that
 * `subject.<name>` reads its members and `subject.default` the whole export.
 */
import type { ModuleAnalysis } from './types.js';

/** The lines that bind `subject` for a test file or probe importing the source as `importPath`. */
export function subjectImport(analysis: Pick<ModuleAnalysis, 'format'>, importPath: string): string[] {
  if (analysis.format !== 'cjs') return [`import * as subject from ${JSON.stringify(importPath)};`];
  return [
    `import * as subjectModule from ${JSON.stringify(importPath)};`,
    // module.exports, whether the runner hands it over as `default` or as the namespace itself.
    // No type annotations: the same lines serve .js test files; Reflect.get and Object.create give `any`.
    'const subjectExports = Reflect.get(subjectModule, "default") ?? subjectModule;',
    'const subject = Object.assign(Object.create(null), subjectExports, { default: subjectExports });',
  ];
}

/** Lines (inside an async function) that import the source and assign `subject`, declared by the caller: for a probe that imports only once coverage is on. */
export function subjectDynamicImport(analysis: Pick<ModuleAnalysis, 'format'>, importPath: string): string[] {
  if (analysis.format !== 'cjs') return [`subject = await import(${JSON.stringify(importPath)});`];
  return [
    `const subjectModule = await import(${JSON.stringify(importPath)});`,
    'const subjectExports = Reflect.get(subjectModule, "default") ?? subjectModule;',
    'subject = Object.assign(Object.create(null), subjectExports, { default: subjectExports });',
  ];
}
