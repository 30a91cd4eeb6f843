// Test generation on real npm packages that nobody here wrote, measured by
// what the generated tests alone achieve. For each package, pinned to an
// exact version and fetched from the registry into a cache that later runs
// reuse (bench/.out/real-packages/):
//
//   1. a fresh project in the temporary directory (outside this repository,
//      so that no configuration of ours applies to it) holds the package's own
//      sources and README (never its tests), a package.json of the package's module type
//      with vitest, a tsconfig for TypeScript, node_modules linked to the
//      cache's, and a plan with one test_generation task over the sources; it
//      is a git repository with one commit, as a user's would be. The projects
//      stay there for reading until the next run;
//   2. the CLI runs the plan as a user runs it (`run --all --yes --reporter
//      plain`), timed, within a time limit;
//   3. vitest runs the generated tests, once plainly (timed: one run of the
//      suite) and once with v8 coverage over every source of the package;
//   4. for a few packages, Stryker mutates the sources and runs the generated
//      tests against each mutant.
//
// A package whose generation fails or times out is reported as such; the
// others still run. Targets come from the issue: median statements >= 60 %,
// branches >= 40 %, no failing test, generation <= 20x one run of the suite
// and <= 2 s per source. Figures also go to bench/.out/real-packages.json.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Test runner and mutation tester, installed once into the cache; vitest matches the repository's own. */
const TOOLCHAIN = {
  vitest: '4.1.12',
  '@vitest/coverage-v8': '4.1.12',
  '@stryker-mutator/core': '9.6.1',
  '@stryker-mutator/vitest-runner': '9.6.1',
};

/**
 * The packages: small-to-medium libraries of pure functions and classes, no
 * dependencies, no network or DOM. `sources` are paths in the tarball; one
 * ending in `/` is walked for source files (tests and .d.ts left out).
 * `mutate` marks the packages Stryker runs on: small enough to stay bounded.
 */
export const PACKAGES = [
  { name: 'ts-dedent', version: '2.3.0', kind: 'TS', sources: ['src/index.ts'], mutate: true },
  { name: 'tiny-invariant', version: '1.3.3', kind: 'TS', sources: ['src/tiny-invariant.ts'], mutate: true },
  { name: '@scure/base', version: '2.4.0', kind: 'TS', sources: ['index.ts'] },
  { name: '@msgpack/msgpack', version: '3.1.3', kind: 'TS', sources: ['src/'] },
  { name: 'pretty-bytes', version: '7.2.0', kind: 'ESM', sources: ['index.js'], mutate: true },
  { name: 'camelcase', version: '10.0.0', kind: 'ESM', sources: ['index.js'] },
  { name: 'quick-lru', version: '7.3.0', kind: 'ESM', sources: ['index.js'] },
  { name: 'ms', version: '2.1.3', kind: 'CJS', sources: ['index.js'], mutate: true },
  { name: 'bytes', version: '3.1.2', kind: 'CJS', sources: ['index.js'], mutate: true },
  { name: 'cookie', version: '0.7.2', kind: 'CJS', sources: ['index.js'] },
  { name: 'content-type', version: '1.0.5', kind: 'CJS', sources: ['index.js'] },
];

const GOALS = { statements: 60, branches: 40, suiteRatio: 20, secondsPerSource: 2 };
/** Published medians over npm packages, for comparison (see docs/test-generation.md). */
const ANCHORS = { statements: 'TestPilot 70.2 %, Nessie 51.3 %', branches: 'TestPilot 52.8 %, Nessie 25.6 %' };
const LIMITS_MS = { install: 300_000, generation: 420_000, suite: 180_000, mutation: 420_000 };
const SOURCE_EXT = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const NOT_SOURCE = /(\.d\.[mc]?ts$|\.(test|spec)\.|(^|\/)(__tests__|test|tests)\/)/;

/**
 * Run the part. `h` holds run.mjs's helpers and paths (section, addSummary,
 * median, fmt, verdict, results, out, cliBin) and the command line's
 * `--packages a,b` filter and `--no-mutation` switch.
 */
