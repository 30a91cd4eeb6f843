/**
 * The schema of a fleet file (`fleet.yaml`): one plan applied to many
 * repositories, listed or selected through the GitHub API, each with its own
 * variables and overrides, and the pacing of the pull requests. Types are
 * inferred from the schema; the JSON Schema handed to editors comes from it.
 */
import { z } from 'zod';
import { durationSchema } from '../config/duration-schema.js';
import { phaseIdSchema } from '../config/schema.js';

const SLUG = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

const coverageCapSchema = z
  .strictObject({
    lines: z.number().min(0).max(100).optional(),
    statements: z.number().min(0).max(100).optional(),
    functions: z.number().min(0).max(100).optional(),
    branches: z.number().min(0).max(100).optional(),
  })
  .describe("Coverage targets for this repository: every phase's expected_coverage and every coverage checkpoint's min are lowered to at most these.");

const overridesSchema = z
  .strictObject({
    variables: z.record(z.string(), z.unknown()).optional().describe('Plan variables for this repository, over the fleet and plan ones.'),
    coverage: coverageCapSchema.optional(),
    phases: z.array(phaseIdSchema).min(1).optional().describe('The phases to run in this repository, instead of the fleet’s.'),
    skip: z.boolean().optional().describe('Leave this repository out (kept in the file, for the record).'),
  });

export const repositoryEntrySchema = overridesSchema.extend({
  repo: z.string().regex(SLUG, { error: 'must be owner/name, for example octo-org/service' }).describe('owner/name on GitHub (used for the API and the pull requests).'),
  url: z.string().min(1).optional().describe('Clone URL (default: https://github.com/owner/name.git, or GITHUB_SERVER_URL); a path or file:// URL works too.'),
});

export const selectionSchema = z
  .strictObject({
    org: z.string().min(1).optional().describe('Every repository of this organisation...'),
    user: z.string().min(1).optional().describe('...or of this user.'),
    topics: z.array(z.string().min(1)).optional().describe('Only repositories with all of these topics.'),
    language: z.string().min(1).optional().describe('Only repositories whose main language is this (case-insensitive).'),
    name: z.string().min(1).optional().describe('Only names matching this glob (`*` and `?`), for example `svc-*`.'),
    exclude: z.array(z.string().min(1)).optional().describe('Names (or globs) to leave out.'),
    include_archived: z.boolean().optional().describe('Also archived repositories (default: skipped; they cannot take pull requests).'),
    include_forks: z.boolean().optional().describe('Also forks (default: skipped).'),
  })
  .refine((s) => (s.org === undefined) !== (s.user === undefined), { error: 'name exactly one of `org` and `user`' });

export const pacingSchema = z
  .strictObject({
    concurrency: z.int().min(1).max(64).optional().describe('Repositories worked on at once (default 4).'),
    max_open_prs: z.int().min(1).optional().describe('At most this many of the fleet’s pull requests open at once; further repositories wait for a later run.'),
    max_new_prs_per_hour: z.int().min(1).optional().describe('At most this many new pull requests in any hour.'),
    batch_size: z.int().min(1).optional().describe('Work through the repositories in batches of this many...'),
    pause_between_batches: durationSchema.optional().describe('...with this pause between batches (e.g. 10m).'),
  });

export const pullRequestSchema = z.strictObject({
  branch: z.string().min(1).optional().describe('Branch pattern with {id} and {name} (default orchestrate/phase-{id}).'),
  draft: z.boolean().optional(),
  labels: z.array(z.string().min(1)).optional(),
  reviewers: z.array(z.string().min(1)).optional(),
  merge_method: z.enum(['merge', 'squash', 'rebase']).optional().describe('How `fleet merge` merges (default: the first the repository allows of merge, squash, rebase).'),
  close_comment: z.string().min(1).optional().describe('Comment `fleet close` leaves on each pull request it closes.'),
});

export const fleetSchema = z.strictObject({
  version: z.literal(1).describe('Format version; 1.'),
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'letters, digits, ".", "_" and "-", starting with a letter or digit' }).describe('Name of the fleet (names its state folder).'),
  plan: z.string().min(1).describe('The plan (phases.yaml) to apply, relative to this file.'),
  phases: z.array(phaseIdSchema).min(1).optional().describe('Phases to run (default: all).'),
  yes: z.boolean().optional().describe('Accept manual steps (run --yes); otherwise a repository with one stops awaiting a person.'),
  author: z.string().min(1).optional().describe('Author of the commits, "Name <email>" (default: git config).'),
  state_dir: z.string().min(1).optional().describe('Where clones, logs and the per-repository state live, relative to this file (default .orchestrate-fleet/<name>).'),
  variables: z.record(z.string(), z.unknown()).optional().describe('Plan variables for every repository.'),
  repositories: z.array(repositoryEntrySchema).optional().describe('Repositories listed one by one (with their overrides).'),
  select: selectionSchema.optional().describe('Repositories chosen through the GitHub API; listed entries with the same repo give overrides.'),
  pacing: pacingSchema.optional(),
  pull_requests: pullRequestSchema.optional(),
});

export type FleetConfig = z.infer<typeof fleetSchema>;
export type RepositoryEntry = z.infer<typeof repositoryEntrySchema>;
export type Selection = z.infer<typeof selectionSchema>;
export type Pacing = z.infer<typeof pacingSchema>;
export type CoverageCap = z.infer<typeof coverageCapSchema>;

/** The JSON Schema of fleet.yaml, for editors and `orchestrate schema --fleet`. */
export function fleetJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(fleetSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { $schema: schema.$schema, $id: 'https://orchestrate.dev/schema/fleet.schema.json', title: 'orchestrate fleet (fleet.yaml)', ...schema };
}
