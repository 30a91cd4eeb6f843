/**
 * The workflow actions and YAML primitives on every real workflow of the
 * corpus (../shared/corpus/workflows; SOURCES.tsv says where each comes
 * from). Each edit goes through the pipeline of the handler (parse, plan,
 * splice, re-parse and proof of the intended data), then: no line outside the
 * nodes an operation names changed (collateral lines, required 0), a second
 * application changes nothing, and a workflow that passed
 * @action-validator/core still passes. An action that does not fit a file
 * reports "not applicable", never a crash. The counts are printed and written
 * to workflow-corpus.summary.txt in the OS temp dir.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { action as approvalGates } from '../../handlers/config-edit/actions/add-approval-gates.js';
import { action as concurrency } from '../../handlers/config-edit/actions/add-concurrency.js';
import { action as containerScanning } from '../../handlers/config-edit/actions/add-container-scanning.js';
import { action as migrationStep } from '../../handlers/config-edit/actions/add-migration-step.js';
import { action as pathFilters } from '../../handlers/config-edit/actions/add-path-filters.js';
import { action as sbom } from '../../handlers/config-edit/actions/add-sbom-generation.js';
import { action as productionDeploy } from '../../handlers/config-edit/actions/implement-production-deploy.js';
import { action as stagingDeploy } from '../../handlers/config-edit/actions/implement-staging-deploy.js';
import { action as trivyBlocking } from '../../handlers/config-edit/actions/make-trivy-blocking.js';
import { action as parallelize } from '../../handlers/config-edit/actions/parallelize-python-builds.js';
import { action as pinActions, unpinnedUses } from '../../handlers/config-edit/actions/pin-actions.js';
import { yamlAppend, yamlDelete, yamlMerge, yamlSet } from '../../handlers/config-edit/actions/primitives.js';
import { action as removeContinueOnError } from '../../handlers/config-edit/actions/remove-continue-on-error.js';
import { action as setPermissions } from '../../handlers/config-edit/actions/set-permissions.js';
import { action as timeoutMinutes } from '../../handlers/config-edit/actions/set-timeout-minutes.js';
import type { Workflow } from '../../handlers/config-edit/actions/workflow.js';
import { editText } from '../../handlers/config-edit/edit.js';
import { yamlEngine } from '../../handlers/config-edit/formats/yaml.js';
import type { ConfigAction, DataPath, EditOp } from '../../handlers/config-edit/ops.js';

const CORPUS = path.resolve(import.meta.dirname, '../../../shared/corpus/workflows');
const FILE = '.github/workflows/ci.yml';

type Jobs = Record<string, Record<string, unknown>>;
/** Params for one file, or a reason the test itself finds the action does not fit. */
type Params = Record<string, unknown> | { skip: string };

const firstJob = (jobs: Jobs) => Object.keys(jobs)[0] ?? 'build';
/** The first job that runs steps (a job calling a reusable workflow takes none). */
const stepJob = (jobs: Jobs) => Object.keys(jobs).find((id) => Array.isArray(jobs[id]?.steps));
const pythonJob = (jobs: Jobs) =>
  Object.keys(jobs).find((id) => JSON.stringify(jobs[id]?.steps ?? '').includes('actions/setup-python') || /python|pytest/i.test(id));

