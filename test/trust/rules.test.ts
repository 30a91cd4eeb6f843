/**
 * The pure parts of trust and expansion, case by case: argv prefix matching,
 * the trust an Actions event implies (payloads written to real files), and
 * `${VAR}` forms that must be left alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandEnv } from '../../src/config/expand-env.js';
import { trustFromGithubEvent } from '../../src/trust/github-event.js';
import { isAllowlisted } from '../../src/trust/policy.js';

describe('argv prefixes', () => {
  const allow = [['npm', 'test'], 'npx eslint .'];
  it('match word for word from the start, as arrays or split strings', () => {
    expect(isAllowlisted('npm test', allow)).toBe(true);
    expect(isAllowlisted(['npm', 'test', '--', '--coverage'], allow)).toBe(true);
    expect(isAllowlisted('npx eslint . --fix', allow)).toBe(true);
    expect(isAllowlisted('"npm" \'test\'', allow)).toBe(true);
  });
  it('refuse anything else: other arguments, a longer first word, a path to the program, an unclosed quote', () => {
    expect(isAllowlisted('npm install', allow)).toBe(false);
    expect(isAllowlisted('npm testing', allow)).toBe(false);
    expect(isAllowlisted('./npm test', allow)).toBe(false);
    expect(isAllowlisted('npx eslint', allow)).toBe(false);
    expect(isAllowlisted('npm "test', allow)).toBe(false);
    expect(isAllowlisted('npm test', [])).toBe(false);
  });
});

describe('trust from a GitHub Actions event', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-event-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const event = (name: string, payload: unknown) => {
    const file = path.join(dir, `event-${n++}.json`);
    fs.writeFileSync(file, JSON.stringify(payload));
    return trustFromGithubEvent({ GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: name, GITHUB_EVENT_PATH: file });
  };
  const pr = (head: unknown) => ({ pull_request: { head: { repo: head }, base: { repo: { full_name: 'o/r' } } } });

  it('says nothing outside Actions, on a push, or on a pull request from the same repository', () => {
    expect(trustFromGithubEvent({ GITHUB_EVENT_NAME: 'pull_request_target' })).toBeUndefined();
    expect(event('push', {})).toBeUndefined();
    expect(event('pull_request', pr({ full_name: 'o/r', fork: false }))).toBeUndefined();
  });
  it('is untrusted for forks, deleted heads, pull_request_target, foreign workflow_run and unreadable payloads', () => {
    expect(event('pull_request', pr({ full_name: 'm/r', fork: true }))?.trust).toBe('untrusted');
    expect(event('pull_request', pr({ full_name: 'o/r', fork: true }))?.trust).toBe('untrusted');
    expect(event('pull_request_review', pr(null))?.trust).toBe('untrusted');
    expect(event('pull_request_target', pr({ full_name: 'o/r' }))?.trust).toBe('untrusted');
    expect(event('workflow_run', { repository: { full_name: 'o/r' }, workflow_run: { head_repository: { full_name: 'm/r' } } })?.trust).toBe('untrusted');
    expect(event('workflow_run', { repository: { full_name: 'o/r' }, workflow_run: { head_repository: { full_name: 'o/r' } } })).toBeUndefined();
    expect(trustFromGithubEvent({ GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: path.join(dir, 'missing.json') })?.trust).toBe('untrusted');
  });
});

describe('${VAR} forms', () => {
  const expand = (text: string, env: Record<string, string> = {}) => expandEnv({ text }, { env });
  it('leaves GitHub expressions, $VAR, shell forms and escapes as written', () => {
    expect(expand('${{ secrets.TOKEN }} ${{env.X}}', { X: '1' }).value).toEqual({ text: '${{ secrets.TOKEN }} ${{env.X}}' });
    expect(expand('$HOME ${#X} ${X%.y} ${1}', { X: 'a' }).value).toEqual({ text: '$HOME ${#X} ${X%.y} ${1}' });
    expect(expand('$${X} costs $$ ${X}', { X: 'a' }).value).toEqual({ text: '${X} costs $$ a' });
  });
  it('uses a default when unset or empty, an empty value when set empty, and reports each unset variable at its path', () => {
    expect(expand('${A:-x}${B:-y}${C}', { B: '', C: '' }).value).toEqual({ text: 'xy' });
    const result = expandEnv({ list: ['ok', '${NOPE} ${NOR}'] }, { env: {} });
    expect(result.problems.map((p) => [p.path, p.message])).toEqual([
      [['list', 1], 'environment variable NOPE is not set (used as ${NOPE})'],
      [['list', 1], 'environment variable NOR is not set (used as ${NOR})'],
    ]);
  });
  it('refuses names the policy does not allow, even with a default', () => {
    const result = expandEnv({ a: '${SECRET:-x} ${NODE_VERSION}' }, { env: { SECRET: 's', NODE_VERSION: '20' }, mayRead: (name) => name === 'NODE_VERSION' });
    expect(result.problems.map((p) => p.message)).toEqual(['${SECRET} reads the environment, which an untrusted plan may not do']);
  });
});
