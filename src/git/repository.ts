/**
 * Access to the target's git repository through simple-git: opening it (with
 * a clear message when the target is not a repository), the identity commits
 * are made with, and the few read-only queries the rest of src/git/ needs.
 */
import { simpleGit, type SimpleGit } from 'simple-git';
import { UserError, errorMessage } from '../errors.js';

/** The target repository as git sees it. */
export interface GitRepository {
  /** The root given to orchestrate (the target). */
  root: string;
  /** The work tree's top directory (may be above `root`). */
  top: string;
  /** `root` relative to `top`, '' when they are the same, with '/' separators. */
  prefix: string;
  git: SimpleGit;
  /** The environment git commands get (GITHUB_TOKEN etc. are read from it by callers). */
  env: Record<string, string | undefined>;
}

/** Open the git repository holding `root`; `flag` names the option that needs git, for the message. */
export async function openRepository(root: string, env: Record<string, string | undefined>, flag: string): Promise<GitRepository> {
  const git = simpleGit({ baseDir: root });
  let top: string;
  try {
    top = (await git.raw(['rev-parse', '--show-toplevel'])).trim();
  } catch (error) {
    throw new UserError(`${flag} needs a git repository, but ${root} is not one (${firstLine(errorMessage(error))})`, {
      hint: 'run `git init` there and commit once, or leave out the git options (--commit, --branch, --push, --pr)',
    });
  }
  const prefix = (await git.raw(['rev-parse', '--show-prefix'])).trim().replace(/\/$/, '');
  return { root, top, prefix, git: simpleGit({ baseDir: top }), env };
}

/** The commit a ref points at, or undefined when the ref does not exist. */
export async function resolveRef(repo: GitRepository, ref: string): Promise<string | undefined> {
  try {
    return (await repo.git.raw(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The checked-out branch's short name, or undefined on a detached HEAD. */
export async function currentBranch(repo: GitRepository): Promise<string | undefined> {
  try {
    return (await repo.git.raw(['symbolic-ref', '--quiet', '--short', 'HEAD'])).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A git identity, `Name <email>`. */
export interface Identity {
  name: string;
  email: string;
}

/** Parse `Name <email>` (the form of --author); throws a UserError otherwise. */
export function parseIdentity(text: string): Identity {
  const match = /^\s*([^<>]+?)\s*<([^<>\s]+@[^<>\s]+|[^<>\s]+)>\s*$/.exec(text);
  if (!match?.[1] || !match[2]) {
    throw new UserError(`--author "${text}" is not of the form "Name <email>"`, { hint: 'for example --author "Release Bot <bot@example.com>"' });
  }
  return { name: match[1], email: match[2] };
}

/** user.name and user.email from git config, when both are set. */
export async function configuredIdentity(repo: GitRepository): Promise<Identity | undefined> {
  const read = async (key: string) => {
    try {
      return (await repo.git.raw(['config', '--get', key])).trim() || undefined;
    } catch {
      return undefined;
    }
  };
  const name = await read('user.name');
  const email = await read('user.email');
  return name && email ? { name, email } : undefined;
}

/** The author of orchestrate's commits: --author, else git config; a UserError when neither is there. */
export async function commitAuthor(repo: GitRepository, author: string | undefined): Promise<{ author: Identity; committer: Identity }> {
  const configured = await configuredIdentity(repo);
  const chosen = author === undefined ? configured : parseIdentity(author);
  if (!chosen) {
    throw new UserError('git does not know who commits: user.name and user.email are not set', {
      hint: 'run `git config user.name "Your Name"` and `git config user.email you@example.com`, or pass --author "Name <email>"',
    });
  }
  return { author: chosen, committer: configured ?? chosen };
}

/** The repository-relative path of a root-relative path. */
export function repoPath(repo: GitRepository, rootRelative: string): string {
  return repo.prefix ? `${repo.prefix}/${rootRelative}` : rootRelative;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? text;
}
