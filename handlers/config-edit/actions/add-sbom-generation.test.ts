import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { action } from './add-sbom-generation.js';
import { SECURITY, changeOnce, changedLines, run } from './workflow-fixtures.js';

describe('add_sbom_generation', () => {
  it('adds a job generating and uploading the SBOM, keeping the rest', async () => {
    const { text } = await changeOnce(action, SECURITY, { format: 'spdx-json', artifact_name: 'sbom', retention_days: 90 }, 'security.yml');
    expect(parse(text).jobs.sbom.steps.slice(1)).toEqual([
      { name: 'Generate the SBOM', uses: 'anchore/sbom-action@v0', with: { path: '.', format: 'spdx-json', 'output-file': 'sbom.spdx.json', 'upload-artifact': false } },
      { name: 'Upload the SBOM', uses: 'actions/upload-artifact@v4', with: { name: 'sbom', path: 'sbom.spdx.json', 'retention-days': 90 } },
    ]);
    expect((await changedLines(SECURITY, text)).removed).toEqual([]);
    expect(text.startsWith(SECURITY)).toBe(true);
  });

  it('refuses an unknown format and a job id in use', async () => {
    await expect(run(action, SECURITY, { format: 'pdf' }, 'security.yml')).rejects.toThrow(/params.format/);
    await expect(run(action, SECURITY, { job: 'scan' }, 'security.yml')).rejects.toThrow(/already has a job "scan"/);
  });
});
