/**
 * Handler plugins: the modules a plan names under `handlers:` (npm package
 * names resolved from the plan's folder, or paths relative to the plan),
 * loaded and registered beside the built-ins. Every way a plugin can fail
 * (not found, throws on import, wrong exports, a task type already taken) is
 * a diagnostic located at its `handlers:` entry.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HandlerRegistrationError, type HandlerRegistry } from '../engine/registry.js';
import { kindOf } from '../engine/handler-shape.js';
import { errorMessage } from '../errors.js';
import type { Diagnostic } from './diagnostics.js';
import type { ParsedPlan } from './load.js';

export interface PluginRegistry {
  /** The built-ins plus the plan's plugins; the built-in registry itself when the plan names none. */
  registry: HandlerRegistry;
  diagnostics: Diagnostic[];
  /** The files loading read: each plugin's entry file and, for a package, its package.json (what a cached load depends on). */
  files: string[];
}

/** Load the plugins `parsed` names and register them on a copy of `builtIns`. */
export async function registryForPlan(parsed: Pick<ParsedPlan, 'raw' | 'diagnose'>, planDir: string, builtIns: HandlerRegistry): Promise<PluginRegistry> {
  const entries = parsed.raw.handlers;
  if (entries === undefined || entries === null) return { registry: builtIns, diagnostics: [], files: [] };
  if (!Array.isArray(entries)) {
    return {
      registry: builtIns,
      diagnostics: [parsed.diagnose(['handlers'], `\`handlers\` must be a list of plugin modules, found ${kindOf(entries)}`, { hint: 'write e.g. `handlers: [./plugins/codeowners.js, "@acme/orchestrate-handlers"]`' })],
      files: [],
    };
  }
  const registry = builtIns.copy();
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];
  for (const [index, entry] of entries.entries()) {
    const at = ['handlers', index];
    if (typeof entry !== 'string' || entry.trim() === '') {
      diagnostics.push(parsed.diagnose(at, `a plugin is named by a package name or a path, found ${kindOf(entry)}`, { hint: 'write a path relative to the plan (./plugins/x.js) or an npm package name' }));
      continue;
    }
    const loaded = await loadPlugin(entry, planDir);
    if ('problem' in loaded) {
      diagnostics.push(parsed.diagnose(at, loaded.problem, { hint: loaded.hint }));
      continue;
    }
    files.push(...loaded.files);
    const exported = loaded.exports;
    const handlers = Array.isArray(exported) ? exported : [exported];
    if (handlers.length === 0) {
      diagnostics.push(parsed.diagnose(at, `the plugin ${entry} exports an empty list of handlers`, { hint: 'export default a handler, or a list of at least one' }));
    }
    for (const [i, handler] of handlers.entries()) {
      try {
        registry.register(handler, { kind: 'plugin', name: entry });
      } catch (error) {
        if (!(error instanceof HandlerRegistrationError)) throw error;
        const which = Array.isArray(exported) ? ` (handler ${i + 1} of ${handlers.length})` : '';
        diagnostics.push(parsed.diagnose(at, `${error.message}${which}`, { hint: error.hint }));
      }
    }
  }
  return { registry, diagnostics, files };
}

type Loaded = { exports: unknown; files: string[] } | { problem: string; hint: string };

async function loadPlugin(entry: string, planDir: string): Promise<Loaded> {
  const isPath = entry.startsWith('./') || entry.startsWith('../') || path.isAbsolute(entry);
  let file: string;
  if (isPath) {
    file = path.resolve(planDir, entry);
    if (!existsSync(file) || statSync(file).isDirectory()) {
      return { problem: `no plugin file at ${file}`, hint: 'a path is read relative to the plan file; check it, and name the file with its extension (.js, .mjs, .cjs)' };
    }
  } else {
    const found = resolvePackage(entry, planDir);
    if (found === undefined) {
      return {
        problem: `cannot find the plugin package "${entry}" from ${planDir}`,
        hint: `install it where the plan is (\`npm install ${entry}\`), or write a path starting with ./ for a file next to the plan`,
      };
    }
    file = found;
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    return { problem: `the plugin ${entry} failed to load: ${firstLine(errorMessage(error))}`, hint: `run \`node ${file}\` to see the error in full; a plugin must be JavaScript that node can import` };
  }
  if (module.default === undefined) {
    const named = Object.keys(module).filter((key) => key !== 'default');
    return {
      problem: `the plugin ${entry} has no default export${named.length ? ` (it exports ${named.join(', ')})` : ''}`,
      hint: 'export the handler (or a list of handlers) as the default export: `export default { type, summary, schema, describe, run }`',
    };
  }
  const manifest = isPath ? undefined : packageManifest(file);
  return { exports: module.default, files: [file, ...(manifest ? [manifest] : [])] };
}

/** The package.json of the package a resolved entry file belongs to. */
function packageManifest(file: string): string | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) return manifest;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The entry file of an npm package as seen from `fromDir`, or undefined when it is not installed there. */
function resolvePackage(name: string, fromDir: string): string | undefined {
  const require = createRequire(path.join(fromDir, 'phases.yaml'));
  try {
    return require.resolve(name);
  } catch (error) {
    // An ESM-only package (`exports` with an `import` condition alone) cannot be require.resolve'd: read its exports.
    if ((error as NodeJS.ErrnoException).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return importEntry(name, fromDir);
    return undefined;
  }
}

function importEntry(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const packageDir = path.join(dir, 'node_modules', name);
    const manifest = path.join(packageDir, 'package.json');
    if (existsSync(manifest)) {
      const json = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: unknown; main?: string };
      const target = pickExport(json.exports) ?? json.main ?? 'index.js';
      return path.join(packageDir, target);
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The `.` export for `import`: the first of the `import`, `node` and `default` conditions. */
function pickExport(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (Array.isArray(exports)) return pickExport(exports[0]);
  if (!exports || typeof exports !== 'object') return undefined;
  const map = exports as Record<string, unknown>;
  if ('.' in map) return pickExport(map['.']);
  for (const condition of ['import', 'node', 'default']) if (condition in map) return pickExport(map[condition]);
  return undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
