/**
 * Heroku's restart policy before October 2013: the first crash restarts at once, later
 * ones every 10 minutes. The series window (a crash within 10 minutes of the start
 * continues it) is taken from the later 2013 policy, as Heroku published none for this
 * one; with a constant cool-off it only decides whether the next restart is immediate.
 */
import { TEN_MINUTES_US, type RestartPolicy } from './RestartPolicy.ts';

export function heroku2013EarlyRestart(): RestartPolicy {
  return {
    name: 'heroku-2013-early',
    delayUs(n: number): number {
      return n <= 1 ? 0 : TEN_MINUTES_US;
    },
    continues(startedUs: number, crashUs: number): boolean {
      return crashUs - startedUs <= TEN_MINUTES_US;
    },
  };
}
