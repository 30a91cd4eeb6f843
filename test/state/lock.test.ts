import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExitCode, UserError } from '../../src/errors.js';
import { acquireLock, readLockHolder, type LockHolder } from '../../src/state/lock.js';
import { statePaths } from '../../src/state/paths.js';
import { bundleFixture, killHard, spawnUntil, tempRoot } from './helpers.js';

let holdLock = '';
beforeAll(async () => {
  holdLock = await bundleFixture('hold-lock');
});

async function refusal(root: string): Promise<UserError> {
  const error: unknown = await acquireLock(root, { command: 'second' }).then(
    async (lock) => {
      await lock.release();
      return undefined;
    },
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

/** Leave the files a holder killed with SIGKILL leaves behind. */
function plantLock(root: string, holder: Partial<LockHolder>): void {
  const paths = statePaths(root);
  fs.mkdirSync(paths.lockDir, { recursive: true });
  const full = { pid: 1, startedAt: '2026-11-22T04:38:01.000Z', hostname: os.hostname(), command: 'orchestrate run', ...holder };
  fs.writeFileSync(paths.holderFile, JSON.stringify(full));
}

describe('acquireLock', () => {
  it('refuses a second holder in the same process, naming the holder, until released', async () => {
    const root = tempRoot();
    const lock = await acquireLock(root, { command: 'orchestrate run --phase 2' });
    expect(lock.warnings).toEqual([]);
    expect(readLockHolder(root)).toMatchObject({ pid: process.pid, hostname: os.hostname(), command: 'orchestrate run --phase 2' });

    const error = await refusal(root);
    expect(error.exitCode).toBe(ExitCode.locked);
    expect(error.message).toContain(`pid ${process.pid}`);
    expect(error.message).toContain(readLockHolder(root)?.startedAt ?? 'missing');
    expect(error.hint).toMatch(/Wait for it to finish/);

    await lock.release();
    await lock.release(); // twice is harmless
    expect(fs.existsSync(statePaths(root).lockDir)).toBe(false);
    expect(fs.existsSync(statePaths(root).holderFile)).toBe(false);
    const again = await acquireLock(root, { command: 'third' });
    expect(again.warnings).toEqual([]);
    await again.release();
  });

  it('refuses while another live process holds it, and takes it over once that process is killed', async () => {
    const root = tempRoot();
    const { child } = await spawnUntil(holdLock, [root], 'locked');
    try {
      const error = await refusal(root);
      expect(error.exitCode).toBe(4);
      expect(error.message).toContain(`pid ${child.pid}`);
      expect(error.hint).toContain(`kill ${child.pid}`);
    } finally {
      await killHard(child);
    }
    // SIGKILL left the lock behind, still fresh; the dead pid is what lets us in.
    expect(fs.existsSync(statePaths(root).lockDir)).toBe(true);
    const lock = await acquireLock(root, { command: 'after' });
    expect(lock.warnings).toEqual([expect.stringMatching(new RegExp(`left by pid ${child.pid}, .*no longer running`))]);
    expect(readLockHolder(root)?.pid).toBe(process.pid);
    await lock.release();
  });

  it('is refused to a child process while this process holds it', async () => {
    const root = tempRoot();
    const lock = await acquireLock(root, { command: 'parent' });
    try {
      const child = spawnSync(process.execPath, [holdLock, root], { encoding: 'utf8' });
      expect(child.status).toBe(1);
      expect(child.stdout).toMatch(new RegExp(`^refused 4 .*pid ${process.pid}`));
    } finally {
      await lock.release();
    }
  });

  it('takes over a lock whose holder pid no longer exists', async () => {
    const root = tempRoot();
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    plantLock(root, { pid: gone });
    const lock = await acquireLock(root, { command: 'next' });
    expect(lock.warnings).toEqual([expect.stringContaining(`Took over the lock left by pid ${gone}`)]);
    await lock.release();
  });

  it('does not judge a holder on another host by its pid', async () => {
    const root = tempRoot();
    plantLock(root, { pid: 1, hostname: 'ci-runner-7' });
    const error = await refusal(root);
    expect(error.exitCode).toBe(ExitCode.locked);
    expect(error.message).toContain('pid 1 on ci-runner-7');
    expect(error.hint).toContain(statePaths(root).lockDir);
  });

  it('refuses, saying it cannot tell who, when the holder never wrote lock.json', async () => {
    const root = tempRoot();
    fs.mkdirSync(statePaths(root).lockDir, { recursive: true });
    const error = await refusal(root);
    expect(error.exitCode).toBe(ExitCode.locked);
    expect(error.message).toMatch(/has not said who/);
  });
});

describe('a lock with no holder', () => {
  it('is taken over when the only process that meant to take it is dead, with a warning', async () => {
    const root = fs.mkdtempSync(`${os.tmpdir()}/orchestrate-orphan-`);
    try {
      // What a process killed between taking the lock and naming itself leaves.
      const lockDir = statePaths(root).lockDir;
      fs.mkdirSync(lockDir, { recursive: true });
      const dead = spawnSync('true').pid!;
      const intent = { pid: dead, startedAt: new Date().toISOString(), hostname: os.hostname(), command: 'orchestrate run --all' };
      fs.writeFileSync(`${statePaths(root).dir}/lock-intent-${dead}.json`, JSON.stringify(intent));
      const handle = await acquireLock(root, { command: 'test' });
      expect(handle.warnings.join('\n')).toMatch(/stopped while taking it/);
      expect(fs.readdirSync(statePaths(root).dir).filter((n) => n.startsWith('lock-intent'))).toEqual([]);
      await handle.release();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
