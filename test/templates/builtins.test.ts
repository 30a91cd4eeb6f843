/**
 * The built-in templates render to files that work in a real repository:
 * TypeScript that type-checks under strict settings (one tsc run for all of
 * it), Python that compiles and that pytest loads, workflows GitHub's schema
 * accepts, Markdown with nothing left unrendered. Every template is rendered
 * three ways: with the roadmap's own variables, with every optional variable
 * set, and with the built-ins alone. And every template the roadmap names
 * must exist.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { BUILT_IN_TEMPLATES } from '../../src/templates/built-in.js';
import { emptyRepositoryFacts } from '../../src/templates/repository-facts.js';
import { renderTemplate } from '../../src/templates/render.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

interface TemplateFile {
  /** e.g. `fixtures/users` */
  name: string;
  /** Extension of the rendered file, e.g. `ts`. */
  ext: string;
  source: string;
}

/** Every template under templates/ that is not a partial (`_*.hbs`). */
function listTemplates(dir = BUILT_IN_TEMPLATES): TemplateFile[] {
  const found: TemplateFile[] = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.hbs') || entry.name.startsWith('_')) continue;
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(dir, file).split(path.sep).join('/');
    const match = /^(.+)\.([^./]+)\.hbs$/.exec(relative);
    if (!match?.[1] || !match[2]) throw new Error(`template ${relative} is not named <name>.<ext>.hbs`);
    found.push({ name: match[1], ext: match[2], source: fs.readFileSync(file, 'utf8') });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

interface RoadmapPlan {
  variables?: Record<string, unknown>;
  phases: { groups?: { tasks?: { type: string; template?: string; target?: string }[] }[] }[];
}

const roadmap = parse(fs.readFileSync(path.join(repoRoot, 'config/phases.yaml'), 'utf8')) as RoadmapPlan;

/** Template name to target path, for the roadmap's file_generation tasks. */
const roadmapTargets = new Map<string, string>();
for (const phase of roadmap.phases) {
  for (const group of phase.groups ?? []) {
    for (const task of group.tasks ?? []) {
      if (task.type === 'file_generation' && task.template && task.target) roadmapTargets.set(task.template, task.target);
    }
  }
}

const templates = listTemplates();

interface Scenario {
  id: string;
  /** `module` makes the scenario's TypeScript ES modules, `commonjs` CommonJS. */
  moduleType: 'module' | 'commonjs';
  variables: Record<string, unknown>;
  /** The app factory module `setup/integration` imports, relative to the scenario root, and its text. */
  app: { file: string; text: string };
  /** The prefix of the environment variables the conftest isolates. */
  envPrefix: string;
}

const builtIns = {
  project_name: 'demo-monorepo',
  task_id: '1.3',
  task_name: 'Example task',
  date: '2025-01-01',
  test_framework: 'jest',
  package_manager: 'npm',
  repo: emptyRepositoryFacts(),
};

/** Stands in for the project's Fastify app: the part of a FastifyInstance the setup uses. */
const namedAppFactory = `
export interface InjectResponse { statusCode: number; body: string; json(): unknown }
export interface App {
  ready(): Promise<App>;
  close(): Promise<void>;
  inject(request: { method: string; url: string; payload?: unknown }): Promise<InjectResponse>;
}
export function buildApp(): App {
  const app: App = {
    ready: async () => app,
    close: async () => undefined,
    inject: async () => ({ statusCode: 200, body: '{}', json: () => ({}) }),
  };
  return app;
}
`;

const scenarios: Scenario[] = [
  {
    id: 'roadmap',
    moduleType: 'commonjs',
    variables: { ...builtIns, ...roadmap.variables, test_framework: 'jest' },
    app: { file: 'src/app.ts', text: namedAppFactory },
    envPrefix: 'APP_',
  },
  {
    id: 'custom',
    moduleType: 'module',
    variables: {
      ...builtIns,
      project_name: 'acme-api',
      task_id: '9.1',
      test_framework: 'vitest',
      package_manager: 'pnpm',
      count: 5,
      roles: ['owner', 'editor', 'guest'],
      fields: [{ name: 'locale', type: 'string', value: "'en-GB'" }],
      email_domain: 'acme.test',
      owner_id: 'user-owner',
      question_count: 4,
      passing_score: 60,
      tables: ['accounts', 'projects'],
      dialect: 'sqlite',
      app_module: '../../src/server-app.js',
      app_factory: 'default',
      app_factory_args: '{ logger: false }',
      env: { DATABASE_URL: 'postgres://localhost/acme_test', JWT_SECRET: 'not "a" secret' },
      env_prefix: 'ACME_',
      environments: ['qa', 'staging', 'production'],
      registry: 'ghcr.io/acme/acme-api',
      registry_token_secret: 'REGISTRY_TOKEN',
      deploy_command: 'kubectl rollout restart deployment/acme-api --namespace "$ENVIRONMENT"\nkubectl rollout status deployment/acme-api --namespace "$ENVIRONMENT"',
      concurrency_group: 'acme-deploy',
      health_check_path: '/healthz',
      owners: 'the API team',
      default_branch: 'trunk',
      migrate_command: 'pnpm db:migrate',
      coverage_target: 85,
      python_version: '3.11',
      python_dir: 'services/py',
    },
    app: {
      file: 'src/server-app.ts',
      text: `
export interface AppOptions { logger?: boolean }
export default async function build(options: AppOptions = {}) {
  const app = {
    logger: options.logger ?? true,
    ready: async () => app,
    close: async () => undefined,
    inject: async (request: { method: string; url: string }) => ({ statusCode: 200, body: request.url }),
  };
  return app;
}
`,
    },
    envPrefix: 'ACME_',
  },
  {
    id: 'bare',
    moduleType: 'commonjs',
    variables: { ...builtIns, test_framework: 'none', package_manager: 'yarn' },
    app: { file: 'src/app.ts', text: namedAppFactory },
    envPrefix: 'APP_',
  },
];

/** Where a template's output goes in a scenario: the roadmap's target, else `out/<name>.<ext>`. */
function outputPath(template: TemplateFile): string {
  return roadmapTargets.get(template.name) ?? `out/${template.name}.${template.ext}`;
}

/** Uses every fixture conftest.py promises; run by pytest beside it. */
function pytestProbe(envPrefix: string): string {
  return `import os


def test_data_dir_is_empty_and_writable(data_dir):
    assert data_dir.is_dir() and list(data_dir.iterdir()) == []
    (data_dir / "probe.txt").write_text("ok")


def test_environment_is_isolated(isolated_env, data_dir):
    assert "${envPrefix}LEAKED" not in os.environ
    assert os.environ["${envPrefix}ENV"] == "test"
    assert os.environ["${envPrefix}DATA_DIR"] == str(data_dir)
    for name, value in isolated_env.items():
        assert os.environ[name] == value


def test_sample_records_agree(sample_users, sample_assessment, sample_submissions):
    user_ids = {user["id"] for user in sample_users}
    points = sum(question["points"] for question in sample_assessment["questions"])
    assert {submission["user_id"] for submission in sample_submissions} <= user_ids
    assert max(submission["score"] for submission in sample_submissions) == points
    sample_users.clear()


def test_samples_are_fresh_copies(sample_users):
    assert len(sample_users) == 3
`;
}

let root = '';
/** Rendered text by scenario id and template name; a render error is kept as an Error. */
const rendered = new Map<string, Map<string, string | Error>>();
/** tsc diagnostics by file (relative to root), from one run over every scenario. */
const tscErrors = new Map<string, string[]>();
let tscOutput = '';
const hasPytest = spawnSync('python3', ['-c', 'import pytest'], { stdio: 'ignore' }).status === 0;

beforeAll(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-templates-')));
  for (const scenario of scenarios) {
    const dir = path.join(root, scenario.id);
    const outputs = new Map<string, string | Error>();
    rendered.set(scenario.id, outputs);
    write(dir, 'package.json', JSON.stringify({ name: `scenario-${scenario.id}`, private: true, type: scenario.moduleType }));
    write(dir, scenario.app.file, scenario.app.text);
    for (const template of templates) {
      try {
        const text = renderTemplate(template.source, { name: template.name, variables: scenario.variables });
        outputs.set(template.name, text);
        write(dir, outputPath(template), text);
      } catch (error) {
        outputs.set(template.name, error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
  // What a strict project would compile with; @types/node as any Node project has it.
  write(
    root,
    'tsconfig.json',
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        noUnusedLocals: true,
        noUnusedParameters: true,
        noImplicitReturns: true,
        noImplicitOverride: true,
        isolatedModules: true,
        target: 'es2022',
        lib: ['es2022'],
        module: 'nodenext',
        moduleResolution: 'nodenext',
        skipLibCheck: true,
        noEmit: true,
        types: ['node'],
      },
      include: ['**/*.ts'],
    }),
  );
  fs.mkdirSync(path.join(root, 'node_modules', '@types'), { recursive: true });
  fs.symlinkSync(path.join(repoRoot, 'node_modules', '@types', 'node'), path.join(root, 'node_modules', '@types', 'node'));
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--pretty', 'false'], {
    cwd: root,
    encoding: 'utf8',
  });
  tscOutput = `${tsc.stdout}${tsc.stderr}`;
  for (const line of tscOutput.split('\n')) {
    const match = /^(.+?)\(\d+,\d+\): error /.exec(line);
    const file = match?.[1] ?? '(tsc)';
    if (line.trim() === '') continue;
    tscErrors.set(file, [...(tscErrors.get(file) ?? []), line]);
  }
  if (tsc.status !== 0 && tscErrors.size === 0) tscErrors.set('(tsc)', [tscOutput || `tsc exited with ${tsc.status}`]);
}, 300_000);

afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

function write(dir: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
}

/** The rendered text, failing the test with the render error if rendering failed. */
function output(scenario: Scenario, template: TemplateFile): string {
  const text = rendered.get(scenario.id)?.get(template.name);
  if (text instanceof Error) throw new Error(`${template.name} did not render (${scenario.id} variables): ${text.message}`);
  if (text === undefined) throw new Error(`${template.name} was not rendered`);
  return text;
}

describe('the roadmap and the template library', () => {
  it('has a template for every file_generation task in config/phases.yaml, with the target’s extension', () => {
    expect(roadmapTargets.size).toBeGreaterThan(0);
    for (const [name, target] of roadmapTargets) {
      const template = templates.find((candidate) => candidate.name === name);
      expect(template, `templates/${name}.*.hbs (used by config/phases.yaml)`).toBeDefined();
      expect(path.extname(target), `${name} renders to ${target}`).toBe(`.${template?.ext}`);
    }
  });

  it('ships only templates whose output this test knows how to check', () => {
    const unchecked = templates.filter((template) => !['ts', 'py', 'yml', 'yaml', 'md'].includes(template.ext));
    expect(unchecked.map((template) => template.name)).toEqual([]);
  });
});

describe.each(scenarios)('built-in templates rendered with the $id variables', (scenario) => {
  const ts = templates.filter((template) => template.ext === 'ts');
  const py = templates.filter((template) => template.ext === 'py');
  const yml = templates.filter((template) => template.ext === 'yml' || template.ext === 'yaml');
  const md = templates.filter((template) => template.ext === 'md');

  it.each(ts)('$name type-checks under strict settings', (template) => {
    output(scenario, template);
    const file = path.posix.join(scenario.id, outputPath(template));
    expect(tscErrors.get(file) ?? [], `tsc errors in ${file}`).toEqual([]);
    expect(tscErrors.get('(tsc)') ?? [], 'tsc failed').toEqual([]);
  });

  it('renders fixtures, database helper and app setup that do what their comments promise', async () => {
    const dir = path.join(root, scenario.id);
    const load = (name: string): Promise<Record<string, unknown>> => {
      const template = templates.find((candidate) => candidate.name === name);
      if (!template) throw new Error(`no template ${name}`);
      output(scenario, template);
      return import(path.join(dir, outputPath(template)));
    };
    const count = Number(scenario.variables['count'] ?? 3);
    const users = (await load('fixtures/users')) as {
      buildUser(overrides?: object): { id: string; role: string };
      usersByRole: Record<string, { id: string }>;
      sampleUsers: unknown[];
    };
    expect(users.buildUser({ id: 'u' }).id).toBe('u');
    expect(Object.keys(users.usersByRole)).toContain(users.buildUser().role);
    expect(users.sampleUsers).toHaveLength(count);

    const assessments = (await load('fixtures/assessments')) as {
      publishedAssessment: object;
      perfectSubmission: { score: number };
      buildSubmission(assessment: object, userId: string, correct: number): { score: number };
      maxScore(assessment: object): number;
    };
    const { publishedAssessment, perfectSubmission } = assessments;
    expect(perfectSubmission.score).toBe(assessments.maxScore(publishedAssessment));
    expect(assessments.buildSubmission(publishedAssessment, 'u', 0).score).toBe(0);

    const database = (await load('helpers/database')) as {
      InMemoryDatabase: new () => {
        insert(table: string, row: { id: string; name?: string }): unknown;
        find(table: string, id: string): unknown;
        truncate(): void;
        count(table: string): number;
      };
      resetDatabase(client: { query(sql: string, params?: unknown[]): Promise<unknown> }, data: object): Promise<void>;
    };
    const memory = new database.InMemoryDatabase();
    memory.insert('users', { id: '1', name: 'Ada' });
    expect(memory.find('users', '1')).toEqual({ id: '1', name: 'Ada' });
    memory.truncate();
    expect(memory.count('users')).toBe(0);
    const statements: string[] = [];
    await database.resetDatabase({ query: async (sql) => statements.push(sql) }, { users: [{ id: '1', name: 'Ada' }] });
    expect(statements.at(-1)).toMatch(/^INSERT INTO .users. \(.id., .name.\) VALUES/);

    // The stand-in app factory answers every request with 200.
    type App = { inject(request: object): Promise<unknown> };
    const setup = (await load('setup/integration')) as { withTestApp(use: (app: App) => Promise<unknown>): Promise<unknown> };
    const response = setup.withTestApp((app) => app.inject({ method: 'GET', url: '/health' }));
    await expect(response).resolves.toMatchObject({ statusCode: 200 });
  });

  it.each(py)(
    hasPytest ? '$name compiles and pytest loads its fixtures' : '$name compiles (pytest is not installed: not loaded)',
    (template) => {
      output(scenario, template);
      const file = path.join(root, scenario.id, outputPath(template));
      const compiled = spawnSync('python3', ['-m', 'py_compile', file], { encoding: 'utf8' });
      expect(compiled.stderr, 'py_compile').toBe('');
      expect(compiled.status).toBe(0);
      if (!hasPytest || path.basename(file) !== 'conftest.py') return;
      fs.writeFileSync(path.join(path.dirname(file), 'test_conftest_probe.py'), pytestProbe(scenario.envPrefix));
      const run = spawnSync('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', path.dirname(file)], {
        cwd: path.join(root, scenario.id),
        encoding: 'utf8',
        env: { ...process.env, [`${scenario.envPrefix}LEAKED`]: 'from the developer', PYTHONDONTWRITEBYTECODE: '1' },
      });
      expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/\b4 passed\b/);
    },
  );

  it.each(yml)('$name parses as YAML, and a workflow passes GitHub’s schema', (template) => {
    const text = output(scenario, template);
    const document = parseDocument(text);
    expect(document.errors.map((error) => error.message)).toEqual([]);
    if (!template.name.startsWith('workflows/')) return;
    expect(validateWorkflow(text).errors).toEqual([]);
    const workflow = document.toJS() as { on?: Record<string, unknown>; jobs?: Record<string, unknown> };
    expect(Object.keys(workflow.jobs ?? {}).length).toBeGreaterThan(0);
    if (template.name === 'workflows/rollback') {
      const dispatch = workflow.on?.['workflow_dispatch'] as { inputs?: Record<string, unknown> } | undefined;
      expect(Object.keys(dispatch?.inputs ?? {})).toEqual(expect.arrayContaining(['environment', 'version']));
    }
  });

  it.each(md)('$name is fully rendered and names the project', (template) => {
    const text = output(scenario, template);
    expect(text).not.toMatch(/\{\{|\}\}/);
    expect(text).toContain(String(scenario.variables['project_name']));
    expect(text).toMatch(/^# /);
  });
});
