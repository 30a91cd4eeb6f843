/**
 * `orchestrate templates`: every template a plan can use (its own
 * `templates_dir`, the target's `.orchestrate/templates/`, the built-in ones),
 * with its origin, file and the variables it needs, and where in the plan each
 * is defined. Without a plan, the target's and the built-in templates.
 */
import path from 'node:path';
import type { PlanConfig } from '../../config/schema.js';
import type { TemplateDirs } from '../../engine/handler.js';
import { UserError } from '../../errors.js';
import { BUILT_IN_TEMPLATES } from '../../templates/built-in.js';
import { listTemplates, type TemplateInfo } from '../../templates/lookup.js';
import { loadPlanUnderSettings } from '../../settings/prepare.js';
import type { CliIo } from '../io.js';
import type { CliContext } from '../context.js';
import type { GlobalOptions } from '../main.js';

interface TemplatesArgs extends GlobalOptions {
  json: boolean;
}

/** A variable a template needs and where the plan defines it (`plan`, `phase 1`, `task 1.2`...). */
interface NeededVariable {
  name: string;
  optional: boolean;
  definedIn: string[];
}

/** List the templates, as text or JSON. */
export async function templatesCommand(args: TemplatesArgs, io: CliIo, context: CliContext): Promise<number> {
  const { dirs, config } = await locate(args, io, context);
  const templates = await listTemplates(dirs);
  const definitions = config === undefined ? new Map<string, string[]>() : whereDefined(config);
  const rows = templates.map((template) => ({ ...template, needs: needed(template, definitions) }));

  if (args.json) {
    const json = rows.map(({ name, ext, origin, file, variables, optional, needs }) => ({ name, ext, origin, file, variables, optional, needs }));
    io.stdout.write(`${JSON.stringify({ folders: dirs, templates: json }, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    io.stdout.write('No templates found.\n');
    return 0;
  }
  for (const row of rows) {
    io.stdout.write(`${io.out.bold(row.name)}  ${io.out.dim(`(${row.origin}) ${shown(row.file, io.cwd)}`)}\n`);
    if (row.needs.length === 0) io.stdout.write('  needs no variables\n');
    for (const need of row.needs) io.stdout.write(`  ${need.name}: ${whereText(need, config !== undefined, io)}\n`);
  }
  return 0;
}

/** A path relative to the working directory when it is inside it, else absolute. */
function shown(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

function whereText(need: NeededVariable, havePlan: boolean, io: CliIo): string {
  if (need.definedIn.length > 0) return `defined in ${need.definedIn.join(', ')}`;
  if (need.optional) return 'optional (has a default)';
  return havePlan ? io.out.yellow('required, not defined in the plan') : 'required';
}

/** The template folders, from the plan when there is one; else the target's and the built-in ones. */
async function locate(args: TemplatesArgs, io: CliIo, context: CliContext): Promise<{ dirs: TemplateDirs; config: PlanConfig | undefined }> {
  try {
    const { plan, loaded } = await loadPlanUnderSettings(args, io, context);
    return { dirs: folders(plan.templatesDir, plan.project.root), config: loaded.config };
  } catch (error) {
    // No plan at all is fine (list the built-in ones); a plan with problems is not.
    if (args.config === undefined && error instanceof UserError && error.message.startsWith('no plan found')) {
      return { dirs: folders(undefined, path.resolve(io.cwd, args.cwd ?? '.')), config: undefined };
    }
    throw error;
  }
}

function folders(plan: string | undefined, root: string): TemplateDirs {
  return { plan, repository: path.join(root, '.orchestrate', 'templates'), builtIn: BUILT_IN_TEMPLATES };
}

/** Each variable name and the places of the plan that define it. */
function whereDefined(config: PlanConfig): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const note = (variables: Record<string, unknown> | undefined, where: string): void => {
    for (const name of Object.keys(variables ?? {})) found.set(name, [...(found.get(name) ?? []), where]);
  };
  note(config.variables, 'plan');
  for (const phase of config.phases) {
    note(phase.variables, `phase ${phase.id}`);
    for (const group of phase.groups) {
      note(group.variables, `group ${phase.id}/${group.id}`);
      for (const task of group.tasks) note(task.variables, `task ${task.id}`);
    }
  }
  return found;
}

function needed(template: TemplateInfo, definitions: Map<string, string[]>): NeededVariable[] {
  return [
    ...template.variables.map((name) => ({ name, optional: false, definedIn: definitions.get(name) ?? [] })),
    ...template.optional.map((name) => ({ name, optional: true, definedIn: definitions.get(name) ?? [] })),
  ];
}
