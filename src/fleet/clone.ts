/**
 * A repository's shallow clone in the fleet's cache. A clone is made in a
 * temporary folder and renamed into place, so a run killed while cloning
 * never leaves half a clone where the next run would take it for whole. An
 * existing clone is kept as it is: it holds the repository's run state (and,
 * after a kill, the work to resume).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../errors.js';
import { redact, repositoryEnvironment } from './repository-env.js';

const run = promisify(execFile);

export interface CloneOptions {
  url: string;
  slug: string;
  /** Where the clone lives. */
  dir: string;
  token: string | undefined;
  env: Record<string, string | undefined>;
}

/** The clone's path, cloning first when there is none; a UserError (exit 1) says why a clone failed. */
export async function ensureClone(options: CloneOptions): Promise<string> {
  if (fs.existsSync(path.join(options.dir, '.git'))) return options.dir;
  fs.mkdirSync(path.dirname(options.dir), { recursive: true });
  // Clones a killed run left half-made are of no use to anyone.
  const base = `${path.basename(options.dir)}.partial-`;
  for (const name of fs.readdirSync(path.dirname(options.dir))) {
    if (name.startsWith(base)) fs.rmSync(path.join(path.dirname(options.dir), name), { recursive: true, force: true });
  }
  const partial = `${options.dir}.partial-${process.pid}`;
  // A plain path is a local clone, for which git ignores --depth (and says so); file:// honours it.
  const source = path.isAbsolute(options.url) ? `file://${options.url}` : options.url;
  try {
    await run('git', ['clone', '--quiet', '--depth', '1', '--no-single-branch', source, partial], {
      env: { ...repositoryEnvironment(options.env, options.slug, options.token, options.url), GIT_TERMINAL_PROMPT: '0' },
    });
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new UserError(`could not clone ${options.slug} from ${options.url}: ${redact(stderr, options.token).trim().split('\n').pop() ?? ''}`, {
      hint: 'check the URL and that the token can read the repository',
      exitCode: 1,
    });
  }
  fs.rmSync(options.dir, { recursive: true, force: true });
  fs.renameSync(partial, options.dir);
  return options.dir;
}
