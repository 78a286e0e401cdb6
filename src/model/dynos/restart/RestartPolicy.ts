/**
 * When the dyno manager restarts a crashed dyno. Heroku restarts the first crash at once
 * and then backs off, so that a dyno crashing on boot does not spin; the schedule changed
 * in October 2013 and again in 2019, and each era is a policy. A policy is pure: the
 * series it counts lives in CrashSeries, one per dyno.
 */

/** Ten minutes (µs): the 2013 window within which a crash continues a series. */
export const TEN_MINUTES_US = 10 * 60 * 1_000_000;

export interface RestartPolicy {
  readonly name: string;
  /** Delay (µs) before restarting after the n-th crash of a series (n ≥ 1). */
  delayUs(n: number): number;
  /**
   * Whether a crash at crashUs of a process that started at startedUs continues the
   * current series (true) or starts a new one at n = 1 (false).
   */
  continues(startedUs: number, crashUs: number): boolean;
}
