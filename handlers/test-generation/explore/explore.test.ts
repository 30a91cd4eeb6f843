/**
 * The pure parts of exploration: which arguments are tried for a parameter,
 * which literals of the source become candidates, how the probe's two passes
 * merge into what a test may pin, how an outcome reads as a test, and which
 * scenarios are kept.
 */
import { describe, expect, it } from 'vitest';
import { looksMadeOfChance, mergeOutcomes, scenarioTest } from './assert.js';
import { select } from './index.js';
import { candidates, emptyWorld, harvestLiterals } from './pools.js';
import { reachedUnits, type Outcome, type ProbeResult } from './probe.js';
import { variants, type Scenario } from './scenarios.js';

const param = (name: string, type: string, optional = false) => ({ name, type, optional, rest: false });

describe('candidates', () => {
  it('starts with the plain sample, then values that tend to take other branches', () => {
    const world = { ...emptyWorld(), strings: ['admin'] };
    const pool = candidates(param('email', 'string'), world) ?? [];
    expect(pool[0]).toBe('"user@example.com"');
    expect(pool).toEqual(expect.arrayContaining(['"not-an-email"', '""', '"admin"']));
    expect(candidates(param('count', 'number'), emptyWorld())).toEqual(['2', '0', '-1', '1000000', '2.5']);
  });

  it('tries every member of a literal union, and null for a nullable parameter', () => {
    expect(candidates(param('role', "'admin' | 'user'"), emptyWorld())).toEqual(["'admin'", "'user'"]);
    expect(candidates(param('flag', 'boolean | null'), emptyWorld())).toEqual(['true', 'false', 'null']);
  });

  it('builds an object with and without its optional fields, then varies one field at a time, and uses a factory for a type the project can make', () => {
    const world = { ...emptyWorld(), shapes: { User: [param('name', 'string'), param('age', 'number', true)] }, factories: { Clock: 'clockModule.systemClock()' } };
    const users = candidates(param('user', 'User'), world) ?? [];
    expect(users.slice(0, 2)).toEqual(['{ name: "Ada" }', '{ name: "Ada", age: 2 }']);
    // Every later one differs from the full object in one field only.
    expect(users.slice(2)).toContain('{ name: "", age: 2 }');
    expect(users.slice(2)).toContain('{ name: "Ada", age: 0 }');
    for (const user of users.slice(2)) expect([/^\{ name: "Ada", /.test(user), /, age: 2 \}$/.test(user)]).toContain(true);
    expect(candidates(param('clock', 'Clock'), world)).toEqual(['clockModule.systemClock()']);
  });

  it('gives up on a type it knows nothing about, so the call is not guessed', () => {
    expect(candidates(param('pool', 'Pool'), emptyWorld())).toBeUndefined();
  });
});

describe('harvestLiterals', () => {
  it('collects the strings and numbers the code compares against, not those it imports or prints', () => {
    const found = harvestLiterals(`import { x } from './x';
export function f(kind: string, n: number) {
  if (kind === 'gold') return 1;
  switch (kind) { case "silver": return 2; }
  if ('bronze' == kind) return 3;
  if (n >= 18) return console.log('adult');
  return 0;
}`);
    expect(found.strings).toEqual(['gold', 'silver', 'bronze']);
    expect(found.numbers).toEqual([18]);
  });
});

const returned = (v: string | number | boolean | null): Outcome => ({ promise: false, value: { t: 'prim', v } });
const threw = (message: string): Outcome => ({ promise: false, threw: { name: 'Error', message } });

