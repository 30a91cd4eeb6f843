/**
 * The schema of a settings file (`$XDG_CONFIG_HOME/orchestrate/config.yaml`
 * and a repository's `.orchestrate/config.yaml`): the operator's choices for
 * how a run behaves, as opposed to the plan's description of the work.
 * Types are inferred from the schema.
 */
import { z } from 'zod';
import { durationSchema } from '../config/duration-schema.js';
import { TRUST_LEVELS } from './trust-levels.js';

export { TRUST_LEVELS, type TrustLevel } from './trust-levels.js';

const argvPrefixSchema = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .describe('A program and the first arguments a command must start with: an array, or a string split into words.');

/** What an untrusted plan may still do; honoured from the user file and the default branch's repository file only. */
export const untrustedAllowSchema = z.strictObject({
  commands: z.array(argvPrefixSchema).optional().describe('Argv prefixes that command tasks, checkpoint `run:` and manual `verify` may use.'),
  test_generation: z.boolean().optional().describe('Let test_generation tasks run the target’s test runner (it executes the repository’s code).'),
  env: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).optional().describe('Environment variables `${VAR}` in the plan may read.'),
});

export const settingsSchema = z.strictObject({
  $schema: z.string().optional(),
  reporter: z.enum(['ink', 'plain', 'json', 'github']).optional().describe('How `run` reports progress.'),
  color: z.boolean().optional().describe('Colour on (true) or off (false); default: on a terminal only.'),
  concurrency: z.int().min(1).optional().describe('Tasks at once across the run.'),
  retries: z.int().min(0).max(100).optional().describe('Attempts after the first, for work that sets none.'),
  timeout: durationSchema.optional().describe('Longest time one attempt may take, for work that sets none.'),
  author: z
    .string()
    .regex(/^[^<>]+<[^<>]*>$/, { error: 'author must look like "Name <email>"' })
    .optional()
    .describe('Author of the commits, "Name <email>".'),
  labels: z.array(z.string().min(1)).optional().describe('Labels for the pull requests.'),
  reviewers: z.array(z.string().min(1)).optional().describe('GitHub users asked to review the pull requests.'),
  trust: z.enum(TRUST_LEVELS).optional().describe('trusted (default) or untrusted; a repository file can only lower it.'),
  untrusted: untrustedAllowSchema.optional().describe('Exceptions for untrusted plans (read from the default branch, never from a pull request).'),
});

export type SettingsFile = z.output<typeof settingsSchema>;
export type UntrustedAllow = z.output<typeof untrustedAllowSchema>;
