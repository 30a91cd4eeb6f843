import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TemplateDirs } from '../../src/engine/handler.js';
import { UserError } from '../../src/errors.js';
import { listTemplates, loadTemplate } from '../../src/templates/lookup.js';

let base: string;
let dirs: TemplateDirs;

beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(tmpdir(), 'orchestrate-lookup-')));
  dirs = {
    plan: path.join(base, 'plan-templates'),
    repository: path.join(base, 'target', '.orchestrate', 'templates'),
    builtIn: path.join(base, 'built-in'),
  };
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function put(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

describe('template lookup', () => {
  it('prefers the plan folder, then the repository, then the built-in ones', async () => {
    await put(path.join(dirs.builtIn, 'fixtures/users.ts.hbs'), 'built-in');
    await put(path.join(dirs.builtIn, 'ci/node.yml.hbs'), 'built-in ci');
    await put(path.join(dirs.builtIn, 'readme.md.hbs'), 'built-in readme');
    await put(path.join(dirs.repository, 'fixtures/users.ts.hbs'), 'repository');
    await put(path.join(dirs.repository, 'ci/node.yml.hbs'), 'repository ci');
    await put(path.join(dirs.plan as string, 'fixtures/users.ts.hbs'), 'plan');

    expect((await loadTemplate(dirs, 'fixtures/users')).text).toBe('plan');
    expect((await loadTemplate(dirs, 'ci/node')).text).toBe('repository ci');
    const listed = await listTemplates(dirs);
    expect(listed.map(({ name, ext, origin }) => [name, ext, origin])).toEqual([
      ['ci/node', 'yml', 'repository'],
      ['fixtures/users', 'ts', 'plan'],
      ['readme', 'md', 'built-in'],
    ]);
    expect(listed[1]?.file).toBe(path.join(dirs.plan as string, 'fixtures/users.ts.hbs'));
  });

  it('finds partials named _name.hbs, earlier folders overriding later ones', async () => {
    await put(path.join(dirs.builtIn, '_header.hbs'), 'built-in header');
    await put(path.join(dirs.builtIn, 'api/_row.ts.hbs'), 'row {{row_name}}');
    await put(path.join(dirs.repository, '_header.ts.hbs'), '// {{license}}');
    await put(path.join(dirs.builtIn, 'page.ts.hbs'), '{{> header}}\n{{> api/row}}');

    const page = await loadTemplate(dirs, 'page');
    expect(page.partials).toEqual({ header: '// {{license}}', 'api/row': 'row {{row_name}}' });
    expect(page.variables).toEqual(['license', 'row_name']);
    expect((await listTemplates(dirs)).map((t) => t.name)).toEqual(['page']);
  });

  it('lists the top-level variables a template needs, without helpers, built-ins or item fields', async () => {
    const text = [
      '// {{project_name}} {{date}}',
      'export const {{camelCase model_name}} = {{json seed}};',
      '{{#if (eq runner "jest")}}jest{{else}}{{other}}{{/if}}',
      '{{#each users as |user|}}{{user.name}} {{email}} {{@index}}{{else}}{{empty_text}}{{/each}}',
      '{{#with config}}{{port}}{{/with}}',
      'threshold {{default threshold 80}} {{limits.max}}',
    ].join('\n');
    await put(path.join(dirs.builtIn, 'fixtures/users.ts.hbs'), text);
    const [info] = await listTemplates(dirs);
    expect(info?.variables).toEqual(['config', 'empty_text', 'limits', 'model_name', 'other', 'runner', 'seed', 'users']);
    expect(info?.optional).toEqual(['threshold']);
  });

  it('names the folders searched and the closest names when a template is missing', async () => {
    await put(path.join(dirs.builtIn, 'fixtures/users.ts.hbs'), 'x');
    await put(path.join(dirs.builtIn, 'ci/node.yml.hbs'), 'x');
    const error: unknown = await loadTemplate(dirs, 'fixtures/user').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      `template fixtures/user not found (searched ${dirs.plan}, ${dirs.repository}, ${dirs.builtIn})`,
    );
    expect((error as UserError).hint).toMatch(/Did you mean fixtures\/users\?/);
    expect((error as UserError).retryable).toBe(false);
  });

  it('refuses a symlink in the repository folder that leads outside the target', async () => {
    await put(path.join(base, 'secret.ts.hbs'), 'outside');
    await mkdir(dirs.repository, { recursive: true });
    await symlink(path.join(base, 'secret.ts.hbs'), path.join(dirs.repository, 'leak.ts.hbs'));
    const error: unknown = await listTemplates(dirs).catch((e: unknown) => e);
    expect((error as UserError).message).toMatch(/leak\.ts\.hbs is a symlink leading outside the target repository/);

    // A link that stays inside the target is fine.
    await rm(path.join(dirs.repository, 'leak.ts.hbs'));
    await put(path.join(base, 'target', 'shared.ts.hbs'), 'inside');
    await symlink(path.join(base, 'target', 'shared.ts.hbs'), path.join(dirs.repository, 'shared.ts.hbs'));
    expect((await loadTemplate(dirs, 'shared')).text).toBe('inside');

    // So is the templates folder itself being a link out of the repository.
    await rm(dirs.repository, { recursive: true });
    await put(path.join(base, 'elsewhere', 'x.ts.hbs'), 'outside');
    await symlink(path.join(base, 'elsewhere'), dirs.repository);
    const folderError: unknown = await listTemplates(dirs).catch((e: unknown) => e);
    expect((folderError as UserError).message).toMatch(/templates is a symlink leading outside the target repository/);
  });
});
