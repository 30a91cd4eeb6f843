/**
 * The starter plan `orchestrate init` proposes: a commented phases.yaml
 * written from what the inspection found, with a task for each fault it can
 * fix by a named action, and comments that say what it saw and what is left
 * to decide. Text in, text out: the command prints or writes it.
 */
import type { NodeFacts } from './inspect-node.js';
import { scriptCommand } from './inspect-node.js';
import type { PythonFacts } from './inspect-python.js';
import { hasProblems, type WorkflowFacts } from './inspect-workflows.js';

export interface RepositoryFacts {
  name: string;
  node: NodeFacts | undefined;
  python: PythonFacts | undefined;
  workflows: WorkflowFacts[];
}

interface Task {
  comment?: string[];
  lines: string[];
}

/** The starter phases.yaml for a repository; `schema` is the modeline's path to the JSON Schema. */
export function starterPlan(facts: RepositoryFacts, schema: string): string {
  const out: string[] = [`# yaml-language-server: $schema=${schema}`, '#', `# A starter plan for ${facts.name}, written by \`orchestrate init\` from what the repository holds:`];
  for (const line of summary(facts)) out.push(`#   ${line}`);
  out.push(
    '#',
    '# Read it, change what does not fit, then:',
    '#   orchestrate validate                 # every problem with file:line:col',
    '#   orchestrate run --all --dry-run      # every change as a diff, nothing written',
    '#   orchestrate run --phase 1',
    'version: 1',
    'project:',
    `  name: ${quote(facts.name)}`,
    'defaults:',
    '  retries: 1',
    '  timeout: 10m',
    'phases:',
  );
  const workflows = workflowPhase(facts);
  const coverage = coveragePhase(facts) ?? [];
  const real = (lines: string[]) => lines.some((line) => line.startsWith('  - id:'));
  const earlier = [...(workflows === undefined ? [] : [1]), ...(real(coverage) ? [2] : [])];
  const tests = testsPhase(facts, earlier);
  if (workflows === undefined && !real(coverage) && !real(tests)) out.push(...emptyPhase(facts.node));
  if (workflows !== undefined) out.push(...workflows);
  out.push(...coverage.map((line) => line.replace('__DEPENDS__', workflows === undefined ? '' : '    depends_on: [1]')));
  out.push(...tests);
  return `${out.filter((line) => line !== '').join('\n').replace(/\n(project|defaults|phases):/g, '\n\n$1:')}\n`;
}

