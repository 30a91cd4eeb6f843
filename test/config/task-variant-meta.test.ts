/**
 * A handler's JSON Schema notes reach `orchestrate schema` unchanged, and a
 * note computed by a getter is computed only when a JSON Schema is made: not
 * when the plan schema is built to check a plan (config_edit's params by
 * action cost tens of milliseconds at every start otherwise).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildPlanSchema } from '../../src/config/schema.js';

describe('a handler schema with JSON Schema notes', () => {
  it('keeps its notes, and computes a getter only for the JSON Schema', () => {
    let computed = 0;
    const fields = z.object({ mode: z.enum(['a', 'b']) }).superRefine(() => undefined);
    const schema = fields.meta({
      description: 'a task with notes',
      get allOf() {
        computed++;
        return [{ if: { properties: { mode: { const: 'a' } } }, then: { required: ['mode'] } }];
      },
    });
    const plan = buildPlanSchema([{ type: 'noted', schema }]);
    const checked = plan.safeParse({ version: 1, project: { name: 'p' }, phases: [{ id: 1, name: 'One', groups: [{ id: 'g', tasks: [{ id: '1.1', type: 'noted', mode: 'a' }] }] }] });
    expect(checked.success, JSON.stringify(checked.error?.issues)).toBe(true);
    expect(computed).toBe(0);

    const json = JSON.stringify(z.toJSONSchema(plan, { io: 'input', unrepresentable: 'any' }));
    expect(computed).toBeGreaterThan(0);
    expect(json).toContain('"description":"a task with notes"');
    expect(json).toContain('"then":{"required":["mode"]}');
  });
});