describe('mergeOutcomes', () => {
  it('pins a value both passes agree on, and only its type when they differ', () => {
    expect(mergeOutcomes(returned(2), returned(2))).toEqual({ promise: false, value: { t: 'prim', v: 2 } });
    expect(mergeOutcomes(returned(1700000000001), returned(1700259212346))).toEqual({ promise: false, value: { t: 'any', of: 'number' } });
  });

  it('drops a scenario that threw in one pass and returned in the other', () => {
    expect(mergeOutcomes(threw('too early'), returned(3))).toBeUndefined();
  });

  it('keeps the thrown message when it is the same twice, and leaves it out when it is not', () => {
    expect(mergeOutcomes(threw('no item 1'), threw('no item 1'))).toEqual({ promise: false, threw: { message: 'no item 1' } });
    expect(mergeOutcomes(threw('at 10:01'), threw('at 10:02'))).toEqual({ promise: false, threw: { message: undefined } });
  });

  it('never pins a token or a timestamp, even when both passes saw the same one', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const merged = mergeOutcomes({ promise: false, value: { t: 'obj', ctor: 'Object', fields: { token: { t: 'prim', v: token }, name: { t: 'prim', v: 'Ada' } } } }, undefined);
    expect(merged?.value).toEqual({ t: 'obj', ctor: 'Object', fields: { token: { t: 'any', of: 'string' }, name: { t: 'prim', v: 'Ada' } } });
  });

  it('says nothing about a scenario whose set-up failed', () => {
    expect(mergeOutcomes({ promise: false, setupFailed: 'no database' }, undefined)).toBeUndefined();
  });
});

describe('looksMadeOfChance', () => {
  it('recognises UUIDs, hashes, ISO timestamps and JWTs', () => {
    expect(looksMadeOfChance('3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b')).toBe(true);
    expect(looksMadeOfChance('5f4dcc3b5aa765d61d8327deb882cf99')).toBe(true);
    expect(looksMadeOfChance('2026-12-05T12:00:00.000Z')).toBe(true);
    expect(looksMadeOfChance('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ')).toBe(true);
  });

  it('leaves ordinary words, messages and slugs alone', () => {
    for (const text of ['Ada', 'not a port: example', 'hello-world', 'name is required']) expect(looksMadeOfChance(text)).toBe(false);
  });
});

const scenario = (id: number, owner: string, call: string): Scenario => ({ id, block: `export ${owner}`, owner, shown: call.replace('subject.', ''), setup: [], call, cleanup: [] });

describe('scenarioTest', () => {
  it('writes a returned value as the assertion, named by what it returned', () => {
    const test = scenarioTest(scenario(0, 'add', 'subject.add(1, 1)'), { promise: false, value: { t: 'prim', v: 2 } });
    expect(test.title).toBe('add(1, 1) returns 2');
    expect(test.lines).toEqual(['const result = subject.add(1, 1);', 'expect(result).toBe(2);']);
  });

  it('writes a throw and a rejection with their messages', () => {
    expect(scenarioTest(scenario(0, 'parsePort', 'subject.parsePort("x")'), { promise: false, threw: { message: 'not a port: x' } }).lines).toEqual([
      'expect(() => subject.parsePort("x")).toThrow("not a port: x");',
    ]);
    const rejected = scenarioTest(scenario(0, 'load', 'subject.load(1)'), { promise: true, threw: { message: 'missing' } });
    expect(rejected.title).toBe('load(1) rejects with "missing"');
    expect(rejected.lines).toEqual(['await expect(subject.load(1)).rejects.toThrow("missing");']);
  });

  it('checks only the type of a value that changed between the passes, and matches objects loosely', () => {
    expect(scenarioTest(scenario(0, 'now', 'subject.now()'), { promise: false, value: { t: 'any', of: 'number' } }).lines).toContain("expect(typeof result).toBe('number');");
    const made = scenarioTest(scenario(0, 'make', 'subject.make()'), { promise: true, value: { t: 'obj', ctor: 'Object', fields: { id: { t: 'any', of: 'string' }, name: { t: 'prim', v: 'Ada' } } } });
    expect(made.lines).toEqual(['const result = await subject.make();', 'expect(result).toMatchObject({ id: expect.any(String), name: "Ada" });']);
  });

  it('spreads an iterator the call returned, as the probe drained it, and pins its items', () => {
    const items = { t: 'arr' as const, iter: true, length: 2, items: [{ t: 'prim' as const, v: 'a' }, { t: 'prim' as const, v: 'b' }] };
    const keys = scenarioTest(scenario(0, 'keys', 'subject.keys()'), { promise: false, value: items });
    expect(keys.title).toBe('keys() yields 2 items');
    expect(keys.lines).toEqual(['const result = [...subject.keys()];', 'expect(result).toMatchObject(["a", "b"]);']);
    const later = scenarioTest(scenario(0, 'open', 'subject.open()'), { promise: true, value: { ...items, length: 0, items: [] } });
    expect(later.title).toBe('open() resolves to an iterator yielding nothing');
    expect(later.lines).toEqual(['const result = [...(await subject.open())];', 'expect(result).toEqual([]);']);
  });

  it('pins a response by its status and JSON body', () => {
    const test = scenarioTest({ ...scenario(0, 'GET /x', "app.inject({ method: 'GET', url: '/x' })"), shown: 'GET /x without signing in', request: true }, { promise: true, value: { t: 'response', status: 401, body: { t: 'obj', ctor: 'Object', fields: { error: { t: 'prim', v: 'sign in first' } } } } });
    expect(test.title).toBe('GET /x without signing in answers 401');
    expect(test.lines).toEqual([
      "const response = await app.inject({ method: 'GET', url: '/x' });",
      'expect(response.statusCode).toBe(401);',
      'expect(response.json()).toMatchObject({ error: "sign in first" });',
    ]);
  });
});

