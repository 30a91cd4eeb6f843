/**
 * Where a fleet stands, one file per repository (`repos/<owner>__<name>.json`
 * under the fleet's state folder), each written atomically. A fleet run
 * killed at any instant leaves every file whole, so the next run resumes from
 * them; one file per repository also means the results of matrix jobs are
 * merged by putting their files side by side.
 */
import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

export type RepositoryStatus = 'pending' | 'deferred' | 'running' | 'done' | 'failed' | 'awaiting';

export interface PullRequestRecord {
  number: number;
  url: string;
  state: 'open' | 'closed' | 'merged';
  head_sha: string;
  base: string;
  created_at: string;
  merged_at: string | null;
  closed_at: string | null;
}

export interface CoverageFigures {
  lines?: number | undefined;
  statements?: number | undefined;
  functions?: number | undefined;
  branches?: number | undefined;
}

export interface PhaseRecord {
  id: string;
  name: string;
  /** As `orchestrate status` shows it in the repository. */
  status: string;
  branch: string;
  expected_coverage: CoverageFigures | null;
  measured_coverage: CoverageFigures | null;
  pr: PullRequestRecord | null;
}

export interface RepositoryRecord {
  repo: string;
  status: RepositoryStatus;
  /** Why it failed, waits or was deferred, in one line. */
  detail: string | null;
  /** The run of this repository while it runs (to wait for it after the fleet run was killed). */
  pid: number | null;
  attempts: number;
  started_at: string | null;
  finished_at: string | null;
  exit_code: number | null;
  phases: PhaseRecord[];
  /** Every status the repository went through, with when. */
  history: Array<{ at: string; status: RepositoryStatus }>;
}

/** The files of a fleet's state folder. */
export function statePaths(stateDir: string) {
  return {
    repos: path.join(stateDir, 'repos'),
    clones: path.join(stateDir, 'clones'),
    logs: path.join(stateDir, 'logs'),
    plans: path.join(stateDir, 'plans'),
  };
}

/** `owner__name`: a file name for a repository. */
export function repoKey(slug: string): string {
  return slug.replace('/', '__');
}

export function emptyRecord(slug: string): RepositoryRecord {
  return { repo: slug, status: 'pending', detail: null, pid: null, attempts: 0, started_at: null, finished_at: null, exit_code: null, phases: [], history: [] };
}

/** The record of one repository, or a fresh one. */
export function readRecord(stateDir: string, slug: string): RepositoryRecord {
  const file = path.join(statePaths(stateDir).repos, `${repoKey(slug)}.json`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as RepositoryRecord;
  } catch {
    return emptyRecord(slug);
  }
}

/** Every record in the folder (the repositories some run touched). */
export function readAllRecords(stateDir: string): RepositoryRecord[] {
  const dir = statePaths(stateDir).repos;
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((name) => {
      try {
        return [JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as RepositoryRecord];
      } catch {
        return [];
      }
    });
}

/** Write a record whole (atomic rename), adding a history entry when the status changed. */
export function writeRecord(stateDir: string, record: RepositoryRecord, now = new Date()): RepositoryRecord {
  const last = record.history[record.history.length - 1];
  const next = last?.status === record.status ? record : { ...record, history: [...record.history, { at: now.toISOString(), status: record.status }] };
  const dir = statePaths(stateDir).repos;
  fs.mkdirSync(dir, { recursive: true });
  writeFileAtomic.sync(path.join(dir, `${repoKey(record.repo)}.json`), `${JSON.stringify(next, null, 2)}\n`);
  return next;
}
