/**
 * The plan as one repository of the fleet runs it: the fleet's plan with the
 * repository's variables merged in and its coverage targets lowered where
 * the fleet file says so. Written beside the fleet's state (never into the
 * clone, whose working tree must stay clean), comments and layout kept.
 * Without overrides the plan file itself is used.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import writeFileAtomic from 'write-file-atomic';
import type { FleetRepository } from './repositories.js';
import { repoKey, statePaths } from './fleet-state.js';

/** The plan file the repository's run reads. */
export function repositoryPlan(planFile: string, stateDir: string, repository: FleetRepository): string {
  const hasVariables = Object.keys(repository.variables).length > 0;
  if (!hasVariables && !repository.coverage) return planFile;
  const doc = parseDocument(fs.readFileSync(planFile, 'utf8'));
  for (const [key, value] of Object.entries(repository.variables)) doc.setIn(['variables', key], value);
  // The copy lives elsewhere: paths the plan gives relative to itself are made absolute.
  const templates = doc.get('templates_dir');
  if (typeof templates === 'string') doc.set('templates_dir', path.resolve(path.dirname(planFile), templates));
  if (repository.coverage) lowerCoverage(doc, repository.coverage);
  const out = path.join(statePaths(stateDir).plans, `${repoKey(repository.slug)}.yaml`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  writeFileAtomic.sync(out, doc.toString());
  return out;
}

/** Lower every phase's expected_coverage and coverage checkpoint min to at most the cap. */
function lowerCoverage(doc: Document, cap: Record<string, number | undefined>): void {
  const phases = doc.get('phases');
  if (!isSeq(phases)) return;
  phases.items.forEach((_phase, i) => {
    lowerFigures(doc, ['phases', i, 'expected_coverage'], cap);
    const checkpoints = doc.getIn(['phases', i, 'checkpoints']);
    if (isSeq(checkpoints)) checkpoints.items.forEach((_c, j) => lowerFigures(doc, ['phases', i, 'checkpoints', j, 'coverage', 'min'], cap));
  });
}

function lowerFigures(doc: Document, at: Array<string | number>, cap: Record<string, number | undefined>): void {
  const node = doc.getIn(at);
  if (!isMap(node)) return;
  for (const [metric, limit] of Object.entries(cap)) {
    const value = doc.getIn([...at, metric]);
    if (limit !== undefined && typeof value === 'number' && value > limit) doc.setIn([...at, metric], limit);
  }
}
