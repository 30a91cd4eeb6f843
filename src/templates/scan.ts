/**
 * The template folders on disk: which template and partial files there are,
 * in search order (plan's templates_dir, the target's .orchestrate/templates/,
 * the built-in ones), refusing links that leave the target. No Handlebars
 * here, so reading a template's text (for fingerprints) stays cheap.
 */
import { lstat, readFile, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TemplateDirs } from '../engine/handler.js';
import { UserError } from '../errors.js';

export type TemplateOrigin = 'plan' | 'repository' | 'built-in';

export interface Entry {
  name: string;
  ext: string;
  origin: TemplateOrigin;
  file: string;
  partial: boolean;
}

/** The folders to search, in order, with their origin. */
export function searchOrder(dirs: TemplateDirs): { dir: string; origin: TemplateOrigin; confine?: string }[] {
  return [
    ...(dirs.plan === undefined ? [] : [{ dir: dirs.plan, origin: 'plan' as const }]),
    // `.orchestrate/templates/` sits two levels below the target root.
    { dir: dirs.repository, origin: 'repository' as const, confine: path.resolve(dirs.repository, '..', '..') },
    { dir: dirs.builtIn, origin: 'built-in' as const },
  ];
}

/** Every template file and partial, earlier folders first; duplicates not yet removed. */
export async function scan(dirs: TemplateDirs): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (const { dir, origin, confine } of searchOrder(dirs)) {
    let files: string[];
    try {
      files = (await readdir(dir, { recursive: true })).map(String).sort();
    } catch {
      continue; // a folder that does not exist holds no templates
    }
    const boundary = confine === undefined ? undefined : await realpath(confine).catch(() => confine);
    // The folder itself (or .orchestrate/) may be the link that leaves the repository.
    if (boundary !== undefined) await refuseEscape(dir, boundary);
    for (const relative of files) {
      if (!relative.endsWith('.hbs')) continue;
      const file = path.join(dir, relative);
      if ((await lstat(file)).isSymbolicLink()) {
        if (boundary !== undefined) await refuseEscape(file, boundary);
        if (!(await stat(file).catch(() => undefined))?.isFile()) continue;
      } else if (!(await lstat(file)).isFile()) continue;
      const parts = relative.split(path.sep);
      const base = parts.pop() ?? '';
      const partial = base.startsWith('_');
      const stem = base.slice(partial ? 1 : 0, -'.hbs'.length);
      const dot = stem.indexOf('.');
      const ext = dot < 0 ? '' : stem.slice(dot + 1);
      entries.push({ name: [...parts, dot < 0 ? stem : stem.slice(0, dot)].join('/'), ext, origin, file, partial });
    }
  }
  return entries;
}

async function refuseEscape(file: string, boundary: string): Promise<void> {
  const real = await realpath(file).catch(() => undefined);
  const inside = real !== undefined && !path.relative(boundary, real).startsWith('..') && !path.isAbsolute(path.relative(boundary, real));
  if (!inside) {
    throw new UserError(`${file} is a symlink leading outside the target repository`, {
      file: path.relative(boundary, file),
      retryable: false,
      hint: 'Templates under .orchestrate/templates/ must live in the repository; copy the file instead of linking it.',
    });
  }
}

/** The first entry of each name, in folder order. */
export function firstOfEach(entries: Entry[], partial: boolean): Map<string, Entry> {
  const found = new Map<string, Entry>();
  for (const entry of entries) if (entry.partial === partial && !found.has(entry.name)) found.set(entry.name, entry);
  return found;
}

/** The text of every partial visible through these entries, by name; earlier folders win. */
export async function readPartials(entries: Entry[]): Promise<Record<string, string>> {
  const partials: Record<string, string> = {};
  for (const [name, entry] of firstOfEach(entries, true)) partials[name] = await readFile(entry.file, 'utf8');
  return partials;
}

/**
 * The folders' entries and partials as read for one `dirs` object: the
 * fingerprints of a plan are folded with one such object (a fresh one each
 * time), so its file_generation tasks share one scan instead of one each.
 */
const scansOf = new WeakMap<TemplateDirs, Promise<{ entries: Entry[]; partials: Record<string, string> }>>();

/** The text a template renders from (its file and every partial), or undefined when there is no such template. */
export async function templateSource(dirs: TemplateDirs, name: string): Promise<string | undefined> {
  let scanned = scansOf.get(dirs);
  if (!scanned) {
    scanned = scan(dirs).then(async (entries) => ({ entries, partials: await readPartials(entries) }));
    scansOf.set(dirs, scanned);
  }
  const { entries, partials } = await scanned;
  const entry = firstOfEach(entries, false).get(name);
  if (entry === undefined) return undefined;
  return JSON.stringify([entry.file, await readFile(entry.file, 'utf8'), partials]);
}
