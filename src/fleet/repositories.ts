/**
 * Which repositories a fleet run covers: the listed ones and those the
 * `select` finds through the GitHub API (an org's or a user's, filtered by
 * topic, language and name; archived repositories and forks left out unless
 * asked), each with its variables, coverage overrides and phases resolved.
 */
import type { GitHubClient } from '../git/github/client.js';
import type { CoverageCap, FleetConfig, RepositoryEntry, Selection } from './fleet-schema.js';

/** One repository of the fleet, with everything a run of it needs. */
export interface FleetRepository {
  /** owner/name */
  slug: string;
  owner: string;
  name: string;
  /** Where to clone it from. */
  url: string;
  variables: Record<string, unknown>;
  coverage: CoverageCap | undefined;
  /** The phases to run; undefined: every phase. */
  phases: string[] | undefined;
}

/** Fields of a repository as the GitHub API lists them (the few we read). */
export interface ListedRepository {
  name: string;
  full_name: string;
  clone_url?: string;
  archived?: boolean;
  fork?: boolean;
  topics?: string[];
  language?: string | null;
}

/** The fleet's repositories, in file order then API order; the API is asked only when the file has `select`. */
export async function fleetRepositories(config: FleetConfig, env: Record<string, string | undefined>, client: (() => Promise<GitHubClient>) | undefined): Promise<FleetRepository[]> {
  const listed = new Map((config.repositories ?? []).map((entry) => [entry.repo.toLowerCase(), entry]));
  const entries: Array<{ entry: RepositoryEntry; cloneUrl?: string | undefined }> = (config.repositories ?? []).map((entry) => ({ entry }));
  if (config.select) {
    if (!client) throw new Error('a client is needed for select');
    for (const found of selectRepositories(await listRepositories(await client(), config.select), config.select)) {
      const own = listed.get(found.full_name.toLowerCase());
      if (own) continue; // listed entries come first and carry their own overrides
      entries.push({ entry: { repo: found.full_name }, cloneUrl: found.clone_url });
    }
  }
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  return entries
    .filter(({ entry }) => entry.skip !== true)
    .map(({ entry, cloneUrl }) => {
      const [owner = '', name = ''] = entry.repo.split('/');
      return {
        slug: entry.repo,
        owner,
        name,
        url: entry.url ?? cloneUrl ?? `${server}/${entry.repo}.git`,
        variables: { ...config.variables, ...entry.variables },
        coverage: entry.coverage,
        phases: entry.phases ?? config.phases,
      };
    });
}

/** Every repository of the org or user (all pages). */
async function listRepositories(client: GitHubClient, selection: Selection): Promise<ListedRepository[]> {
  if (selection.org) return (await client.paginate(client.rest.repos.listForOrg, { org: selection.org, type: 'all', per_page: 100 })) as ListedRepository[];
  return (await client.paginate(client.rest.repos.listForUser, { username: selection.user ?? '', type: 'owner', per_page: 100 })) as ListedRepository[];
}

/** The listed repositories that pass the selection's filters. */
export function selectRepositories(repositories: readonly ListedRepository[], selection: Selection): ListedRepository[] {
  const name = selection.name ? globPattern(selection.name) : undefined;
  const excluded = (selection.exclude ?? []).map(globPattern);
  return repositories.filter(
    (repo) =>
      (selection.include_archived === true || repo.archived !== true) &&
      (selection.include_forks === true || repo.fork !== true) &&
      (selection.topics ?? []).every((topic) => (repo.topics ?? []).includes(topic)) &&
      (!selection.language || (repo.language ?? '').toLowerCase() === selection.language.toLowerCase()) &&
      (!name || name.test(repo.name)) &&
      !excluded.some((pattern) => pattern.test(repo.name) || pattern.test(repo.full_name)),
  );
}

function globPattern(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}
