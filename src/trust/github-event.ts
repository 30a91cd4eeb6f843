/**
 * The trust a GitHub Actions run gets from its triggering event, before any
 * flag: `untrusted` for `pull_request_target`, for pull requests whose head
 * is a fork (or whose head repository is gone), and for `workflow_run`
 * started by a fork's run. Fails closed: a pull-request event whose payload
 * cannot be read is untrusted.
 */
import { readFileSync } from 'node:fs';
import type { TrustLevel } from '../settings/schema.js';

export interface EventTrust {
  trust: TrustLevel;
  /** Why, for `orchestrate config` and messages. */
  reason: string;
}

interface RepoRef {
  full_name?: string;
  fork?: boolean;
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_review', 'pull_request_review_comment']);

/** The event's trust, or undefined outside GitHub Actions and for events that say nothing about trust. */
export function trustFromGithubEvent(env: Record<string, string | undefined>): EventTrust | undefined {
  if (env.GITHUB_ACTIONS !== 'true') return undefined;
  const event = env.GITHUB_EVENT_NAME ?? '';
  if (event === 'pull_request_target') {
    return { trust: 'untrusted', reason: 'pull_request_target runs a pull request with the base repository’s token and secrets' };
  }
  if (!PULL_REQUEST_EVENTS.has(event) && event !== 'workflow_run') return undefined;
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  if (payload === undefined) return { trust: 'untrusted', reason: `${event} event whose payload (GITHUB_EVENT_PATH) cannot be read` };
  if (event === 'workflow_run') {
    const run = payload.workflow_run as { head_repository?: RepoRef | null } | undefined;
    const here = (payload.repository as RepoRef | undefined)?.full_name;
    const head = run?.head_repository?.full_name;
    return head !== undefined && head === here ? undefined : { trust: 'untrusted', reason: `workflow_run started from ${head ?? 'an unknown repository'}, not ${here ?? 'this one'}` };
  }
  const pull = payload.pull_request as { head?: { repo?: RepoRef | null }; base?: { repo?: RepoRef | null } } | undefined;
  const head = pull?.head?.repo;
  const base = pull?.base?.repo;
  if (!head || !base) return { trust: 'untrusted', reason: `${event} from a repository that no longer exists or is not named` };
  if (head.full_name !== base.full_name) return { trust: 'untrusted', reason: `${event} from the fork ${head.full_name ?? '?'}` };
  if (head.fork === true) return { trust: 'untrusted', reason: `${event} from ${head.full_name ?? '?'}, which is a fork` };
  return undefined;
}

function readPayload(file: string | undefined): Record<string, unknown> | undefined {
  if (!file) return undefined;
  try {
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
