/**
 * The small rules of the git options: branch names from a pattern, the
 * repository read from a remote URL, the --author form, and what each flag
 * implies.
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { assertBranchPattern, branchName } from '../../src/git/branch-name.js';
import { parseRemoteUrl } from '../../src/git/github/target.js';
import { parseIdentity } from '../../src/git/repository.js';
import { normaliseFlags } from '../../src/git/run-git.js';

describe('branch names', () => {
  it('fills {id} and {name}, the name in kebab-case', () => {
    expect(branchName('orchestrate/phase-{id}', { id: '2', name: 'Critical services' })).toBe('orchestrate/phase-2');
    expect(branchName('rollout/{id}-{name}', { id: 'setup', name: 'CI: Blockers & more' })).toBe('rollout/setup-ci-blockers-more');
  });

  it('refuses a pattern without {id} or one git would refuse', () => {
    expect(() => assertBranchPattern('rollout')).toThrow(/has no \{id\}/);
    for (const bad of ['-x/{id}', 'a..b/{id}', 'a b/{id}', '{id}.lock', 'a/.hidden/{id}', 'x:{id}']) {
      expect(() => assertBranchPattern(bad), bad).toThrow(UserError);
    }
    expect(() => assertBranchPattern('team/rollout-{id}')).not.toThrow();
  });
});

describe('the GitHub repository of a remote', () => {
  it.each([
    ['https://github.com/octo-org/service.git', 'octo-org/service'],
    ['https://x-access-token:abc@github.com/octo-org/service', 'octo-org/service'],
    ['git@github.com:octo-org/service.git', 'octo-org/service'],
    ['ssh://git@github.example.com/octo-org/service.git', 'octo-org/service'],
  ])('%s is %s', (url, slug) => {
    expect(parseRemoteUrl(url)).toBe(slug);
  });

  it('is unknown for a local path', () => {
    expect(parseRemoteUrl('/srv/git/service.git')).toBeUndefined();
  });
});

describe('--author', () => {
  it('takes "Name <email>" and refuses anything else with an example', () => {
    expect(parseIdentity('Release Bot <bot@example.com>')).toEqual({ name: 'Release Bot', email: 'bot@example.com' });
    expect(() => parseIdentity('bot@example.com')).toThrow(/not of the form "Name <email>"/);
  });
});

describe('what the flags imply', () => {
  it('--pr implies a branch, a push and a commit; --branch alone takes the default pattern', () => {
    expect(normaliseFlags({ pr: true })).toMatchObject({ pr: true, push: true, commit: true, pattern: 'orchestrate/phase-{id}', remote: 'origin' });
    expect(normaliseFlags({ branch: '' })).toMatchObject({ commit: true, push: false, pattern: 'orchestrate/phase-{id}' });
    expect(normaliseFlags({ push: true })).toMatchObject({ commit: true, pattern: undefined });
    expect(normaliseFlags({})).toMatchObject({ commit: false, push: false, pr: false, pattern: undefined });
  });
});
