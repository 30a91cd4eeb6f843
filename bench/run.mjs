// `npm run bench`: measures orchestrate against baselines taken in the same
// run, on the same machine, and prints each figure with its ratio, its target
// and whether the target is met. Every figure is the median of several
// repetitions, interleaved with its baseline's so that a busy moment of the
// machine falls on both. Results also go to bench/.out/results.json.
//
//   1. CLI start-up: `plan`, `validate` and `status` against `node -e 0`, and
//      which modules the `plan` path loads (the heavy ones must not load).
//   2. Engine overhead: 10,000 no-op tasks through `execute` with a real
//      Workspace and StateStore, against empty calls under p-limit.
//   3. 1,000 `true` commands at concurrency 2, through the CLI and through
//      `execute`, against `xargs -P2` and a bare spawn loop.
//   4. Makespan of a DAG of timer tasks against its lower bound.
//   5. Time to the first frame of the live tree (bench/first-frame.mjs)
//      against `node -e ''`, both in a pseudo-terminal.
//   5b. `run --all --dry-run` of the whole roadmap (config/phases.yaml) on the
//      demo, every diff rendered, against its target time.
//   6. Test generation for 1,000 TypeScript files (bench/test-generation.mjs)
//      against a raw parse of the same files with the TypeScript compiler API.
//   8. Fleet: `fleet run` over 50 local repositories at concurrency 4
//      (bench/fleet.mjs) against the sum of 50 single runs.
//   7. Only with `--only real-packages`: what the generated tests achieve on
//      real npm packages (bench/real-packages.mjs): coverage, failing tests,
//      generation time, mutation score.
//
// The CLI measured is a private build in bench/.out/cli made with the build
// script's own buildCli: dist/ is rebuilt by every `npm test`, and a build
// running beside the bench would remove chunks under a running CLI.
// The in-process benchmarks live in bench/engine.ts, bundled to
// bench/.out/engine.mjs and run one measurement per fresh process.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { buildCli } from '../scripts/build.mjs';
import { firstFrame } from './first-frame.mjs';
import { fleetBench } from './fleet.mjs';
import { realPackagesBench } from './real-packages.mjs';
import { testGenerationBench } from './test-generation.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(benchDir);
const out = path.join(benchDir, '.out');
const cliDir = path.join(out, 'cli');
const cliBin = path.join(cliDir, 'bin', 'orchestrate.js');
const engineBundle = path.join(out, 'engine.mjs');

const REPS = { startup: 11, loadPlan: 5, overhead: 5, commands: 5, commandDiagnostics: 3, dag: 3, dryRun: 3 };
/** The issue's targets, in one place: every figure prints against its own. */
const TARGET = { startupRatio: 1.5, overheadMsPerTask: 0.1, commandsRatio: 1.0, dagRatio: 1.05, dryRunMs: 2000 };
const OVERHEAD = { tasks: 10_000, groups: 100, phases: 4, concurrency: 4 };
const COMMANDS = { tasks: 1_000, groups: 10, concurrency: 2 };
/** Children per diagnostic run: enough for stable per-child figures, half the time. */
const DIAGNOSTIC_TASKS = 500;
const HEAVY = ['ink', 'react', 'ts-morph', 'prettier', 'typescript', 'yoga-layout', '@octokit/'];

const benchStarted = performance.now();
const summary = [];
const results = { machine: machine(), benchmarks: {} };
const bundledCache = new Map();

// --- set-up -----------------------------------------------------------------

