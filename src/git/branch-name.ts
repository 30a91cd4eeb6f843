/**
 * Phase branch names: a pattern with `{id}` (the phase id) and `{name}` (the
 * phase name as kebab-case words), default `orchestrate/phase-{id}`, checked
 * against git's rules for branch names.
 */
import { UserError } from '../errors.js';
import type { PlannedPhase } from '../plan/types.js';

export const DEFAULT_BRANCH_PATTERN = 'orchestrate/phase-{id}';

/** The branch of a phase under `pattern`. */
export function branchName(pattern: string, phase: Pick<PlannedPhase, 'id' | 'name'>): string {
  const slug = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9._]+/g, '-')
      .replace(/^-+|-+$/g, '');
  return pattern.replaceAll('{id}', slug(phase.id)).replaceAll('{name}', slug(phase.name));
}

/** Throw a UserError unless `pattern` makes valid branch names (checked without git, by its rules). */
export function assertBranchPattern(pattern: string): void {
  if (!pattern.includes('{id}')) {
    throw new UserError(`--branch pattern "${pattern}" has no {id}, so every phase would get the same branch`, {
      hint: 'put {id} (the phase id) in it, for example --branch "rollout/phase-{id}"',
    });
  }
  const sample = branchName(pattern, { id: '1', name: 'x' });
  const bad =
    sample.startsWith('-') ||
    sample.startsWith('/') ||
    sample.endsWith('/') ||
    sample.endsWith('.') ||
    sample.endsWith('.lock') ||
    sample.includes('..') ||
    sample.includes('//') ||
    sample.includes('@{') ||
    /[\s~^:?*[\\\x00-\x1f\x7f]/.test(sample) ||
    sample.split('/').some((part) => part.startsWith('.'));
  if (bad) {
    throw new UserError(`--branch pattern "${pattern}" does not make a valid git branch name ("${sample}")`, {
      hint: 'use letters, digits, "-", "_", "." and "/" between parts, for example orchestrate/phase-{id}',
    });
  }
}
