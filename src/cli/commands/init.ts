/**
 * `orchestrate init`: read the target repository and print a commented
 * starter phases.yaml for it; `--write` writes it (to --config, else
 * phases.yaml in the target), never over an existing file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ExitCode, UserError } from '../../errors.js';
import { inspectRepository } from '../../init/inspect-repository.js';
import { starterPlan } from '../../init/starter-plan.js';
import { BUILT_IN_TEMPLATES } from '../../templates/built-in.js';
import type { CliIo } from '../io.js';
import type { GlobalOptions } from '../main.js';

interface InitArgs extends GlobalOptions {
  write: boolean;
}

/** Print (or write) the starter plan. */
export async function initCommand(args: InitArgs, io: CliIo): Promise<number> {
  const root = path.resolve(io.cwd, args.cwd ?? '.');
  if (!isDirectory(root)) {
    throw new UserError(`the target repository ${root} does not exist or is not a directory`, { hint: 'Pass an existing repository with --cwd.' });
  }
  const output = args.config === undefined ? path.join(root, 'phases.yaml') : path.resolve(io.cwd, args.config);
  const schemaFile = path.join(path.dirname(BUILT_IN_TEMPLATES), 'schema', 'phases.schema.json');
  const relative = path.relative(path.dirname(output), schemaFile).split(path.sep).join('/');
  const text = starterPlan(inspectRepository(root), path.isAbsolute(relative) ? schemaFile : relative);
  if (!args.write) {
    io.stdout.write(text);
    return ExitCode.ok;
  }
  const near = path.relative(io.cwd, output);
  const shown = near === '' || near.startsWith('..') ? output : near;
  if (fs.existsSync(output)) {
    throw new UserError(`${shown} already exists; orchestrate init does not overwrite a plan`, {
      hint: `Run \`orchestrate init${args.cwd ? ` --cwd ${args.cwd}` : ''}\` without --write to print the starter plan and merge what you want by hand, or pass --config with another path.`,
    });
  }
  fs.mkdirSync(path.dirname(output), { recursive: true });
  fs.writeFileSync(output, text, { flag: 'wx' });
  const config = args.config === undefined && args.cwd === undefined ? '' : ` --config ${shown}`;
  const cwd = args.cwd === undefined ? '' : ` --cwd ${args.cwd}`;
  io.stdout.write(`Wrote ${shown}. Next: orchestrate validate${config}, then orchestrate run --all --dry-run${config}${cwd}\n`);
  return ExitCode.ok;
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