describe('select', () => {
  const scenarios = [scenario(0, 'grade', 'subject.grade(95)'), scenario(1, 'grade', 'subject.grade(96)'), scenario(2, 'grade', 'subject.grade(10)')];
  const outcomes = (values: string[], reached: string[][]): ProbeResult['outcomes'] =>
    new Map(values.map((v, i) => [i, { first: returned(v), second: returned(v), reached: reached[i] ?? [] }]));

  it('keeps, with coverage counters, only the scenarios that reach something new', () => {
    const probe: ProbeResult = { outcomes: outcomes(['A', 'A', 'F'], [['s1', 's2'], ['s1', 's2'], ['s1', 's3']]), initial: ['s0'], measured: true, error: undefined };
    expect(select(scenarios, probe, new Set()).map((k) => k.scenario.id)).toEqual([0, 2]);
  });

  it('counts what other tests reach as reached already (a gap task)', () => {
    const probe: ProbeResult = { outcomes: outcomes(['A', 'A', 'F'], [['s1', 's2'], ['s1', 's2'], ['s1', 's3']]), initial: [], measured: true, error: undefined };
    expect(select(scenarios, probe, new Set(['s1', 's2']), 0).map((k) => k.scenario.id)).toEqual([2]);
    expect(select(scenarios, probe, new Set(['s1', 's2', 's3']), 0)).toEqual([]);
  });

  it('never keeps a request the app answered with a server error, however much it reaches', () => {
    const answered = (status: number) => ({ promise: true, value: { t: 'response' as const, status, body: undefined } });
    const probe: ProbeResult = {
      outcomes: new Map([
        [0, { first: answered(500), second: answered(500), reached: ['s1', 's2'] }],
        [1, { first: answered(400), second: answered(400), reached: ['s1'] }],
      ]),
      initial: [],
      measured: true,
      error: undefined,
    };
    expect(select(scenarios.slice(0, 2), probe, new Set()).map((k) => k.scenario.id)).toEqual([1]);
  });

  it('keeps, without counters, one scenario per distinct outcome of each callable', () => {
    const probe: ProbeResult = { outcomes: outcomes(['A', 'A', 'F'], []), initial: [], measured: false, error: undefined };
    expect(select(scenarios, probe, new Set()).map((k) => k.scenario.id)).toEqual([0]);
    const throwing: ProbeResult = {
      outcomes: new Map([0, 1, 2].map((i) => [i, { first: threw(`no item ${i}`), second: threw(`no item ${i}`), reached: [] }])),
      initial: [],
      measured: false,
      error: undefined,
    };
    // "no item 0", "no item 1", ... differ only in the id they echo: one test says it.
    expect(select(scenarios, throwing, new Set())).toHaveLength(1);
  });
});

