/**
 * How a process type's dynos are up over one billing month, as the simulator would bill
 * them, and the synthetic usages (DynoUsage, what a run hands to `bill`) that say so:
 *
 * - `fixed`: `count` dynos the whole month (web.1 … web.N, one usage each);
 * - `part-time`: `count` dynos each up `hours` a day, a week or a month (`--hours`);
 * - `steps`: a count changing at given times (a schedule), dyno k up while the count is
 *   at least k, as the dyno manager scales (the highest-numbered dyno leaves first);
 * - `one-off`: separate dynos (run.N, scheduler.N), each up from its start for its length
 *   (billed in batches: see `usagesOf`).
 *
 * Usages carry the simulator's dyno names, so that today's cap (a dyno never pays more
 * than its monthly price) applies to the same dynos as in a run.
 */
import type { DynoUsage } from '../../model/billing/bill.ts';
import type { Calendar } from '../../model/traffic/calendar.ts';

const HOUR_US = 3_600_000_000;
const DAY_US = 24 * HOUR_US;

/** From `atUs` on (until the next step), `count` dynos. */
export interface Step {
  readonly atUs: number;
  readonly count: number;
}

/** One run of a one-off dyno. */
export interface OneOffRun {
  readonly atUs: number;
  readonly lengthUs: number;
}

export type Occupancy =
  | { readonly kind: 'fixed'; readonly count: number }
  | { readonly kind: 'part-time'; readonly count: number; readonly hours: number; readonly per: 'day' | 'week' | 'month' }
  /** The first step is at 0. */
  | { readonly kind: 'steps'; readonly steps: readonly Step[] }
  | { readonly kind: 'one-off'; readonly runs: readonly OneOffRun[] };

/** Hours each dyno of a part-time occupancy is up in a month of `monthUs` (at most the month). */
export function partTimeHours(o: Extract<Occupancy, { kind: 'part-time' }>, monthUs: number): number {
  const days = monthUs / DAY_US;
  const hours = o.per === 'day' ? o.hours * days : o.per === 'week' ? (o.hours * days) / 7 : o.hours;
  return Math.min(hours, monthUs / HOUR_US);
}

/** The most dynos up at once (one-offs: the number of runs). */
export function peakDynos(o: Occupancy): number {
  switch (o.kind) {
    case 'fixed':
    case 'part-time':
      return o.count;
    case 'steps':
      return Math.max(0, ...o.steps.map((s) => s.count));
    case 'one-off':
      return o.runs.length;
  }
}

/**
 * The usages of one process type over the month [0, monthUs). One-off dynos are named
 * `<type>.<firstNumber>`, `<type>.<firstNumber + 1>`, …; formation dynos `<type>.1` ….
 */
export function usagesOf(processType: string, size: string, o: Occupancy, monthUs: number, firstNumber = 1): DynoUsage[] {
  const usage = (n: number, startUs: number, endUs: number): DynoUsage => ({ processType, dyno: `${processType}.${n}`, size, startUs, endUs });
  const out: DynoUsage[] = [];
  switch (o.kind) {
    case 'fixed':
      for (let k = 1; k <= o.count; k++) out.push(usage(k, 0, monthUs));
      break;
    case 'part-time': {
      const endUs = Math.round(partTimeHours(o, monthUs) * HOUR_US);
      for (let k = 1; k <= o.count; k++) if (endUs > 0) out.push(usage(k, 0, endUs));
      break;
    }
    case 'steps': {
      // Dyno k's spans: from a step that brings the count to k or more, to one that takes it below.
      const upSince = new Map<number, number>();
      let count = 0;
      const to = (next: number, atUs: number): void => {
        for (let k = count + 1; k <= next; k++) upSince.set(k, atUs);
        for (let k = count; k > next; k--) {
          const since = upSince.get(k)!;
          if (atUs > since) out.push(usage(k, since, atUs));
          upSince.delete(k);
        }
        count = next;
      };
      for (const s of o.steps) if (s.atUs < monthUs) to(s.count, s.atUs);
      to(0, monthUs);
      out.sort((a, b) => a.startUs - b.startUs || a.dyno.localeCompare(b.dyno, 'en', { numeric: true }));
      break;
    }
    case 'one-off': {
      // Each run is a dyno of its own, far from a month long, so its bill is its hours at
      // the size's price (2013) or prorated monthly price (today, under the cap): linear in
      // hours. Runs are therefore billed in batches of under a quarter of a month, one usage
      // each from the start of the month: the same bill as a usage per run (free hours are
      // shared in proportion to hours, no batch reaches the cap), and `bill` stays fast
      // with thousands of runs.
      const batchUs = monthUs / 4;
      let n = firstNumber;
      let sumUs = 0;
      for (const r of o.runs) {
        const lengthUs = Math.min(r.lengthUs, monthUs - r.atUs);
        if (!(lengthUs > 0)) continue;
        if (sumUs > 0 && sumUs + lengthUs > batchUs) {
          out.push(usage(n++, 0, sumUs));
          sumUs = 0;
        }
        sumUs += lengthUs;
      }
      if (sumUs > 0) out.push(usage(n, 0, sumUs));
      break;
    }
  }
  return out;
}

/** One line of a schedule, resolved: from local hh:mm on `days` (0 Monday … 6 Sunday; null: every day), `count` dynos. */
export interface ScheduleLine {
  readonly hh: number;
  readonly mm: number;
  readonly days: readonly number[] | null;
  readonly count: number;
}

/**
 * The count a schedule sets over [0, untilUs) on `calendar`, as the simulator applies it:
 * at time zero the count of the line last in force before the start (looking back a week;
 * `before` if none was), then a step at every later local time a line names on one of its
 * days, lines at one instant in the order written. Steps that change nothing are dropped.
 */
export function scheduleSteps(lines: readonly ScheduleLine[], before: number, calendar: Calendar, untilUs: number): Step[] {
  const times: Array<{ tS: number; order: number; count: number }> = [];
  lines.forEach((line, order) => {
    let tS = calendar.nextClock(line.hh, line.mm, -7 * 86_400);
    while (tS * 1e6 < untilUs) {
      if (line.days === null || line.days.includes(calendar.dayOfWeek(tS))) times.push({ tS, order, count: line.count });
      tS = calendar.nextClock(line.hh, line.mm, tS + 1);
    }
  });
  times.sort((a, b) => a.tS - b.tS || a.order - b.order);
  const steps: Step[] = [{ atUs: 0, count: before }];
  for (const t of times) {
    const last = steps[steps.length - 1]!;
    if (t.tS <= 0) steps[0] = { atUs: 0, count: t.count };
    else if (t.count !== last.count) steps.push({ atUs: Math.round(t.tS * 1e6), count: t.count });
  }
  return steps;
}
