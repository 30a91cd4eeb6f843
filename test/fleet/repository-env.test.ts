/**
 * The environment of a repository's run: the repository named, the token in
 * the variables the run reads, and git's auth header for an https host given
 * once, even when the fleet's own environment carries it already.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { gitAuthConfig, httpsHosts, redact, repositoryEnvironment } from '../../src/fleet/repository-env.js';

/** The extra headers git itself reads from this environment for an https host (no config files: HOME and system off). */
function headersGitSees(env: Record<string, string | undefined>, host: string): string[] {
  const out = execFileSync('git', ['config', '--list'], { env: { ...env, PATH: process.env.PATH ?? '', HOME: '/nonexistent', XDG_CONFIG_HOME: '/nonexistent', GIT_CONFIG_NOSYSTEM: '1' }, encoding: 'utf8' });
  const key = `http.https://${host}/.extraheader=`;
  return out.split('\n').filter((line) => line.startsWith(key)).map((line) => line.slice(key.length));
}

describe('repositoryEnvironment', () => {
  it('names the repository and gives git one auth header for its https host', () => {
    const env = repositoryEnvironment({ PATH: process.env.PATH, GITHUB_STEP_SUMMARY: '/tmp/summary' }, 'acme/billing', 'ghs_secret-token-1234', 'https://github.example.com/acme/billing.git');
    expect(env).toMatchObject({ GITHUB_REPOSITORY: 'acme/billing', GH_TOKEN: 'ghs_secret-token-1234', GITHUB_TOKEN: 'ghs_secret-token-1234', CI: 'true' });
    expect(env.GITHUB_STEP_SUMMARY).toBeUndefined();
    expect(headersGitSees(env, 'github.example.com')).toEqual([`AUTHORIZATION: basic ${Buffer.from('x-access-token:ghs_secret-token-1234').toString('base64')}`]);
  });

  it('adds no second header when the fleet’s environment has the host’s already', () => {
    const fleetEnv: Record<string, string | undefined> = { PATH: process.env.PATH, ...gitAuthConfig(httpsHosts(['https://github.com/acme/a.git', '/srv/git/local.git', 'https://github.com/acme/b.git']), 'ghs_secret-token-1234', {}) };
    expect(fleetEnv.GIT_CONFIG_COUNT).toBe('1');
    const env = repositoryEnvironment(fleetEnv, 'acme/a', 'ghs_secret-token-1234', 'https://github.com/acme/a.git');
    expect(headersGitSees(env, 'github.com')).toHaveLength(1);
  });

  it('masks the token, but not a few characters that are no real token', () => {
    expect(redact('push to https://x-access-token:ghs_secret-token-1234@github.com failed', 'ghs_secret-token-1234')).toBe('push to https://x-access-token:***@github.com failed');
    expect(redact('abc', 'ab')).toBe('abc');
  });
});