describe('choosing what to keep from measured runs', () => {
  const call = (id: number, owner: string) => ({ id, block: `export ${owner}`, owner, shown: `${owner}(${id})`, setup: [], call: `subject.${owner}(${id})`, cleanup: [] });
  const returned = (v: number) => ({ promise: false, value: { t: 'prim' as const, v } });
  const run = (entries: [number, number, string[]][]): ProbeResult => ({
    outcomes: new Map(entries.map(([id, v, reached]) => [id, { first: returned(v), second: returned(v), reached }])),
    initial: [],
    measured: true,
    error: undefined,
  });

  it('drops a kept call whose code the later ones reach as well', () => {
    const calls = [call(0, 'f'), call(1, 'f'), call(2, 'f')];
    // 0 reaches a; 1 reaches a and b; 2 reaches c: once 1 is kept, 0 adds nothing.
    const probe = run([[0, 5, ['a']], [1, 5, ['a', 'b']], [2, 5, ['c']]]);
    expect(select(calls, probe, new Set(), 0).map((k) => k.scenario.id)).toEqual([1, 2]);
  });

  it('does not minimise requests: each that reached new code when tried keeps its test', () => {
    const calls = [{ ...call(0, 'GET /a'), request: true }, { ...call(1, 'GET /a'), request: true }];
    const probe = run([[0, 5, ['a']], [1, 5, ['a', 'b']]]);
    expect(select(calls, probe, new Set(), 0).map((k) => k.scenario.id)).toEqual([0, 1]);
  });

  it('keeps a few calls that reach nothing new when they pin a value not seen yet', () => {
    const calls = [call(0, 'f'), call(1, 'f'), call(2, 'f'), call(3, 'f'), call(4, 'f')];
    const probe = run([[0, 1, ['a']], [1, 1, ['a']], [2, 2, ['a']], [3, 3, ['a']], [4, 4, ['a']]]);
    // 1 repeats 0's value; 2 and 3 show new ones; 4 is past the two extras a callable gets.
    expect(select(calls, probe, new Set()).map((k) => k.scenario.id)).toEqual([0, 2, 3]);
  });
});

describe('coverage units from V8 block counts', () => {
  it('counts a block as reached when its innermost range ran, even where V8 merged it into its parent', () => {
    // Scenario 0 ran f (0-100) and its if-branch (10-20 is absent: same count as f), not the else (20-30).
    // Scenario 1 took the else branch, so the if-branch (10-20) shows with count 0.
    const deltas = new Map([
      [0, { 'src/m.ts': [0, 100, 1, 20, 30, 0] }],
      [1, { 'src/m.ts': [0, 100, 1, 10, 20, 0] }],
    ]);
    const reached = reachedUnits(deltas);
    expect(reached.get(0)?.sort()).toEqual(['src/m.ts|0', 'src/m.ts|10']);
    expect(reached.get(1)?.sort()).toEqual(['src/m.ts|0', 'src/m.ts|20']);
  });
});

describe('variants', () => {
  it('fill a rest parameter with one value and then two, after the plain call', () => {
    const list = variants([param('label', 'string'), { name: 'values', type: 'number[]', optional: false, rest: true }], emptyWorld()) ?? [];
    const calls = list.map((v) => v.args);
    expect(calls[0]).toEqual([list[0]?.args[0]]);
    expect(calls).toContainEqual([list[0]?.args[0], '1']);
    expect(calls).toContainEqual([list[0]?.args[0], '1', '0']);
  });
});
