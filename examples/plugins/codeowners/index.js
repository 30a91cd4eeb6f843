// @ts-check
/**
 * A `codeowners` task type for orchestrate: makes sure CODEOWNERS names the
 * owners a platform team wants for each path, without touching other rules.
 * A plan uses it with `handlers: [orchestrate-codeowners]` (installed) or a
 * path to this file, then tasks such as
 *
 *   - id: "1.4"
 *     type: codeowners
 *     rules:
 *       - { pattern: ".github/workflows/", owners: ["@acme/platform"] }
 *       - { pattern: "/infra/", owners: ["@acme/sre", "@acme/platform"] }
 *
 * It is an ordinary orchestrate plugin: a default export with the handler
 * contract (type, summary, schema, describe, touches, run). Files go through
 * `ctx.workspace`, so `--dry-run` shows the change as a diff and writes nothing.
 */
import { z } from 'zod';

/** A GitHub user or team (`@name`, `@org/team`) or an email address. */
const OWNER = /^(@[A-Za-z0-9][\w.-]*(\/[\w.-]+)?|[^@\s]+@[^@\s]+\.[^@\s]+)$/;

const ruleSchema = z.strictObject({
  pattern: z
    .string()
    .min(1)
    .refine((pattern) => !/\s/.test(pattern), { error: 'a CODEOWNERS pattern has no spaces; escape them as "\\ "' })
    .describe('A gitignore-style path pattern, e.g. /infra/ or *.tf.'),
  owners: z
    .array(z.string().regex(OWNER, { error: 'an owner is @user, @org/team or an email address' }))
    .min(1, { error: 'a rule needs at least one owner' })
    .describe('Who reviews changes to the pattern: @user, @org/team or an email address.'),
});

const schema = z.object({
  file: z.string().min(1).default('.github/CODEOWNERS').describe('The CODEOWNERS file, relative to the repository root.'),
  rules: z.array(ruleSchema).min(1, { error: 'give at least one rule' }).describe('Rules to have in the file; a later rule wins, as in GitHub.'),
});

/** @typedef {{ file: string, rules: { pattern: string, owners: string[] }[] }} CodeownersFields */

/**
 * The rules of `text` updated with `rules`: a rule whose pattern is already
 * there has its owners replaced in place; a new one is appended.
 * @param {string} text
 * @param {CodeownersFields['rules']} rules
 */
export function applyRules(text, rules) {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  let added = 0;
  let updated = 0;
  for (const rule of rules) {
    const wanted = `${rule.pattern} ${rule.owners.join(' ')}`;
    const at = lines.findIndex((line) => !line.trimStart().startsWith('#') && line.trim().split(/\s+/)[0] === rule.pattern);
    if (at === -1) {
      lines.push(wanted);
      added++;
    } else if (lines[at]?.trim().split(/\s+/).slice(1).join(' ') !== rule.owners.join(' ')) {
      lines[at] = wanted;
      updated++;
    }
  }
  return { text: `${lines.join('\n')}\n`, added, updated };
}

/** @type {import('orchestrate-rollout').Handler<CodeownersFields>} */
const codeowners = {
  type: 'codeowners',
  summary: 'Make CODEOWNERS name the given owners for each path pattern, leaving other rules as they are.',
  schema,
  describe(task) {
    const patterns = task.rules.map((rule) => rule.pattern);
    return `set owners of ${patterns.length === 1 ? patterns[0] : `${patterns.length} paths`} in ${task.file}`;
  },
  touches(task) {
    return [task.file];
  },
  async run(task, ctx) {
    ctx.signal.throwIfAborted();
    const before = (await ctx.workspace.read(task.file)) ?? '';
    const { text, added, updated } = applyRules(before, task.rules);
    if (added === 0 && updated === 0) {
      return { status: 'unchanged', summary: `${task.file} already has the ${task.rules.length} rule${task.rules.length === 1 ? '' : 's'}`, files: [] };
    }
    await ctx.workspace.write(task.file, text);
    const parts = [added ? `${added} added` : '', updated ? `${updated} updated` : ''].filter(Boolean).join(', ');
    return { status: 'changed', summary: `${task.file}: ${parts}`, files: [task.file] };
  },
};

export default codeowners;
