/**
 * The one TypeScript program per target that the type checker reads types
 * from. It is built from the target's own tsconfig.json (the nearest one above
 * the source, up to the root) when there is one, else from options any modern
 * project accepts, and holds only the sources asked about: the compiler pulls
 * in what they import (relative modules, packages' `.d.ts`, lib files) as it
 * resolves them. Nothing is emitted and library files are not checked, so a
 * type costs what answering it costs. ts-morph is loaded on first use.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type * as TsMorph from 'ts-morph';
import { loadTsMorph } from '../../src/runtime/ts-morph.js';

type Morph = typeof TsMorph;

/** A program and its checker, as of the last `programFor` call. */
export interface CheckerProgram {
  ts: Morph['ts'];
  program: TsMorph.ts.Program;
  checker: TsMorph.ts.TypeChecker;
}

interface Entry {
  morph: Morph;
  project: TsMorph.Project;
  /** The program last handed out: reused while the sources asked about are in it unchanged. */
  checked?: CheckerProgram;
}

/** Projects by tsconfig path (or root, when inferred). A run touches one or two targets; tests make many. */
const projects = new Map<string, Entry>();
const MAX_PROJECTS = 3;
const MAX_SIBLINGS = 40;

/** The program holding the root-relative `sources` of `root`, with each as it is on disk now. */
export async function programFor(root: string, sources: readonly string[]): Promise<CheckerProgram> {
  const config = sources.length > 0 ? nearestConfig(root, sources[0] as string) : undefined;
  const key = config ?? path.resolve(root);
  let entry = projects.get(key);
  if (entry === undefined) {
    entry = await createProject(root, config);
    projects.set(key, entry);
    if (projects.size > MAX_PROJECTS) projects.delete(projects.keys().next().value as string);
  }
  // A source the program already holds as it is on disk (often one an earlier source imports) needs no new program.
  const stale = sources.map((source) => path.resolve(root, source)).filter((file) => {
    const held = entry.checked?.program.getSourceFile(file);
    return held === undefined || !existsSync(file) || held.text !== readFileSync(file, 'utf8');
  });
  if (entry.checked !== undefined && stale.length === 0) return entry.checked;
  for (const file of stale) {
    const existing = entry.project.getSourceFile(file);
    if (existing === undefined) {
      entry.project.addSourceFileAtPathIfExists(file);
      // Its neighbours come along: a task's sources are usually a folder's, and one new program for the folder costs less than one per file.
      for (const sibling of siblings(file)) if (entry.project.getSourceFile(sibling) === undefined) entry.project.addSourceFileAtPathIfExists(sibling);
    }
    // A file edited since the last task (a config_edit, or a test fixture rewritten) must be read again.
    else if (existsSync(file) && readFileSync(file, 'utf8') !== existing.getFullText()) existing.replaceWithText(readFileSync(file, 'utf8'));
  }
  const program = entry.project.getProgram().compilerObject;
  entry.checked = { ts: entry.morph.ts, program, checker: program.getTypeChecker() };
  return entry.checked;
}

async function createProject(root: string, config: string | undefined): Promise<Entry> {
  const morph = loadTsMorph();
  const { ts } = morph;
  const overrides: TsMorph.ts.CompilerOptions = { skipLibCheck: true, noEmit: true, allowJs: true, declaration: false, composite: false, incremental: false };
  if (config !== undefined) {
    try {
      const project = new morph.Project({ tsConfigFilePath: config, skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true, compilerOptions: overrides });
      return { morph, project };
    } catch {
      // An unreadable tsconfig (an `extends` of a package that is not installed): the inferred options still give most types.
    }
  }
  const project = new morph.Project({
    skipFileDependencyResolution: true,
    compilerOptions: {
      ...overrides,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      // No DOM: it is the largest lib file by far, and the types a test needs rarely come from it.
      lib: ['lib.es2023.d.ts'],
      strict: true,
      esModuleInterop: true,
      resolveJsonModule: true,
      jsx: ts.JsxEmit.Preserve,
    },
  });
  return { morph, project };
}

/** Other TypeScript sources in a file's folder (not tests or declarations), a bounded number. */
function siblings(file: string): string[] {
  const dir = path.dirname(file);
  try {
    return readdirSync(dir)
      .filter((name) => /\.(ts|tsx|mts|cts)$/.test(name) && !/\.d\.[cm]?ts$|\.(test|spec)\.[cm]?tsx?$/.test(name))
      .slice(0, MAX_SIBLINGS)
      .map((name) => path.join(dir, name));
  } catch {
    return [];
  }
}

/** The tsconfig.json nearest above `source`, not above the root. */
function nearestConfig(root: string, source: string): string | undefined {
  const top = path.resolve(root);
  for (let dir = path.dirname(path.resolve(top, source)); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (dir === top || !dir.startsWith(top)) return undefined;
  }
}
