/**
 * kill -9 at random instants: a run of 200 tasks (parallel and sequential
 * groups, three phases) is killed, resumed, the resume itself sometimes
 * killed, again and again. Each task appends its own line to one file unless
 * the line is there, so a task run twice at once, or a task that a resume
 * forgot, shows in the file. After every kill the state parses and the next
 * run takes over the dead run's lock; in the end every line is there exactly
 * once and `status` says every task is done.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendTask, delay, makeRepo, processesUsing, startCli, statusJson, taskStatuses, waitUntil, type PlanInput, type Repo } from '../helpers/plans.js';

const TRIALS = 20;

function tasks(prefix: string, count: number) {
  return Array.from({ length: count }, (_, i) => appendTask(`${prefix}.${i + 1}`));
}

const plan: PlanInput = {
  defaults: { max_parallel: 4 },
  phases: [
    {
      id: '1',
      name: 'first',
      groups: [
        { id: 'a', execution: 'parallel', tasks: tasks('1a', 50) },
        { id: 'b', execution: 'sequential', depends_on: [], tasks: tasks('1b', 20) },
        { id: 'c', execution: 'parallel', max_parallel: 2, depends_on: ['a'], tasks: tasks('1c', 40) },
      ],
    },
    {
      id: '2',
      name: 'second',
      groups: [
        { id: 'a', execution: 'sequential', tasks: tasks('2a', 15) },
        { id: 'b', execution: 'parallel', tasks: tasks('2b', 45) },
      ],
    },
    { id: '3', name: 'aside', depends_on: [], groups: [{ id: 'a', execution: 'parallel', tasks: tasks('3a', 30) }] },
  ],
};
const ALL_IDS = plan.phases.flatMap((p) => (p.groups as Array<{ tasks: Array<{ id: string }> }>).flatMap((g) => g.tasks.map((t) => t.id)));

function outLines(repo: Repo): string[] {
  const file = path.join(repo.dir, 'out.txt');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

function expectNoDuplicates(repo: Repo): void {
  const lines = outLines(repo);
  expect(lines.length - new Set(lines).size, 'a task ran twice').toBe(0);
}

/** Start `run --all`, SIGKILL it after `ms` (never when undefined) unless it ended first; what happened. */
async function runAndKillAfter(repo: Repo, ms: number | undefined): Promise<{ killed: boolean; code: number | null; stderr: string; durationMs: number }> {
  const run = await startCli(repo, ['run', '--all', '--concurrency', '4']);
  const ended = ms === undefined || (await Promise.race([run.result.then(() => true), delay(ms).then(() => false)]));
  if (!ended) run.child.kill('SIGKILL');
  const result = await run.result;
  return { killed: result.signal === 'SIGKILL', code: result.code, stderr: result.stderr, durationMs: result.durationMs };
}

/** After a kill: the state parses, and the killed run's children (own process groups) are left to finish. */
async function afterKill(repo: Repo): Promise<void> {
  const stateFile = path.join(repo.dir, '.orchestrate/state.json');
  if (fs.existsSync(stateFile)) expect(() => JSON.parse(fs.readFileSync(stateFile, 'utf8'))).not.toThrow();
  expect(await waitUntil(() => processesUsing(repo.dir).length === 0, 60_000), `processes still running in ${repo.dir}`).toBe(true);
  expectNoDuplicates(repo);
}

async function expectComplete(repo: Repo): Promise<void> {
  const lines = outLines(repo);
  expect(lines.toSorted()).toEqual(ALL_IDS.map((id) => `task ${id}`).toSorted());
  const status = await statusJson(repo);
  expect(Object.values(taskStatuses(status)).every((s) => s === 'done')).toBe(true);
  expect(Object.keys(taskStatuses(status))).toHaveLength(200);
  expect(status.phases.map((p) => p.status)).toEqual(['done', 'done', 'done']);
}

describe('a run killed with SIGKILL at random instants', () => {
  it(`resumes to a complete result, each task done exactly once (${TRIALS} kills)`, async () => {
    expect(ALL_IDS).toHaveLength(200);
    // How long an undisturbed run takes here, so kills land anywhere within one.
    const calibration = makeRepo(plan);
    const first = await runAndKillAfter(calibration, undefined);
    expect(first.code, first.stderr).toBe(0);
    await expectComplete(calibration);
    // Kills past most of a run mostly land after its end (runs vary), which tests nothing.
    const killWithin = 0.8 * first.durationMs;

    let repo = makeRepo(plan);
    let kills = 0;
    let resuming = false;
    while (kills < TRIALS) {
      // A fresh run is always killed; a resume more often than not, so that kills land at every stage.
      const killAt = !resuming || Math.random() < 0.75 ? Math.random() * killWithin : undefined;
      const lockLeft = fs.existsSync(path.join(repo.dir, '.orchestrate/lock'));
      const run = await runAndKillAfter(repo, killAt);
      // Whatever the dead run left, the next one takes over its lock.
      expect(run.code, run.stderr).not.toBe(4);
      if (run.killed) {
        kills++;
        await afterKill(repo);
        if (kills % 5 === 0) {
          // `status` reads what the dead run left: nothing shows as still running.
          const shown = Object.values(taskStatuses(await statusJson(repo)));
          expect(shown.filter((s) => s === 'running')).toEqual([]);
        }
        resuming = true;
        continue;
      }
      expect(run.code, run.stderr).toBe(0);
      // A kill between taking the lock and naming the holder leaves a lock with no name.
      if (resuming && lockLeft) {
        expect(run.stderr).toMatch(/Took over (the lock left by pid \d+|a lock left by a process that was stopped while taking it)/);
      }
      expect(outLines(repo).toSorted()).toEqual(ALL_IDS.map((id) => `task ${id}`).toSorted());
      // Start over in a fresh repository so that the next kills land in real work.
      repo = makeRepo(plan);
      resuming = false;
    }

    // Whatever the last kill left: one more run completes it.
    const last = await runAndKillAfter(repo, undefined);
    expect(last.code, last.stderr).toBe(0);
    await expectComplete(repo);
    // A guard against a hang, not a speed check: on a loaded two-core machine twenty kills take minutes.
  }, 900_000);
});