export async function realPackagesBench(h) {
  const cache = path.join(h.out, 'real-packages');
  const unknown = (h.packages ?? []).filter((name) => !PACKAGES.some((p) => p.name === name));
  if (unknown.length) throw new Error(`--packages: no package named ${unknown.join(', ')}; the packages are ${PACKAGES.map((p) => p.name).join(', ')}`);
  const selected = h.packages ? PACKAGES.filter((p) => h.packages.includes(p.name)) : PACKAGES;
  h.section(`7. Test generation on ${selected.length} real npm packages (cache ${path.relative(h.repo, cache)})`);
  const started = performance.now();
  await installToolchain(cache);
  const projects = path.join(os.tmpdir(), 'orchestrate-bench-real-packages');
  fs.rmSync(projects, { recursive: true, force: true });
  console.log(`  projects in ${projects} (kept until the next run)`);
  const rows = [];
  for (const pkg of selected) {
    const project = path.join(projects, safeName(pkg.name));
    const row = await measurePackage(pkg, { cache, project, cliBin: h.cliBin, mutation: h.mutation !== false && pkg.mutate === true });
    rows.push(row);
    console.log(`  ${progressLine(row, h.fmt)}`);
  }
  printTable(rows, h);
  // A package that failed or timed out counts as covering nothing.
  const med = (k) => (rows.length ? h.median(rows.map((r) => r.coverage?.[k] ?? 0)) : 0);
  const medians = { statements: med('statements'), branches: med('branches') };
  const failing = rows.reduce((n, r) => n + (r.suite?.failed ?? 0), 0);
  console.log(
    `  medians over ${rows.length} packages: statements ${h.fmt(medians.statements)} %, branches ${h.fmt(medians.branches)} %` +
      ` (goal >= ${GOALS.statements} % / >= ${GOALS.branches} %; for comparison, statements ${ANCHORS.statements}; branches ${ANCHORS.branches})`,
  );
  const broken = rows.filter((r) => r.error || r.generation.status !== 'ok').map((r) => `${r.name} (${r.error ? 'error' : r.generation.status})`);
  if (broken.length) console.log(`  generation did not complete for: ${broken.join(', ')}`);
  const total = (performance.now() - started) / 1000;
  console.log(`  part took ${h.fmt(total)} s`);
  h.addSummary('7. real packages: median statements', ANCHORS.statements, `${h.fmt(medians.statements)} %`, '-', `>= ${GOALS.statements} %`, medians.statements >= GOALS.statements);
  h.addSummary('7. real packages: median branches', ANCHORS.branches, `${h.fmt(medians.branches)} %`, '-', `>= ${GOALS.branches} %`, medians.branches >= GOALS.branches);
  h.addSummary('7. real packages: failing generated tests', '-', String(failing), '-', '0', failing === 0);
  h.addSummary('7. real packages: generation completed', `${rows.length} packages`, String(rows.length - broken.length), '-', `${rows.length}`, broken.length === 0);
  const commit = await runProcess(['git', 'rev-parse', '--short', 'HEAD'], { cwd: h.repo, timeoutMs: 10_000 });
  const report = { date: new Date().toISOString(), commit: commit.stdout.trim(), machine: h.results.machine, goals: GOALS, toolchain: TOOLCHAIN, medians, failing, seconds: total, packages: rows };
  h.results.benchmarks.realPackages = report;
  const file = path.join(h.out, 'real-packages.json');
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`  figures in ${path.relative(h.repo, file)}`);
}

// --- one package ----------------------------------------------------------------

