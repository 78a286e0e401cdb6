/**
 * One dyno's run of crashes, as the dyno manager counts it to choose the next cool-off.
 * The policy says how long to wait and whether a crash continues the series; this keeps
 * the count. The dyno manager resets it on a release, a restart and a scale to 0 and back.
 */
import type { RestartPolicy } from './RestartPolicy.ts';

export class CrashSeries {
  private readonly policy: RestartPolicy;
  private count = 0;

  constructor(policy: RestartPolicy) {
    this.policy = policy;
  }

  /** Crashes in the current series; 0 before the first or after a reset. */
  get n(): number {
    return this.count;
  }

  /**
   * A crash at `crashUs` of the process started at `startedUs`: counts it and returns the
   * delay (µs) before the restart.
   */
  crashed(startedUs: number, crashUs: number): number {
    this.count = this.count > 0 && this.policy.continues(startedUs, crashUs) ? this.count + 1 : 1;
    return this.policy.delayUs(this.count);
  }

  reset(): void {
    this.count = 0;
  }
}
