/**
 * The environment one repository of the fleet is run with, and the token's
 * protection. The token reaches git only through the environment (for https
 * remotes, git's `GIT_CONFIG_*` variables carrying an auth header), never on
 * a command line and never in a file; wherever output is kept, it is masked.
 */

/** The environment of a repository's run: the repository named, the token in the variables the run reads, git's auth header for https. */
export function repositoryEnvironment(env: Record<string, string | undefined>, slug: string, token: string | undefined, url?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  // The fleet's job summary and outputs are the fleet's to write, not each repository's.
  delete out.GITHUB_STEP_SUMMARY;
  delete out.GITHUB_OUTPUT;
  out.GITHUB_REPOSITORY = slug;
  out.CI = 'true';
  out.NO_COLOR = '1';
  if (token) {
    out.GH_TOKEN = token;
    out.GITHUB_TOKEN = token;
  }
  const host = url && /^https:\/\//.test(url) ? new URL(url).host : undefined;
  if (token && host) Object.assign(out, gitAuthConfig([host], token, out));
  return out;
}

/**
 * git config given through the environment (GIT_CONFIG_COUNT...): an auth
 * header per https host, added after any entries `env` already has, so the
 * header is never written to a file or shown in a process list.
 */
export function gitAuthConfig(hosts: readonly string[], token: string, env: Record<string, string | undefined>): Record<string, string> {
  const start = Number(env.GIT_CONFIG_COUNT ?? '0') || 0;
  const given = new Set(Array.from({ length: start }, (_, i) => env[`GIT_CONFIG_KEY_${i}`]));
  // A host that has its header already keeps it: git would send two, and GitHub refuses a request with two.
  const missing = hosts.filter((host) => !given.has(`http.https://${host}/.extraheader`));
  if (missing.length === 0) return {};
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  const out: Record<string, string> = { GIT_CONFIG_COUNT: String(start + missing.length) };
  missing.forEach((host, i) => {
    out[`GIT_CONFIG_KEY_${start + i}`] = `http.https://${host}/.extraheader`;
    out[`GIT_CONFIG_VALUE_${start + i}`] = `AUTHORIZATION: basic ${basic}`;
  });
  return out;
}

/** The https hosts among the clone URLs (those git needs the token for). */
export function httpsHosts(urls: readonly string[]): string[] {
  return [...new Set(urls.filter((url) => /^https:\/\//.test(url)).map((url) => new URL(url).host))];
}

/** Replace the token wherever it appears (a few characters are no real token, and would garble everything). */
export function redact(text: string, token: string | undefined): string {
  return token && token.length >= 8 ? text.split(token).join('***') : text;
}
