/**
 * A stand-in for the GitHub REST API on 127.0.0.1, for the pull-request
 * tests. Every request is checked against GitHub's published OpenAPI
 * description (@octokit/openapi): the operation must exist for the method and
 * path, its required path and query parameters must be there, and a JSON body
 * must satisfy the operation's request schema (ajv). It answers the pull
 * request operations the way GitHub does (list filtered by head, create with
 * 422 on a duplicate, update, labels, reviewers), the commit a ref of any
 * repository points at (`commits`, asked as JSON or as a bare SHA with
 * `application/vnd.github.sha`, which octokit writes `vnd.github.v3.sha`), and can be told to fail the
 * next requests (a 403 secondary rate limit with retry-after, a 502...).
 *
 * For fleets it holds many repositories (`addRepository`, each optionally
 * backed by a bare repository whose branch tips become the pull requests'
 * head SHAs), lists an org's or a user's repositories page by page, and
 * answers a repository, the combined status and check runs of a commit
 * (`statuses`, `checkRuns`), merging a pull request (by the repository's
 * allowed methods), closing one and commenting on it.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv, type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  $ref?: string;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { parameters: Record<string, Parameter> };
}

let spec: Spec | undefined;
let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function loadSpec(): { spec: Spec; ajv: Ajv } {
  spec ??= require('@octokit/openapi/generated/api.github.com.json') as Spec;
  if (!ajv) {
    // OpenAPI 3.0 adds keywords JSON Schema does not know (nullable, example...): not strict about those.
    ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema(spec as object, 'github');
  }
  return { spec, ajv };
}

/** One request as the double saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  operationId: string;
  body: unknown;
  authorization: string | undefined;
  /** Status the double answered with. */
  status: number;
  time: number;
}

export interface PullRequest {
  /** owner/name; the double's own repository when left out. */
  repo?: string;
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  draft: boolean;
  state: 'open' | 'closed';
  labels: string[];
  reviewers: string[];
  merged?: boolean;
  created_at?: string;
  merged_at?: string | null;
  closed_at?: string | null;
  merge_method?: string;
}

/** A repository the double knows. */
export interface RepositoryInfo {
  /** owner/name */
  slug: string;
  /** A bare repository: branch tips are read from it for the pull requests' head SHAs. */
  bare?: string;
  clone_url?: string;
  archived?: boolean;
  fork?: boolean;
  topics?: string[];
  language?: string | null;
  allow_merge_commit?: boolean;
  allow_squash_merge?: boolean;
  allow_rebase_merge?: boolean;
  /** The organisation (true) or user (false) the owner is. */
  org?: boolean;
}

export interface CommitStatus {
  context: string;
  state: 'success' | 'failure' | 'pending' | 'error';
}

export interface CheckRun {
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'neutral' | 'skipped' | 'cancelled' | 'timed_out' | null;
}

/** A canned failure for the next request of an operation. */
export interface Fault {
  operationId: string;
  status: number;
  headers?: Record<string, string>;
  message: string;
}

export class GitHubDouble {
  readonly requests: SeenRequest[] = [];
  readonly pulls: PullRequest[] = [];
  /** Requests that broke the OpenAPI contract; a test expects this to stay empty. */
  readonly violations: string[] = [];
  /** Commit SHAs by `owner/repo@ref`, of any repository, for repos/get-commit. */
  readonly commits = new Map<string, string>();
  /** Repositories by lower-case owner/name. */
  readonly repositories = new Map<string, RepositoryInfo>();
  /** Commit statuses by SHA. */
  readonly statuses = new Map<string, CommitStatus[]>();
  /** Check runs by SHA. */
  readonly checkRuns = new Map<string, CheckRun[]>();
  readonly comments: Array<{ repo: string; number: number; body: string }> = [];
  private readonly faults: Fault[] = [];
  private server: http.Server | undefined;
  private baseUrl = '';

  constructor(
    readonly owner = 'octo-org',
    readonly repo = 'service',
  ) {
    this.addRepository({ slug: `${owner}/${repo}`, org: true });
  }

  /** Make a repository known (its owner counts as an org unless `org: false`). */
  addRepository(info: RepositoryInfo): void {
    this.repositories.set(info.slug.toLowerCase(), { org: true, ...info });
  }

  /** The pull requests of one repository. */
  pullsOf(slug: string): PullRequest[] {
    return this.pulls.filter((pull) => this.slugOf(pull) === slug.toLowerCase());
  }

