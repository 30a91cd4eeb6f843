/**
 * `pin_actions`: pin each action and reusable workflow a workflow uses to a
 * full commit SHA, keeping the tag as a comment (`uses: actions/checkout@<sha> # v4`),
 * so that a moved or compromised tag cannot change what CI runs; Dependabot
 * and Renovate read the comment to keep the pins up to date. SHAs come from
 * `shas` in the params, else from the GitHub API when a token is set
 * (GITHUB_TOKEN or GH_TOKEN). Local actions (`./...`) and `docker://` images
 * are left as they are.
 */
import { z } from 'zod';
import type { ActionPlan, ConfigAction, DataPath, EditOp } from '../ops.js';
import { asWorkflow, isMap, notWorkflow, stepsOf, type Workflow } from './workflow.js';

const SHA = /^[0-9a-f]{40}$/;

export const params = z.strictObject({
  shas: z
    .record(z.string().regex(/^[\w.-]+\/[\w.-]+(\/[^@\s]*)?@[^@\s]+$/, 'a key is owner/repo@ref, e.g. actions/checkout@v4'), z.string().regex(SHA, 'a full commit SHA: 40 hexadecimal digits'))
    .optional()
    .describe('The commit SHA of each owner/repo@ref, e.g. "actions/checkout@v4": 11bd7190...'),
  exclude: z.array(z.string().min(1)).optional().describe('Owners (actions/) or repositories (actions/checkout) to leave on their tags.'),
  lookup: z.boolean().optional().describe('Look up SHAs missing from shas through the GitHub API when GITHUB_TOKEN or GH_TOKEN is set (default true).'),
});
export type Params = z.output<typeof params>;

/** One `uses:` that names a remote action or workflow by a ref that is not a SHA. */
export interface Use {
  path: DataPath;
  /** owner/repo */
  repo: string;
  /** What comes before the @: owner/repo, or owner/repo/path for an action in a folder or a workflow file. */
  name: string;
  ref: string;
}

/** The uses of a workflow that a SHA could pin. */
export function unpinnedUses(workflow: Workflow, exclude: readonly string[] = []): Use[] {
  const out: Use[] = [];
  const consider = (value: unknown, path: DataPath) => {
    if (typeof value !== 'string') return;
    const match = /^([\w.-]+\/[\w.-]+)((?:\/[^@\s]*)?)@(\S+)$/.exec(value.trim());
    if (match === null || SHA.test(match[3]!)) return;
    const [, repo, rest, ref] = match as unknown as [string, string, string, string];
    const excluded = exclude.some((item) => (item.endsWith('/') ? repo.startsWith(item) : repo === item || `${repo}${rest}` === item));
    if (!excluded) out.push({ path, repo, name: `${repo}${rest}`, ref });
  };
  for (const [id, job] of Object.entries(workflow.jobs)) {
    if (!isMap(job)) continue;
    consider(job.uses, ['jobs', id, 'uses']);
    const steps = Array.isArray(job.steps) ? (job.steps as unknown[]) : [];
    for (const step of stepsOf(job)) consider(step.uses, ['jobs', id, 'steps', steps.indexOf(step), 'uses']);
  }
  return out;
}

/** The SHA for a use: by its full name (owner/repo/path@ref), else by owner/repo@ref. */
function shaFor(use: Use, shas: Record<string, string>): string | undefined {
  return shas[`${use.name}@${use.ref}`] ?? shas[`${use.repo}@${use.ref}`];
}

export const action: ConfigAction<Params> = {
  name: 'pin_actions',
  summary: 'Pin actions and reusable workflows to a full commit SHA, keeping the tag as a comment.',
  params,
  formats: ['yaml'],
  async resolve({ data, params: p }, signal) {
    const workflow = asWorkflow(data, '', 'pin_actions');
    if (notWorkflow(workflow) || p.lookup === false) return { params: p, notes: [] };
    const shas = p.shas ?? {};
    const missing = unpinnedUses(workflow, p.exclude).filter((use) => shaFor(use, shas) === undefined);
    if (missing.length === 0) return { params: p, notes: [] };
    const { lookUpShas } = await import('./action-shas.js');
    const found = await lookUpShas(missing.map((use) => ({ repo: use.repo, ref: use.ref })), signal);
    return { params: { ...p, shas: { ...found.shas, ...shas } }, notes: found.notes };
  },
  plan({ file, data, params: p }): ActionPlan {
    const workflow = asWorkflow(data, file, 'pin_actions');
    if (notWorkflow(workflow)) return workflow;
    const uses = unpinnedUses(workflow, p.exclude);
    const ops: EditOp[] = [];
    const unknown = new Set<string>();
    for (const use of uses) {
      const sha = shaFor(use, p.shas ?? {});
      if (sha === undefined) unknown.add(`${use.repo}@${use.ref}`);
      else ops.push({ op: 'set', path: use.path, value: `${use.name}@${sha}`, comment: use.ref });
    }
    const left = [...unknown];
    const hint = 'give their SHAs in params.shas, or set GITHUB_TOKEN (or GH_TOKEN) to look them up';
    if (ops.length === 0 && left.length > 0) {
      return { kind: 'not_applicable', reason: `pin_actions found no SHA for ${left.join(', ')} in ${file}: ${hint}` };
    }
    const notes = left.length === 0 ? [] : [`left on their tags, no SHA known: ${left.join(', ')} (${hint})`];
    return { kind: 'ops', ops, notes, summary: `${file}: ${ops.length} action${ops.length === 1 ? '' : 's'} pinned to a commit SHA` };
  },
};
