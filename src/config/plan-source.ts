/**
 * A plan file's bytes as the loader keys and parses them: read from disk
 * (size, directory and read errors as UserErrors), decoded, hashed. No YAML:
 * a plan taken from the cache is read through here and never parsed.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { errorMessage, UserError } from '../errors.js';

/** Plans larger than this are refused before parsing. */
export const MAX_PLAN_BYTES = 1024 * 1024;

/** A plan file read from disk, parsed or not. */
export interface PlanSource {
  /** The path as the user named it (for messages). */
  file: string;
  text: string;
  sha256: string;
}

/** Read a plan file from disk; a missing or unreadable file is a UserError. */
export async function readPlanSource(file: string, displayName = file): Promise<PlanSource> {
  let info;
  try {
    info = await stat(file);
  } catch {
    throw new UserError(`no plan file at ${displayName}`, {
      hint: 'pass --config PATH, or create config/phases.yaml (see `orchestrate schema` for the format)',
    });
  }
  if (info.isDirectory()) {
    throw new UserError(`${displayName} is a directory, not a plan file`, { hint: 'pass --config with the path of a phases.yaml file' });
  }
  if (info.size > MAX_PLAN_BYTES) {
    return { file: displayName, text: '', sha256: `oversize:${info.size}` };
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? errorMessage(error);
    throw new UserError(`cannot read the plan file ${displayName} (${code})`, {
      hint: 'check that it is a readable file (not a socket or device) and that you may read it',
    });
  }
  return sourceOf(bytes, displayName);
}

/** A plan's bytes as a source (a file under the size limit, already read). */
export function sourceOf(bytes: Uint8Array, displayName: string): PlanSource {
  return { file: displayName, text: decode(bytes) ?? '\u0000binary', sha256: createHash('sha256').update(bytes).digest('hex') };
}

function decode(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
