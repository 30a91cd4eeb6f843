/**
 * The Ink reporter: the live tree on the terminal (stderr), redrawn as events
 * come and on a short tick for spinners and elapsed times. Its first frame is
 * painted at once, without Ink (tree-frame.ts); Ink loads meanwhile and takes
 * over by erasing that frame and drawing its own. The tree is taken off the screen
 * while a person answers a manual step; at the end its last frame stays and the
 * shared recap is printed below it, so both remain in the scrollback.
 */
import type { Writable } from 'node:stream';
import { UserError } from '../errors.js';
import type { EngineEvent } from '../engine/events.js';
import type { RunResult } from '../engine/executor.js';
import type { Plan } from '../plan/types.js';
import type { MountedTree, mountTree as MountTreeFn } from './ink/mount.js';
import { ProgressModel } from './progress-model.js';
import { RunJournal, renderDiffs, renderRecap } from './recap.js';
import type { Reporter, ReporterOptions } from './reporter.js';
import { frameLines, loadTruncation, paintFrame, type PaintedFrame, type TreeFrameProps as ProgressTreeProps } from './tree-frame.js';

type MountTree = typeof MountTreeFn;

/** How often spinners and clocks move. */
const TICK_MS = 100;

type Terminal = Writable & { rows?: number; columns?: number; isTTY?: boolean };

/** Create the Ink reporter: paints the first frame, and loads ink and react without waiting for them. */
export async function createInkReporter(plan: Plan, options: ReporterOptions): Promise<Reporter> {
  const stream = options.stream as Terminal;
  const why = stream.isTTY !== true ? 'stderr is a pipe or a file' : !stream.rows ? 'the terminal on stderr reports no size' : undefined;
  if (why) {
    throw new UserError(`--reporter ink draws a live tree within the terminal's height, and ${why}`, {
      hint: 'use --reporter plain (lines), json (for tools) or github (in GitHub Actions)',
    });
  }
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

  // The first frame goes on the screen at once, painted as Ink will draw it;
  // when Ink has loaded it erases that frame and draws in its place.
  let painted: PaintedFrame | undefined;
  let mountTree: MountTree | undefined;
  let tree: MountedTree | undefined;
  let paused = 0;
  let finished = false;
  const unpaint = () => {
    painted?.erase();
    painted = undefined;
  };
  /** Paint the frame of now, unless Ink draws, a pause holds, or the run has ended (by the time lines that must be measured can be). */
  const paint = async (): Promise<void> => {
    let lines = frameLines(props());
    if (!lines) {
      await loadTruncation();
      lines = frameLines(props());
    }
    if (!lines || tree || painted || paused > 0 || finished) return;
    painted = paintFrame(stream, lines);
  };
  await paint();

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
  const mount = (mountWith: MountTree) => {
    unpaint();
    tree = mountWith(stream as NodeJS.WriteStream, props());
    startTicking();
  };
  // Until Ink draws, a resized terminal gets the painted frame again at its new size.
  const onResize = () => {
    if (tree) draw();
    else if (painted) {
      unpaint();
      void paint();
    }
  };
  stream.on('resize', onResize);

  void import('./ink/mount.js').then(
    (loaded) => {
      mountTree = loaded.mountTree;
      if (!finished && paused === 0) mount(mountTree);
    },
    (error: unknown) => {
      // The run goes on; its frames are painted once more at the end.
      if (finished) return;
      const shown = painted !== undefined;
      unpaint();
      stream.write(`${options.style.yellow('warning:')} the live tree could not load (${error instanceof Error ? error.message : String(error)}); it is drawn again when the run ends\n`);
      if (shown) void paint();
    },
  );

  /** Stop drawing for good, leaving the last frame on the screen. */
  const stop = async () => {
    finished = true;
    stopTicking();
    stream.off('resize', onResize);
    if (!tree) {
      // The run ended before Ink drew: the last frame, painted the same way, stays.
      if (painted) {
        await loadTruncation();
        unpaint();
        paintFrame(stream, frameLines(props()) ?? []);
      }
      return;
    }
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
      unpaint();
    },
    resume() {
      paused = Math.max(0, paused - 1);
      if (tree || painted || paused > 0 || finished) return;
      if (mountTree) mount(mountTree);
      else void paint();
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
