/** Where the templates shipped with orchestrate are: `templates/` at the package root. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TemplateDirs } from '../engine/handler.js';
import type { Plan } from '../plan/types.js';

/** The package root: the folder holding the `dist/` or `src/` this code runs from. */
function packageRoot(): string {
  // dist/cli.js, dist/chunks/*.js and src/templates/built-in.ts all sit below it.
  const parts = path.dirname(fileURLToPath(import.meta.url)).split(path.sep);
  const at = Math.max(parts.lastIndexOf('dist'), parts.lastIndexOf('src'));
  return at > 0 ? parts.slice(0, at).join(path.sep) : path.resolve(fileURLToPath(import.meta.url), '../../..');
}

/** Absolute path of the built-in templates folder. */
export const BUILT_IN_TEMPLATES = path.join(packageRoot(), 'templates');

/** Where a plan's templates are looked up, in order. */
export function templateDirsFor(plan: Plan): TemplateDirs {
  return { plan: plan.templatesDir, repository: path.join(plan.project.root, '.orchestrate', 'templates'), builtIn: BUILT_IN_TEMPLATES };
}