function summary(facts: RepositoryFacts): string[] {
  const lines: string[] = [];
  const node = facts.node;
  if (node !== undefined) {
    lines.push(`package manager: ${node.packageManager}${node.lockFile ? ` (${node.lockFile})` : ' (no lock file)'}`);
    const runner = node.runner === undefined ? 'no Jest or Vitest' : `${node.runner === 'jest' ? 'Jest' : 'Vitest'}${node.runnerConfig ? ` (${node.runnerConfig})` : ', no config file'}`;
    lines.push(`Node: ${node.language === 'typescript' ? 'TypeScript' : 'JavaScript'}, ${node.moduleKind === 'esm' ? 'ES modules' : 'CommonJS'}; tests: ${runner}${node.testScript ? `, \`${scriptCommand(node.packageManager, 'test')}\`` : ', no test script'}`);
    if (node.runner !== undefined) lines.push(`coverage thresholds: ${node.hasThresholds ? 'configured' : 'none'}`);
  }
  if (facts.python !== undefined) {
    const py = facts.python;
    lines.push(`Python: ${py.dir === '.' ? 'at the root' : `${py.dir}/`}${py.pytest ? `, pytest${py.pytestConfig ? ` (${py.pytestConfig})` : ''}` : ', no pytest'}${py.pytest ? `; coverage minimum: ${py.hasCoverageMinimum ? 'configured' : 'none'}` : ''}`);
  }
  if (facts.workflows.length === 0) lines.push('workflows: none in .github/workflows');
  for (const wf of facts.workflows) {
    if (wf.unreadable !== undefined) {
      lines.push(`${wf.file}: left alone, ${wf.unreadable}`);
      continue;
    }
    const faults = [
      wf.nonBlockingTests.length > 0 ? `continue-on-error on tests (${wf.nonBlockingTests.join(', ')})` : '',
      wf.noTimeout.length > 0 ? `no timeout-minutes (${wf.noTimeout.join(', ')})` : '',
      wf.noConcurrency ? 'no concurrency' : '',
      wf.noPermissions ? 'no permissions' : '',
      wf.unpinned > 0 ? `${wf.unpinned} action${wf.unpinned === 1 ? '' : 's'} not pinned to a SHA` : '',
      wf.coverageWithoutMinimum ? 'coverage measured without a minimum' : '',
    ].filter(Boolean);
    lines.push(`${wf.file}: ${faults.join('; ') || 'nothing to fix'}`);
  }
  return lines;
}

function workflowPhase(facts: RepositoryFacts): string[] | undefined {
  const todo = facts.workflows.filter(hasProblems);
  if (todo.length === 0) return undefined;
  const lines = ['  - id: 1', '    name: CI that fails when it should', '    groups:'];
  let n = 0;
  const id = () => `"1.${++n}"`;
  todo.forEach((wf, index) => {
    const base = wf.file.replace(/^\.github\/workflows\//, '');
    lines.push(`      - id: ${groupId(base, index)}`, `        name: ${quote(base)}`, '        # One file: its edits run one after another.', '        execution: sequential', '        tasks:');
    const tasks: Task[] = [];
    const file = `file: ${quote(wf.file)}`;
    if (wf.nonBlockingTests.length > 0) {
      tasks.push({
        comment: [`Tests that cannot fail the build: ${wf.nonBlockingTests.join(', ')}.`, ...(wf.nonBlockingOther.length > 0 ? [`(continue-on-error also in ${wf.nonBlockingOther.join(', ')}: name them in jobs if they should block.)`] : [])],
        lines: [`name: Make the tests of ${base} blocking`, 'type: config_edit', 'action: remove_continue_on_error', file, `params: { jobs: [${wf.nonBlockingTests.map(quote).join(', ')}] }`],
      });
    }
    if (wf.noTimeout.length > 0) {
      tasks.push({
        comment: ['A hung job holds a runner for six hours without one; raise the minutes for slow jobs.'],
        lines: [`name: Time out the jobs of ${base}`, 'type: config_edit', 'action: set_timeout_minutes', file, 'params: { minutes: 30 }'],
      });
    }
    if (wf.noConcurrency) {
      tasks.push({
        comment: ['A new push cancels the run it makes stale. For a deploy workflow, set cancel_in_progress to false.'],
        lines: [`name: Cancel stale runs of ${base}`, 'type: config_edit', 'action: add_concurrency', file],
      });
    }
    if (wf.noPermissions) {
      tasks.push({
        comment: ['The token gets read access only; give jobs that publish, release or comment their own under params.jobs.'],
        lines: [`name: Least-privilege token for ${base}`, 'type: config_edit', 'action: set_permissions', file, 'params: { permissions: { contents: read } }'],
      });
    }
    if (wf.unpinned > 0) {
      tasks.push({
        comment: ['SHAs are looked up on GitHub when GITHUB_TOKEN or GH_TOKEN is set; without one, list them under', 'params.shas ("actions/checkout@v4": <40-digit SHA>). Until then the task is skipped.'],
        lines: [`name: Pin the actions of ${base} to commit SHAs`, 'type: config_edit', 'action: pin_actions', file],
      });
    }
    for (const task of tasks) {
      for (const comment of task.comment ?? []) lines.push(`          # ${comment}`);
      const [first, ...rest] = task.lines;
      lines.push(`          - id: ${id()}`, `            ${first}`, ...rest.map((line) => `            ${line}`));
    }
  });
  return lines;
}