function machine() {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  return {
    date: new Date().toISOString(),
    cpus: os.availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

function printMachine(m) {
  console.log(`orchestrate benchmarks, ${m.date}`);
  console.log(`${m.cpus} CPUs (${m.cpuModel}), node ${m.node}, ${m.platform}, load average ${m.loadAverage.join(' ')} at start`);
}

/** Build the private CLI copy and the engine bundle. */
async function prepare() {
  fs.rmSync(cliDir, { recursive: true, force: true });
  fs.mkdirSync(path.join(cliDir, 'bin'), { recursive: true });
  fs.copyFileSync(path.join(repo, 'bin', 'orchestrate.js'), cliBin);
  // The built-in templates are found beside the CLI, as in the package.
  fs.symlinkSync(path.join(repo, 'templates'), path.join(cliDir, 'templates'));
  // The same bundle as dist/, built with the same function.
  await buildCli(path.join(cliDir, 'dist'));
  await build({
    entryPoints: [path.join(benchDir, 'engine.ts')],
    outfile: engineBundle,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    // Dependencies bundled as in the CLI, so that in-process figures compare with it.
    banner: {
      js: [
        "import { createRequire as __benchCreateRequire } from 'node:module';",
        "import { fileURLToPath as __benchFileUrlToPath } from 'node:url';",
        'const require = __benchCreateRequire(import.meta.url);',
        // write-file-atomic names its temp files from __filename.
        'const __filename = __benchFileUrlToPath(import.meta.url);',
      ].join('\n'),
    },
    logLevel: 'warning',
  });
}

// --- 1. start-up --------------------------------------------------------------

function startup() {
  const config = path.join(repo, 'config', 'phases.yaml');
  const cliUrl = pathToFileURL(path.join(cliDir, 'dist', 'cli.js')).href;
  const importOf = (specifier) => [process.execPath, '-e', `import(${JSON.stringify(specifier)})`];
  const variants = {
    baseline: [process.execPath, '-e', '0'],
    // Module loading alone: the entry and what it imports statically, without running main.
    entry: importOf(cliUrl),
    plan: [process.execPath, cliBin, 'plan', '--config', config],
    validate: [process.execPath, cliBin, 'validate', '--config', config],
    status: [process.execPath, cliBin, 'status', '--config', config],
    // For scale: the big dependencies imported unbundled from node_modules.
    yargs: importOf('yargs'),
    yaml: importOf('yaml'),
    zod: importOf('zod'),
  };
  for (const argv of Object.values(variants)) run(argv, { cwd: repo }); // warm the file cache; fail early on errors
  const times = sample(REPS.startup, variants, (argv) => timed(argv, { cwd: repo }));
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  const loads = Array.from({ length: REPS.loadPlan }, () => engine('loadPlan', { config }));
  const load = { firstMs: median(loads.map((l) => l.firstMs)), secondMs: median(loads.map((l) => l.secondMs)), tasks: loads[0].tasks, bytes: fs.statSync(config).size };

  const probe = {
    control: probeLoads([process.execPath, '--input-type=module', '-e', "try { await import('ink') } catch {}"]),
    plan: probeLoads(variants.plan),
    validate: probeLoads(variants.validate),
  };
  const controlWorks = probe.control.heavy.includes('ink');
  const heavyFree = controlWorks && probe.plan.heavy.length === 0 && probe.validate.heavy.length === 0;

  section(`1. CLI start-up (median of ${REPS.startup} spawns each, interleaved; [min-max])`);
  line('baseline', 'node -e 0', times.baseline);
  line('modules', 'node -e "import(\'dist/cli.js\')" (bundle load only)', times.entry, `+${fmt(m.entry - m.baseline)} ms over node alone`);
  for (const name of ['plan', 'validate', 'status']) {
    const ratio = m[name] / m.baseline;
    const met = ratio <= TARGET.startupRatio;
    line('ours', `orchestrate ${name} --config config/phases.yaml`, times[name], `${x(ratio)}  target <= ${TARGET.startupRatio}x  ${verdict(met)}`);
    addSummary(`1. start-up: ${name}`, `node -e 0: ${fmt(m.baseline)} ms`, `${fmt(m[name])} ms`, x(ratio), `<= ${TARGET.startupRatio}x`, met);
  }
  for (const pkg of ['yargs', 'yaml', 'zod']) line('scale', `node -e "import('${pkg}')" (unbundled, node_modules)`, times[pkg], `+${fmt(m[pkg] - m.baseline)} ms over node alone`);
  console.log(
    `  plan, ${fmt(m.plan)} ms: node itself ${fmt(m.baseline)}, loading the bundle +${fmt(m.entry - m.baseline)}, running the command +${fmt(m.plan - m.entry)};` +
      ` of which loading the plan file (${load.bytes.toLocaleString('en')} bytes, ${load.tasks} tasks: read, YAML with positions, zod, graph checks, resolve)` +
      ` takes ${fmt(load.firstMs)} ms cold and ${fmt(load.secondMs)} ms warm when timed in process (median of ${REPS.loadPlan})`,
  );
  console.log(`  validate - plan = ${signed(m.validate - m.plan)} ms (a warm loadPlan is ${fmt(load.secondMs)} ms)`);
  console.log(`  packages whose code plan loads: ${probe.plan.packages.join(', ') || '(none found)'}`);
  console.log(`  packages whose code validate loads: ${probe.validate.packages.join(', ') || '(none found)'}`);
  console.log(
    `  heavy modules (${HEAVY.join(', ')}) asked for by plan: ${probe.plan.heavy.join(', ') || 'none'}; by validate: ${probe.validate.heavy.join(', ') || 'none'}` +
      ` (probe self-check: a control import of ink ${controlWorks ? 'was seen' : 'was NOT seen, so this result means nothing'})`,
  );
  addSummary('1. plan/validate load no heavy module', 'ink, ts-morph, prettier, @octokit...', probe.plan.heavy.concat(probe.validate.heavy).join(', ') || 'none', '-', 'none', heavyFree);
  results.benchmarks.startup = { medianMs: m, samplesMs: times, loadPlan: load, probe };
}

/**
 * Run a command with probe-loaded.mjs and say what it asked for: heavy
 * packages by import or require, and which packages' code it loaded (from the
 * source maps of the bundle chunks it loaded, since the bundle inlines them).
 */
function probeLoads(argv) {
  const file = path.join(out, `probe-${process.pid}.txt`);
  fs.rmSync(file, { force: true });
  const [node, ...args] = argv;
  run([node, '--import', path.join(benchDir, 'probe-loaded.mjs'), ...args], { env: { ...process.env, ORCHESTRATE_BENCH_PROBE: file } });
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n') : [];
  fs.rmSync(file, { force: true });
  const asked = new Set();
  const packages = new Set();
  for (const entry of lines) {
    const [specifier = '', url = ''] = entry.split('\t');
    asked.add(specifier);
    const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
    if (pkg) {
      asked.add(pkg);
      packages.add(pkg);
    }
    if (url.startsWith('file://') && url.includes('/.out/cli/dist/')) {
      for (const bundled of bundledPackages(fileURLToPath(url))) packages.add(bundled);
    }
  }
  // Ink, React and yoga are bundled into a chunk: count what the loaded chunks hold, not only what was imported.
  const seen = [...asked, ...packages];
  const heavy = HEAVY.filter((name) => seen.some((s) => (name.endsWith('/') ? s.startsWith(name) : s === name || s.startsWith(`${name}/`))));
  return { heavy, packages: [...packages].sort() };
}

function bundledPackages(file) {
  if (!bundledCache.has(file)) {
    let sources = [];
    try {
      sources = JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')).sources ?? [];
    } catch {
      // no source map: the chunk's packages stay unknown
    }
    const names = sources.map((s) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(s)?.[1]).filter(Boolean);
    bundledCache.set(file, [...new Set(names)]);
  }
  return bundledCache.get(file);
}

// --- 2. engine overhead ---------------------------------------------------------

function engineOverhead() {
  const n = OVERHEAD.tasks;
  const variants = {
    baseline: ['plimit', { tasks: n, concurrency: OVERHEAD.concurrency }],
    engineOnly: ['overhead', { ...OVERHEAD, persist: false }],
    ours: ['overhead', { ...OVERHEAD, persist: true }],
  };
  const runs = sample(REPS.overhead, variants, ([name, options]) => engine(name, options));
  const ms = (k) => median(runs[k].map((r) => r.ms));
  const [baseline, engineOnly, ours] = [ms('baseline'), ms('engineOnly'), ms('ours')];
  const perTask = (ours - baseline) / n;
  const perTaskEngine = (engineOnly - baseline) / n;
  const persisted = runs.ours;
  const pick = (f) => median(persisted.map(f));
  const store = {
    recordMs: pick((r) => r.storeMs),
    logWrites: pick((r) => r.logWrites.calls),
    logWriteMs: pick((r) => r.logWrites.ms),
    snapshotSaves: pick((r) => r.snapshotSaves.calls),
    snapshotSaveWriteMs: pick((r) => r.snapshotSaves.ms),
    stringifyOnceMs: pick((r) => r.replay.stringifyOnceMs),
    foldMs: pick((r) => r.replay.foldMs),
    stateBytes: pick((r) => r.stateBytes),
    logBytes: pick((r) => r.logBytes),
  };
  const saveMs = store.snapshotSaveWriteMs + store.snapshotSaves * store.stringifyOnceMs;
  const rest = store.recordMs - store.logWriteMs - saveMs - store.foldMs;

  section(`2. Engine overhead: ${n.toLocaleString('en')} no-op tasks, ${OVERHEAD.groups} parallel groups in ${OVERHEAD.phases} phases, concurrency ${OVERHEAD.concurrency} (median of ${REPS.overhead}, fresh process each)`);
  line('baseline', `${n.toLocaleString('en')} empty async calls under p-limit(${OVERHEAD.concurrency})`, samplesOf(runs.baseline), `${fmt((baseline / n) * 1000)} us per call`);
  line('ours', 'execute + Workspace + StateStore (every event)', samplesOf(runs.ours), `${x(ours / baseline)}; overhead ${fmt4(perTask)} ms per task  target <= ${TARGET.overheadMsPerTask} ms  ${verdict(perTask <= TARGET.overheadMsPerTask)}`);
  line('engine', 'execute + Workspace, events dropped (no state)', samplesOf(runs.engineOnly), `overhead ${fmt4(perTaskEngine)} ms per task`);
  console.log(
    `  StateStore.record and flush: ${fmt(store.recordMs)} ms in all (${fmt4(store.recordMs / n)} ms per task): log writes ${fmt(store.logWriteMs)} ms (${store.logWrites.toLocaleString('en')} batches, ${mb(store.logBytes)});` +
      ` state.json saves ~${fmt(saveMs)} ms (${store.snapshotSaves} saves of up to ${mb(store.stateBytes)}: ${fmt(store.snapshotSaveWriteMs)} ms in writeFileAtomic.sync in all, plus ~${fmt(store.stringifyOnceMs)} ms of JSON.stringify per save);` +
      ` folding events ${fmt(store.foldMs)} ms (replayed alone); the rest ${fmt(rest)} ms (serialising events to lines, GC, bookkeeping)`,
  );
  console.log(`  persistence is ${fmt((100 * store.recordMs) / (ours - baseline))} % of the overhead; the engine alone is ${fmt4(perTaskEngine)} ms per task`);
  addSummary(`2. engine overhead, ${n / 1000}k no-op tasks, state persisted`, `p-limit: ${fmt(baseline)} ms`, `${fmt(ours)} ms`, `${fmt4(perTask)} ms/task`, `<= ${TARGET.overheadMsPerTask} ms/task`, perTask <= TARGET.overheadMsPerTask);
  addSummary(`2. engine overhead, ${n / 1000}k no-op tasks, no state (information)`, `p-limit: ${fmt(baseline)} ms`, `${fmt(engineOnly)} ms`, `${fmt4(perTaskEngine)} ms/task`, `<= ${TARGET.overheadMsPerTask} ms/task`, perTaskEngine <= TARGET.overheadMsPerTask);
  results.benchmarks.engineOverhead = { baselineMs: baseline, oursMs: ours, engineOnlyMs: engineOnly, perTaskMs: perTask, perTaskEngineOnlyMs: perTaskEngine, store, runs };
}

// --- 3. command tasks -------------------------------------------------------------

function commands() {
  const { tasks, concurrency } = COMMANDS;
  const template = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-bench-plan-'));
  engine('writePlan', { ...COMMANDS, file: path.join(template, 'phases.yaml') });
  const variants = {
    xargs: () => ({ ms: timed(['sh', '-c', `seq ${tasks} | xargs -P${concurrency} -n1 true`]) }),
    bare: () => engine('spawnLoop', { how: 'bare', tasks, concurrency }),
    execute: () => engine('commands', COMMANDS),
    cli: () => ({ ms: cliRun(template) }),
  };
  // Where the time goes, between bare spawn and execute; fewer repetitions, to keep the bench short.
  const diagnostics = {
    pipes: () => engine('spawnLoop', { how: 'pipes', tasks: DIAGNOSTIC_TASKS, concurrency }),
    execa: () => engine('spawnLoop', { how: 'execa', tasks: DIAGNOSTIC_TASKS, concurrency }),
    runProcess: () => engine('spawnLoop', { how: 'runProcess', tasks: DIAGNOSTIC_TASKS, concurrency }),
  };
  const children = (k) => (k in diagnostics ? DIAGNOSTIC_TASKS : tasks);
  const runs = { ...sample(REPS.commands, variants, (measure) => measure()), ...sample(REPS.commandDiagnostics, diagnostics, (measure) => measure()) };
  fs.rmSync(template, { recursive: true, force: true });
  const m = Object.fromEntries(Object.keys(runs).map((k) => [k, median(runs[k].map((r) => r.ms))]));
  const cpu = (k) => median(runs[k].map((r) => r.cpuMs));

  section(`3. ${tasks.toLocaleString('en')} command tasks running \`true\`, concurrency ${concurrency} (median of ${REPS.commands}, diagnostics of ${REPS.commandDiagnostics}, interleaved)`);
  const rows = [
    ['baseline', 'xargs', `seq ${tasks} | xargs -P${concurrency} -n1 true`],
    ['baseline', 'bare', `child_process.spawn under p-limit(${concurrency}), stdio ignored`],
    ['diag', 'pipes', `same, stdout and stderr piped and read (${DIAGNOSTIC_TASKS} children)`],
    ['diag', 'execa', `execa('true') under p-limit (${DIAGNOSTIC_TASKS} children)`],
    ['diag', 'runProcess', `runProcess (src/engine/process.ts) under p-limit (${DIAGNOSTIC_TASKS})`],
    ['ours', 'execute', 'execute in process: command handler, Workspace, StateStore'],
    ['ours', 'cli', 'orchestrate run --all --reporter json > /dev/null, CI=true'],
  ];
  for (const [kind, k, what] of rows) {
    const cpuNote = runs[k][0].cpuMs === undefined ? '' : `, parent CPU ${fmt(cpu(k) / children(k))}`;
    const ratio = m[k] / m.bare;
    const met = ratio <= TARGET.commandsRatio;
    const note = kind === 'ours' ? `  ${x(ratio)} bare spawn, ${x(m[k] / m.xargs)} xargs; target <= ${TARGET.commandsRatio}x bare spawn ${verdict(met)}` : '';
    line(kind, what, samplesOf(runs[k]), `${fmt(m[k] / children(k))} ms/child${cpuNote}${note}`);
    if (kind === 'ours') addSummary(`3. 1k \`true\` via ${k === 'cli' ? 'the CLI' : 'execute (in process)'}`, `bare spawn: ${fmt(m.bare)} ms`, `${fmt(m[k])} ms`, x(ratio), `<= ${TARGET.commandsRatio}x`, met);
  }
  const c = (k) => cpu(k) / children(k);
  console.log(
    `  parent CPU per child: spawn (fork/exec, blocking the event loop) ${fmt(c('bare'))} ms; piping output ${signed(c('pipes') - c('bare'))};` +
      ` execa instead of spawn ${signed(c('execa') - c('pipes'))}; runProcess's own work ${signed(c('runProcess') - c('execa'))}; engine and state ${signed(c('execute') - c('runProcess'))}`,
  );
  console.log(
    `  bound: the parent's single thread. Its CPU per child (${fmt(c('execute'))} ms in execute, ${fmt(c('bare'))} ms for bare spawn) is spent serially whatever the concurrency,` +
      ` so it sets the pace: a second slot only overlaps the children's own run time, which for \`true\` is short.`,
  );
  results.benchmarks.commands = { medianMs: m, parentCpuMs: Object.fromEntries(Object.keys(runs).filter((k) => runs[k][0].cpuMs !== undefined).map((k) => [k, cpu(k)])), runs };
}

/** One CLI run of the generated plan in a fresh copy of its directory, as a user would run it. */
function cliRun(template) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-bench-cli-'));
  try {
    fs.copyFileSync(path.join(template, 'phases.yaml'), path.join(dir, 'phases.yaml'));
    const argv = [process.execPath, cliBin, 'run', '--all', '--reporter', 'json', '--concurrency', String(COMMANDS.concurrency), '--config', 'phases.yaml'];
    return timed(argv, { cwd: dir, env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// --- 4. DAG makespan -----------------------------------------------------------------

function dag() {
  const variants = { limited: ['dag', { concurrency: 4 }], tight: ['dag', { concurrency: 2 }] };
  const runs = sample(REPS.dag, variants, ([name, options]) => engine(name, options));
  const first = runs.limited[0];
  section(`4. DAG makespan: ${first.tasks} timer tasks (50-300 ms) in 4 phases, sequential and parallel groups with depends_on (median of ${REPS.dag})`);
  const report = {};
  for (const [key, label] of [['limited', 'target'], ['tight', 'information']]) {
    const r = runs[key][0];
    const makespans = runs[key].map((v) => v.ms);
    const makespan = median(makespans);
    const ratio = makespan / r.lowerBoundMs;
    console.log(
      `  concurrency ${r.concurrency}: critical path ${fmt(r.criticalPathMs)} ms (${r.criticalPath.length} tasks), total work ${fmt(r.totalWorkMs)} ms / ${r.concurrency} = ${fmt(r.totalWorkMs / r.concurrency)} ms;` +
        ` lower bound ${fmt(r.lowerBoundMs)} ms${r.peakWidth <= r.concurrency ? ` (attainable: at most ${r.peakWidth} tasks are ever runnable at once)` : ''}`,
    );
    line('ours', `makespan at concurrency ${r.concurrency}`, makespans, `${x(ratio)} the lower bound; target <= ${TARGET.dagRatio}x ${verdict(ratio <= TARGET.dagRatio)}${label === 'target' ? '' : ' (information)'}`);
    addSummary(`4. DAG makespan, concurrency ${r.concurrency}${label === 'target' ? '' : ' (information)'}`, `lower bound: ${fmt(r.lowerBoundMs)} ms`, `${fmt(makespan)} ms`, x(ratio), `<= ${TARGET.dagRatio}x`, ratio <= TARGET.dagRatio);
    report[key] = { makespanMs: makespan, ratio, ...r, runs: makespans, bareChainMs: median(runs[key].map((v) => v.bareChainMs)) };
  }
  const lim = report.limited;
  console.log(
    `  bound: at concurrency 4, the critical path's ${lim.criticalPath.length} timers awaited one after another with no engine take ${fmt(lim.bareChainMs)} ms;` +
      ` the engine adds ${fmt(lim.makespanMs - lim.bareChainMs)} ms more, ${fmt((lim.makespanMs - lim.bareChainMs) / lim.criticalPath.length)} ms per hand-over along the path.` +
      ` At concurrency 2 the bound is work/2, and p-limit's first-come order, which does not favour the critical path, leaves slots idle while the path's tasks wait.`,
  );
  results.benchmarks.dag = report;
}

// --- 5b. dry run of the roadmap ------------------------------------------------------

function dryRun() {
  const config = path.join(repo, 'config', 'phases.yaml');
  const env = { ...process.env, CI: 'true', NO_COLOR: '1' };
  const variants = {
    baseline: [process.execPath, '-e', '0'],
    ours: [process.execPath, cliBin, 'run', '--all', '--dry-run', '--reporter', 'json', '--config', config],
  };
  const first = run(variants.ours, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' }); // warm the caches; count what it shows
  const events = first.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const tasks = events.filter((e) => e.type === 'task:finish').length;
  const diffs = events.filter((e) => e.type === 'task:diff').length;
  const times = sample(REPS.dryRun, variants, (argv) => timed(argv, { cwd: repo, env }));
  const ours = median(times.ours);
  const met = ours <= TARGET.dryRunMs;
  section(`5b. Dry run of the whole roadmap on the demo: ${tasks} tasks, ${diffs} diffs rendered (median of ${REPS.dryRun}, interleaved)`);
  line('baseline', 'node -e 0 (for scale)', times.baseline);
  line('ours', 'orchestrate run --all --dry-run --reporter json, CI=true', times.ours, `${x(ours / median(times.baseline))} node -e 0; target <= ${TARGET.dryRunMs} ms ${verdict(met)}`);
  addSummary('5b. run --all --dry-run of the roadmap', `node -e 0: ${fmt(median(times.baseline))} ms`, `${fmt(ours)} ms`, x(ours / median(times.baseline)), `<= ${TARGET.dryRunMs} ms`, met);
  results.benchmarks.dryRun = { medianMs: ours, samplesMs: times, tasks, diffs };
}

// --- helpers -----------------------------------------------------------------------

/** Run every variant `reps` times, round-robin, and collect each variant's results. */
function sample(reps, variants, measure) {
  const collected = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let i = 0; i < reps; i++) {
    for (const [key, variant] of Object.entries(variants)) collected[key].push(measure(variant));
  }
  return collected;
}

/** Wall time of one process, from spawn to exit, in ms; throws unless it exits 0. */
function timed(argv, options = {}) {
  const started = performance.now();
  run(argv, options);
  return performance.now() - started;
}

function run([command, ...args], options = {}) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.status !== 0) throw new Error(`${[command, ...args].join(' ')} exited ${result.status ?? result.signal}:\n${result.stderr}`);
  return result;
}

/** One in-process measurement in a fresh process; returns its JSON result. */
function engine(name, options) {
  const result = run([process.execPath, engineBundle, name, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  return JSON.parse(result.stdout.trim().split('\n').at(-1));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function section(title) {
  console.log(`\n${title}`);
}

/** One figure: the median of its samples (a number is one sample) and their range. */
function line(kind, what, samples, note = '') {
  const values = Array.isArray(samples) ? samples : [samples];
  const range = values.length > 1 ? `[${fmt(Math.min(...values))}-${fmt(Math.max(...values))}]` : '';
  console.log(`  ${kind.padEnd(8)} ${what.padEnd(62)} ${`${fmt(median(values))} ms`.padStart(10)} ${range.padEnd(13)} ${note}`);
}

function samplesOf(runs) {
  return runs.map((r) => r.ms);
}

function addSummary(what, baseline, ours, ratio, target, met) {
  summary.push({ what, baseline, ours, ratio, target, result: verdict(met) });
}

function printSummary() {
  section('Summary');
  const rows = [['benchmark', 'baseline', 'ours', 'ratio', 'target', 'result'], ...summary.map((s) => [s.what, s.baseline, s.ours, s.ratio, s.target, s.result])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const row of rows) console.log(`  ${row.map((cell, i) => String(cell).padEnd(widths[i])).join('  ')}`);
  const missed = summary.filter((s) => s.result === 'MISS').length;
  console.log(`  ${summary.length - missed} of ${summary.length} met, ${missed} missed`);
}

function verdict(met) {
  return met ? 'PASS' : 'MISS';
}

/** Three decimals, so that a ratio just over its target does not print as the target. */
function x(ratio) {
  return `${ratio.toFixed(3)}x`;
}

function fmt(value) {
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function fmt4(value) {
  return value.toFixed(4);
}

function signed(value) {
  return `${value >= 0 ? '+' : ''}${fmt(value)}`;
}

function mb(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

// --- main (last, so that every declaration above is initialised) ---------------------

// `npm run bench -- --only dag` (or startup, overhead, commands, first-frame, dry-run, test-generation, fleet, real-packages) runs one part.
// real-packages takes 10 to 20 minutes, so it runs only when asked for; `--packages ms,bytes` narrows it,
// `--no-mutation` leaves Stryker out.
const argValue = (flag) => {
  const at = process.argv.indexOf(flag);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const only = argValue('--only');
// `--reps N` takes every figure from N repetitions instead of its usual count (a busy machine, little time).
const repsOverride = argValue('--reps');
if (repsOverride !== undefined) for (const key of Object.keys(REPS)) REPS[key] = Math.max(1, Number(repsOverride));
const ON_REQUEST = new Set(['real-packages']);
const parts = {
  startup,
  overhead: engineOverhead,
  commands,
  dag,
  'first-frame': () => firstFrame({ repo, cliDir, cliBin, results, section, line, addSummary, median, fmt, x, verdict, reps: repsOverride === undefined ? undefined : REPS.startup }),
  'dry-run': dryRun,
  'test-generation': () => testGenerationBench({ repo, benchDir, out, results, section, line, addSummary, median, fmt, x, verdict }),
  fleet: () => fleetBench({ repo, out, cliBin, results, section, line, addSummary, median, fmt, x, verdict }),
  'real-packages': () =>
    realPackagesBench({
      repo,
      out,
      cliBin,
      results,
      section,
      addSummary,
      median,
      fmt,
      x,
      verdict,
      packages: argValue('--packages')?.split(','),
      mutation: !process.argv.includes('--no-mutation'),
    }),
};
if (process.argv.includes('--help')) {
  console.log(`npm run bench [-- --only PART] [--reps N]\n  parts: ${Object.keys(parts).join(', ')} (${[...ON_REQUEST].join(', ')} only when asked for)`);
  process.exit(0);
}
if (only !== undefined && !(only in parts)) {
  console.error(`bench: --only takes one of ${Object.keys(parts).join(', ')}`);
  process.exit(2);
}
printMachine(results.machine);
await prepare();
for (const [name, part] of Object.entries(parts)) if (only === name || (only === undefined && !ON_REQUEST.has(name))) await part();
printSummary();
results.machine.loadAverageEnd = os.loadavg().map((l) => Number(l.toFixed(2)));
fs.writeFileSync(path.join(out, 'results.json'), `${JSON.stringify({ ...results, summary }, null, 2)}\n`);
console.log(`\nLoad average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; total bench time ${((performance.now() - benchStarted) / 1000).toFixed(1)} s.\nFigures in ${path.relative(repo, path.join(out, 'results.json'))}`);
