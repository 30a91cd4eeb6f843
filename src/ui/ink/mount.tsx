/**
 * Mounting the tree with Ink on a stream, loaded only by the Ink reporter (so
 * ink and react load only when that reporter is chosen).
 */
import { render, type Instance } from 'ink';
import { ProgressTree, type ProgressTreeProps } from './ProgressTree.js';

export interface MountedTree {
  update(props: ProgressTreeProps): void;
  /** Erase the tree from the screen and stop drawing. */
  clear(): void;
  /** Stop drawing, leaving the last frame on the screen. */
  unmount(): Promise<void>;
}

function Nothing() {
  return null;
}

/** Draw the tree on `stream` (a terminal). */
export function mountTree(stream: NodeJS.WriteStream, props: ProgressTreeProps): MountedTree {
  const instance: Instance = render(<ProgressTree {...props} />, {
    stdout: stream,
    stderr: stream,
    // The run handles Ctrl-C itself (cancel children, record the interruption).
    exitOnCtrlC: false,
    // Handlers never print; anything else printing must not be swallowed into the tree.
    patchConsole: false,
    maxFps: 15,
  });
  return {
    update: (next) => instance.rerender(<ProgressTree {...next} />),
    clear: () => {
      // Ink's clear() leaves a throttled frame pending, which unmount would then
      // draw again: render nothing instead, and let unmount flush that.
      instance.rerender(<Nothing />);
      instance.unmount();
    },
    unmount: async () => {
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}
