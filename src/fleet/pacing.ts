/**
 * Pacing of a fleet's pull requests, as Renovate paces its own: at most N of
 * them open at once and at most M new ones in any hour. Before a repository
 * starts, the pull requests it may open are reserved; when it ends, the
 * reservation gives way to what it really opened. Pure bookkeeping: the
 * caller supplies the counts and the clock.
 */

export interface PacingLimits {
  maxOpen: number | undefined;
  maxPerHour: number | undefined;
}

export type Reservation = { ok: true } | { ok: false; reason: string };

const HOUR_MS = 3_600_000;

export class PullRequestBudget {
  private reserved = 0;
  private readonly created: number[];

  constructor(
    private readonly limits: PacingLimits,
    /** The fleet's pull requests open now. */
    private open: number,
    /** When each of the fleet's pull requests was opened (ms). */
    createdAt: readonly number[],
    private readonly now: () => number = Date.now,
  ) {
    this.created = [...createdAt];
  }

  /** Reserve room for `count` new pull requests, or say which limit refuses. */
  reserve(count: number): Reservation {
    if (count === 0) return { ok: true };
    const { maxOpen, maxPerHour } = this.limits;
    if (maxOpen !== undefined && this.open + this.reserved + count > maxOpen) {
      return { ok: false, reason: `max_open_prs ${maxOpen}: ${this.open} open${this.reserved ? ` and ${this.reserved} being opened` : ''}` };
    }
    const lastHour = this.created.filter((time) => time > this.now() - HOUR_MS);
    if (maxPerHour !== undefined && lastHour.length + this.reserved + count > maxPerHour) {
      const next = Math.min(...lastHour) + HOUR_MS;
      return { ok: false, reason: `max_new_prs_per_hour ${maxPerHour}: ${lastHour.length} opened in the last hour${Number.isFinite(next) ? `; the next may open after ${new Date(next).toISOString()}` : ''}` };
    }
    this.reserved += count;
    return { ok: true };
  }

  /** A repository ended: drop its reservation and count what it opened. */
  settle(reserved: number, openedAt: readonly number[]): void {
    this.reserved -= reserved;
    this.open += openedAt.length;
    this.created.push(...openedAt);
  }

  get openNow(): number {
    return this.open;
  }
}
