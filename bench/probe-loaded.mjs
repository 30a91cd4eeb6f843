// Loaded with `node --import ./bench/probe-loaded.mjs ...`: records every
// module the process asks for, one `specifier<TAB>url` line each, in the file
// named by ORCHESTRATE_BENCH_PROBE. ESM imports are seen by a resolve hook
// (probe-hooks.mjs, which runs on the loader thread); CommonJS requires by
// wrapping Module._load. Attempts that fail are recorded too (url `!CODE`), so
// a package that is asked for but not installed still shows.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const out = process.env.ORCHESTRATE_BENCH_PROBE;
if (out) {
  register('./probe-hooks.mjs', import.meta.url, { data: { out } });
  const load = Module._load;
  Module._load = function probeLoad(request, ...rest) {
    appendFileSync(out, `${request}\trequire\n`);
    return load.call(this, request, ...rest);
  };
}