/** Each action with the roadmap's params, adapted to the jobs the file has. */
const CASES: { action: ConfigAction; params: (jobs: Jobs) => Params }[] = [
  { action: removeContinueOnError as ConfigAction, params: () => ({}) },
  {
    action: migrationStep as ConfigAction,
    params: (jobs) => {
      const job = stepJob(jobs);
      return job === undefined ? { skip: 'no job with steps' } : { command: 'npm run db:migrate', jobs: [job], env_secret: 'DATABASE_URL' };
    },
  },
  {
    action: stagingDeploy as ConfigAction,
    params: () => ({ environment: 'staging', url: 'https://staging.demo.example.com', registry: 'ghcr.io/demo-org/demo-monorepo', branch: 'main' }),
  },
  {
    action: productionDeploy as ConfigAction,
    params: (jobs) => ({ environment: 'production', url: 'https://demo.example.com', registry: 'ghcr.io/demo-org/demo-monorepo', needs: [firstJob(jobs)] }),
  },
  {
    action: approvalGates as ConfigAction,
    params: (jobs) => {
      // GitHub allows no environment on a job calling a reusable workflow.
      const job = stepJob(jobs);
      return job === undefined ? { skip: 'no job with steps' } : { environments: ['production'], required_reviewers: 1, jobs: { production: job } };
    },
  },
  { action: trivyBlocking as ConfigAction, params: () => ({ severity: 'CRITICAL,HIGH', exit_code: 1, ignore_unfixed: true }) },
  {
    action: parallelize as ConfigAction,
    params: (jobs) => {
      const job = pythonJob(jobs);
      return job === undefined || !Array.isArray(jobs[job]?.steps) ? { skip: 'no Python job with steps' } : { job, python_versions: ['3.10', '3.11', '3.12'], working_directory: 'python' };
    },
  },
  {
    action: pathFilters as ConfigAction,
    params: () => ({ filters: { node: ['src/**', 'package.json'], python: ['python/**'], workflows: ['.github/workflows/**'] } }),
  },
  { action: pathFilters as ConfigAction, params: () => ({ filters: ['src/**', 'package.json'] }) },
  { action: sbom as ConfigAction, params: () => ({ format: 'spdx-json', artifact_name: 'sbom', retention_days: 90 }) },
  { action: containerScanning as ConfigAction, params: () => ({ image: 'ghcr.io/demo-org/demo-monorepo', severity: 'CRITICAL,HIGH', dockerfile: 'Dockerfile' }) },
  { action: yamlSet as ConfigAction, params: () => ({ path: 'concurrency', value: { group: 'ci-${{ github.ref }}', 'cancel-in-progress': true } }) },
  {
    action: yamlMerge as ConfigAction,
    params: (jobs) => {
      const job = stepJob(jobs);
      return job === undefined ? { skip: 'no job with steps' } : { path: `jobs["${job}"].env`, value: { DEPLOY_STRATEGY: 'blue-green', ROLLBACK_ON_FAILURE: 'true' } };
    },
  },
  {
    action: yamlAppend as ConfigAction,
    params: (jobs) => {
      const job = stepJob(jobs);
      return job === undefined ? { skip: 'no job with steps' } : { path: `jobs["${job}"].steps`, value: { name: 'Done', run: 'echo done' } };
    },
  },
  {
    // A SHA for every action the file uses (made up: the edit, not GitHub, is under test).
    action: pinActions as ConfigAction,
    params: (jobs) => ({
      lookup: false,
      shas: Object.fromEntries(unpinnedUses({ jobs } as Workflow).map((use) => [`${use.name}@${use.ref}`, createHash('sha1').update(`${use.name}@${use.ref}`).digest('hex')])),
    }),
  },
  { action: setPermissions as ConfigAction, params: (jobs) => ({ jobs: { [firstJob(jobs)]: { contents: 'write', 'pull-requests': 'write' } } }) },
  { action: concurrency as ConfigAction, params: () => ({}) },
  { action: timeoutMinutes as ConfigAction, params: () => ({ minutes: 20 }) },
  {
    action: yamlDelete as ConfigAction,
    params: (jobs) => (stepJob(jobs) === undefined ? { skip: 'no job with steps' } : { path: 'jobs.*.steps[uses^=actions/checkout]', all: true }),
  },
];

const files = readdirSync(CORPUS)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort()
  .map((name) => ({ name, text: readFileSync(path.join(CORPUS, name), 'utf8').replace(/\r\n/g, '\n') }));

/** Outcomes per action name, for the docs' figures. */
const byAction = new Map<string, Record<string, number>>();
const count = (name: string, outcome: string) => {
  const row = byAction.get(name) ?? {};
  row[outcome] = (row[outcome] ?? 0) + 1;
  byAction.set(name, row);
};

const tally = { applied: 0, changed: 0, unchanged: 0, notApplicable: 0, noFit: 0, validatedBefore: 0, validatedAfter: 0, collateral: 0 };

