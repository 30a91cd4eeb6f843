import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubDouble } from '../../../test/git/github-double.js';
import { action } from './pin-actions.js';
import { CI, changeOnce, changedLines, run } from './workflow-fixtures.js';

const CHECKOUT = '11bd71901bbe5b1630ceea73d27597364c9af683';
const NODE = '49933ea5288caeca8642d1e84afbd3f7d6820020';
const PYTHON = 'a26af69be951a213d495a4c3e4e4022e16d87065';
const shas = { 'actions/checkout@v4': CHECKOUT, 'actions/setup-node@v4': NODE, 'actions/setup-python@v5': PYTHON };

describe('pin_actions', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    delete process.env.GITHUB_TOKEN;
    delete process.env.GH_TOKEN;
    delete process.env.GITHUB_API_URL;
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('pins each uses to the SHA of params.shas with the tag as a comment, one line each', async () => {
    const { text } = await changeOnce(action, CI, { shas });
    const { added, removed } = await changedLines(CI, text);
    expect(removed).toHaveLength(5);
    expect(added).toContain(`      - uses: actions/checkout@${CHECKOUT} # v4`);
    expect(added).toContain(`      - uses: actions/setup-python@${PYTHON} # v5`);
  });

  it('keeps a comment already on the line, leaves excluded owners, local actions and what it has no SHA for', async () => {
    const text = 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4 # the code\n      - uses: ./local\n      - uses: docker://alpine:3\n      - uses: acme/deploy@v2\n      - uses: octo/tool/sub@main\n';
    const { text: out, notes } = await changeOnce(action, text, { shas: { ...shas, 'octo/tool@main': NODE }, exclude: ['acme/'] });
    expect(out).toContain(`      - uses: actions/checkout@${CHECKOUT} # v4 # the code\n      - uses: ./local\n      - uses: docker://alpine:3\n      - uses: acme/deploy@v2\n      - uses: octo/tool/sub@${NODE} # main\n`);
    expect(notes).toEqual([]);
    const partly = await run(action, text, { shas: { 'actions/checkout@v4': CHECKOUT } });
    expect(partly).toMatchObject({ kind: 'changed', notes: [expect.stringContaining('no SHA known: acme/deploy@v2, octo/tool@main')] });
    expect(await run(action, text, {})).toMatchObject({ kind: 'not_applicable', reason: expect.stringContaining('set GITHUB_TOKEN') });
  });

  it('pins a reusable workflow call', async () => {
    const text = 'on: push\njobs:\n  call:\n    uses: org/ci/.github/workflows/test.yml@v1\n';
    const { text: out } = await changeOnce(action, text, { shas: { 'org/ci@v1': CHECKOUT } });
    expect(out).toBe(`on: push\njobs:\n  call:\n    uses: org/ci/.github/workflows/test.yml@${CHECKOUT} # v1\n`);
  });

  it('says where a SHA in params is not one', async () => {
    await expect(run(action, CI, { shas: { 'actions/checkout@v4': 'abc' } })).rejects.toThrow(/params\.shas\.actions\/checkout@v4: a full commit SHA/);
  });

  describe('with a token, through the GitHub API', () => {
    let github: GitHubDouble;
    beforeEach(async () => {
      github = new GitHubDouble();
      github.commits.set('actions/checkout@v4', CHECKOUT);
      github.commits.set('actions/setup-node@v4', NODE);
      process.env.GITHUB_API_URL = await github.start();
      process.env.GH_TOKEN = 'token-for-tests';
    });
    afterEach(async () => {
      await github.stop();
    });

    it('looks up the SHAs params.shas lacks, once per action and ref, and notes what GitHub does not know', async () => {
      const result = await run(action, CI, { shas: { 'actions/setup-python@v5': PYTHON } });
      expect(result.kind).toBe('changed');
      const text = (result as { text: string }).text;
      expect(text).toContain(`      - uses: actions/checkout@${CHECKOUT} # v4\n      - uses: actions/setup-node@${NODE} # v4\n`);
      expect(github.seen('repos/get-commit').map((r) => r.path)).toEqual(['/repos/actions/checkout/commits/v4', '/repos/actions/setup-node/commits/v4']);
      expect(github.violations).toEqual([]);
      const unknown = await run(action, 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: nobody/nothing@v1\n      - uses: actions/checkout@v4\n', {});
      expect(unknown).toMatchObject({ kind: 'changed', notes: [expect.stringContaining('nobody/nothing@v1: GitHub knows no such repository or ref'), expect.anything()] });
    });

    it('stops with a clear message when GitHub refuses the token', async () => {
      github.fail({ operationId: 'repos/get-commit', status: 401, message: 'Bad credentials' });
      await expect(run(action, CI, {})).rejects.toThrow('GitHub refused the token (401) while looking up action SHAs');
    });

    it('looks nothing up with lookup: false', async () => {
      expect(await run(action, CI, { lookup: false })).toMatchObject({ kind: 'not_applicable' });
      expect(github.requests).toEqual([]);
    });
  });
});
