/**
 * A fleet's status for people: a plain table for the terminal, and Markdown
 * (the same table plus a Mermaid burndown chart) for a job summary or an
 * issue. Pure functions of the status.
 */
import type { FleetStatus, PhaseStatusRow } from './fleet-status.js';

const STATE_WORDS = { merged: 'merged', open: 'open', failed: 'failed', not_started: 'not started' } as const;

function prText(phase: PhaseStatusRow): string {
  return phase.pr ? `#${phase.pr.number} ${phase.pr.state}` : '-';
}

function checksText(phase: PhaseStatusRow): string {
  return phase.checks ? `${phase.checks.state} (${phase.checks.detail})` : '-';
}

function coverageText(phase: PhaseStatusRow): string {
  if (phase.coverage.length === 0) return '-';
  const figure = (value: number | null) => (value === null ? '?' : `${value} %`);
  return phase.coverage.map((row) => `${row.metric} ${figure(row.expected)} -> ${figure(row.measured)}`).join(', ');
}

function rows(status: FleetStatus): string[][] {
  return status.repositories.flatMap((repo) =>
    (repo.phases.length ? repo.phases : [undefined]).map((phase, i) => [
      i === 0 ? repo.repo : '',
      i === 0 ? repo.status : '',
      phase ? `${phase.id} ${phase.name}` : '-',
      phase?.status ?? '-',
      phase ? prText(phase) : '-',
      phase ? checksText(phase) : '-',
      phase ? coverageText(phase) : '-',
    ]),
  );
}

const HEADER = ['repository', 'status', 'phase', 'phase status', 'pull request', 'checks', 'coverage (promised -> measured)'];

function countsLine(status: FleetStatus): string {
  const n = status.repositories.length;
  return `${n} repositor${n === 1 ? 'y' : 'ies'}: ${(Object.keys(STATE_WORDS) as Array<keyof typeof STATE_WORDS>).map((key) => `${status.counts[key]} ${STATE_WORDS[key]}`).join(', ')}`;
}

/** Columns padded to their widest cell. */
export function renderStatusTable(status: FleetStatus): string {
  const all = [HEADER, ...rows(status)];
  const widths = HEADER.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const lines = all.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd());
  const failures = status.repositories.filter((repo) => repo.detail).map((repo) => `  ${repo.repo}: ${repo.detail}`);
  return `fleet ${status.fleet}: ${countsLine(status)}\n\n${lines.join('\n')}\n${failures.length ? `\n${failures.join('\n')}\n` : ''}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Markdown: counts, the table, and the burndown as a Mermaid xychart. */
export function renderStatusMarkdown(status: FleetStatus): string {
  const table = [
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map(() => '---').join(' | ')} |`,
    ...status.repositories.flatMap((repo) =>
      repo.phases.map((phase, i) => {
        const pr = phase.pr ? `[#${phase.pr.number}](${phase.pr.url}) ${phase.pr.state}` : '-';
        return `| ${[i === 0 ? `\`${repo.repo}\`` : '', i === 0 ? repo.status : '', `${phase.id} ${phase.name}`, phase.status, pr, checksText(phase), coverageText(phase)].map(cell).join(' | ')} |`;
      }),
    ),
  ];
  const points = status.burndown;
  const label = (at: string) => at.slice(5, 16).replace('T', ' ');
  const series = (key: 'merged' | 'open' | 'failed' | 'not_started') => `[${points.map((point) => point[key]).join(', ')}]`;
  const chart = [
    '```mermaid',
    'xychart-beta',
    `    title "${status.fleet}: repositories by state"`,
    `    x-axis [${points.map((point) => `"${label(point.at)}"`).join(', ')}]`,
    `    y-axis "repositories" 0 --> ${Math.max(1, status.repositories.length)}`,
    `    line ${series('merged')}`,
    `    line ${series('open')}`,
    `    line ${series('failed')}`,
    `    line ${series('not_started')}`,
    '```',
  ];
  const failures = status.repositories.filter((repo) => repo.detail).map((repo) => `- \`${repo.repo}\`: ${cell(repo.detail ?? '')}`);
  return [
    `## Fleet ${status.fleet}`,
    '',
    countsLine(status),
    '',
    '### Burndown',
    '',
    'Lines, in order: merged, open, failed, not started (UTC).',
    '',
    ...chart,
    '',
    '### Repositories',
    '',
    ...table,
    ...(failures.length ? ['', '### Problems', '', ...failures] : []),
    '',
  ].join('\n');
}