function coveragePhase(facts: RepositoryFacts): string[] | undefined {
  const node = facts.node;
  const tasks: Task[] = [];
  if (node?.runner !== undefined && node.runnerConfig !== undefined) {
    const ext = node.language === 'typescript' ? '{ts,tsx}' : '{js,jsx,mjs,cjs}';
    const dir = node.sourceDir ?? '.';
    const include = dir === '.' ? `**/*.${ext}` : `${dir}/**/*.${ext}`;
    const file = `file: ${quote(node.runnerConfig)}`;
    tasks.push({
      comment: [`Coverage from every source file (not only those a test imports), with the summary a checkpoint reads.`],
      lines: [
        'name: Collect coverage from every source file',
        'type: config_edit',
        'action: expand_coverage_collection',
        file,
        `params: { include: [${quote(include)}], exclude: [${[...(node.language === 'typescript' ? [`${dir === '.' ? '' : `${dir}/`}**/*.d.ts`] : []), '**/node_modules/**'].map(quote).join(', ')}], reporters: [json-summary, lcov, text] }`,
      ],
    });
    if (!node.hasThresholds) {
      tasks.push({
        comment: ['No coverage threshold is configured. 50 is a placeholder: set it to the lines % the first', 'coverage run reports, so the build fails when coverage drops, then raise it as tests are added.'],
        lines: ['name: Keep coverage from dropping', 'type: config_edit', 'action: add_directory_thresholds', file, 'params: { thresholds: { global: { lines: 50 } } }'],
      });
    }
  }
  const lines: string[] = [];
  if (tasks.length > 0) {
    lines.push('  - id: 2', '    name: Coverage that cannot drop', '__DEPENDS__', '    groups:', '      - id: coverage', `        name: ${node!.runner === 'jest' ? 'Jest' : 'Vitest'} coverage`, '        tasks:');
    tasks.forEach((task, index) => {
      for (const comment of task.comment ?? []) lines.push(`          # ${comment}`);
      const [first, ...rest] = task.lines;
      lines.push(`          - id: "2.${index + 1}"`, `            ${first}`, ...rest.map((line) => `            ${line}`));
    });
    if (node!.testScript !== undefined) {
      lines.push('    # Checked after the phase (not in a dry run): the tests still pass with the new settings.', '    checkpoints:', `      - { name: tests pass, run: ${quote(scriptCommand(node!.packageManager, 'test'))} }`);
    }
  }
  const py = facts.python;
  if (py?.pytest && !py.hasCoverageMinimum) {
    const where = py.dir === '.' ? '' : ` in ${py.dir}/`;
    const note = [
      `# Python${where}: pytest runs with no coverage minimum, and no named action edits pytest's config yet.`,
      '# Add `--cov-fail-under=<lines %>` to the pytest command in the workflow (yaml_set on its `run`),',
      '# or a [tool.coverage.report] fail_under in pyproject.toml.',
    ];
    if (lines.length === 0) return note.map((line) => `  ${line}`);
    lines.push(...note.map((line) => `  ${line}`));
  }
  return lines.length === 0 ? undefined : lines;
}

/**
 * Phase 3: tests generated for the sources that have none, in the runner the
 * repository uses (Jest or Vitest; pytest for Python). Where the runner is
 * missing, a comment says what the task would be and what it needs.
 */
function testsPhase(facts: RepositoryFacts, dependsOn: number[]): string[] {
  const tasks: Task[] = [];
  const notes: string[] = [];
  const node = facts.node;
  const py = facts.python;
  const targets = (globs: string[]) => `targets: [${globs.map(quote).join(', ')}]`;
  const kept = 'only tests that pass and reach code are kept (20 s of trying per source; budget: changes it).';
  if (node !== undefined && node.testTargets.length > 0) {
    if (node.runner !== undefined && node.buildTakesEveryFile) {
      notes.push(
        'tsconfig.json compiles every .ts file (no "include"), so generated tests would land in the build. With',
        '"include": ["src"] (or the tests excluded), a phase with this task adds tests for the sources that have none:',
        `  - { id: "3.1", name: Generate tests for untested sources, type: test_generation, ${targets(node.testTargets)}, only_untested: true }`,
      );
    } else if (node.runner !== undefined) {
      tasks.push({
        comment: [`Each source without a test gets one, for ${node.runner === 'jest' ? 'Jest' : 'Vitest'}: its exports are called with values read from its code, and`, kept],
        lines: ['name: Generate tests for untested sources', 'type: test_generation', targets(node.testTargets), 'only_untested: true'],
      });
    } else {
      notes.push(
        `Generated tests are written for Jest or Vitest, and this repository uses neither${node.testScript ? ` (its tests: \`${node.testScript}\`)` : ''}.`,
        'With vitest or jest in devDependencies, a phase with this task adds tests for the sources that have none:',
        `  - { id: "3.1", name: Generate tests for untested sources, type: test_generation, ${targets(node.testTargets)}, only_untested: true }`,
      );
    }
  }
  if (py !== undefined && py.testTargets.length > 0) {
    if (py.pytest) {
      tasks.push({
        comment: ['Each Python module without a test gets a pytest file: its functions are called with values read from its code, and', kept],
        lines: ['name: Generate pytest tests for untested modules', 'type: test_generation', targets(py.testTargets), 'only_untested: true'],
      });
    } else {
      notes.push(
        'Generated Python tests are written for pytest, which this project does not name. With pytest installed, this task adds them:',
        `  - { id: "3.${tasks.length + 1}", name: Generate pytest tests for untested modules, type: test_generation, ${targets(py.testTargets)}, only_untested: true }`,
      );
    }
  }
  const lines: string[] = [];
  if (tasks.length > 0) {
    lines.push('  - id: 3', '    name: Tests where there are none');
    if (dependsOn.length > 0) lines.push(`    depends_on: [${dependsOn.join(', ')}]`);
    lines.push('    groups:', '      - id: tests', '        name: Generated tests', '        tasks:');
    tasks.forEach((task, index) => {
      for (const comment of task.comment ?? []) lines.push(`          # ${comment}`);
      const [first, ...rest] = task.lines;
      lines.push(`          - id: "3.${index + 1}"`, `            ${first}`, ...rest.map((line) => `            ${line}`));
    });
    const checks: string[] = [];
    if (node?.runner !== undefined && node.testTargets.length > 0 && node.testScript !== undefined) checks.push(`      - { name: tests pass, run: ${quote(scriptCommand(node.packageManager, 'test'))} }`);
    if (py?.pytest && py.testTargets.length > 0) checks.push(`      - { name: pytest passes, run: [python, -m, pytest]${py.dir === '.' ? '' : `, cwd: ${quote(py.dir)}`} }`);
    if (checks.length > 0) lines.push('    # Checked after the phase (not in a dry run): the whole suite passes with the new tests.', '    checkpoints:', ...checks);
  }
  lines.push(...notes.map((note) => `  # ${note}`));
  return lines;
}

function emptyPhase(node: NodeFacts | undefined): string[] {
  const task =
    node?.testScript !== undefined
      ? `{ id: "1.1", name: Run the tests, type: command, run: [${scriptCommand(node.packageManager, 'test').split(' ').map(quote).join(', ')}] }`
      : '{ id: "1.1", name: Show uncommitted changes, type: command, run: ["git", "status", "--short"] }';
  return [
    '  # Nothing here that a named action fixes: no workflow faults, no Jest or Vitest config to extend.',
    '  # One phase to start from; see docs/config-edit.md for the actions and README.md for the task types.',
    '  - id: 1',
    '    name: Start',
    '    groups:',
    '      - id: start',
    '        name: Start',
    '        tasks:',
    `          - ${task}`,
  ];
}

/** A group id from a workflow file name: letters, digits, '.', '_' and '-'. */
function groupId(base: string, index: number): string {
  const id = base.replace(/\.ya?ml$/, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return id === '' ? `workflow-${index + 1}` : id;
}

/** A YAML scalar, quoted when it would not read back as the same string. */
export function quote(value: string): string {
  return /^[A-Za-z0-9_./@-][A-Za-z0-9_./@ -]*$/.test(value) && !/^(true|false|null|yes|no|on|off|~|[-+]?\d[\d.]*)$/i.test(value) && !value.endsWith(' ') ? value : JSON.stringify(value);
}
