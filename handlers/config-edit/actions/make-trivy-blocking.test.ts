import { describe, expect, it } from 'vitest';
import { action } from './make-trivy-blocking.js';
import { CI, SECURITY, changeOnce, changedLines, run } from './workflow-fixtures.js';

describe('make_trivy_blocking', () => {
  it('sets the failing inputs and drops continue-on-error on the Trivy step', async () => {
    const { text } = await changeOnce(action, SECURITY, { severity: 'CRITICAL,HIGH', exit_code: 1, ignore_unfixed: true }, 'security.yml');
    expect(await changedLines(SECURITY, text)).toEqual({
      removed: ['        continue-on-error: true', '          severity: CRITICAL'],
      added: ['          severity: CRITICAL,HIGH', "          exit-code: '1'", '          ignore-unfixed: true'],
    });
  });

  it('does not apply to a workflow without Trivy', async () => {
    expect(await run(action, CI, {})).toMatchObject({ kind: 'not_applicable', reason: expect.stringContaining('no aquasecurity/trivy-action step') });
  });

  it('rejects a severity Trivy does not know', async () => {
    await expect(run(action, SECURITY, { severity: 'SEVERE' }, 'security.yml')).rejects.toThrow(/params.severity: write severities like CRITICAL,HIGH/);
  });
});
