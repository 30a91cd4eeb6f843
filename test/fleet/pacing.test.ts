/** The pull-request budget of a fleet run: the open cap, the hourly cap, and reservations given back. */
import { describe, expect, it } from 'vitest';
import { PullRequestBudget } from '../../src/fleet/pacing.js';

const HOUR = 3_600_000;

describe('PullRequestBudget', () => {
  it('holds the open cap across reservations, and gives back what a repository did not open', () => {
    const budget = new PullRequestBudget({ maxOpen: 5, maxPerHour: undefined }, 3, []);
    expect(budget.reserve(1)).toEqual({ ok: true });
    expect(budget.reserve(1)).toEqual({ ok: true });
    const refused = budget.reserve(1);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toBe('max_open_prs 5: 3 open and 2 being opened');
    budget.settle(1, []); // its checkpoint failed: nothing opened
    expect(budget.reserve(1)).toEqual({ ok: true });
    budget.settle(1, [Date.now()]);
    expect(budget.openNow).toBe(4);
  });

  it('counts only the pull requests of the last hour against the hourly cap, and says when the next may open', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    const created = [now - 2 * HOUR, now - 50 * 60_000, now - 10 * 60_000];
    const budget = new PullRequestBudget({ maxOpen: undefined, maxPerHour: 3 }, 0, created, () => now);
    expect(budget.reserve(1)).toEqual({ ok: true });
    const refused = budget.reserve(1);
    expect(!refused.ok && refused.reason).toBe('max_new_prs_per_hour 3: 2 opened in the last hour; the next may open after 2026-12-07T12:10:00.000Z');
    expect(budget.reserve(0)).toEqual({ ok: true });
  });
});