afterAll(() => {
  const line = `workflows: ${files.length} files x ${CASES.length} actions = ${tally.applied} applied: ${tally.changed} changed, ${tally.unchanged} already in place, ${tally.notApplicable} not applicable (the action's outcome), ${tally.noFit} without a fitting job (params not formed); collateral lines: ${tally.collateral}; action-validator: ${tally.validatedAfter} of ${tally.validatedBefore} changed files that passed before still pass`;
  const rows = [...byAction].map(([name, row]) => `  ${name}: ${Object.entries(row).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  console.log([line, ...rows].join('\n'));
  writeFileSync(path.join(tmpdir(), 'workflow-corpus.summary.txt'), `${[line, ...rows].join('\n')}\n`);
});

describe('workflow actions on the corpus', () => {
  it('has the 45 workflows', () => {
    expect(files.length).toBe(45);
  });

  it.each(files)('$name', async ({ name, text }) => {
    const data = yamlEngine.parse(text, name) as { jobs?: Jobs } | null;
    const validBefore = validateWorkflow(text).errors.length === 0;
    for (const { action, params: paramsFor } of CASES) {
      const params = paramsFor(data?.jobs ?? {});
      tally.applied += 1;
      if ('skip' in params) {
        count(action.name, 'without a fitting job');
        tally.noFit += 1;
        continue;
      }
      const outcome = await editText(FILE, text, action, params);
      if (outcome.kind === 'not_applicable') {
        expect(outcome.reason, `${action.name} on ${name}`).toMatch(/\S/);
        count(action.name, 'not applicable');
        tally.notApplicable += 1;
        continue;
      }
      if (outcome.kind === 'unchanged') {
        count(action.name, 'already in place');
        tally.unchanged += 1;
        continue;
      }
      count(action.name, 'changed');
      tally.changed += 1;
      const plan = action.plan({ file: FILE, format: 'yaml', data, params: (action.params.parse(params)) });
      const ops = plan.kind === 'ops' ? plan.ops : [];
      const collateral = collateralLines(text, ops);
      tally.collateral += collateral.length;
      expect(collateral, `${action.name} on ${name}`).toEqual([]);
      const again = await editText(FILE, outcome.text, action, params);
      expect(again.kind, `${action.name} applied twice to ${name}`).toBe('unchanged');
      if (validBefore) {
        tally.validatedBefore += 1;
        const errors = validateWorkflow(outcome.text).errors;
        expect(errors, `${action.name} on ${name}:\n${outcome.text}`).toEqual([]);
        tally.validatedAfter += 1;
      }
    }
  });
});

/**
 * The original lines an edit changed outside the lines its operations name,
 * one operation at a time: the lines of a replaced or deleted entry (from its
 * key or dash to the end of its value) and its parent's key line (an emptied
 * map becomes `key: {}`); for new keys or items, the key line of the nearest
 * existing node (a flow collection or an empty value is rewritten there), and
 * a last line without a final newline. Because the pipeline already proved the
 * data, any reformatted neighbour shows up here as a changed line.
 */
function collateralLines(original: string, ops: readonly EditOp[]): string[] {
  const out: string[] = [];
  let text = original;
  for (const op of ops) {
    const next = yamlEngine.apply(text, [op], FILE);
    const before = text.split('\n');
    const after = next.split('\n');
    let prefix = 0;
    while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix]) prefix += 1;
    let suffix = 0;
    while (suffix < before.length - prefix && suffix < after.length - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix += 1;
    const allowed = allowedLines(text, op);
    for (let line = prefix; line < before.length - suffix; line += 1) {
      if (!allowed.has(line)) out.push(`${formatOp(op)}: line ${line + 1}: ${before[line]}`);
    }
    text = next;
  }
  return out;
}

function allowedLines(text: string, op: EditOp): Set<number> {
  const doc = parseDocument(text);
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length - 1;
  const allowed = new Set<number>();
  const addRange = (from: number, to: number) => {
    for (let line = lineOf(from); line <= lineOf(Math.max(from, to - 1)); line += 1) allowed.add(line);
  };
  if (!text.endsWith('\n')) allowed.add(text.split('\n').length - 1);
  let node = doc.contents as Node | null;
  let entryStart = 0;
  const path: DataPath = op.path;
  for (const [i, key] of path.entries()) {
    let next: Node | null | undefined;
    let start = 0;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
      next = pair === undefined ? undefined : ((pair.value ?? null) as Node | null);
      start = pair === undefined ? 0 : (pair.key as Node).range![0];
    } else if (isSeq(node) && typeof key === 'number') {
      next = (node.items[key] ?? undefined) as Node | null | undefined;
      start = next?.range?.[0] ?? 0;
    }
    if (next === undefined) {
      // A new key or item: only the nearest existing node's key line (and a flow collection's lines) may change.
      allowed.add(lineOf(entryStart));
      if ((isMap(node) || isSeq(node)) && node.flow === true) addRange(node.range![0], node.range![1]);
      return allowed;
    }
    if (i === path.length - 1) allowed.add(lineOf(entryStart));
    entryStart = start;
    node = next;
  }
  if (op.op === 'insert') {
    if ((isMap(node) || isSeq(node)) && node.flow === true) addRange(node.range![0], node.range![1]);
    allowed.add(lineOf(entryStart));
    if (node === null || (isScalar(node) && node.value === null)) allowed.add(lineOf(entryStart));
    return allowed;
  }
  addRange(entryStart, node?.range?.[1] ?? entryStart + 1);
  return allowed;
}

function formatOp(op: EditOp): string {
  return `${op.op} ${JSON.stringify(op.path)}`;
}
