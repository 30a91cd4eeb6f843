/**
 * `add_path_filters`: run a workflow, or its jobs, only when relevant files
 * change.
 * - `filters` as a list of globs: `paths` on the workflow's push and
 *   pull_request triggers (a string or list `on` becomes a map).
 * - `filters` as named groups (`node: [...]`, `python: [...]`): a `changes`
 *   job runs dorny/paths-filter with the groups, and each job of a group
 *   gets `needs: changes` and `if: needs.changes.outputs.<group> == 'true'`.
 *   A job belongs to the groups `params.jobs` gives it, else to the groups
 *   whose name is in its id, else to the language its steps set up (node,
 *   python, go, java, ruby, rust, dotnet). A group named `workflows` or `ci`
 *   reruns every gated job. Jobs of no group are left to run always; when
 *   no job belongs to a group the action does not apply.
 */
import { z } from 'zod';
import type { ActionPlan, ConfigAction, EditOp } from '../ops.js';
import { asWorkflow, defaultRunner, isMap, jobPath, needsOf, notWorkflow, pinned, stepsOf, triggerMap, type Job } from './workflow.js';

const globs = z.array(z.string().min(1)).min(1);
export const params = z.strictObject({
  filters: z
    .union([globs, z.record(z.string().regex(/^[A-Za-z_][\w-]*$/, { error: 'a group name has letters, digits, _ and -' }), globs)], {
      error: 'give filters as a list of globs or a map of group names to globs',
    })
    .describe('Globs for the whole workflow, or named groups of globs for its jobs.'),
  jobs: z.record(z.string(), z.array(z.string())).optional().describe('The groups of each job, when names and steps do not tell.'),
  job: z.string().min(1).optional().describe('The id of the job that detects changes (default changes).'),
});
export type Params = z.output<typeof params>;

const ALWAYS = new Set(['workflows', 'ci']);
const LANGUAGE: Record<string, RegExp> = {
  node: /setup-node|\b(npm|npx|yarn|pnpm)\b/,
  python: /setup-python|\b(pip|pytest|poetry|python3?|tox|uv)\b/,
  go: /setup-go|\bgo (build|test|vet)\b/,
  java: /setup-java|\b(mvn|gradlew?)\b/,
  ruby: /setup-ruby|\b(bundle|rake)\b/,
  rust: /rust-toolchain|\bcargo\b/,
  dotnet: /setup-dotnet|\bdotnet\b/,
};

export const action: ConfigAction<Params> = {
  name: 'add_path_filters',
  summary: 'Run the workflow, or each job, only when files it cares about change.',
  params,
  formats: ['yaml'],
  plan({ file, data, params: p }): ActionPlan {
    const workflow = asWorkflow(data, file, 'add_path_filters');
    if (notWorkflow(workflow)) return workflow;
    if (Array.isArray(p.filters)) return triggerPaths(file, workflow.on, p.filters);
    const groups = p.filters;
    const changes = p.job ?? 'changes';
    const ops: EditOp[] = [];
    const gated: string[] = [];
    for (const [id, job] of Object.entries(workflow.jobs)) {
      if (id === changes || !isMap(job)) continue;
      const own = (p.jobs?.[id] ?? groupsOf(id, job, Object.keys(groups))).filter((g) => !ALWAYS.has(g));
      if (own.length === 0) continue;
      gated.push(`${id} (${own.join(', ')})`);
      const needs = needsOf(job);
      if (!needs.includes(changes)) ops.push({ op: 'set', path: jobPath(id, 'needs'), value: [...needs, changes] });
      const always = Object.keys(groups).filter((g) => ALWAYS.has(g));
      const condition = [...own, ...always].map((g) => `needs.${changes}.outputs.${g} == 'true'`).join(' || ');
      const current = typeof job.if === 'string' ? job.if : undefined;
      if (current === undefined) ops.push({ op: 'set', path: jobPath(id, 'if'), value: condition });
      else if (!current.includes(`needs.${changes}.outputs.`)) ops.push({ op: 'set', path: jobPath(id, 'if'), value: `(${current}) && (${condition})` });
    }
    if (gated.length === 0 && !isMap(workflow.jobs[changes])) {
      return { kind: 'not_applicable', reason: `no job of ${file} belongs to a group (${Object.keys(groups).join(', ')}); name them in params.jobs` };
    }
    if (!isMap(workflow.jobs[changes])) {
      const filterText = Object.entries(groups)
        .map(([name, list]) => `${name}:\n${list.map((g) => `  - '${g.replace(/'/g, "''")}'`).join('\n')}\n`)
        .join('');
      const job: Job = {
        'runs-on': defaultRunner(workflow),
        permissions: { contents: 'read', 'pull-requests': 'read' },
        outputs: Object.fromEntries(Object.keys(groups).map((g) => [g, `\${{ steps.filter.outputs.${g} }}`])),
        steps: [{ uses: pinned(workflow, 'actions/checkout', 'v4') }, { id: 'filter', uses: pinned(workflow, 'dorny/paths-filter', 'v3'), with: { filters: filterText } }],
      };
      ops.unshift({ op: 'set', path: jobPath(changes), value: job });
    }
    return { kind: 'ops', ops, summary: `${file}: ${gated.join(', ') || 'no job'} run only when their files change` };
  },
};

function groupsOf(id: string, job: Job, groups: string[]): string[] {
  const byName = groups.filter((g) => id.toLowerCase().includes(g.toLowerCase()));
  if (byName.length > 0) return byName;
  const text = stepsOf(job)
    .map((s) => `${String(s.uses ?? '')} ${String(s.run ?? '')}`)
    .join('\n');
  return groups.filter((g) => LANGUAGE[g]?.test(text) === true);
}

function triggerPaths(file: string, on: unknown, paths: string[]): ActionPlan {
  const triggers = triggerMap(on);
  const names = ['push', 'pull_request'].filter((t) => Object.hasOwn(triggers, t));
  if (names.length === 0) return { kind: 'not_applicable', reason: `${file} runs on neither push nor pull_request, so path filters do not apply` };
  const ops: EditOp[] = [];
  const asMap = isMap(on);
  for (const name of names) {
    const trigger = triggers[name];
    if (isMap(trigger) && JSON.stringify(trigger.paths) === JSON.stringify(paths)) continue;
    if (isMap(trigger) && trigger['paths-ignore'] !== undefined) {
      // GitHub refuses paths and paths-ignore on one trigger: the filter replaces the ignore list.
      ops.push({ op: 'delete', path: ['on', name, 'paths-ignore'] });
    }
    if (asMap) ops.push({ op: 'set', path: ['on', name, 'paths'], value: paths });
  }
  if (!asMap) {
    const value = Object.fromEntries(Object.entries(triggers).map(([k, v]) => [k, names.includes(k) ? { paths } : v]));
    return { kind: 'ops', ops: [{ op: 'set', path: ['on'], value }], summary: `${file}: runs only when ${paths.join(', ')} change` };
  }
  return { kind: 'ops', ops, summary: `${file}: runs only when ${paths.join(', ')} change` };
}
