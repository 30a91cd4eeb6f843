/**
 * A fleet to test against: many small repositories, each a bare repository
 * (the remote the fleet clones from and pushes to) known to the GitHub
 * stand-in, a platform folder holding the plan and fleet.yaml, and the built
 * CLI started as a process against them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { stringify } from 'yaml';
import { cliPath, repoRoot } from '../helpers/cli.js';
import { git } from '../git/git-fixtures.js';
import type { GitHubDouble } from '../git/github-double.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

export interface Fleet {
  /** The platform folder: fleet.yaml, phases.yaml, templates/. */
  dir: string;
  fleetFile: string;
  stateDir: string;
  /** Bare repositories by owner/name. */
  bare: Map<string, string>;
}

const coverageScript = `mkdir -p coverage && printf '{"total":{"lines":{"pct":%s}}}' "$(cat figure.txt)" > coverage/coverage-summary.json`;

/** The plan every repository gets: a note written from a template, coverage measured from figure.txt, a checkpoint at 25 % lines. */
export const FLEET_PLAN = {
  version: 1,
  project: { name: 'fleet-e2e' },
  templates_dir: 'templates',
  variables: { team: 'platform' },
  phases: [
    {
      id: 1,
      name: 'Foundation',
      expected_coverage: { lines: 25 },
      groups: [
        {
          id: 'a',
          tasks: [
            { id: '1.1', type: 'file_generation', template: 'note', target: 'docs/rollout.md', mode: 'overwrite' },
            { id: '1.2', type: 'command', run: ['sh', '-c', coverageScript] },
          ],
        },
      ],
      checkpoints: [{ name: 'coverage', coverage: { summary: 'coverage/coverage-summary.json', min: { lines: 25 } } }],
    },
  ],
};

/** `count` repositories octo-org/svc-01..., each with figure.txt = `figures[slug]` (default 41.5). */
export function makeFleet(github: GitHubDouble, count: number, fleet: Record<string, unknown>, figures: Record<string, string> = {}): Fleet {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrate-fleet-')));
  made.push(root);
  const dir = path.join(root, 'platform');
  fs.mkdirSync(path.join(dir, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'phases.yaml'), stringify(FLEET_PLAN));
  fs.writeFileSync(path.join(dir, 'templates/note.md.hbs'), 'rollout note from task {{task_id}} for {{team}}\n');
  const bare = new Map<string, string>();
  const work = path.join(root, 'work');
  for (let i = 1; i <= count; i++) {
    const slug = `octo-org/svc-${String(i).padStart(2, '0')}`;
    const origin = path.join(root, 'remotes', `${slug}.git`);
    fs.mkdirSync(origin, { recursive: true });
    git(origin, 'init', '--quiet', '--bare', '--initial-branch=main');
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(work, { recursive: true });
    fs.writeFileSync(path.join(work, 'figure.txt'), figures[slug] ?? '41.5');
    fs.writeFileSync(path.join(work, '.gitignore'), 'coverage/\n');
    fs.writeFileSync(path.join(work, 'README.md'), `# ${slug}\n`);
    git(work, 'init', '--quiet', '--initial-branch=main');
    git(work, '-c', 'user.name=Seed', '-c', 'user.email=seed@example.com', '-c', 'commit.gpgsign=false', 'commit', '--quiet', '--allow-empty', '-m', 'empty');
    git(work, 'add', '-A');
    git(work, '-c', 'user.name=Seed', '-c', 'user.email=seed@example.com', '-c', 'commit.gpgsign=false', 'commit', '--quiet', '-m', 'start');
    git(work, 'push', '--quiet', origin, 'main');
    bare.set(slug, origin);
    github.addRepository({ slug, bare: origin, clone_url: origin });
  }
  fs.rmSync(work, { recursive: true, force: true });
  const fleetFile = path.join(dir, 'fleet.yaml');
  writeFleet(fleetFile, {
    version: 1,
    name: 'rollout',
    plan: 'phases.yaml',
    author: 'Fleet Bot <fleet@example.com>',
    repositories: [...bare.entries()].map(([slug, origin]) => ({ repo: slug, url: origin })),
    ...fleet,
  });
  return { dir, fleetFile, stateDir: path.join(dir, '.orchestrate-fleet', 'rollout'), bare };
}

export function writeFleet(file: string, fleet: Record<string, unknown>): void {
  fs.writeFileSync(file, stringify(fleet));
}

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  result: Promise<Result>;
}

/** Start `orchestrate fleet ...args` in the platform folder (colour off, not in Actions). */
export function startFleet(fleet: Fleet, args: string[], env: Record<string, string>): Running {
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const { FORCE_COLOR: _forced, GITHUB_ACTIONS: _actions, GITHUB_REPOSITORY: _repository, GITHUB_STEP_SUMMARY: _summary, ...inherited } = process.env;
  const child = spawn(process.execPath, [cliPath, 'fleet', ...args, '--fleet', fleet.fleetFile], {
    cwd: fleet.dir,
    env: { ...inherited, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
  const result = new Promise<Result>((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
  return { child, result };
}

export function runFleetCli(fleet: Fleet, args: string[], env: Record<string, string>): Promise<Result> {
  return startFleet(fleet, args, env).result;
}

/** The most fleet pull requests open at once, replayed from the stand-in's request log. */
export function mostOpenAtOnce(github: GitHubDouble): number {
  let open = 0;
  let most = 0;
  for (const request of github.requests) {
    if (request.operationId === 'pulls/create' && request.status === 201) open++;
    if (request.operationId === 'pulls/merge' && request.status === 200) open--;
    if (request.operationId === 'pulls/update' && request.status === 200 && (request.body as { state?: string } | undefined)?.state === 'closed') open--;
    most = Math.max(most, open);
  }
  return most;
}
