/**
 * A shard's results, as one folder a CI job uploads: `run --shard i/n`
 * writes `.orchestrate/shard-<i>-of-<n>/` in the target, holding
 *
 *   shard.json   which shard, the plan's hash, the commit it ran on, its runs,
 *                the part each task played, and every file it wrote (sha256)
 *   runs/        the shard's own run logs (the truth its task results come from)
 *   files/       a copy of every file it wrote, at its root-relative path
 *
 * and `merge-results` reads them back. The folder is made beside its final
 * place and renamed into it, so a job stopped while writing leaves either the
 * old folder or the new one, never half of one.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../errors.js';
import type { Shard } from '../plan/shard.js';
import { statePaths } from './paths.js';
import { listRunLogs, readRunLog } from './run-log.js';
import { snapshotFromLogs } from './snapshot.js';

/** The part a task played in a shard: its share of a split task, the whole of it (shard 1), or none (done in shard 1). */
export const taskRoles = ['split', 'whole', 'elsewhere'] as const;
export type TaskRole = (typeof taskRoles)[number];

export const bundleSchema = z.object({
  version: z.literal(1),
  shard: z.object({ index: z.number().int().min(1), count: z.number().int().min(1) }),
  planFile: z.string(),
  planHash: z.string(),
  /** The commit the shard ran on, when the target is a git repository. */
  baseCommit: z.string().optional(),
  /** The shard's runs (their logs are in runs/), oldest first. */
  runs: z.array(z.string()).min(1),
  tasks: z.record(z.string(), z.enum(taskRoles)),
  /** Root-relative path -> sha256 of the content written; null when the shard removed the file. */
  files: z.record(z.string(), z.string().nullable()),
  createdAt: z.string(),
});
export type ShardBundle = z.infer<typeof bundleSchema>;

/** The folder `run --shard` writes its results to. */
export function bundleDir(root: string, shard: Shard): string {
  return path.join(statePaths(root).dir, `shard-${shard.index}-of-${shard.count}`);
}

export interface WriteBundleInput {
  root: string;
  shard: Shard;
  planFile: string;
  planHash: string;
  baseCommit: string | undefined;
  /** Task id -> role, for the tasks of the plan. */
  roles: Record<string, TaskRole>;
}

/** Write the shard's results folder from its run logs (those of this shard and plan); returns it and what it holds. */
export function writeShardBundle(input: WriteBundleInput): { dir: string; bundle: ShardBundle } {
  const { root, shard } = input;
  const logs = listRunLogs(statePaths(root).runsDir)
    .map((file) => ({ file, events: readRunLog(file).events }))
    .filter(({ events }) => {
      const start = events[0];
      return start?.type === 'run:start' && !start.dryRun && start.planHash === input.planHash && start.shard?.index === shard.index && start.shard.count === shard.count;
    });
  if (logs.length === 0) throw new UserError(`no run of shard ${shard.index}/${shard.count} is recorded in ${statePaths(root).runsDir}`);
  const snapshot = snapshotFromLogs(logs.map((log) => log.events));
  const runIds = new Set(logs.map((log) => path.basename(log.file, '.jsonl')));
  const written = new Set<string>();
  for (const record of Object.values(snapshot.tasks)) if (runIds.has(record.lastRunId)) for (const file of record.files) written.add(file);

  const dir = bundleDir(root, shard);
  const temp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(temp, { recursive: true, force: true });
  fs.mkdirSync(path.join(temp, 'runs'), { recursive: true });
  for (const log of logs) fs.copyFileSync(log.file, path.join(temp, 'runs', path.basename(log.file)));
  const files: Record<string, string | null> = {};
  for (const file of [...written].sort()) {
    const source = path.join(root, file);
    let content: Buffer;
    try {
      content = fs.readFileSync(source);
    } catch {
      files[file] = null; // written, then removed: the merge removes it too
      continue;
    }
    files[file] = sha256(content);
    const target = path.join(temp, 'files', file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
  const bundle: ShardBundle = {
    version: 1,
    shard: { index: shard.index, count: shard.count },
    planFile: input.planFile,
    planHash: input.planHash,
    ...(input.baseCommit === undefined ? {} : { baseCommit: input.baseCommit }),
    runs: [...runIds],
    tasks: input.roles,
    files,
    createdAt: new Date().toISOString(),
  };
  fs.writeFileSync(path.join(temp, 'shard.json'), `${JSON.stringify(bundle, null, 2)}\n`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(temp, dir);
  return { dir, bundle };
}

/** A shard's results as read back by merge-results: the folder, its manifest, and where it was given. */
export interface ReadBundle {
  /** The folder as the user named it. */
  given: string;
  /** The folder holding shard.json. */
  dir: string;
  bundle: ShardBundle;
}

/**
 * Read the shard results in `given`: a folder holding shard.json (what a job
 * uploads), or a checkout whose `.orchestrate/` holds one `shard-i-of-n/`.
 */
export function readShardBundle(given: string, base: string): ReadBundle {
  const absolute = path.resolve(base, given);
  if (!fs.statSync(absolute, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UserError(`${given}: no such folder`, { hint: 'Name the folders the shard jobs uploaded (each holds shard.json), or checkouts the shards ran in.' });
  }
  const dir = locate(absolute, given);
  const file = path.join(dir, 'shard.json');
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`${relative(base, file)} is not valid JSON (${error instanceof Error ? error.message : String(error)})`, { hint: 'The shard results are damaged: download them again, or run the shard again.' });
  }
  const parsed = bundleSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`${relative(base, file)} is not a shard manifest this version reads (${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'})`, {
      hint: 'Run the shards and merge-results with the same version of orchestrate.',
    });
  }
  for (const run of parsed.data.runs) {
    if (!fs.existsSync(path.join(dir, 'runs', `${run}.jsonl`))) {
      throw new UserError(`${relative(base, dir)} lacks the log of its run ${run} (runs/${run}.jsonl)`, { hint: 'Upload the whole shard folder (.orchestrate/shard-i-of-n/), not only shard.json.' });
    }
  }
  return { given, dir, bundle: parsed.data };
}

function locate(absolute: string, given: string): string {
  if (fs.existsSync(path.join(absolute, 'shard.json'))) return absolute;
  const stateDir = path.join(absolute, '.orchestrate');
  const found = (fs.existsSync(stateDir) ? fs.readdirSync(stateDir) : []).filter((name) => /^shard-\d+-of-\d+$/.test(name) && fs.existsSync(path.join(stateDir, name, 'shard.json')));
  if (found.length === 1) return path.join(stateDir, found[0]!);
  if (found.length > 1) {
    throw new UserError(`${given} holds the results of ${found.length} shards (${found.join(', ')}); name the one to merge`, { hint: `e.g. ${path.join(given, '.orchestrate', found[0]!)}` });
  }
  throw new UserError(`${given} holds no shard results: no shard.json, and no .orchestrate/shard-i-of-n/ in it`, {
    hint: 'Name the folder a `run --shard i/n` job uploaded (.orchestrate/shard-i-of-n/, holding shard.json), or the checkout it ran in.',
  });
}

/** sha256 of a file's bytes, hex. */
export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

function relative(base: string, file: string): string {
  const rel = path.relative(base, file);
  return rel === '' || rel.startsWith('..') ? file : rel;
}
