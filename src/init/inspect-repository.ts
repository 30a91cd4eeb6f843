/**
 * Reads a repository for `orchestrate init`: its name and the Node, Python
 * and workflow facts the starter plan is written from. Reads files under the
 * root only; runs nothing, prints nothing.
 */
import path from 'node:path';
import { inspectNode, readJson, read } from './inspect-node.js';
import { inspectPython } from './inspect-python.js';
import { inspectWorkflows } from './inspect-workflows.js';
import type { RepositoryFacts } from './starter-plan.js';

/** The facts of the repository at `root`. */
export function inspectRepository(root: string): RepositoryFacts {
  const node = inspectNode(root);
  const python = inspectPython(root);
  const manifestName = readJson(path.join(root, 'package.json'))?.name;
  const pyprojectName = python === undefined ? undefined : /^\s*name\s*=\s*["']([^"']+)["']/m.exec(read(path.join(root, python.dir, 'pyproject.toml')))?.[1];
  const name = typeof manifestName === 'string' && manifestName !== '' ? manifestName : (pyprojectName ?? path.basename(path.resolve(root)));
  return { name, node, python, workflows: inspectWorkflows(root) };
}
