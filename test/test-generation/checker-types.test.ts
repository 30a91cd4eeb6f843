/**
 * The handler with types from the type checker, on a small project whose
 * functions take what the syntax alone cannot fill: a generic parameter, an
 * interface imported from another module, an enum, a callback and an
 * instance of a project class. Each must end with behavioural tests that pass,
 * not a placeholder; and so must redux's generic combineReducers and its
 * bindActionCreators, which takes the imported Dispatch interface.
 */
import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { installPackages, makeProject, read, repoRoot, runTask } from './harness.js';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));
const tsc = (root: string) => spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: root, encoding: 'utf8' });
const TSCONFIG = JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, skipLibCheck: true, lib: ['ES2022', 'DOM'] }, include: ['src'] });

const FILES = {
  'package.json': JSON.stringify({ name: 'typed', type: 'module', devDependencies: { vitest: '^4' } }),
  'tsconfig.json': TSCONFIG,
  'src/model.ts': `export interface Order {
  id: string;
  quantity: number;
  express?: boolean;
}
export enum Priority { Low = 'low', High = 'high' }
export class Ledger {
  constructor(private readonly owner: string, private readonly limit: number) {}
  allows(amount: number): boolean {
    return amount <= this.limit;
  }
}
`,
  'src/orders.ts': `import type { Order } from './model';
import { Ledger, Priority } from './model';

export function firstOf<T>(items: T[]): T {
  if (items.length === 0) throw new Error('no items');
  return items[0] as T;
}
export function total(order: Order): number {
  if (order.quantity <= 0) throw new Error(\`order \${order.id} is empty\`);
  return order.express ? order.quantity * 2 : order.quantity;
}
export function label(priority: Priority): string {
  return priority === Priority.High ? 'urgent' : 'normal';
}
export function retry(times: number, attempt: () => boolean): number {
  for (let i = 1; i <= times; i++) if (attempt()) return i;
  return -1;
}
export function charge(ledger: Ledger, amount: number): string {
  return ledger.allows(amount) ? 'charged' : 'declined';
}
`,
};

describe('types from the checker', () => {
  it('turn a generic, an imported interface, an enum, a callback and a class instance into passing tests', async () => {
    const project = makeProject(FILES);
    cleanups.push(project.cleanup);
    const ran = await runTask(project.root, { target: 'src/orders.ts', test_file: '{dir}/__tests__/{name}.test.ts' });
    expect(ran.outcome.status).toBe('changed');
    expect(ran.outcome.summary).toMatch(/\d+ tests kept, 0 dropped/);
    const text = await read(project.root, 'src/__tests__/orders.test.ts');
    expect(text).not.toMatch(/it\.todo/);
    // The generic parameter takes its stand-in, the interface from the other module a literal of its fields.
    expect(text).toContain('const result = subject.firstOf(["example"]);\n    expect(result).toBe("example");');
    expect(text).toContain('expect(() => subject.firstOf([])).toThrow("no items");');
    expect(text).toContain('const result = subject.total({ id: "1", quantity: 2, express: true });\n    expect(result).toBe(4);');
    // The enum and the class are reached through the module that declares them.
    expect(text).toContain('import * as modelTypes from "../model";');
    expect(text).toContain('const result = subject.label(modelTypes.Priority.High);\n    expect(result).toBe("urgent");');
    expect(text).toContain('const result = subject.retry(1, () => true);\n    expect(result).toBe(1);');
    expect(text).toMatch(/subject\.charge\(new modelTypes\.Ledger\("example", 2\), 1000000\);\n\s*expect\(result\)\.toBe\("declined"\)/);
    // What the checker knew, the tests say in ways tsc accepts.
    const checked = tsc(project.root);
    expect(checked.stdout + checked.stderr).toBe('');
  }, 300_000);

  it('turn redux\'s generic combineReducers and its bindActionCreators (an imported interface) into passing tests', async () => {
    const installed = await installPackages('packages', { redux: '5.0.1', 'ts-dedent': '2.3.0' });
    const project = makeProject({ 'package.json': JSON.stringify({ name: 'copy-of-redux', type: 'module', devDependencies: { vitest: '^4' } }), 'tsconfig.json': TSCONFIG });
    cleanups.push(project.cleanup);
    cpSync(path.join(installed, 'node_modules', 'redux', 'src'), path.join(project.root, 'src'), { recursive: true, filter: (from) => !/[\\/]__tests__([\\/]|$)/.test(from) });
    const ran = await runTask(project.root, { targets: ['src/combineReducers.ts', 'src/bindActionCreators.ts'], test_file: '{dir}/__tests__/{name}.test.ts' });
    expect(ran.outcome.status).toBe('changed');
    for (const name of ['combineReducers', 'bindActionCreators']) {
      const text = await read(project.root, `src/__tests__/${name}.test.ts`);
      if (process.env.SHOW) console.log(text);
      expect(text).not.toMatch(/it\.todo/);
      expect(text).toMatch(/const result = (await )?subject\.default\(|expect\(\(\) => subject\.default\(/);
    }
    const combine = await read(project.root, 'src/__tests__/combineReducers.test.ts');
    expect(combine).toContain('subject.default({ example: () => undefined })');
    const bind = await read(project.root, 'src/__tests__/bindActionCreators.test.ts');
    // Dispatch is generic (`<T extends Action>(action: T) => T`): the callback hands its action back.
    expect(bind).toContain('subject.default({}, (action) => action)');
    const checked = tsc(project.root);
    expect(checked.stdout + checked.stderr).toBe('');
  }, 600_000);
});
