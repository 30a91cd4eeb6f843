// The fleet figure: `fleet run` over 50 small local repositories at
// concurrency 4, against the sum of 50 single runs of the same plan (a
// shallow clone, then `run --all --pr`, one repository after another) in the
// same bench run. Each set has its own bare repositories and its own GitHub
// stand-in (test/git/github-double.ts, bundled here), so neither finds the
// other's pull requests. Target: the fleet at most 0.3x the sum.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

const REPOSITORIES = 50;
const CONCURRENCY = 4;

const coverageScript = `mkdir -p coverage && printf '{"total":{"lines":{"pct":%s}}}' "$(cat figure.txt)" > coverage/coverage-summary.json`;
const PLAN = `version: 1
project: { name: fleet-bench }
templates_dir: templates
phases:
  - id: 1
    name: Foundation
    expected_coverage: { lines: 25 }
    groups:
      - id: a
        tasks:
          - { id: "1.1", type: file_generation, template: note, target: docs/rollout.md, mode: overwrite }
          - { id: "1.2", type: command, run: ["sh", "-c", ${JSON.stringify(coverageScript)}] }
    checkpoints:
      - { name: coverage, coverage: { summary: coverage/coverage-summary.json, min: { lines: 25 } } }
`;

const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });

/** `count` bare repositories named set/svc-N, each known to the stand-in. */
function makeRepositories(root, set, count, double) {
  const seed = path.join(root, `seed-${set}`);
  fs.mkdirSync(seed, { recursive: true });
  fs.writeFileSync(path.join(seed, 'figure.txt'), '41.5');
  fs.writeFileSync(path.join(seed, '.gitignore'), 'coverage/\n');
  git(seed, 'init', '--quiet', '--initial-branch=main');
  git(seed, 'add', '-A');
  git(seed, '-c', 'user.name=Seed', '-c', 'user.email=seed@example.com', '-c', 'commit.gpgsign=false', 'commit', '--quiet', '-m', 'start');
  const repos = [];
  for (let i = 1; i <= count; i++) {
    const slug = `${set}/svc-${i}`;
    const bare = path.join(root, 'remotes', `${slug}.git`);
    fs.mkdirSync(bare, { recursive: true });
    git(bare, 'init', '--quiet', '--bare', '--initial-branch=main');
    git(seed, 'push', '--quiet', bare, 'main');
    double.addRepository({ slug, bare, clone_url: bare });
    repos.push({ slug, bare });
  }
  return repos;
}

function timed(command, args, options) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ms: performance.now() - started, stderr }));
  });
}

/** Run the part; `h` holds run.mjs's helpers and `cliBin`. */
export async function fleetBench(h) {
  const bundle = path.join(h.out, 'github-double.mjs');
  await build({ entryPoints: [path.join(h.repo, 'test/git/github-double.ts')], outfile: bundle, bundle: true, format: 'esm', platform: 'node', target: 'node20.19', packages: 'external', logLevel: 'warning' });
  const { GitHubDouble } = await import(`${bundle}?${Date.now()}`);
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-fleet-bench-')));
  const singles = new GitHubDouble('single', 'x');
  const fleetDouble = new GitHubDouble('fleet', 'x');
  try {
    const singlesUrl = await singles.start();
    const fleetUrl = await fleetDouble.start();
    const platform = path.join(root, 'platform');
    fs.mkdirSync(path.join(platform, 'templates'), { recursive: true });
    fs.writeFileSync(path.join(platform, 'phases.yaml'), PLAN);
    fs.writeFileSync(path.join(platform, 'templates', 'note.md.hbs'), 'rollout note from task {{task_id}}\n');
    const singleRepos = makeRepositories(root, 'single', REPOSITORIES, singles);
    const fleetRepos = makeRepositories(root, 'fleet', REPOSITORIES, fleetDouble);
    const env = (api, extra = {}) => ({ ...process.env, NO_COLOR: '1', CI: 'true', GH_TOKEN: 'bench-token-0000', GITHUB_TOKEN: '', GITHUB_ACTIONS: '', GITHUB_API_URL: api, ...extra });

    // The baseline: each repository by hand, one after another.
    let sum = 0;
    for (const repo of singleRepos) {
      const clone = path.join(root, 'clones', repo.slug);
      const cloned = await timed('git', ['clone', '--quiet', '--depth', '1', '--no-single-branch', `file://${repo.bare}`, clone], { env: env(singlesUrl) });
      const ran = await timed(process.execPath, [h.cliBin, 'run', '--all', '--pr', '--author', 'Bench <bench@example.com>', '--reporter', 'json', '--config', path.join(platform, 'phases.yaml'), '--cwd', clone], { cwd: clone, env: env(singlesUrl, { GITHUB_REPOSITORY: repo.slug }) });
      if (cloned.code !== 0 || ran.code !== 0) throw new Error(`single run of ${repo.slug} failed: ${cloned.stderr}${ran.stderr}`);
      sum += cloned.ms + ran.ms;
    }
    const fleetFile = path.join(platform, 'fleet.yaml');
    fs.writeFileSync(
      fleetFile,
      `version: 1\nname: bench\nplan: phases.yaml\nauthor: Bench <bench@example.com>\npacing: { concurrency: ${CONCURRENCY} }\nrepositories:\n${fleetRepos.map((repo) => `  - { repo: ${repo.slug}, url: ${JSON.stringify(repo.bare)} }`).join('\n')}\n`,
    );
    const fleet = await timed(process.execPath, [h.cliBin, 'fleet', 'run', '--fleet', fleetFile], { cwd: platform, env: env(fleetUrl) });
    if (fleet.code !== 0) throw new Error(`fleet run failed:\n${fleet.stderr}`);
    const opened = fleetDouble.pulls.length;
    if (opened !== REPOSITORIES || singles.pulls.length !== REPOSITORIES) throw new Error(`expected ${REPOSITORIES} pull requests each, got ${singles.pulls.length} and ${opened}`);

    const ratio = fleet.ms / sum;
    h.section(`8. Fleet: ${REPOSITORIES} small local repositories, \`fleet run\` at concurrency ${CONCURRENCY} against ${REPOSITORIES} single runs (clone + run --all --pr) one after another; one of each`);
    h.line('baseline', `sum of ${REPOSITORIES} single runs`, sum);
    h.line('ours', `fleet run (clone, run in-process, pull requests recorded)`, fleet.ms, `${h.x(ratio)} of the sum`);
    h.results.benchmarks.fleet = { repositories: REPOSITORIES, concurrency: CONCURRENCY, sumOfSinglesMs: sum, fleetMs: fleet.ms, ratio };
    h.addSummary(`fleet run, ${REPOSITORIES} repositories`, `${h.fmt(sum)} ms`, `${h.fmt(fleet.ms)} ms`, h.x(ratio), '<= 0.3x', ratio <= 0.3);
  } finally {
    await singles.stop();
    await fleetDouble.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
