/**
 * The git options of `run` and what each implies, apart from the git steps
 * themselves (run-git.ts, which loads simple-git), so that the CLI can read
 * them before the live tree's first frame without loading git's code.
 */
import { DEFAULT_BRANCH_PATTERN } from './branch-name.js';
import type { CommitPer } from './change-capture.js';

/** The git options of `run` (and of `pr`, which uses the GitHub part). */
export interface GitFlags {
  commit?: boolean | undefined;
  commitPer?: CommitPer | undefined;
  /** `--branch` alone gives '' (the default pattern). */
  branch?: string | undefined;
  push?: boolean | undefined;
  remote?: string | undefined;
  pr?: boolean | undefined;
  draft?: boolean | undefined;
  label?: string[] | undefined;
  reviewer?: string[] | undefined;
  author?: string | undefined;
  token?: string | undefined;
  allowDirty?: boolean | undefined;
}

/** The flags with what each implies made explicit: --pr needs a pushed branch, a branch needs a commit. */
export function normaliseFlags(flags: GitFlags): GitFlags & {
  commit: boolean;
  push: boolean;
  pr: boolean;
  remote: string;
  pattern: string | undefined;
} {
  const pr = flags.pr === true;
  const pattern = flags.branch !== undefined ? flags.branch || DEFAULT_BRANCH_PATTERN : pr ? DEFAULT_BRANCH_PATTERN : undefined;
  const push = flags.push === true || pr;
  const commit = flags.commit === true || pattern !== undefined || push || flags.commitPer !== undefined;
  return {
    ...flags,
    commit,
    push,
    pr,
    pattern,
    remote: flags.remote ?? 'origin',
  };
}