  private slugOf(pull: PullRequest): string {
    return (pull.repo ?? `${this.owner}/${this.repo}`).toLowerCase();
  }

  /** Start listening on 127.0.0.1; resolves to the base URL (GITHUB_API_URL). */
  async start(): Promise<string> {
    loadSpec();
    this.server = http.createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (text += chunk));
      req.on('end', () => this.handle(req, text, res));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Fail the next request of `operationId` with this answer (queued: several faults fail several requests). */
  fail(fault: Fault): void {
    this.faults.push(fault);
  }

  /** The requests of one operation. */
  seen(operationId: string): SeenRequest[] {
    return this.requests.filter((request) => request.operationId === operationId);
  }

  private handle(req: http.IncomingMessage, text: string, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toLowerCase();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      this.violations.push(`${method} ${url.pathname}: body is not JSON`);
    }
    const found = findOperation(method, url.pathname);
    const seen: SeenRequest = {
      method: method.toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      operationId: found?.operation.operationId ?? 'unknown',
      body,
      authorization: req.headers.authorization,
      status: 0,
      time: Date.now(),
    };
    this.requests.push(seen);
    const send = (status: number, data: unknown, headers: Record<string, string> = {}): void => {
      seen.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(data));
    };
    if (!found) {
      this.violations.push(`${method.toUpperCase()} ${url.pathname}: no such operation in GitHub's API`);
      return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    }
    const problems = checkRequest(found.template, method, found.operation, found.params, url.searchParams, body);
    if (problems.length > 0) {
      this.violations.push(...problems.map((problem) => `${found.operation.operationId}: ${problem}`));
      return send(422, { message: 'Validation Failed', errors: problems });
    }
    if (!req.headers.authorization) return send(401, { message: 'Requires authentication' });
    const fault = this.faults.findIndex((candidate) => candidate.operationId === found.operation.operationId);
    if (fault >= 0) {
      const [answer] = this.faults.splice(fault, 1);
      if (answer) return send(answer.status, { message: answer.message, documentation_url: 'https://docs.github.com/rest' }, answer.headers);
    }
    const { owner, repo } = found.params;
    if (found.operation.operationId === 'repos/get-commit') {
      const sha = this.commits.get(`${owner}/${repo}@${found.params.ref}`);
      if (sha === undefined) return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/commits/commits#get-a-commit' });
      if (/application\/vnd\.github(\.v3)?\.sha/.test(req.headers.accept ?? '')) {
        seen.status = 200;
        res.writeHead(200, { 'content-type': 'application/vnd.github.sha; charset=utf-8' });
        return void res.end(sha);
      }
      return send(200, { sha, node_id: 'C', url: '', html_url: '', commit: { message: '', tree: { sha } }, parents: [], files: [] });
    }
    if (found.operation.operationId === 'repos/list-for-org' || found.operation.operationId === 'repos/list-for-user') {
      return this.listRepositories(found.params.org ?? found.params.username ?? '', found.operation.operationId === 'repos/list-for-org', url.searchParams, send);
    }
    const info = this.repositories.get(`${owner}/${repo}`.toLowerCase());
    if (!info) return send(404, { message: 'Not Found' });
    this.answer(info, found.operation.operationId, found.params, url.searchParams, body as Record<string, unknown> | undefined, send);
  }

  private listRepositories(owner: string, org: boolean, query: URLSearchParams, send: (status: number, data: unknown, headers?: Record<string, string>) => void): void {
    const all = [...this.repositories.values()].filter((info) => info.slug.split('/')[0]?.toLowerCase() === owner.toLowerCase() && info.org === org);
    if (all.length === 0) return send(404, { message: 'Not Found' });
    const perPage = Number(query.get('per_page') ?? '30');
    const page = Number(query.get('page') ?? '1');
    const slice = all.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < all.length) {
      const next = new URL(`http://127.0.0.1/${org ? 'orgs' : 'users'}/${owner}/repos`);
      next.searchParams.set('per_page', String(perPage));
      next.searchParams.set('page', String(page + 1));
      headers.link = `<${this.baseUrl}${next.pathname}${next.search}>; rel="next"`;
    }
    return send(200, slice.map((info) => this.repositoryJson(info)), headers);
  }

  private repositoryJson(info: RepositoryInfo): Record<string, unknown> {
    const [owner = '', name = ''] = info.slug.split('/');
    return {
      id: this.repositories.size,
      name,
      full_name: info.slug,
      owner: { login: owner },
      private: false,
      html_url: `https://github.com/${info.slug}`,
      clone_url: info.clone_url ?? `https://github.com/${info.slug}.git`,
      archived: info.archived ?? false,
      fork: info.fork ?? false,
      topics: info.topics ?? [],
      language: info.language ?? null,
      default_branch: 'main',
      allow_merge_commit: info.allow_merge_commit ?? true,
      allow_squash_merge: info.allow_squash_merge ?? true,
      allow_rebase_merge: info.allow_rebase_merge ?? true,
    };
  }

  /** The commit a branch of the repository points at (from its bare repository), else zeros. */
  private tip(info: RepositoryInfo, branch: string): string {
    if (!info.bare) return '0'.repeat(40);
    try {
      return execFileSync('git', ['rev-parse', `refs/heads/${branch}`], { cwd: info.bare, encoding: 'utf8' }).trim();
    } catch {
      return '0'.repeat(40);
    }
  }

  private answer(
    info: RepositoryInfo,
    operationId: string,
    params: Record<string, string>,
    query: URLSearchParams,
    body: Record<string, unknown> | undefined,
    send: (status: number, data: unknown) => void,
  ): void {
    const slug = info.slug.toLowerCase();
    const [owner = ''] = info.slug.split('/');
    const pulls = this.pulls.filter((pull) => this.slugOf(pull) === slug);
    const byNumber = () => pulls.find((pull) => String(pull.number) === (params.pull_number ?? params.issue_number));
    switch (operationId) {
      case 'repos/get':
        return send(200, this.repositoryJson(info));
      case 'repos/get-combined-status-for-ref': {
        const statuses = this.statuses.get(params.ref ?? '') ?? [];
        const state = statuses.some((s) => s.state === 'failure' || s.state === 'error') ? 'failure' : statuses.some((s) => s.state === 'pending') || statuses.length === 0 ? 'pending' : 'success';
        return send(200, { state, sha: params.ref, total_count: statuses.length, statuses: statuses.map((s, id) => ({ id, context: s.context, state: s.state, description: null, target_url: null })) });
      }
      case 'checks/list-for-ref': {
        const runs = this.checkRuns.get(params.ref ?? '') ?? [];
        return send(200, { total_count: runs.length, check_runs: runs.map((run, id) => ({ id, name: run.name, status: run.status, conclusion: run.conclusion, head_sha: params.ref })) });
      }
      case 'pulls/get': {
        const pull = byNumber();
        return pull ? send(200, this.json(pull)) : send(404, { message: 'Not Found' });
      }
      case 'pulls/merge': {
        const pull = byNumber();
        if (!pull) return send(404, { message: 'Not Found' });
        if (pull.state !== 'open') return send(405, { message: 'Pull Request is not mergeable' });
        const method = String(body?.merge_method ?? 'merge');
        const allowed = { merge: info.allow_merge_commit, squash: info.allow_squash_merge, rebase: info.allow_rebase_merge }[method as 'merge'] ?? true;
        if (allowed === false) return send(405, { message: `${method === 'merge' ? 'Merge commits are' : `${method} merges are`} not allowed on this repository.` });
        pull.state = 'closed';
        pull.merged = true;
        pull.merge_method = method;
        pull.merged_at = pull.closed_at = new Date().toISOString();
        return send(200, { sha: 'f'.repeat(40), merged: true, message: 'Pull Request successfully merged' });
      }
      case 'issues/create-comment': {
        const pull = byNumber();
        if (!pull) return send(404, { message: 'Not Found' });
        this.comments.push({ repo: slug, number: pull.number, body: String(body?.body ?? '') });
        return send(201, { id: this.comments.length, body: body?.body, html_url: '' });
      }
      case 'pulls/list': {
        const head = query.get('head');
        const state = query.get('state') ?? 'open';
        const list = pulls.filter((pull) => (state === 'all' || pull.state === state) && (!head || `${owner}:${pull.head}` === head));
        return send(200, list.map((pull) => this.json(pull)));
      }
      case 'pulls/create': {
        const head = String(body?.head ?? '');
        if (pulls.some((pull) => pull.state === 'open' && pull.head === head)) {
          return send(422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${owner}:${head}.` }] });
        }
        const pull: PullRequest = {
          repo: info.slug,
          created_at: new Date().toISOString(),
          number: pulls.length + 1,
          title: String(body?.title ?? ''),
          body: String(body?.body ?? ''),
          head,
          base: String(body?.base ?? ''),
          draft: body?.draft === true,
          state: 'open',
          labels: [],
          reviewers: [],
        };
        this.pulls.push(pull);
        return send(201, this.json(pull));
      }
      case 'pulls/update': {
        const pull = byNumber();
        if (!pull) return send(404, { message: 'Not Found' });
        if (typeof body?.title === 'string') pull.title = body.title;
        if (typeof body?.body === 'string') pull.body = body.body;
        if (typeof body?.base === 'string') pull.base = body.base;
        if (body?.state === 'closed' && pull.state === 'open') {
          pull.state = 'closed';
          pull.closed_at = new Date().toISOString();
        }
        return send(200, this.json(pull));
      }
      case 'issues/add-labels': {
        const pull = byNumber();
        if (!pull) return send(404, { message: 'Not Found' });
        for (const label of (body?.labels as string[] | undefined) ?? []) if (!pull.labels.includes(label)) pull.labels.push(label);
        return send(200, pull.labels.map((name, id) => ({ id, name, color: 'ededed', default: false, node_id: `L${id}`, url: '', description: null })));
      }
      case 'pulls/request-reviewers': {
        const pull = byNumber();
        if (!pull) return send(404, { message: 'Not Found' });
        for (const login of (body?.reviewers as string[] | undefined) ?? []) if (!pull.reviewers.includes(login)) pull.reviewers.push(login);
        return send(201, this.json(pull));
      }
      default:
        return send(501, { message: `the test double does not answer ${operationId}` });
    }
  }

  private json(pull: PullRequest): Record<string, unknown> {
    const slug = pull.repo ?? `${this.owner}/${this.repo}`;
    const owner = slug.split('/')[0] ?? '';
    const base = `https://github.com/${slug}`;
    const info = this.repositories.get(slug.toLowerCase());
    return {
      id: 1000 + pull.number,
      number: pull.number,
      state: pull.state,
      title: pull.title,
      body: pull.body,
      draft: pull.draft,
      html_url: `${base}/pull/${pull.number}`,
      head: { ref: pull.head, label: `${owner}:${pull.head}`, sha: info ? this.tip(info, pull.head) : '0'.repeat(40) },
      base: { ref: pull.base, label: `${owner}:${pull.base}`, sha: '0'.repeat(40) },
      merged: pull.merged === true,
      created_at: pull.created_at ?? '2026-01-01T00:00:00Z',
      merged_at: pull.merged_at ?? null,
      closed_at: pull.closed_at ?? null,
      labels: pull.labels.map((name) => ({ name })),
      requested_reviewers: pull.reviewers.map((login) => ({ login })),
    };
  }
}

/** The OpenAPI operation for a method and path, with the path's parameters. */
function findOperation(method: string, pathname: string): { template: string; operation: Operation; params: Record<string, string> } | undefined {
  const { spec: loaded } = loadSpec();
  for (const [template, operations] of Object.entries(loaded.paths)) {
    const operation = operations[method];
    if (!operation) continue;
    const names: string[] = [];
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    const match = new RegExp(`^${pattern}$`).exec(pathname);
    if (!match) continue;
    const params: Record<string, string> = {};
    names.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1] ?? '')));
    return { template, operation, params };
  }
  return undefined;
}

