import { mkdtemp, rm, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { killAllProcessGroups, runProcess, splitCommand } from '../../src/engine/process.js';
import { setSpawning, startSpawnerPool } from '../../src/engine/spawner-pool.js';
import { UserError } from '../../src/errors.js';
import { isAlive, waitUntil } from '../helpers/processes.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orchestrate-process-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Settles like the promise, or fails when it takes longer than a generous bound. */
async function within<T>(promise: Promise<T>, timeoutMs = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not finished within ${timeoutMs}ms`)), timeoutMs);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * A shell that prints its background child's pid, then waits. The sleeps
 * outlast the bounds below, so only killing the group ends them in time (the
 * grandchild holds the output pipe, which would keep the run open too).
 */
const TREE = 'sleep 40 & echo $!; sleep 40; wait';

function firstNumberLine(lines: string[]): number | undefined {
  const line = lines.find((l) => /^\d+$/.test(l));
  return line === undefined ? undefined : Number(line);
}

// Every behaviour holds whether children start from this process or from the spawner pool.
for (const how of ['direct', 'pool'] as const) describe(`runProcess, started ${how === 'pool' ? 'through the spawner pool' : 'directly'}`, () => {
  beforeAll(async () => {
    setSpawning(how);
    await startSpawnerPool();
  });
  afterAll(() => setSpawning('pool'));

  it('runs an argv and streams both streams line by line', async () => {
    const lines: [string, string][] = [];
    const result = await runProcess(['node', '-e', 'console.log("out 1\\nout 2"); console.error("err 1")'], {
      cwd: dir,
      signal: new AbortController().signal,
      onLine: (line, stream) => lines.push([stream, line]),
    });
    expect(result).toMatchObject({ exitCode: 0, signal: undefined, timedOut: false, cancelled: false, error: undefined });
    expect(lines).toEqual(expect.arrayContaining([['stdout', 'out 1'], ['stdout', 'out 2'], ['stderr', 'err 1']]));
    expect(result.output.split('\n')).toEqual(expect.arrayContaining(['out 1', 'out 2', 'err 1']));
  });

  it('keeps only the last lines of long output', async () => {
    const result = await runProcess(['node', '-e', 'for (let i = 1; i <= 200; i++) console.log("line " + i)'], {
      cwd: dir,
      signal: new AbortController().signal,
    });
    const kept = result.output.split('\n');
    expect(kept.at(-1)).toBe('line 200');
    expect(kept).not.toContain('line 1');
    expect(kept.length).toBeLessThanOrEqual(50);
  });

  it('reports a failing exit code without throwing', async () => {
    const result = await runProcess(['sh', '-c', 'echo broken >&2; exit 3'], { cwd: dir, signal: new AbortController().signal });
    expect(result.exitCode).toBe(3);
    expect(result.output).toContain('broken');
  });

  it('splits a string into words without a shell', async () => {
    const lines: string[] = [];
    const result = await runProcess(`printf '%s\\n' 'a b' "c \\"d\\"" $HOME e`, {
      cwd: dir,
      signal: new AbortController().signal,
      onLine: (line) => lines.push(line),
    });
    expect(result.exitCode).toBe(0);
    expect(lines).toEqual(['a b', 'c "d"', '$HOME', 'e']);
  });

  it('runs a string through the shell only when asked, with extra env', async () => {
    const lines: string[] = [];
    await runProcess('echo "$GREETING" $((1 + 2))', {
      cwd: dir,
      shell: true,
      env: { GREETING: 'hello' },
      signal: new AbortController().signal,
      onLine: (line) => lines.push(line),
    });
    expect(lines).toEqual(['hello 3']);
  });

  it('explains a program that does not exist', async () => {
    const result = await runProcess('no-such-program-orchestrate --flag', { cwd: dir, signal: new AbortController().signal });
    expect(result.exitCode).toBeUndefined();
    expect(result.error).toBe('command not found: no-such-program-orchestrate');
    expect(result.output).toContain('command not found: no-such-program-orchestrate');
  });

  it('explains a working directory that does not exist', async () => {
    const result = await runProcess(['true'], { cwd: join(dir, 'missing'), signal: new AbortController().signal });
    expect(result.error).toMatch(/working directory not found/);
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await runProcess(['touch', 'made.txt'], { cwd: dir, signal: controller.signal });
    expect(result.cancelled).toBe(true);
    await expect(access(join(dir, 'made.txt'))).rejects.toThrow();
  });

  it('kills the whole process group on abort, grandchildren included', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const running = runProcess(TREE, {
      cwd: dir,
      shell: true,
      signal: controller.signal,
      onLine: (line) => {
        lines.push(line);
        controller.abort();
      },
    });
    const result = await within(running);
    const grandchild = firstNumberLine(lines);
    expect(grandchild).toBeDefined();
    expect(result.cancelled).toBe(true);
    expect(result.exitCode).toBeUndefined();
    expect(await waitUntil(async () => !(await isAlive(grandchild!)))).toBe(true);
  });

  it('kills the whole process group on timeout', async () => {
    const lines: string[] = [];
    const result = await within(runProcess(TREE, {
      cwd: dir,
      shell: true,
      signal: new AbortController().signal,
      timeoutMs: 500,
      onLine: (line) => lines.push(line),
    }));
    expect(result.timedOut).toBe(true);
    const grandchild = firstNumberLine(lines);
    expect(await waitUntil(async () => !(await isAlive(grandchild!)))).toBe(true);
  });

  it('escalates to SIGKILL when the group ignores SIGTERM', async () => {
    const lines: string[] = [];
    // Ignored signals stay ignored across fork and exec, so the sleeps ignore SIGTERM too.
    const result = await within(runProcess(`trap '' TERM; ${TREE}`, {
      cwd: dir,
      shell: true,
      signal: new AbortController().signal,
      timeoutMs: 300,
      killGraceMs: 300,
      onLine: (line) => lines.push(line),
    }));
    expect(result).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
    const grandchild = firstNumberLine(lines);
    expect(await waitUntil(async () => !(await isAlive(grandchild!)))).toBe(true);
  });

  it('ends background children left behind when the leader exits', async () => {
    const lines: string[] = [];
    const result = await within(runProcess('sleep 40 & echo $!', {
      cwd: dir,
      shell: true,
      signal: new AbortController().signal,
      onLine: (line) => lines.push(line),
    }));
    expect(result.exitCode).toBe(0);
    const grandchild = firstNumberLine(lines);
    expect(await waitUntil(async () => !(await isAlive(grandchild!)))).toBe(true);
  });

  it('kills every live group on request (the CLI on Ctrl-C)', async () => {
    let started!: () => void;
    const ready = new Promise<void>((resolve) => (started = resolve));
    const running = runProcess('echo ready; sleep 40', {
      cwd: dir,
      shell: true,
      signal: new AbortController().signal,
      onLine: () => started(),
    });
    await ready;
    expect(killAllProcessGroups('SIGTERM')).toBeGreaterThanOrEqual(1);
    const result = await within(running);
    expect(result.signal).toBe('SIGTERM');
  });

  it("keeps each of many concurrent children's output its own, in order, with its exit code", async () => {
    const script = (n: number) => `for i in $(seq 1 60); do echo "$i out ${n}"; echo "$i err ${n}" >&2; done; exit ${n % 4}`;
    const runs = Array.from({ length: 24 }, async (_, n) => {
      const lines: [string, string][] = [];
      const result = await runProcess(script(n), { cwd: dir, shell: true, signal: new AbortController().signal, onLine: (line, stream) => lines.push([stream, line]) });
      return { n, lines, result };
    });
    for (const { n, lines, result } of await within(Promise.all(runs), 30_000)) {
      expect(result.exitCode).toBe(n % 4);
      const seq = (stream: string) => lines.filter(([s]) => s === stream).map(([, line]) => line);
      expect(seq('stdout')).toEqual(Array.from({ length: 60 }, (_, i) => `${i + 1} out ${n}`));
      expect(seq('stderr')).toEqual(Array.from({ length: 60 }, (_, i) => `${i + 1} err ${n}`));
    }
  });

  it(`starts the child ${how === 'pool' ? 'from a spawner process' : 'from this process'}`, async () => {
    const lines: string[] = [];
    await runProcess(['sh', '-c', 'echo $PPID'], { cwd: dir, signal: new AbortController().signal, onLine: (line) => lines.push(line) });
    expect(Number(lines[0]) === process.pid).toBe(how === 'direct');
  });

  it('reports the signal that killed a child', async () => {
    const result = await runProcess(['sh', '-c', 'kill -9 $$'], { cwd: dir, signal: new AbortController().signal });
    expect(result).toMatchObject({ exitCode: undefined, signal: 'SIGKILL', cancelled: false, timedOut: false });
  });
});

describe('splitCommand', () => {
  it('splits on whitespace and honours quotes and backslashes', () => {
    expect(splitCommand('  npx   eslint . ')).toEqual(['npx', 'eslint', '.']);
    expect(splitCommand(`git commit -m 'fix: a "b"' --author="A B"`)).toEqual(['git', 'commit', '-m', 'fix: a "b"', '--author=A B']);
    expect(splitCommand(`echo a\\ b '' "x\\"y"`)).toEqual(['echo', 'a b', '', 'x"y']);
  });

  it('refuses an unclosed quote with a hint', () => {
    expect(() => splitCommand(`echo 'oops`)).toThrow(UserError);
  });
});
