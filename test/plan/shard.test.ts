/** How `run --shard i/n` divides a task's sources: every item in exactly one shard, balanced, the same on every call. */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { parseShard, shareOf } from '../../src/plan/shard.js';

const sources = Array.from({ length: 23 }, (_, i) => `src/file-${String(i).padStart(2, '0')}.ts`);

describe('shareOf', () => {
  it.each([1, 2, 3, 7, 23, 30])('gives each of %i shards a share, every source once, sizes within one', (count) => {
    const shares = Array.from({ length: count }, (_, i) => shareOf(sources, { index: i + 1, count }, '2.1'));
    expect(shares.flat().sort()).toEqual(sources);
    const sizes = shares.map((share) => share.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('spreads single-source tasks over the shards instead of putting all in shard 1', () => {
    const ids = Array.from({ length: 40 }, (_, i) => `3.${i + 1}`);
    const inFirst = ids.filter((id) => shareOf(['src/only.ts'], { index: 1, count: 4 }, id).length === 1);
    expect(inFirst.length).toBeGreaterThan(0);
    expect(inFirst.length).toBeLessThan(ids.length);
  });
});

describe('parseShard', () => {
  it('reads i/n', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
  });

  it.each(['0/3', '4/3', '3', 'a/b', '1/0', '-1/2', '1.5/3'])('refuses %s', (text) => {
    expect(() => parseShard(text)).toThrow(UserError);
  });
});
