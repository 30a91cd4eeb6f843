/**
 * The GitHub stand-in for the tests of one file: a fresh one is started before
 * each test and stopped after it, and a test fails when any of its requests
 * broke GitHub's published OpenAPI description.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import { GitHubDouble } from './github-double.js';

/** The running stand-in of the current test and its base URL (GITHUB_API_URL). */
export interface StandIn {
  readonly github: GitHubDouble;
  readonly apiUrl: string;
}

/** Register the hooks that run a stand-in around each test; call at the top of a file or a describe block. */
export function useGitHubDouble(owner?: string, repo?: string): StandIn {
  let current: { github: GitHubDouble; apiUrl: string } | undefined;
  beforeEach(async () => {
    const github = new GitHubDouble(owner, repo);
    current = { github, apiUrl: await github.start() };
  });
  afterEach(async () => {
    const { github } = running();
    current = undefined;
    await github.stop();
    expect(github.violations, 'requests that break GitHub’s OpenAPI description').toEqual([]);
  });
  const running = () => {
    if (!current) throw new Error('the GitHub stand-in runs only inside a test');
    return current;
  };
  return {
    get github() {
      return running().github;
    },
    get apiUrl() {
      return running().apiUrl;
    },
  };
}
