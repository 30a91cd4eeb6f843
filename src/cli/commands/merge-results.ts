/**
 * `orchestrate merge-results <folder...>`: join the results of the jobs of a
 * sharded run into this checkout (src/state/merge-results.ts), under the
 * repository's lock, and say what was merged and what to run next.
 */
import { headCommit, uncommittedPaths } from '../../git/head-commit.js';
import { acquireLock } from '../../state/lock.js';
import { applyMerge, prepareMerge, type MergeReport } from '../../state/merge-results.js';
import { readShardBundle } from '../../state/shard-bundle.js';
import { loadPlanUnderSettings } from '../../settings/prepare.js';
import { suggest } from '../invocation.js';
import type { CliIo } from '../io.js';
import type { CliContext } from '../context.js';
import type { GlobalOptions } from '../main.js';

interface MergeResultsArgs extends GlobalOptions {
  folders: string[];
  json: boolean;
}

/** Merge the shards' results: 0 when every task is done, 1 when a shard's task failed or did not finish, 3 when one awaits a person, 2 when refused. */
export async function mergeResultsCommand(args: MergeResultsArgs, io: CliIo, context: CliContext): Promise<number> {
  // Every folder is read and checked before the target is touched.
  const bundles = args.folders.map((folder) => readShardBundle(String(folder), io.cwd));
  const { plan } = await loadPlanUnderSettings(args, io, context);
  const root = plan.project.root;
  // Every check runs before the lock is taken: a refused merge leaves the target exactly as it was.
  const prepared = await prepareMerge({
    root,
    planFile: plan.source.file,
    planHash: plan.source.sha256,
    baseCommit: await headCommit(root),
    taskOrder: plan.phases.flatMap((p) => p.groups.flatMap((g) => g.tasks.map((t) => t.id))),
    bundles,
    uncommitted: (files) => uncommittedPaths(root, files),
  });
  let report: MergeReport;
  if ('events' in prepared) {
    const lock = await acquireLock(root, { command: 'orchestrate merge-results' });
    try {
      report = applyMerge(prepared);
    } finally {
      await lock.release();
    }
  } else {
    report = prepared;
  }
  const exitCode = report.status === 'done' ? 0 : report.status === 'awaiting' ? 3 : 1;
  if (args.json) {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return exitCode;
  }
  const { out } = io;
  if (report.alreadyMerged) {
    io.stdout.write(`These ${report.shards} shards were merged before (run ${report.runId}); nothing changed.\n`);
  } else {
    const files = `${report.written.length} file${report.written.length === 1 ? '' : 's'} written${report.removed.length > 0 ? `, ${report.removed.length} removed` : ''}`;
    io.stdout.write(`${out.green('✓')} Merged ${report.shards} shard${report.shards === 1 ? '' : 's'} into run ${report.runId}: ${report.tasks.length} task${report.tasks.length === 1 ? '' : 's'}, ${files}.\n`);
  }
  for (const task of report.tasks) {
    const mark = task.status === 'failed' ? out.red('✗') : task.status === 'cancelled' || task.status === 'awaiting' ? out.yellow('…') : out.green('✓');
    io.stdout.write(`  ${mark} ${task.id} ${task.status}: ${task.summary}\n`);
  }
  io.stdout.write(`Next: ${suggest(args, 'status')}; ${suggest(args, 'run')} with the same selection runs the checkpoints on the merged tree.\n`);
  return exitCode;
}
