/**
 * Asking a person at a manual task, on a plain terminal: the instructions,
 * the checklist, then done / skip / abort. Used only when stdin and stderr
 * are terminals and CI is not detected.
 */
import { createInterface } from 'node:readline/promises';
import type { PromptAnswer, PromptRequest } from '../engine/handler.js';
import type { Style } from '../plan/render/style.js';

/** A prompt function bound to the process's terminal. */
export function terminalPrompt(style: Style): (request: PromptRequest) => Promise<PromptAnswer> {
  return async (request) => {
    const out = process.stderr;
    out.write(`\n${style.bold(`Manual step ${request.taskId}: ${request.title}`)}\n${request.instructions.trim()}\n`);
    for (const item of request.checklist) out.write(`  [ ] ${item}\n`);
    const rl = createInterface({ input: process.stdin, output: out });
    // The terminal is in raw mode while the question is open, so Ctrl-C reaches readline, not the
    // process: hand it on, so that it stops the run as it does anywhere else.
    rl.on('SIGINT', () => process.kill(process.pid, 'SIGINT'));
    try {
      for (;;) {
        const question = `${style.cyan('?')} Is it done? [d]one / [s]kip / [a]bort: `;
        const answer = (await (request.signal ? rl.question(question, { signal: request.signal }) : rl.question(question))).trim().toLowerCase();
        if (answer === 'd' || answer === 'done' || answer === 'y' || answer === 'yes') return 'done';
        if (answer === 's' || answer === 'skip') return 'skip';
        if (answer === 'a' || answer === 'abort') return 'abort';
      }
    } finally {
      rl.close();
    }
  };
}
