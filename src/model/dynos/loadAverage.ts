/**
 * The load averages of Heroku's log-runtime-metrics (`sample#load_avg_1m` and friends):
 * as in Linux, exponentially damped moving averages of the number of runnable tasks over
 * 1, 5 and 15 minutes. Linux samples the count every 5 s; the simulator knows it exactly,
 * so it integrates the continuous-time average instead, dL/dt = (n − L)/τ, whose solution
 * over an interval of constant n is L ← L·e^(−dt/τ) + n·(1 − e^(−dt/τ)).
 */

const TAU_1M_US = 60 * 1_000_000;
const TAU_5M_US = 300 * 1_000_000;
const TAU_15M_US = 900 * 1_000_000;

/** Starts at 0, like a freshly booted dyno. */
export class LoadAverage {
  private l1 = 0;
  private l5 = 0;
  private l15 = 0;

  /**
   * Advances the averages by `dtUs` (µs) during which `meanRunnable` tasks were runnable
   * on average. Exact when the count was constant over the interval (so, for a
   * piecewise-constant count, when called at every change); otherwise the time-average
   * stands in for the path, an error of order (dt/τ)² times the count's swing within the
   * interval. An interval of zero length (or less) changes nothing.
   */
  update(meanRunnable: number, dtUs: number): void {
    if (!(dtUs > 0)) return;
    const k1 = Math.exp(-dtUs / TAU_1M_US);
    const k5 = Math.exp(-dtUs / TAU_5M_US);
    const k15 = Math.exp(-dtUs / TAU_15M_US);
    this.l1 = this.l1 * k1 + meanRunnable * (1 - k1);
    this.l5 = this.l5 * k5 + meanRunnable * (1 - k5);
    this.l15 = this.l15 * k15 + meanRunnable * (1 - k15);
  }

  get load1m(): number {
    return this.l1;
  }

  get load5m(): number {
    return this.l5;
  }

  get load15m(): number {
    return this.l15;
  }
}
