/**
 * Loads one plan once, timed, in a fresh process: what `bench/plan-cache.mjs`
 * bundles and runs cold, with the cache folder it names (a miss when empty, a
 * hit when filled) or none. Prints one JSON line.
 */
import { builtInRegistry } from '../handlers/built-in.js';
import { PlanCache } from '../src/config/plan-cache.js';
import { checkPlanFile, resolveChecked, type PlanLocation } from '../src/plan/load-plan.js';
import { loadWork } from '../src/config/load.js';

const [config = 'config/phases.yaml', cacheDir = ''] = process.argv.slice(2);
const registry = builtInRegistry();
const cache = cacheDir ? new PlanCache({ dir: cacheDir, build: 'bench' }) : undefined;
const location: PlanLocation = { config, processCwd: process.cwd(), expand: { env: process.env }, cache };
const start = performance.now();
const checked = await checkPlanFile(location, registry);
if (!checked.ok) throw new Error('the plan has problems');
resolveChecked(checked, location);
const ms = performance.now() - start;
process.stdout.write(`${JSON.stringify({ ms, hits: cache?.stats.hits ?? 0, stored: cache?.stats.stored ?? 0, unwritable: cache?.stats.unwritable ?? 0, ...loadWork })}\n`);
