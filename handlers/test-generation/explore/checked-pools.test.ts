/**
 * Candidates for the type text the checker writes (type-text.ts): callbacks,
 * tuples, built-in classes, project classes and enums reached through a
 * module, and the splitting those forms need.
 */
import { describe, expect, it } from 'vitest';
import { addDeclared } from './declared.js';
import { functionType } from './checked-pools.js';
import { candidates, emptyWorld, splitTop } from './pools.js';

const param = (name: string, type: string, optional = false) => ({ name, type, optional, rest: false });

describe('type text with function types in it', () => {
  it('splits a union beside an arrow, and finds a function type\'s result', () => {
    expect(splitTop('((e: Error) => void) | undefined', '|')).toEqual(['((e: Error) => void)', 'undefined']);
    expect(splitTop('{ on: (x: number) => string; id: string }'.slice(1, -1), ';')).toEqual(['on: (x: number) => string', 'id: string']);
    expect(functionType('(a: (b: string) => void, c?: number) => Promise<(string | null)>')).toEqual({ params: 'a: (b: string) => void, c?: number', returns: 'Promise<(string | null)>' });
    expect(functionType('(string | number)[]')).toBeUndefined();
  });

  it('answers a callback with one that returns a sample, one that fails when its result is unused, and async ones for promises', () => {
    expect(candidates(param('done', '((e: Error) => void) | undefined', true), emptyWorld())).toEqual(['() => undefined', '() => { throw new Error("callback failed"); }']);
    expect(candidates(param('load', '() => Promise<number>'), emptyWorld())).toEqual(['async () => 1', 'async () => 0']);
    expect(candidates(param('make', '() => { id: string }'), emptyWorld())?.[0]).toBe('() => ({ id: "1" })');
  });
});

describe('built-in and declared values', () => {
  it('makes tuples, and arrays of them', () => {
    expect(candidates(param('pair', '[string, boolean]'), emptyWorld())).toEqual(['["example", true]', '["", false]']);
    expect(candidates(param('pairs', '[number, number][]'), emptyWorld())?.[0]).toBe('[[1, 1]]');
  });

  it('makes dates, buffers, signals and big integers, never an empty object for a number', () => {
    expect(candidates(param('when', 'Date'), emptyWorld())?.[0]).toBe('new Date("2024-01-15T00:00:00.000Z")');
    expect(candidates(param('data', 'Uint8Array'), emptyWorld())?.[0]).toBe('new Uint8Array([1, 2, 3])');
    expect(candidates(param('signal', 'AbortSignal'), emptyWorld())).toEqual(['new AbortController().signal', 'AbortSignal.abort()']);
    expect(candidates(param('big', 'bigint'), emptyWorld())).toEqual(['1n', '0n', '-1n']);
    expect(candidates(param('count', 'number | undefined', true), emptyWorld())).not.toContain('{}');
  });

  it('constructs declared classes with their own arguments, and takes enum members, through an import of their module', () => {
    const world = emptyWorld();
    const dependencies = addDeclared(world, {
      declared: {
        Clock: { module: 'src/clock.ts', name: 'Clock', kind: 'class', params: [param('zone', 'string'), param('start', 'Date'), param('tick', 'number', true)] },
        Level: { module: 'src/levels.ts', name: 'Level', kind: 'enum', members: ['Low', 'High'] },
        Mine: { module: 'src/subject.ts', name: 'Mine', kind: 'class', params: [] },
      },
    } as never, 'src/subject.ts', (module) => `../${module.slice(4, -3)}`);
    expect(dependencies).toEqual([{ alias: 'clockTypes', specifier: '../clock' }, { alias: 'levelsTypes', specifier: '../levels' }]);
    expect(candidates(param('clock', 'Clock'), world)).toEqual(['new clockTypes.Clock("example", new Date("2024-01-15T00:00:00.000Z"))']);
    expect(candidates(param('level', 'Level'), world)).toEqual(['levelsTypes.Level.Low', 'levelsTypes.Level.High']);
    expect(candidates(param('mine', 'Mine'), world)).toEqual(['new subject.Mine()']);
  });
});
