/**
 * Autoscalers' decision rules, apart from the simulation: each takes the metric it
 * watches at a tick and the dyno count now, and says the count to go to. Kept pure so
 * that a rule's exact trace can be checked by hand.
 */
import type { ScalingPlan } from '../Scenario.ts';

export interface Decision {
  readonly to: number;
  readonly reason: string;
}

export interface DecisionRule {
  /** Time between two looks at the metric (µs). */
  readonly tickUs: number;
  /** What it watches, for the record: `p95 response` or `mean queue time`. */
  readonly metricName: string;
  /** The count to go to, given the metric (µs, or null when nothing was measured) at `nowUs`; null: no change. */
  decide(nowUs: number, current: number, valueUs: number | null): Decision | null;
}

type Heroku = Extract<ScalingPlan, { strategy: 'heroku-autoscale' }>;
type QueueTime = Extract<ScalingPlan, { strategy: 'queue-time' }>;

/**
 * Heroku's autoscaler: keeps the p95 response time over a trailing window under a target,
 * one dyno per step; a step up at most every `upEvery`; a step down when the p95 is well
 * under target (× downBelow) and nothing changed for `downEvery`.
 */
export class HerokuAutoscaleRule implements DecisionRule {
  readonly tickUs: number;
  readonly metricName = 'p95 response';
  private readonly p: Heroku;
  private lastUpUs = -Infinity;
  private lastChangeUs = -Infinity;

  constructor(p: Heroku) {
    this.p = p;
    this.tickUs = Math.min(p.upEveryUs, 60e6);
  }

  decide(nowUs: number, current: number, p95Us: number | null): Decision | null {
    const p = this.p;
    if (p95Us !== null && p95Us > p.targetUs) {
      if (current >= p.max || nowUs - this.lastUpUs < p.upEveryUs) return null;
      this.lastUpUs = nowUs;
      this.lastChangeUs = nowUs;
      return { to: current + 1, reason: `p95 above ${ms(p.targetUs)}` };
    }
    if ((p95Us === null || p95Us < p.targetUs * p.downBelow) && current > p.min && nowUs - this.lastChangeUs >= p.downEveryUs) {
      this.lastChangeUs = nowUs;
      return { to: current - 1, reason: p95Us === null ? 'no traffic' : `p95 under ${ms(p.targetUs * p.downBelow)}` };
    }
    return null;
  }
}

/**
 * The Judoscale and HireFire way: queue time (arrival at the router to the start of
 * service) sampled every `sampleEvery`, as a mean or p95 over the sample; `upBreaches`
 * samples in a row above `up` scale up by `step` (no sooner than `upCooldown` after the
 * last upscale); staying under `down` for `downAfter` scales down by `downStep` (no sooner
 * than `downCooldown` after any change). A sample with no request started reads as zero.
 */
export class QueueTimeRule implements DecisionRule {
  readonly tickUs: number;
  readonly metricName: string;
  private readonly p: QueueTime;
  private breaches = 0;
  private belowSinceUs = -1;
  private lastUpUs = -Infinity;
  private lastChangeUs = -Infinity;

  constructor(p: QueueTime) {
    this.p = p;
    this.tickUs = p.sampleEveryUs;
    this.metricName = `${p.metric} queue time`;
  }

  decide(nowUs: number, current: number, valueUs: number | null): Decision | null {
    const p = this.p;
    const v = valueUs ?? 0;
    if (v > p.upUs) {
      this.belowSinceUs = -1;
      this.breaches++;
      if (this.breaches < p.upBreaches || current >= p.max || nowUs - this.lastUpUs < p.upCooldownUs) return null;
      this.breaches = 0;
      this.lastUpUs = nowUs;
      this.lastChangeUs = nowUs;
      return { to: Math.min(p.max, current + p.step), reason: `above ${ms(p.upUs)}${p.upBreaches > 1 ? ` ${p.upBreaches} samples in a row` : ''}` };
    }
    this.breaches = 0;
    if (v >= p.downUs) {
      this.belowSinceUs = -1;
      return null;
    }
    // Under the down threshold since the end of the first sample that was.
    if (this.belowSinceUs < 0) this.belowSinceUs = nowUs;
    if (current <= p.min || nowUs - this.belowSinceUs < p.downAfterUs || nowUs - this.lastChangeUs < p.downCooldownUs) return null;
    this.lastChangeUs = nowUs;
    this.belowSinceUs = nowUs;
    return { to: Math.max(p.min, current - p.downStep), reason: `under ${ms(p.downUs)} for ${Math.round(p.downAfterUs / 1e6)} s` };
  }
}

function ms(us: number): string {
  return `${Math.round(us / 100) / 10} ms`;
}
