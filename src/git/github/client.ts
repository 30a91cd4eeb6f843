/**
 * The GitHub REST client: @octokit/rest with the retry plugin (5xx answers
 * retried with growing waits) and the throttling plugin (primary and
 * secondary rate limits waited out as `retry-after` / the reset time say).
 * Loaded only when a pull request is made.
 */
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

export interface ClientOptions {
  token: string;
  /** https://api.github.com, or GITHUB_API_URL (GitHub Enterprise, tests). */
  baseUrl: string;
  /** Told each time GitHub asks us to wait, so a person sees why the run pauses. */
  onWait: (message: string) => void;
}

/** How many times a rate-limited request is tried again before giving up. */
const RATE_LIMIT_RETRIES = 3;
/** Longer waits than this are not waited out: the run ends with the error instead. */
const LONGEST_WAIT_S = 15 * 60;

const GitHub = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof GitHub>;

/** A client for the given token and API address. */
export function createClient(options: ClientOptions): GitHubClient {
  const limited = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    if (retryCount >= RATE_LIMIT_RETRIES || retryAfter > LONGEST_WAIT_S) return false;
    options.onWait(`GitHub ${kind} on ${request.method} ${request.url}: waiting ${retryAfter} s before trying again`);
    return true;
  };
  return new GitHub({
    auth: options.token,
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    userAgent: 'orchestrate',
    throttle: { onRateLimit: limited('rate limit'), onSecondaryRateLimit: limited('secondary rate limit') },
    retry: { retries: 3 },
    log: { debug: () => undefined, info: () => undefined, warn: (message: string) => options.onWait(message), error: () => undefined },
  });
}
