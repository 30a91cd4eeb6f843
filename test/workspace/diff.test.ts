import { describe, expect, it } from 'vitest';
import { diffstat, unifiedDiff } from '../../src/workspace/diff.js';

describe('unifiedDiff', () => {
  it('renders a modification with git headers and 3 lines of context', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9', ''].join('\n');
    const after = before.replace('5\n', 'five\n');
    expect(unifiedDiff({ path: 'src/n.txt', before, after })).toBe(
      ['--- a/src/n.txt', '+++ b/src/n.txt', '@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8', ''].join('\n'),
    );
  });

  it('uses /dev/null for created and removed files', () => {
    expect(unifiedDiff({ path: 'new.txt', before: undefined, after: 'a\nb\n' })).toBe(
      ['--- /dev/null', '+++ b/new.txt', '@@ -0,0 +1,2 @@', '+a', '+b', ''].join('\n'),
    );
    expect(unifiedDiff({ path: 'old.txt', before: 'a\n', after: undefined })).toBe(
      ['--- a/old.txt', '+++ /dev/null', '@@ -1,1 +0,0 @@', '-a', ''].join('\n'),
    );
  });

  it('marks a missing final newline', () => {
    expect(unifiedDiff({ path: 'a', before: 'x\n', after: 'x' })).toContain('\\ No newline at end of file');
  });

  it('is empty when nothing changed', () => {
    expect(unifiedDiff({ path: 'a', before: 'x', after: 'x' })).toBe('');
  });
});

describe('diffstat', () => {
  it('counts lines per file and in total, like git --stat', () => {
    const stat = diffstat([
      { path: 'src/a.ts', before: 'a\nb\nc\n', after: 'a\nB\nC\nd\n' },
      { path: 'new.txt', before: undefined, after: 'x\n' },
      { path: 'old.txt', before: 'y\nz\n', after: undefined },
      { path: 'same.txt', before: 's', after: 's' },
    ]);
    expect(stat.files).toEqual([
      { path: 'src/a.ts', added: 3, removed: 2 },
      { path: 'new.txt', added: 1, removed: 0 },
      { path: 'old.txt', added: 0, removed: 2 },
    ]);
    expect(stat.added).toBe(4);
    expect(stat.removed).toBe(4);
    expect(stat.text).toBe(
      [' src/a.ts | 5 +++--', ' new.txt  | 1 +', ' old.txt  | 2 --', ' 3 files changed, 4 insertions(+), 4 deletions(-)', ''].join('\n'),
    );
  });

  it('uses singular words and leaves out a zero side like git', () => {
    expect(diffstat([{ path: 'a', before: undefined, after: 'x\n' }]).text).toBe(' a | 1 +\n 1 file changed, 1 insertion(+)\n');
    expect(diffstat([{ path: 'a', before: 'x\n', after: undefined }]).text).toBe(' a | 1 -\n 1 file changed, 1 deletion(-)\n');
    expect(diffstat([{ path: 'a', before: undefined, after: '' }]).text).toBe(' a | 0\n 1 file changed, 0 insertions(+), 0 deletions(-)\n');
    expect(diffstat([]).text).toBe('');
  });

  it('scales the bar of a large change to stay narrow', () => {
    const after = Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const line = diffstat([{ path: 'big', before: undefined, after }]).text.split('\n')[0] ?? '';
    expect(line).toMatch(/^ big \| 500 \+{40}$/);
  });
});
