/**
 * Runs a `file_generation` task: finds the template, renders it with the
 * built-in and plan variables, formats the output the way the target formats
 * its own files (prettier with the target's config), checks that YAML still
 * parses, and stages the file through the workspace according to `mode`.
 * A template that renders broken output fails the task before anything is written.
 */
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Task, TaskContext, TaskOutcome } from '../../src/engine/handler.js';
import { UserError, errorMessage } from '../../src/errors.js';
import { loadTemplate } from '../../src/templates/lookup.js';
import { renderTemplate } from '../../src/templates/render.js';
import { templateVariables } from '../../src/templates/variables.js';
import type { FileGenerationTaskFields } from './schema.js';

/** Prettier's parser for each output kind it formats; other kinds are written as rendered. */
const PRETTIER_PARSERS: Readonly<Record<string, string>> = {
  ts: 'typescript',
  tsx: 'typescript',
  js: 'babel',
  mjs: 'babel',
  cjs: 'babel',
  json: 'json',
  md: 'markdown',
  yaml: 'yaml',
  yml: 'yaml',
  css: 'css',
};

/** Render the task's template to its target file. */
export async function runFileGeneration(task: Task<FileGenerationTaskFields>, ctx: TaskContext): Promise<TaskOutcome> {
  const mode = task.mode ?? 'create';
  const target = task.target;
  ctx.workspace.resolve(target); // refuses a target outside the root before any work
  const existing = await ctx.workspace.read(target); // a directory fails here, plainly
  if (existing !== undefined && mode === 'skip_if_exists') {
    return { status: 'skipped', summary: `${target} exists (mode: skip_if_exists)`, files: [] };
  }

  const template = await loadTemplate(ctx.templates, task.template);
  const rendered = renderTemplate(template.text, {
    name: template.name,
    variables: await templateVariables(ctx),
    partials: template.partials,
  });
  // The template's own kind decides; a plain `name.hbs` falls back to the target's extension.
  const kind = template.ext.split('.').pop() || path.extname(target).slice(1);
  const content = await format(rendered, kind, ctx.workspace.resolve(target), template.name);

  if (existing === content) return { status: 'unchanged', summary: `${target} is already up to date`, files: [] };
  if (existing !== undefined && mode === 'create') {
    throw new UserError(`${target} already exists and differs from what template ${template.name} renders`, {
      retryable: false,
      file: target,
      hint: 'Set `mode: overwrite` on the task to replace it, or `mode: skip_if_exists` to keep the existing file.',
    });
  }
  await ctx.workspace.write(target, content);
  return { status: 'changed', summary: `rendered ${template.name} to ${target}`, files: [target] };
}

/** Format with prettier when the kind is one it knows, and check YAML parses. */
async function format(text: string, kind: string, absoluteTarget: string, templateName: string): Promise<string> {
  let output = text;
  const parser = PRETTIER_PARSERS[kind];
  if (parser !== undefined) {
    const prettier = await import('prettier');
    const config = await prettier.resolveConfig(absoluteTarget).catch((error: unknown) => {
      throw new UserError(`could not read the prettier config for ${absoluteTarget}: ${firstLines(errorMessage(error))}`, {
        retryable: false,
        cause: error,
        hint: "Fix the target's prettier config (.prettierrc, or the prettier key of package.json).",
      });
    });
    try {
      output = await prettier.format(text, { ...(config ?? {}), parser, filepath: absoluteTarget });
    } catch (error) {
      throw brokenOutput(templateName, kind, `prettier could not parse it: ${firstLines(errorMessage(error))}`, error);
    }
  }
  if (kind === 'yaml' || kind === 'yml') {
    const problems = parseAllDocuments(output).flatMap((doc) => ('errors' in doc ? doc.errors : []));
    const first = problems[0];
    if (first !== undefined) throw brokenOutput(templateName, kind, `it is not valid YAML: ${firstLines(first.message)}`, first);
  }
  return output;
}

function brokenOutput(templateName: string, kind: string, why: string, cause: unknown): UserError {
  return new UserError(`template ${templateName} rendered ${kind} output that ${why}`, {
    retryable: false,
    cause,
    hint: 'Nothing was written. Fix the template (or the variables it uses) so it renders valid output.',
  });
}

/** The first few lines of a parser's message: enough to place the problem, without a page of code frame. */
function firstLines(message: string): string {
  return message.split('\n').slice(0, 3).join('\n');
}
