import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { action } from './add-container-scanning.js';
import { SECURITY, changeOnce, run } from './workflow-fixtures.js';

describe('add_container_scanning', () => {
  it('adds a job building and scanning the image, pinned like the file pins Trivy', async () => {
    const { text } = await changeOnce(action, SECURITY, { image: 'ghcr.io/demo-org/demo-monorepo', severity: 'CRITICAL,HIGH', dockerfile: 'Dockerfile' }, 'security.yml');
    const job = parse(text).jobs['container-scan'];
    expect(job.steps[1].run).toBe('docker build -t ghcr.io/demo-org/demo-monorepo:${{ github.sha }} -f Dockerfile .');
    expect(job.steps[2]).toEqual({
      name: 'Scan the image',
      uses: 'aquasecurity/trivy-action@0.28.0',
      with: { 'image-ref': 'ghcr.io/demo-org/demo-monorepo:${{ github.sha }}', format: 'table', 'exit-code': '1', 'ignore-unfixed': true, severity: 'CRITICAL,HIGH' },
    });
    expect(text.startsWith(SECURITY)).toBe(true);
  });

  it('requires the image', async () => {
    await expect(run(action, SECURITY, { severity: 'HIGH' }, 'security.yml')).rejects.toThrow(/params.image: give the image name to scan/);
  });
});
