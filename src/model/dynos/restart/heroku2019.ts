/**
 * Heroku's restart policy from 2019 on: the first crash restarts at once, then after up
 * to 20, 40, 60, 180 and 320 minutes, then every 320 minutes. The series resets when the
 * dyno "starts fine", which Heroku does not define: here, when the process ran longer
 * than `stableAfterUs` before crashing (default 10 minutes, the published 2013 window).
 * Releases, restarts and scaling to 0 and back also reset it; that is the dyno manager's
 * job (CrashSeries.reset), not the policy's.
 */
import { TEN_MINUTES_US, type RestartPolicy } from './RestartPolicy.ts';

const MINUTE_US = 60 * 1_000_000;
/** Cool-offs after crashes 2, 3, 4, 5, 6 of a series; the last repeats. */
const COOL_OFF_US = [20, 40, 60, 180, 320].map((m) => m * MINUTE_US);

/** `stableAfterUs` (µs): run time after which a crash begins a new series. */
export function heroku2019Restart(stableAfterUs: number = TEN_MINUTES_US): RestartPolicy {
  if (!(stableAfterUs >= 0)) throw new RangeError(`heroku2019Restart: stableAfterUs must be ≥ 0, got ${stableAfterUs}`);
  return {
    name: 'heroku-2019',
    delayUs(n: number): number {
      if (n <= 1) return 0;
      return COOL_OFF_US[Math.min(n - 2, COOL_OFF_US.length - 1)]!;
    },
    /** A crash exactly `stableAfterUs` after the start still continues the series. */
    continues(startedUs: number, crashUs: number): boolean {
      return crashUs - startedUs <= stableAfterUs;
    },
  };
}
