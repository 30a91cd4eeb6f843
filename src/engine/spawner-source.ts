/**
 * The program a spawner process runs (`node -e SPAWNER_SOURCE`): it starts
 * the children the parent asks for over the IPC channel and reports on them.
 * Kept as source text, using node built-ins only, so that it runs the same
 * from the bundle, from the sources under test, and wherever the CLI is
 * installed, with no file to find.
 *
 * Messages in:  {t:'spawn', id, file, args, cwd, env?, shell, graceMs}
 * Messages out: {t:'ready'} once; then per child
 *               {t:'pid', id, pid} as soon as it runs,
 *               {t:'out', id, s: 0 (stdout) | 1 (stderr), d: text} in order,
 *               {t:'close', id, code, signal} after its last output, or
 *               {t:'error', id, code, message} when it could not start.
 *
 * Each child leads its own process group. When a leader exits, whatever it
 * left in its group (which would hold the pipes open) gets SIGTERM, then
 * SIGKILL after the grace period. Cancellation and timeouts are the parent's:
 * it signals the group itself, by the pid it was told. Ctrl-C reaches the
 * spawners too (same process group as the parent) and is ignored here: the
 * parent decides what to stop. When the parent goes away, the spawner exits
 * and leaves running children running, as a killed parent would.
 */
export const SPAWNER_SOURCE = String.raw`
'use strict';
const { spawn } = require('node:child_process');
process.on('SIGINT', () => {});
process.on('disconnect', () => process.exit(0));
const send = (message) => { if (process.connected) process.send(message); };
const groupExists = (pid) => { try { process.kill(-pid, 0); return true; } catch { return false; } };
const signalGroup = (pid, signal) => { try { process.kill(-pid, signal); } catch {} };
process.on('message', (m) => {
  if (!m || m.t !== 'spawn') return;
  const id = m.id;
  let child;
  try {
    child = spawn(m.file, m.args, {
      cwd: m.cwd,
      env: m.env ? { ...process.env, ...m.env } : process.env,
      shell: m.shell,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    send({ t: 'error', id, code: error.code, message: String(error.message) });
    return;
  }
  const pid = child.pid;
  if (pid !== undefined) send({ t: 'pid', id, pid });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d) => send({ t: 'out', id, s: 0, d }));
  child.stderr.on('data', (d) => send({ t: 'out', id, s: 1, d }));
  child.once('error', (error) => {
    if (child.pid === undefined) send({ t: 'error', id, code: error.code, message: String(error.message) });
  });
  child.once('exit', () => {
    if (pid === undefined || !groupExists(pid)) return;
    signalGroup(pid, 'SIGTERM');
    setTimeout(() => signalGroup(pid, 'SIGKILL'), m.graceMs).unref();
  });
  child.once('close', (code, signal) => {
    if (pid !== undefined) send({ t: 'close', id, code, signal });
  });
});
send({ t: 'ready' });
`;
