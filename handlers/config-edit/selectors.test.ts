import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { isConcrete, parseSelector, selectAll, selectForWrite, selectMany, selectOne } from './selectors.js';

const workflow = {
  on: { push: { branches: ['main'] } },
  jobs: {
    lint: { 'runs-on': 'ubuntu-latest', steps: [{ uses: 'actions/checkout@v4' }, { name: 'Lint', run: 'npm run lint' }] },
    test: {
      'runs-on': 'ubuntu-latest',
      steps: [
        { uses: 'actions/checkout@v4' },
        { id: 'build', name: 'Build image', run: 'docker build .' },
        { name: 'Scan', uses: 'aquasecurity/trivy-action@0.28.0', with: { 'image-ref': 'app' } },
      ],
    },
  },
  coverageThreshold: { './src/': { lines: 80 } },
};

function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('parseSelector', () => {
  it('reads dotted keys, indices, quoted keys and wildcards', () => {
    expect(parseSelector('jobs.test.steps[2]').segments).toEqual([
      { kind: 'key', key: 'jobs' },
      { kind: 'key', key: 'test' },
      { kind: 'key', key: 'steps' },
      { kind: 'index', index: 2 },
    ]);
    expect(parseSelector('coverageThreshold["./src/"].lines').segments).toEqual([
      { kind: 'key', key: 'coverageThreshold' },
      { kind: 'key', key: './src/' },
      { kind: 'key', key: 'lines' },
    ]);
    expect(parseSelector("a['b c'].*[*]").segments.map((s) => s.kind)).toEqual(['key', 'key', 'wildcard', 'wildcard']);
    expect(parseSelector('jobs.deploy-production.runs-on').segments[1]).toEqual({ kind: 'key', key: 'deploy-production' });
  });

  it('reads item selectors with quoted values and regexes holding brackets', () => {
    const [, , , step] = parseSelector('jobs.*.steps[uses^=aquasecurity/trivy-action]').segments;
    expect(step).toMatchObject({ kind: 'match', field: ['uses'], operator: '^=', value: 'aquasecurity/trivy-action' });
    const regex = parseSelector('steps[name~=/^Scan [a-z]]?/i]').segments[1];
    expect(regex).toMatchObject({ kind: 'match', operator: '~=', value: '^Scan [a-z]]?' });
    expect(parseSelector('steps[with.image-ref="a]b"]').segments[1]).toMatchObject({ field: ['with', 'image-ref'], value: 'a]b' });
  });

  it('says where a selector is malformed', () => {
    expect(userError(() => parseSelector('jobs..test')).message).toMatch(/selector "jobs..test".*column 6/);
    expect(userError(() => parseSelector('jobs[name=x')).message).toContain('"[" is not closed');
    expect(userError(() => parseSelector('steps[name~=abc]')).message).toContain('as /regex/');
    expect(userError(() => parseSelector('steps[name~=/(/]')).message).toContain('not a valid regular expression');
    expect(userError(() => parseSelector('')).message).toContain('empty');
    expect(userError(() => parseSelector('a b')).hint).toContain('jobs.test.steps[0]');
  });

  it('tells concrete paths from patterns', () => {
    expect(isConcrete(parseSelector('jobs.test.steps[0]'))).toBe(true);
    expect(isConcrete(parseSelector('jobs.*'))).toBe(false);
    expect(isConcrete(parseSelector('steps[-1]'))).toBe(false);
  });
});

describe('selecting', () => {
  it('returns concrete paths in document order', () => {
    expect(selectAll(workflow, 'jobs.*.steps[uses^=actions/checkout]')).toEqual([
      ['jobs', 'lint', 'steps', 0],
      ['jobs', 'test', 'steps', 0],
    ]);
    expect(selectAll(workflow, 'jobs.test.steps[-1].with.image-ref')).toEqual([['jobs', 'test', 'steps', 2, 'with', 'image-ref']]);
    expect(selectAll(workflow, 'jobs.test.steps[name~=/^build/i]')).toEqual([['jobs', 'test', 'steps', 1]]);
    expect(selectAll(workflow, 'jobs.test.steps[id=build]')).toEqual([['jobs', 'test', 'steps', 1]]);
    expect(selectAll(workflow, 'jobs.test.steps[run$=" ."]')).toEqual([['jobs', 'test', 'steps', 1]]);
    expect(selectAll(workflow, 'jobs[runs-on*=ubuntu]')).toEqual([['jobs', 'lint'], ['jobs', 'test']]);
    expect(selectAll(workflow, 'coverageThreshold["./src/"]')).toEqual([['coverageThreshold', './src/']]);
  });

  it('fails when one match is expected and none or several are found, naming file, path and selector', () => {
    const none = userError(() => selectOne(workflow, 'jobs.test.steps[uses^=docker/]', { file: '.github/workflows/ci.yml' }));
    expect(none.message).toBe(
      '.github/workflows/ci.yml: selector "jobs.test.steps[uses^=docker/]" matches nothing: jobs.test.steps has no item whose uses is starting with "docker/"',
    );
    expect(none.file).toBe('.github/workflows/ci.yml');
    const missingKey = userError(() => selectOne(workflow, 'jobs.build.steps', { file: 'ci.yml' }));
    expect(missingKey.message).toContain('jobs has no key "build"');
    const several = userError(() => selectOne(workflow, 'jobs.*.steps[0]', { file: 'ci.yml' }));
    expect(several.message).toContain('matches 2 places where one is expected: jobs.lint.steps[0], jobs.test.steps[0]');
    expect(selectOne(workflow, 'jobs.lint.steps[1].run', { file: 'ci.yml' })).toEqual(['jobs', 'lint', 'steps', 1, 'run']);
  });

  it('lets many-match callers accept no match when asked', () => {
    expect(selectMany(workflow, 'jobs.*.continue-on-error', { file: 'ci.yml', allowNone: true })).toEqual([]);
    expect(() => selectMany(workflow, 'jobs.*.continue-on-error', { file: 'ci.yml' })).toThrow(/matches nothing/);
  });

  it('resolves write targets whose last keys do not exist yet', () => {
    expect(selectForWrite(workflow, 'concurrency.group', { file: 'ci.yml', expect: 'one' })).toEqual([['concurrency', 'group']]);
    expect(selectForWrite(workflow, 'jobs.*.timeout-minutes', { file: 'ci.yml', expect: 'many' })).toEqual([
      ['jobs', 'lint', 'timeout-minutes'],
      ['jobs', 'test', 'timeout-minutes'],
    ]);
    expect(() => selectForWrite(workflow, 'jobs.*.timeout-minutes', { file: 'ci.yml', expect: 'one' })).toThrow(/matches 2 places/);
    expect(() => selectForWrite(workflow, 'jobs.test.steps[9].with', { file: 'ci.yml', expect: 'one' })).toThrow(/has no item \[9\]/);
    expect(userError(() => selectForWrite(workflow, 'jobs.lint.runs-on.label', { file: 'ci.yml', expect: 'one' })).message).toContain(
      'goes through jobs.lint.runs-on, which is the string "ubuntu-latest", not a map',
    );
  });
});
