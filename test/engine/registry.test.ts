/**
 * The handler registry's deferred entries, as the built-ins use them: their
 * parts serve planning at once, their schemas arrive with `load()`, copies
 * share what was loaded, and a loader that brings something else is refused
 * with the reason.
 */
import { describe, expect, it } from 'vitest';
import { builtInRegistry } from '../../handlers/built-in.js';
import { parsePlan } from '../../src/config/load.js';
import { BugError } from '../../src/errors.js';
import { HandlerRegistrationError, HandlerRegistry } from '../../src/engine/registry.js';

const PLAN = `version: 1
project: { name: deferred }
phases:
  - id: 1
    name: Only
    groups:
      - id: a
        tasks:
          - { id: "1.1", type: command, run: ["echo", "hi"], bogus: 1 }
`;

const parts = {
  type: 'noted',
  summary: 'Write a note.',
  describe: (task: { text: string }) => `note ${task.text}`,
  run: async () => ({ status: 'unchanged' as const, summary: 'noted', files: [] }),
};
const schema = { safeParse: (value: unknown) => ({ success: true, data: value }) };
const origin = { kind: 'built-in', name: 'orchestrate' } as const;

describe('a registry with deferred handlers', () => {
  it('describes tasks before any schema is loaded, and checks plans only after load()', async () => {
    const registry = builtInRegistry();
    expect(registry.handlerFor('command')?.describe({ run: ['echo', 'hi'] } as never)).toBe('run echo hi');
    expect(registry.handlerFor('command')).not.toHaveProperty('schema');
    expect(() => registry.handlers()).toThrow(BugError);
    expect(() => registry.handlers()).toThrow('await registry.load()');

    const copy = registry.copy();
    await registry.load();
    // The copy (a plan's registry with its plugins) shares the loaded handlers.
    expect(copy.handlers().map((handler) => handler.type)).toEqual(['config_edit', 'test_generation', 'file_generation', 'manual', 'command']);
    expect(copy.handlerFor('command')).toHaveProperty('schema');
    const result = parsePlan({ file: 'phases.yaml', text: PLAN, sha256: 'x' }, copy);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual(['9:62 unknown key "bogus"']);
  });

  it('loads each handler once however many ask', async () => {
    let loads = 0;
    const registry = new HandlerRegistry();
    registry.registerDeferred(parts, async () => (loads++, { ...parts, schema }), origin);
    await Promise.all([registry.load(), registry.load(), registry.copy().load()]);
    await registry.load();
    expect(loads).toBe(1);
    expect(registry.handlers()[0]?.schema).toBe(schema);
  });

  it('refuses parts that are not a handler, and a loader that brings another type or no schema', async () => {
    expect(() => new HandlerRegistry().registerDeferred({ ...parts, describe: 'no' }, async () => undefined, origin)).toThrow('`describe` must be a function, found the string "no"');

    const otherType = new HandlerRegistry();
    otherType.registerDeferred(parts, async () => ({ ...parts, type: 'other', schema }), origin);
    await expect(otherType.load()).rejects.toThrow(HandlerRegistrationError);
    await expect(otherType.load()).rejects.toThrow('it loads the handler of "other" for "noted"');

    const noSchema = new HandlerRegistry();
    noSchema.registerDeferred(parts, async () => parts, origin);
    await expect(noSchema.load()).rejects.toThrow("`schema` must be a zod object schema of the task's fields, found nothing");
  });

  it('keeps a deferred type from being taken by a plugin', () => {
    const registry = builtInRegistry();
    expect(() => registry.copy().register({ ...parts, type: 'manual', schema }, { kind: 'plugin', name: './notes.js' })).toThrow('"manual" is a built-in task type');
  });
});
