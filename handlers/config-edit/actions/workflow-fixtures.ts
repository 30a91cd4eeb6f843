/**
 * Workflows for the action tests, written the way the rollout finds them
 * (non-blocking jobs, placeholder deploys, a non-blocking Trivy scan), and a
 * runner that takes an action through the whole edit pipeline (parse, plan,
 * splice, re-parse and proof) as the handler does.
 */
import { expect } from 'vitest';
import { editText, type EditOutcome } from '../edit.js';
import type { ConfigAction } from '../ops.js';

export const CI = `name: CI

on: [push, pull_request]

jobs:
  lint:
    runs-on: ubuntu-latest
    continue-on-error: true # TODO: fix the lint errors
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci
      - run: npm run lint

  test:
    runs-on: ubuntu-latest
    continue-on-error: \${{ github.event_name == 'pull_request' }}
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - name: Test
        run: npm test
        continue-on-error: true

  python:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install -r requirements.txt
        working-directory: python
      - run: pytest
        working-directory: python
`;

export const DEPLOY = `name: Deploy

on:
  push:
    branches: [main]

jobs:
  deploy-staging:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Deploy
        run: echo "deploying to staging"

  deploy-production:
    runs-on: ubuntu-latest
    needs: deploy-staging
    steps:
      - name: Deploy
        run: |
          echo "deploying to production"
          echo "done"
`;

export const SECURITY = `name: Security

on:
  push:
    branches: [main]
  schedule:
    - cron: '0 6 * * 1'

jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Trivy filesystem scan
        uses: aquasecurity/trivy-action@0.28.0
        continue-on-error: true
        with:
          scan-type: fs
          severity: CRITICAL
`;

/** The action through the edit pipeline; the proof in edit.ts checks the data change. */
export function run<P>(action: ConfigAction<P>, text: string, params: unknown, file = '.github/workflows/ci.yml'): Promise<EditOutcome> {
  return editText(file, text, action as unknown as ConfigAction, params);
}

/** Apply, expect a change, apply again to the result and expect `unchanged`; the edited text. */
export async function changeOnce<P>(action: ConfigAction<P>, text: string, params: unknown, file?: string): Promise<{ text: string; notes: string[] }> {
  const first = await run(action, text, params, file);
  if (first.kind !== 'changed') throw new Error(`expected a change, got ${JSON.stringify(first)}`);
  const second = await run(action, first.text, params, file);
  expect(second.kind).toBe('unchanged');
  return { text: first.text, notes: first.notes };
}

/** The lines added and removed between two texts, for asserting a diff. */
export async function changedLines(before: string, after: string): Promise<{ added: string[]; removed: string[] }> {
  const { diffLines } = await import('diff');
  const added: string[] = [];
  const removed: string[] = [];
  for (const part of diffLines(before, after)) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    if (part.added) added.push(...lines);
    if (part.removed) removed.push(...lines);
  }
  return { added, removed };
}
