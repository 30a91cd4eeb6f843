import { describe, expect, it } from 'vitest';
import { matchConventions, usesCrlf } from '../../src/workspace/line-endings.js';

describe('usesCrlf', () => {
  it('is true only when every line break is CRLF', () => {
    expect(usesCrlf('a\r\nb\r\n')).toBe(true);
    expect(usesCrlf('a\r\nb')).toBe(true);
    expect(usesCrlf('a\r\nb\n')).toBe(false);
    expect(usesCrlf('a\nb\n')).toBe(false);
    expect(usesCrlf('no break')).toBe(false);
  });
});

describe('matchConventions', () => {
  it('converts bare LF to CRLF for a CRLF file, keeping the final newline as written', () => {
    expect(matchConventions('a\r\nb\r\n', 'a\nb\nc\n')).toBe('a\r\nb\r\nc\r\n');
    expect(matchConventions('a\r\nb\r\n', 'a\nb')).toBe('a\r\nb');
    expect(matchConventions('a\r\nb', 'a\nb\n')).toBe('a\r\nb\r\n');
  });

  it('leaves LF files, new files and content the handler wrote with CRLF alone', () => {
    expect(matchConventions('a\nb\n', 'a\nc\n')).toBe('a\nc\n');
    expect(matchConventions(undefined, 'a\nc\n')).toBe('a\nc\n');
    expect(matchConventions('a\r\n', 'x\r\ny\n')).toBe('x\r\ny\n');
    expect(matchConventions('a\r\nb\n', 'x\ny\n')).toBe('x\ny\n');
  });

  it('keeps a BOM the original had', () => {
    expect(matchConventions('\uFEFF{}\n', '{"a":1}\n')).toBe('\uFEFF{"a":1}\n');
    expect(matchConventions('\uFEFF{}\n', '\uFEFF{"a":1}\n')).toBe('\uFEFF{"a":1}\n');
    expect(matchConventions('{}\n', '{"a":1}\n')).toBe('{"a":1}\n');
  });
});
