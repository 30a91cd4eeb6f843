/**
 * FileLocks, which the executor wraps around each attempt: tasks naming one
 * file take turns in the order they asked, tasks on other files do not wait,
 * and files are taken in path order so crossed requests cannot wait on each
 * other forever. Gates are promises the test opens; nothing depends on time.
 */
import { describe, expect, it } from 'vitest';
import { FileLocks } from '../../src/engine/file-locks.js';

function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('FileLocks', () => {
  it('makes work on one file take turns in the order it asked, and lets work on another file go by', async () => {
    const locks = new FileLocks();
    const log: string[] = [];
    const first = gate();
    const a = locks.hold(['.github/workflows/ci.yml'], async () => {
      log.push('a starts');
      await first.opened;
      log.push('a ends');
    });
    const sameFile = locks.hold(['./.github/workflows/ci.yml'], async () => {
      log.push('same file');
    });
    const other = locks.hold(['package.json'], async () => {
      log.push('other file');
    });
    await other;
    expect(log).toEqual(['a starts', 'other file']);
    first.open();
    await Promise.all([a, sameFile]);
    expect(log).toEqual(['a starts', 'other file', 'a ends', 'same file']);
  });

  it('takes two files in path order, so work naming them in opposite orders both finish', async () => {
    const locks = new FileLocks();
    const first = gate();
    const one = locks.hold(['b.yml', 'a.yml'], async () => {
      await first.opened;
      return 'one';
    });
    const two = locks.hold(['a.yml', 'b.yml'], async () => 'two');
    first.open();
    expect(await Promise.all([one, two])).toEqual(['one', 'two']);
  });

  it('holds nothing for globs or for work that names no file', async () => {
    const locks = new FileLocks();
    const first = gate();
    const log: string[] = [];
    const held = locks.hold(['src/**/*.ts'], async () => {
      await first.opened;
      log.push('glob');
    });
    await locks.hold(['src/**/*.ts'], async () => log.push('glob again'));
    await locks.hold([], async () => log.push('nothing'));
    first.open();
    await held;
    expect(log).toEqual(['glob again', 'nothing', 'glob']);
  });
});
