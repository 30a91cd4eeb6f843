/**
 * The Ink reporter: the live tree on the terminal (stderr), redrawn as events
 * come and on a short tick for spinners and elapsed times; taken off the screen
 * while a person answers a manual step; at the end its last frame stays and the
 * shared recap is printed below it, so both remain in the scrollback.
 */
import type { Writable } from 'node:stream';
import { UserError } from '../errors.js';
import type { EngineEvent } from '../engine/events.js';
import type { RunResult } from '../engine/executor.js';
import type { Plan } from '../plan/types.js';
import type { MountedTree } from './ink/mount.js';
import type { ProgressTreeProps } from './ink/ProgressTree.js';
import { ProgressModel } from './progress-model.js';
import { RunJournal, renderDiffs, renderRecap } from './recap.js';
import type { Reporter, ReporterOptions } from './reporter.js';

/** How often spinners and clocks move. */
const TICK_MS = 100;

type Terminal = Writable & { rows?: number; columns?: number; isTTY?: boolean };

/** Create the Ink reporter; loads ink and react. */
export async function createInkReporter(plan: Plan, options: ReporterOptions): Promise<Reporter> {
  const stream = options.stream as Terminal;
  const why = stream.isTTY !== true ? 'stderr is a pipe or a file' : !stream.rows ? 'the terminal on stderr reports no size' : undefined;
  if (why) {
    throw new UserError(`--reporter ink draws a live tree within the terminal's height, and ${why}`, {
      hint: 'use --reporter plain (lines), json (for tools) or github (in GitHub Actions)',
    });
  }
  const { mountTree } = await import('./ink/mount.js');
  const model = new ProgressModel(plan);
  const journal = new RunJournal(options.recap);
  const props = (): ProgressTreeProps => ({
    model,
    title: `orchestrate ${plan.project.name}`,
    now: Date.now(),
    rows: stream.rows ?? 24,
    columns: stream.columns || 80,
    style: options.style,
  });

  let tree: MountedTree | undefined = mountTree(stream as NodeJS.WriteStream, props());
  let scheduled = false;
  const draw = () => {
    scheduled = false;
    tree?.update(props());
  };
  const schedule = () => {
    if (scheduled || !tree) return;
    scheduled = true;
    setImmediate(draw);
  };
  let ticker: NodeJS.Timeout | undefined;
  const startTicking = () => {
    ticker ??= setInterval(draw, TICK_MS);
    // The run's own work keeps the process alive; the clock must not.
    ticker.unref();
  };
  const stopTicking = () => {
    clearInterval(ticker);
    ticker = undefined;
  };
  const onResize = () => draw();
  stream.on('resize', onResize);
  startTicking();

  let paused = 0;
  let finished = false;
  /** Stop drawing for good, leaving the last frame on the screen. */
  const stop = async () => {
    finished = true;
    stopTicking();
    stream.off('resize', onResize);
    if (!tree) return;
    const mounted = tree;
    tree = undefined;
    mounted.update(props());
    await mounted.unmount();
  };

  return {
    onEvent(event: EngineEvent) {
      model.apply(event);
      journal.add(event);
      schedule();
    },
    // Pauses nest (a Ctrl-C message while a question is open): draw again only when the last ends.
    pause() {
      paused++;
      stopTicking();
      tree?.clear();
      tree = undefined;
    },
    resume() {
      paused = Math.max(0, paused - 1);
      if (tree || paused > 0 || finished) return;
      tree = mountTree(stream as NodeJS.WriteStream, props());
      startTicking();
    },
    async close() {
      await stop();
    },
    async finish(result: RunResult) {
      await stop();
      // The diffs first: a long one must not scroll the recap away.
      if (journal.dryRun && result.changes.length) (options.stdout ?? stream).write(`\n${renderDiffs(result)}`);
      stream.write(renderRecap(plan, journal, result, options.style, { details: options.verbose }));
    },
  };
}
