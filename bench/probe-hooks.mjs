// Module hooks for probe-loaded.mjs: record each resolution, then pass it on unchanged.
import { appendFileSync } from 'node:fs';

let out;

export function initialize(data) {
  out = data.out;
}

export async function resolve(specifier, context, nextResolve) {
  try {
    const result = await nextResolve(specifier, context);
    appendFileSync(out, `${specifier}\t${result.url}\n`);
    return result;
  } catch (error) {
    appendFileSync(out, `${specifier}\t!${error.code ?? 'ERROR'}\n`);
    throw error;
  }
}
