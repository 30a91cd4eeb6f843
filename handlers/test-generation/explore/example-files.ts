/**
 * Where examples of a module's use are found, and how a snippet names the
 * module: the READMEs (at the root and beside the source's package.json),
 * `docs/**.md`, and test files, walked with caps on their number and size;
 * the nearest package.json's name and entry points, which a README imports
 * the module by; and the names a README may call a default export by
 * without importing it.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

const TEST_FILE = /(^|\/)(__tests__|tests?)\/.*\.[cm]?[jt]sx?$|\.(test|spec)\.[cm]?[jt]sx?$/;
const SKIPPED_DIR = /^(node_modules|\.git|dist|build|coverage|out|\.next|\.cache|vendor)$/;
const MAX_FILES = 400;
const MAX_FILE_BYTES = 256 * 1024;

/** What the nearest package.json says about how the source is imported. */
export interface PackageInfo {
  /** Root-relative folder of the package.json ('' for the root). */
  dir: string;
  name: string | undefined;
  /** Root-relative entry points (`main`, `module`, `exports['.']`), extension dropped. */
  entries: string[];
}

/** The package.json nearest above the source, inside the root. */
export async function nearestPackage(root: string, source: string): Promise<PackageInfo | undefined> {
  for (let dir = path.posix.dirname(source); ; dir = path.posix.dirname(dir)) {
    const folder = dir === '.' ? '' : dir;
    const text = await readSmall(path.join(root, folder, 'package.json'));
    if (text !== undefined) {
      try {
        const manifest = JSON.parse(text) as { name?: unknown; main?: unknown; module?: unknown; exports?: unknown };
        const dot = typeof manifest.exports === 'string' ? manifest.exports : (manifest.exports as Record<string, unknown> | undefined)?.['.'];
        const entries = [manifest.main, manifest.module, typeof dot === 'string' ? dot : undefined]
          .filter((entry): entry is string => typeof entry === 'string')
          .map((entry) => stem(path.posix.join(folder, entry)));
        return { dir: folder, name: typeof manifest.name === 'string' ? manifest.name : undefined, entries };
      } catch {
        return { dir: folder, name: undefined, entries: [] };
      }
    }
    if (dir === '.' || dir === '/' || dir === '') return undefined;
  }
}

/** Whether `spec`, imported from `file`, is the source: a relative path to it, or the package's own name (for its entry point, or `name/sub/path`). */
export function specifierIsSource(source: string, info: PackageInfo | undefined, file: string, spec: string): boolean {
  const target = stem(source);
  const candidates = [target, target.replace(/\/index$/, '')];
  if (spec.startsWith('.')) {
    // A doc's snippet may be written from where the doc is or from beside the source.
    const dirs = [path.posix.dirname(file), ...(/\.mdx?$/.test(file) ? [path.posix.dirname(source)] : [])];
    return dirs.some((dir) => candidates.includes(stem(path.posix.normalize(path.posix.join(dir, spec)))));
  }
  if (info?.name === undefined) return false;
  if (spec === info.name) {
    const base = path.posix.basename(target);
    return base === 'index' || info.entries.length === 0 || info.entries.some((entry) => entry === target || path.posix.basename(entry) === base);
  }
  if (!spec.startsWith(`${info.name}/`)) return false;
  const inner = path.posix.join(info.dir, spec.slice(info.name.length + 1));
  return candidates.some((c) => c === inner || c.replace(/^(.*\/)?(src|lib|dist)\//, '$1') === inner.replace(/^(.*\/)?(src|lib|dist)\//, '$1'));
}

/** Names a snippet may call the default export by without importing it: the package's and the file's, in any case, without dashes. */
export function defaultNames(source: string, packageName: string | undefined): Set<string> {
  const names = new Set<string>();
  const base = path.posix.basename(stem(source));
  if (base !== 'index') names.add(squash(base));
  else names.add(squash(path.posix.basename(path.posix.dirname(source))));
  if (packageName !== undefined) names.add(squash(packageName.replace(/^@[^/]+\//, '')));
  names.delete('');
  return names;
}

/** A name compared loosely: lower case, letters and digits only (`camelCase` and `camel-case` match). */
export function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function stem(file: string): string {
  return file.replace(/\.(d\.)?[cm]?[jt]sx?$/, '');
}

/** Whether a text names any export (or a default export's names): a cheap test before parsing it. */
export function mentionsAny(text: string, exports: ReadonlySet<string>, defaults: ReadonlySet<string>): boolean {
  if ([...exports].some((name) => name !== 'default' && text.includes(name))) return true;
  const squashed = squash(text);
  return [...defaults].some((name) => squashed.includes(name));
}

/** The READMEs (root and the source's package), docs/**\/*.md, and test files: root-relative, capped. */
export async function candidateFiles(root: string, source: string, packageDir: string | undefined): Promise<{ docs: string[]; tests: string[] }> {
  const docs: string[] = [];
  const tests: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.join(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (docs.length + tests.length >= MAX_FILES) return;
      const file = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIR.test(entry.name) && !entry.name.startsWith('.')) await walk(file);
      } else if (entry.isFile()) {
        if (file === source) continue;
        const readmeHere = /^readme[^/]*\.md$/i.test(entry.name) && (dir === '' || dir === packageDir);
        if (readmeHere || (/(^|\/)docs\/.*\.mdx?$/i.test(file))) docs.push(file);
        else if (TEST_FILE.test(file)) tests.push(file);
      }
    }
  };
  await walk('');
  return { docs, tests };
}

/** A file's text, or undefined when it is missing or too large to be worth reading. */
export async function readSmall(file: string): Promise<string | undefined> {
  try {
    if ((await stat(file)).size > MAX_FILE_BYTES) return undefined;
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}
