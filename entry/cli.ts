/**
 * The `orchestrate` executable (bundled as dist/cli.js): a composition root.
 * It hands the CLI the world (the built-in handlers) that the package's API
 * (entry/index.ts) is bound to as well; src/ never imports handlers/.
 */
import { main } from '../src/cli/main.js';
import { ExitCode } from '../src/errors.js';
import { compileCacheFromEnv } from '../src/settings/compile-cache-env.js';
import { world } from './world.js';

// Imported without being run (`import('dist/cli.js')` to time loading), it does nothing.
const isEntry = process.argv[1] !== undefined && import.meta.url.endsWith('/dist/cli.js');
if (isEntry || process.env.ORCHESTRATE_FORCE_MAIN === '1') {
  // A reader that goes away (`| head`) is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  // Before anything loads a large CommonJS library (TypeScript, through ts-morph).
  compileCacheFromEnv(process.env, process.cwd(), (line) => process.stderr.write(`${line}\n`));
  // The arguments after `node orchestrate.js` (what yargs' hideBin gives, without loading yargs).
  main(process.argv.slice(2), world).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`internal error: ${String(error)}\n`);
      process.exitCode = ExitCode.failed;
    },
  );
}
