/**
 * Where the state store keeps its files inside the target repository. Every
 * other module in src/state/ asks this one, so the layout is written down once.
 *
 *   .orchestrate/runs/<run-id>.jsonl   append-only event log of one run
 *   .orchestrate/state.json            snapshot derived from the logs
 *   .orchestrate/lock                  proper-lockfile's lock directory
 *   .orchestrate/lock.json             who holds the lock
 */
import path from 'node:path';

export interface StatePaths {
  dir: string;
  runsDir: string;
  stateFile: string;
  lockDir: string;
  holderFile: string;
}

/** The state store's file layout under `root` (the target repository). */
export function statePaths(root: string): StatePaths {
  const dir = path.join(path.resolve(root), '.orchestrate');
  return {
    dir,
    runsDir: path.join(dir, 'runs'),
    stateFile: path.join(dir, 'state.json'),
    lockDir: path.join(dir, 'lock'),
    holderFile: path.join(dir, 'lock.json'),
  };
}

/** The log file of one run. */
export function runLogPath(root: string, runId: string): string {
  return path.join(statePaths(root).runsDir, `${runId}.jsonl`);
}