async function measurePackage(pkg, { cache, project, cliBin, mutation }) {
  const row = { name: pkg.name, version: pkg.version, kind: pkg.kind, sources: [], generation: { status: 'not run' } };
  try {
    const unpacked = await fetchPackage(pkg, cache);
    row.sources = makeProject(pkg, unpacked, project, cache);
    row.generation = await generate(project, cliBin);
    row.tests = generatedTests(project);
    row.todo = row.tests.reduce((n, f) => n + (fs.readFileSync(path.join(project, f), 'utf8').match(/\b(?:it|test)\.todo\(/g)?.length ?? 0), 0);
    if (row.generation.status === 'timed out') return row;
    row.suite = await runSuite(project, cache, row.tests);
    row.coverage = await measureCoverage(project, cache, row.sources);
    if (mutation) row.mutation = await mutationScore(project, cache, row.sources, row.tests);
  } catch (error) {
    row.error = String(error?.message ?? error).split('\n').slice(0, 6).join('\n');
  }
  return row;
}

/** Install the toolchain into the cache once; a later run with the same versions reuses it. */
async function installToolchain(cache) {
  fs.mkdirSync(cache, { recursive: true });
  const manifest = { name: 'real-packages-toolchain', private: true, devDependencies: TOOLCHAIN };
  const file = path.join(cache, 'package.json');
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  const installed = fs.existsSync(path.join(cache, 'node_modules', '@stryker-mutator', 'vitest-runner'));
  if (installed && fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return;
  fs.writeFileSync(file, text);
  console.log('  installing vitest, @vitest/coverage-v8 and Stryker into the cache (once)');
  await mustRun(['npm', 'install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: cache, timeoutMs: LIMITS_MS.install });
}

/** The package's tarball, unpacked once into the cache. */
async function fetchPackage(pkg, cache) {
  const dir = path.join(cache, 'packages', `${safeName(pkg.name)}@${pkg.version}`);
  if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  const tarballs = path.join(cache, 'tarballs');
  fs.mkdirSync(tarballs, { recursive: true });
  const packed = await mustRun(['npm', 'pack', `${pkg.name}@${pkg.version}`, '--json', '--pack-destination', tarballs, '--loglevel=error'], { cwd: cache, timeoutMs: LIMITS_MS.install });
  const tarball = path.join(tarballs, JSON.parse(packed.stdout)[0].filename);
  const partial = `${dir}.partial`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  await mustRun(['tar', 'xzf', tarball, '-C', partial, '--strip-components', '1'], { timeoutMs: 60_000 });
  fs.renameSync(partial, dir);
  return dir;
}

/** A fresh git repository with the package's sources and a plan; returns the sources, relative. */
function makeProject(pkg, unpacked, project, cache) {
  fs.rmSync(project, { recursive: true, force: true });
  fs.mkdirSync(project, { recursive: true });
  const sources = pkg.sources.flatMap((s) => (s.endsWith('/') ? walk(unpacked, s) : [s])).sort();
  if (sources.length === 0) throw new Error(`no sources matched ${pkg.sources.join(', ')}`);
  for (const rel of sources) {
    fs.mkdirSync(path.dirname(path.join(project, rel)), { recursive: true });
    fs.copyFileSync(path.join(unpacked, rel), path.join(project, rel));
  }
  // The README the package ships, as its repository has it: the usage examples a user reads (never its tests).
  for (const name of fs.readdirSync(unpacked).filter((n) => /^readme(\.(md|markdown))?$/i.test(n))) fs.copyFileSync(path.join(unpacked, name), path.join(project, name));
  const manifest = {
    // The package's own name, as its repository has it: a README calls the default export by it (`ms('2 days')`).
    name: pkg.name,
    version: '0.0.0',
    private: true,
    type: pkg.kind === 'CJS' ? 'commonjs' : 'module',
    scripts: { test: 'vitest run' },
    devDependencies: { vitest: TOOLCHAIN.vitest, '@vitest/coverage-v8': TOOLCHAIN['@vitest/coverage-v8'] },
  };
  write(project, 'package.json', `${JSON.stringify(manifest, null, 2)}\n`);
  if (pkg.kind === 'TS') {
    const compilerOptions = {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      strict: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      skipLibCheck: true,
      lib: ['ES2022', 'DOM'],
    };
    write(project, 'tsconfig.json', `${JSON.stringify({ compilerOptions, include: ['**/*.ts'] }, null, 2)}\n`);
  }
  fs.symlinkSync(path.join(cache, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  write(project, '.gitignore', ['node_modules', 'coverage/', '.orchestrate/', 'reports/', '.stryker-tmp/', 'vitest-results.json', ''].join('\n'));
  write(
    project,
    'phases.yaml',
    [
      'version: 1',
      `project: { name: ${JSON.stringify(pkg.name)} }`,
      'phases:',
      '  - id: 1',
      '    name: Tests',
      '    groups:',
      '      - id: a',
      '        name: Generated tests',
      '        tasks:',
      '          - id: "1.1"',
      `            name: Tests for ${pkg.name}`,
      '            type: test_generation',
      '            timeout: 30m',
      `            targets: ${JSON.stringify(sources)}`,
      '',
    ].join('\n'),
  );
  return sources;
}

/** The CLI, as a user runs it, on a committed tree. */
async function generate(project, cliBin) {
  const git = (...args) => mustRun(['git', '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], { cwd: project, timeoutMs: 60_000 });
  await git('init', '-q');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'sources');
  const argv = [process.execPath, cliBin, 'run', '--all', '--yes', '--reporter', 'plain', '--config', 'phases.yaml', '--cwd', project];
  const r = await runProcess(argv, { cwd: project, timeoutMs: LIMITS_MS.generation });
  const status = r.timedOut ? 'timed out' : r.code === 0 ? 'ok' : `failed (exit ${r.code ?? r.signal})`;
  // The task's own line says what it wrote: "1.1    changed  wrote 3 files ..." or why it failed.
  const outcome = r.stdout.split('\n').filter((l) => /^\S+\s+1\.1\s+(changed|unchanged|failed|skipped)/.test(l)).map((l) => l.replace(/^\S+\s+1\.1\s+/, ''));
  return { status, seconds: r.ms / 1000, outcome: outcome.join(' | ').slice(0, 400), ...(status === 'ok' ? {} : { output: tail(r.stdout + r.stderr) }) };
}

/** Test files the run left in the tree (the project's only tests). */
function generatedTests(project) {
  return walk(project, '').filter((f) => /\.(test|spec)\.[cm]?[jt]sx?$/.test(f) && !f.startsWith('.stryker-tmp/'));
}

/**
 * One plain run of the generated suite: its time, and its tests passing,
 * failing and todo. A suite that ran nothing it reported counts each test file
 * as a failure, so that a crash never reads as "0 failing".
 */
async function runSuite(project, cache, tests) {
  const results = path.join(project, 'vitest-results.json');
  const r = await runProcess([process.execPath, vitestBin(cache), 'run', '--passWithNoTests', '--reporter=json', `--outputFile=${results}`], { cwd: project, timeoutMs: LIMITS_MS.suite });
  const json = fs.existsSync(results) ? JSON.parse(fs.readFileSync(results, 'utf8')) : undefined;
  return {
    seconds: r.ms / 1000,
    exit: r.timedOut ? 'timed out' : r.code,
    passed: json?.numPassedTests ?? 0,
    failed: json ? json.numFailedTests + suiteErrors(json) : tests.length,
    todo: json?.numTodoTests ?? 0,
    ...(r.code !== 0 || !json ? { output: tail(r.stdout + r.stderr) } : {}),
  };
}

/** Files that failed as a whole (an import error) with no failing test to count: one failure each. */
function suiteErrors(json) {
  return (json.testResults ?? []).filter((s) => s.status === 'failed' && !(s.assertionResults ?? []).some((a) => a.status === 'failed')).length;
}

/** Statement and branch coverage of the generated tests over every source of the package. */
async function measureCoverage(project, cache, sources) {
  const dir = path.join(project, 'coverage');
  fs.rmSync(dir, { recursive: true, force: true });
  const argv = [
    process.execPath,
    vitestBin(cache),
    'run',
    '--passWithNoTests',
    '--coverage.enabled',
    '--coverage.provider=v8',
    '--coverage.reporter=json-summary',
    `--coverage.reportsDirectory=${dir}`,
    ...sources.map((s) => `--coverage.include=${s}`),
  ];
  const r = await runProcess(argv, { cwd: project, timeoutMs: LIMITS_MS.suite });
  const file = path.join(dir, 'coverage-summary.json');
  if (!fs.existsSync(file)) {
    // No test file at all: nothing ran, so nothing is covered.
    if (generatedTests(project).length === 0) return { statements: 0, branches: 0, functions: 0, lines: 0, note: 'no tests' };
    throw new Error(`coverage run wrote no summary (exit ${r.code ?? r.signal}):\n${tail(r.stdout + r.stderr)}`);
  }
  const total = JSON.parse(fs.readFileSync(file, 'utf8')).total;
  const pct = (k) => (typeof total[k].pct === 'number' ? total[k].pct : 0);
  return { statements: pct('statements'), branches: pct('branches'), functions: pct('functions'), lines: pct('lines'), totals: total };
}

/** Stryker's mutation score of the generated tests, (killed + timeout) / (killed + timeout + survived + no coverage). */
async function mutationScore(project, cache, sources, tests) {
  if (tests.length === 0) return { score: 0, note: 'no tests: every mutant survives' };
  const config = {
    $schema: './node_modules/@stryker-mutator/core/schema/stryker-schema.json',
    testRunner: 'vitest',
    mutate: sources,
    reporters: ['json'],
    jsonReporter: { fileName: 'reports/mutation.json' },
    concurrency: 2,
    coverageAnalysis: 'perTest',
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
    timeoutMS: 10_000,
  };
  write(project, 'stryker.config.json', `${JSON.stringify(config, null, 2)}\n`);
  const report = path.join(project, 'reports', 'mutation.json');
  fs.rmSync(report, { force: true });
  const stryker = path.join(cache, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
  const r = await runProcess([process.execPath, stryker, 'run', 'stryker.config.json'], { cwd: project, timeoutMs: LIMITS_MS.mutation });
  if (!fs.existsSync(report)) return { score: null, seconds: r.ms / 1000, error: r.timedOut ? 'timed out' : tail(r.stdout + r.stderr) };
  const counts = {};
  for (const file of Object.values(JSON.parse(fs.readFileSync(report, 'utf8')).files)) {
    for (const m of file.mutants) counts[m.status] = (counts[m.status] ?? 0) + 1;
  }
  const n = (k) => counts[k] ?? 0;
  const detected = n('Killed') + n('Timeout');
  const valid = detected + n('Survived') + n('NoCoverage');
  return { score: valid ? (100 * detected) / valid : 0, seconds: r.ms / 1000, counts };
}

// --- output -----------------------------------------------------------------------

function progressLine(row, fmt) {
  const g = row.generation;
  const what = row.error ? `error: ${row.error.split('\n')[0]}` : `${g.status}, ${fmt(g.seconds ?? 0)} s; ${g.outcome || '(no outcome line)'}`;
  return `${row.name}@${row.version}: ${what}`;
}

function printTable(rows, h) {
  const pct = (v) => (v === undefined || v === null ? '-' : `${h.fmt(v)}`);
  const header = ['package', 'kind', 'src', 'stmts %', 'branch %', 'pass', 'fail', 'todo', 'gen s', 'gen/suite (<=20x)', 's/source (<=2)', 'mutation %'];
  const body = rows.map((r) => {
    const g = r.generation;
    const suite = r.suite?.seconds;
    // With no test to run, "one run of the suite" is vitest finding nothing: no ratio.
    const ran = (r.suite?.passed ?? 0) + (r.suite?.failed ?? 0) > 0;
    const ratio = ran && suite && g.seconds !== undefined ? g.seconds / suite : undefined;
    const perSource = g.seconds !== undefined && r.sources.length ? g.seconds / r.sources.length : undefined;
    r.ratio = ratio;
    r.secondsPerSource = perSource;
    return [
      `${r.name}@${r.version}${g.status === 'ok' ? '' : ` (${g.status})`}${r.error ? ' (error)' : ''}`,
      r.kind,
      String(r.sources.length),
      pct(r.coverage?.statements),
      pct(r.coverage?.branches),
      r.suite ? String(r.suite.passed) : '-',
      r.suite ? String(r.suite.failed) : '-',
      r.todo === undefined ? '-' : String(r.todo),
      g.seconds === undefined ? '-' : h.fmt(g.seconds),
      ratio === undefined ? '-' : `${h.x(ratio)} ${h.verdict(ratio <= GOALS.suiteRatio)}`,
      perSource === undefined ? '-' : `${h.fmt(perSource)} ${h.verdict(perSource <= GOALS.secondsPerSource)}`,
      r.mutation ? (r.mutation.score === null ? 'error' : `${h.fmt(r.mutation.score)}${r.mutation.note ? ' (no tests)' : ''}`) : '-',
    ];
  });
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  console.log('');
  for (const row of all) console.log(`  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')}`);
  for (const r of rows) {
    if (r.error) console.log(`  ${r.name}: ${r.error}`);
    else if (r.generation.output) console.log(`  ${r.name}: generation ${r.generation.status}:\n${indent(r.generation.output)}`);
    if (r.suite?.failed) console.log(`  ${r.name}: ${r.suite.failed} failing:\n${indent(r.suite.output ?? '')}`);
    if (r.mutation?.error) console.log(`  ${r.name}: Stryker: ${r.mutation.error.split('\n').slice(-3).join(' / ')}`);
  }
}

// --- processes and files ------------------------------------------------------------

/**
 * Run a command in its own process group, so that a time limit ends it and
 * everything it started (vitest workers, Stryker's runners).
 */
function runProcess([command, ...args], { cwd, timeoutMs, env = {} } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env } });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout, stderr: `${stderr}${error.message}`, ms: performance.now() - started, timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(child.pid); // whatever the command left running
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started, timedOut });
    });
  });
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group has already gone
  }
}

async function mustRun(argv, options) {
  const r = await runProcess(argv, options);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} ${r.timedOut ? 'timed out' : `exited ${r.code ?? r.signal}`}:\n${tail(r.stderr || r.stdout)}`);
  return r;
}

function vitestBin(cache) {
  return path.join(cache, 'node_modules', 'vitest', 'vitest.mjs');
}

/** Source files under `dir` of `root`, relative to root, tests and declarations left out. */
function walk(root, dir) {
  const found = [];
  const visit = (rel) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel ? `${rel.replace(/\/$/, '')}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!['node_modules', '.git', 'coverage', '.stryker-tmp', '.orchestrate'].includes(entry.name)) visit(child);
      } else if (SOURCE_EXT.test(entry.name) && !(dir !== '' && NOT_SOURCE.test(child))) found.push(child);
    }
  };
  visit(dir);
  return found.sort();
}

function write(dir, rel, text) {
  fs.writeFileSync(path.join(dir, rel), text);
}

function safeName(name) {
  return name.replace(/^@/, '').replace(/\//g, '-');
}

function tail(text, lines = 15) {
  return text.trim().split('\n').slice(-lines).join('\n');
}

function indent(text) {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
