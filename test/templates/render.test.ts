import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { renderTemplate } from '../../src/templates/render.js';

function render(text: string, variables: Record<string, unknown> = {}, partials?: Record<string, string>): string {
  return renderTemplate(text, { name: 'fixtures/users', variables, ...(partials ? { partials } : {}) });
}

function failure(action: () => unknown): UserError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a failure');
}

describe('renderTemplate', () => {
  it('renders variables without HTML escaping', () => {
    expect(render('const a = "{{value}}" && <b>;', { value: '<x & "y">' })).toBe('const a = "<x & "y">" && <b>;');
  });

  it.each([
    ['camelCase', 'user-count', 'userCount'],
    ['camelCase', 'HTTPServer error', 'httpServerError'],
    ['pascalCase', 'fixtures/user_list', 'FixturesUserList'],
    ['kebabCase', 'userCount.v2', 'user-count-v2'],
    ['snakeCase', 'UserCount', 'user_count'],
    ['upperCase', 'user-count', 'USER COUNT'],
    ['lowerCase', 'UserCount', 'user count'],
  ])('%s(%s) is %s', (helper, input, expected) => {
    expect(render(`{{${helper} name}}`, { name: input })).toBe(expected);
  });

  it('has json, indent, join and eq helpers', () => {
    expect(render('{{json value}}', { value: { a: [1] } })).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(render('{{indent text 2}}', { text: 'a\n\nb' })).toBe('  a\n\n  b');
    expect(render('{{join list " | "}}', { list: ['a', 'b'] })).toBe('a | b');
    expect(render('{{join list}}', { list: ['a', 'b'] })).toBe('a, b');
    expect(render('{{#if (eq a "x")}}yes{{else}}no{{/if}}', { a: 'x' })).toBe('yes');
    expect(render('{{#if (eq a "x")}}yes{{else}}no{{/if}}', { a: 'y' })).toBe('no');
  });

  it('lets default read a variable nobody defined', () => {
    expect(render('{{default threshold 80}}')).toBe('80');
    expect(render('{{default threshold 80}}', { threshold: 90 })).toBe('90');
    expect(render('{{camelCase (default name "the-name")}}')).toBe('theName');
    expect(render('{{default limits.max 5}}')).toBe('5');
    expect(render('{{default limits.max 5}}', { limits: { max: 9 } })).toBe('9');
    expect(render('{{#each xs}}{{default this.label "none"}} {{/each}}', { xs: [{}, { label: 'b' }] })).toBe('none b ');
  });

  it('keeps strictness in the rest of a default call', () => {
    const error = failure(() => render('{{default a b}}'));
    expect(error.message).toBe('template fixtures/users: line 1, column 13: "b" is not defined');
  });

  it('fails on a missing variable with the template, line, column and name', () => {
    const error = failure(() => render('// header\n\nexport const n = {{user_count}};', {}));
    expect(error.message).toBe('template fixtures/users: line 3, column 20: "user_count" is not defined');
    expect(error.retryable).toBe(false);
    expect(error.hint).toMatch(/variables:.*plan.*phase.*group.*task/);
  });

  it('fails on a missing variable passed to a helper or #if', () => {
    expect(failure(() => render('{{camelCase name}}')).message).toMatch(/line 1, column 13: "name" is not defined/);
    expect(failure(() => render('x\n{{#if enabled}}y{{/if}}')).message).toMatch(/line 2, column 7: "enabled" is not defined/);
  });

  it('names the whole path when an object is missing', () => {
    expect(failure(() => render('{{user.name}}')).message).toMatch(/"user.name" is not defined/);
  });

  it('fails on a syntax error with the line', () => {
    const error = failure(() => render('a\nb\n{{#if x}\n'));
    expect(error.message).toMatch(/^template fixtures\/users: line 3: syntax error/);
    expect(error.retryable).toBe(false);
    expect(failure(() => render('{{#if x}}\n{{/each}}', { x: 1 })).message).toMatch(/line 1.*if doesn't match each/);
  });

  it('fails on an unknown helper', () => {
    expect(failure(() => render('{{shout name}}', { name: 'a' })).message).toMatch(/"shout" is not defined/);
  });

  it('renders partials and locates their errors in the partial', () => {
    expect(render('{{> header}}body', { title: 'T' }, { header: '// {{title}}\n' })).toBe('// T\nbody');
    const error = failure(() => render('{{> header}}', {}, { header: '\n{{title}}' }));
    expect(error.message).toBe('partial header (in template fixtures/users): line 2, column 3: "title" is not defined');
  });
});
