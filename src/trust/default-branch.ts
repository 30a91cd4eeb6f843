/**
 * Reads the repository settings file as the default branch has it, through
 * git, never from the working tree: under untrusted, the working tree is the
 * pull request's, and so is any file in it. The branch is the pull request's
 * base (`GITHUB_BASE_REF`), else the repository's default branch named in the
 * GitHub event, else what `origin/HEAD` points at; always the remote-tracking
 * ref, which the pull request cannot move.
 */
import type { ExecFileOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Run git; child_process is loaded at the first call, since most commands never look at the default branch. */
async function run(file: string, args: string[], options: ExecFileOptions): Promise<{ stdout: string }> {
  const [{ execFile }, { promisify }] = await Promise.all([import('node:child_process'), import('node:util')]);
  return promisify(execFile)(file, args, { ...options, encoding: 'utf8' });
}

export interface DefaultBranchFile {
  /** The ref read, e.g. `refs/remotes/origin/main`. */
  ref: string;
  /** The file's text; undefined when the branch has no such file. */
  text: string | undefined;
}

/** The default branch's copy of `file` (relative to `root`), or undefined when no default branch can be found. */
export async function readFromDefaultBranch(root: string, file: string, env: Record<string, string | undefined>): Promise<DefaultBranchFile | undefined> {
  const ref = await defaultBranchRef(root, env);
  if (ref === undefined) return undefined;
  try {
    // `./` makes the path relative to root, which may be a folder inside the repository.
    const { stdout } = await run('git', ['show', `${ref}:./${file}`], { cwd: root, maxBuffer: 1024 * 1024, env: gitEnv(env) });
    return { ref, text: stdout };
  } catch {
    return { ref, text: undefined };
  }
}

/** The remote-tracking ref of the default branch, if one exists locally. */
export async function defaultBranchRef(root: string, env: Record<string, string | undefined>): Promise<string | undefined> {
  const candidates: string[] = [];
  if (env.GITHUB_BASE_REF) candidates.push(`refs/remotes/origin/${env.GITHUB_BASE_REF}`);
  const fromEvent = eventDefaultBranch(env.GITHUB_EVENT_PATH);
  if (fromEvent) candidates.push(`refs/remotes/origin/${fromEvent}`);
  for (const ref of candidates) if (await refExists(root, ref, env)) return ref;
  try {
    const { stdout } = await run('git', ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'], { cwd: root, env: gitEnv(env) });
    const ref = stdout.trim();
    return ref && (await refExists(root, ref, env)) ? ref : undefined;
  } catch {
    return undefined;
  }
}

async function refExists(root: string, ref: string, env: Record<string, string | undefined>): Promise<boolean> {
  try {
    await run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: root, env: gitEnv(env) });
    return true;
  } catch {
    return false;
  }
}

function eventDefaultBranch(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    const payload = JSON.parse(readFileSync(file, 'utf8')) as { repository?: { default_branch?: unknown } };
    const name = payload.repository?.default_branch;
    return typeof name === 'string' && /^[\w./-]+$/.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Git without prompts; the rest of the environment as given. */
function gitEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return { ...env, GIT_TERMINAL_PROMPT: '0' };
}