/** What is wrong with a request by the operation's description; empty when nothing. */
function checkRequest(template: string, method: string, operation: Operation, params: Record<string, string>, query: URLSearchParams, body: unknown): string[] {
  const { spec: loaded, ajv: checker } = loadSpec();
  const problems: string[] = [];
  for (const raw of operation.parameters ?? []) {
    const parameter = raw.$ref ? loaded.components.parameters[raw.$ref.split('/').pop() ?? ''] : raw;
    if (!parameter?.required) continue;
    if (parameter.in === 'path' && !params[parameter.name]) problems.push(`path parameter ${parameter.name} is missing`);
    if (parameter.in === 'query' && !query.has(parameter.name)) problems.push(`query parameter ${parameter.name} is missing`);
  }
  const schema = operation.requestBody?.content?.['application/json']?.schema;
  if (operation.requestBody?.required && body === undefined) problems.push('the request body is required');
  if (schema && body !== undefined) {
    const key = `${method} ${template}`;
    let validate = validators.get(key);
    if (!validate) {
      const pointer = ['paths', template, method, 'requestBody', 'content', 'application/json', 'schema'].map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
      validate = checker.getSchema(`github#/${pointer}`);
      if (!validate) throw new Error(`no request schema for ${key}`);
      validators.set(key, validate);
    }
    if (!validate(body)) problems.push(...(validate.errors ?? []).map((error) => `body${error.instancePath} ${error.message ?? ''}`));
  }
  return problems;
}
