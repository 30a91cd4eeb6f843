/** The list `validate` and `plan` print under untrusted: what a run would refuse, and by which rule. */
import type { Style } from '../plan/render/style.js';
import type { Refusal } from '../trust/policy.js';

/** Lines naming each refusal, or one line saying nothing would be refused. */
export function refusalLines(refusals: readonly Refusal[], style: Style): string {
  if (refusals.length === 0) return `${style.green('✓')} trust is untrusted: nothing in the plan would be refused`;
  const lines = [`${style.yellow('!')} trust is untrusted: a run would refuse ${refusals.length === 1 ? '1 item' : `${refusals.length} items`}:`];
  for (const r of refusals) lines.push(`  ${r.subject}: ${r.message} (rule ${r.rule})`);
  return lines.join('\n');
}
