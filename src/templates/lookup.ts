/**
 * Finds templates. A template is a file `<name>.<ext>.hbs` (`fixtures/users.ts.hbs`
 * is template `fixtures/users`, producing a `ts` file); a file whose name starts
 * with `_` is a partial (`_header.ts.hbs` is `{{> header}}`, `api/_row.hbs` is
 * `{{> api/row}}`). Folders are searched in order: the plan's `templates_dir`,
 * the target's `.orchestrate/templates/`, the built-in ones; a name in an
 * earlier folder hides the same name in a later one. The target's folder is
 * part of the target repository, so a symlink there leading outside it is refused.
 */
import { readFile } from 'node:fs/promises';
import type { TemplateDirs } from '../engine/handler.js';
import { UserError } from '../errors.js';
import { parseTemplate } from './render.js';
import { firstOfEach, readPartials, scan, searchOrder, type Entry, type TemplateOrigin } from './scan.js';
import { usedVariables } from './template-variables.js';
import { BUILT_IN_VARIABLE_NAMES } from './variables.js';

export type { TemplateOrigin } from './scan.js';

/** One template as `orchestrate templates` lists it. */
export interface TemplateInfo {
  name: string;
  /** The output kind: `ts` for `users.ts.hbs`; empty when the file is just `name.hbs`. */
  ext: string;
  origin: TemplateOrigin;
  /** Absolute path of the template file. */
  file: string;
  /** Top-level variables it needs (partials included), built-ins left out. */
  variables: string[];
  /** Variables it reads only through `default`, so may be left undefined. */
  optional: string[];
}

/** A template ready to render: its text and every partial visible to it. */
export interface LoadedTemplate extends TemplateInfo {
  text: string;
  partials: Record<string, string>;
}

async function describeTemplate(entry: Entry, text: string, partials: Record<string, string>): Promise<TemplateInfo> {
  const label = `template ${entry.name}`;
  const required = new Set<string>();
  const optional = new Set<string>();
  const seen = new Set<string>();
  const queue: [string, string][] = [[label, text]];
  while (queue.length > 0) {
    const [where, source] = queue.shift() as [string, string];
    const used = usedVariables(parseTemplate(source, where));
    used.required.forEach((name) => required.add(name));
    used.optional.forEach((name) => optional.add(name));
    for (const name of used.partials) {
      const partial = partials[name];
      if (partial === undefined || seen.has(name)) continue;
      seen.add(name);
      queue.push([`partial ${name} (in ${label})`, partial]);
    }
  }
  const keep = (names: Set<string>): string[] => [...names].filter((n) => !BUILT_IN_VARIABLE_NAMES.includes(n)).sort();
  return {
    name: entry.name,
    ext: entry.ext,
    origin: entry.origin,
    file: entry.file,
    variables: keep(required),
    optional: keep(optional).filter((name) => !required.has(name)),
  };
}

/** Every template visible through these folders, by name, with the variables it needs. */
export async function listTemplates(dirs: TemplateDirs): Promise<TemplateInfo[]> {
  const entries = await scan(dirs);
  const partials = await readPartials(entries);
  const templates: TemplateInfo[] = [];
  for (const entry of firstOfEach(entries, false).values()) {
    templates.push(await describeTemplate(entry, await readFile(entry.file, 'utf8'), partials));
  }
  return templates.sort((a, b) => a.name.localeCompare(b.name));
}

/** Load the template of this name; a UserError naming the folders searched and close names if there is none. */
export async function loadTemplate(dirs: TemplateDirs, name: string): Promise<LoadedTemplate> {
  const entries = await scan(dirs);
  const templates = firstOfEach(entries, false);
  const entry = templates.get(name);
  if (entry === undefined) {
    const close = closestNames(name, [...templates.keys()]);
    const searched = searchOrder(dirs).map(({ dir }) => dir);
    throw new UserError(`template ${name} not found (searched ${searched.join(', ')})`, {
      retryable: false,
      hint:
        close.length > 0
          ? `Did you mean ${close.join(' or ')}? \`orchestrate templates\` lists them all.`
          : `Add ${name}.<ext>.hbs to one of those folders; \`orchestrate templates\` lists the templates there are.`,
    });
  }
  const partials = await readPartials(entries);
  const text = await readFile(entry.file, 'utf8');
  return { ...(await describeTemplate(entry, text, partials)), text, partials };
}

/** Up to three names within a small edit distance, closest first. */
function closestNames(wanted: string, names: string[]): string[] {
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  return names
    .map((name) => ({ name, distance: editDistance(wanted, name) }))
    .filter(({ distance, name }) => distance <= limit || name.includes(wanted) || wanted.includes(name))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 3)
    .map(({ name }) => name);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
