/**
 * `.orchestrate/.gitignore`: the state folder's runtime files (run logs, the
 * lock, the working-tree record, `state.json`) stay out of `git status`, so a
 * run leaves nothing untracked of its own. `state.json` still reaches the
 * phase commits (`run --commit` puts it in the commit directly), and
 * `templates/`, which people write, stays visible. A `.gitignore` already
 * there is the repository's own and is left as it is.
 */
import fs from 'node:fs';
import path from 'node:path';

const CONTENT = `# Written by orchestrate: its run logs, lock and state stay out of git status.
# \`orchestrate run --commit\` commits state.json all the same; templates/ is yours.
*
!templates/
!templates/**
`;

/** Write the state folder's .gitignore unless one is there. */
export function ensureStateIgnored(stateDir: string): void {
  try {
    fs.writeFileSync(path.join(stateDir, '.gitignore'), CONTENT, { flag: 'wx' });
  } catch {
    // There already (or the folder is read-only): either way nothing to do.
  }
}
