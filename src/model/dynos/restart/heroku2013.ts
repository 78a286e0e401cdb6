/**
 * Heroku's restart policy from October 2013: the first crash restarts at once; a crash
 * within 10 minutes of the process's start continues the series with cool-offs of 10,
 * 20, 40, 80 … minutes, doubling up to 24 hours; a process that ran longer than 10
 * minutes before crashing starts a new series.
 */
import { TEN_MINUTES_US, type RestartPolicy } from './RestartPolicy.ts';

const CAP_US = 24 * 60 * 60 * 1_000_000;

export function heroku2013Restart(): RestartPolicy {
  return {
    name: 'heroku-2013',
    delayUs(n: number): number {
      if (n <= 1) return 0;
      return Math.min(TEN_MINUTES_US * 2 ** (n - 2), CAP_US);
    },
    /** A crash exactly 10 minutes after the start still continues the series. */
    continues(startedUs: number, crashUs: number): boolean {
      return crashUs - startedUs <= TEN_MINUTES_US;
    },
  };
}
