/**
 * A process type's scaling strategy at work in a run: at each tick it closes the metric's
 * buckets up to now, asks its rule for a count, and has the dyno manager scale the type
 * (new dynos boot before they take work; removed dynos drain and stop gracefully, as with
 * `heroku ps:scale`). A schedule needs no metric: it scales at the times it names.
 * Every change is a row of scaling.csv.
 */
import type { Engine } from '../../engine/Engine.ts';
import type { DynoManager } from '../dynos/manager/DynoManager.ts';
import type { DynoSize } from '../platform/profile.ts';
import type { ScalingPlan } from '../Scenario.ts';
import { HerokuAutoscaleRule, QueueTimeRule, type DecisionRule } from './strategies.ts';
import { TimeBins } from './TimeBins.ts';

/** One row of scaling.csv. */
export interface ScalingRow {
  readonly timeUs: number;
  readonly process: string;
  readonly strategy: string;
  readonly from: number;
  readonly to: number;
  /** Dynos up (serving) when it decided. */
  readonly up: number;
  readonly metric: string;
  /** The metric's value that decided (µs), or null. */
  readonly valueUs: number | null;
  readonly reason: string;
}

/** What a request or job flow tells a scaler: responses (at the time the client has them) and starts of service with their queue time. */
export interface FlowObserver {
  response(tUs: number, latencyUs: number, weight: number): void;
  started(tUs: number, waitUs: number, weight: number): void;
}

export class Scaler implements FlowObserver {
  readonly plan: ScalingPlan;
  changes = 0;
  private readonly engine: Engine;
  private readonly manager: DynoManager;
  private readonly rule: DecisionRule | null;
  private readonly bins: TimeBins | null;
  private readonly onRow: (row: ScalingRow) => void;
  private readonly endUs: number;
  private readonly kind: number;
  private readonly watchResponses: boolean;
  private readonly p95: boolean;
  private readonly onTick: ((process: string, tUs: number, valueUs: number | null) => void) | undefined;

  constructor(engine: Engine, plan: ScalingPlan, manager: DynoManager, endUs: number, onRow: (row: ScalingRow) => void, onTick?: (process: string, tUs: number, valueUs: number | null) => void) {
    this.onTick = onTick;
    this.engine = engine;
    this.plan = plan;
    this.manager = manager;
    this.endUs = endUs;
    this.onRow = onRow;
    if (plan.strategy === 'heroku-autoscale') {
      this.rule = new HerokuAutoscaleRule(plan);
      this.bins = new TimeBins(this.rule.tickUs, plan.windowUs);
      this.watchResponses = true;
      this.p95 = true;
    } else if (plan.strategy === 'queue-time') {
      this.rule = new QueueTimeRule(plan);
      this.bins = new TimeBins(plan.sampleEveryUs, plan.sampleEveryUs);
      this.watchResponses = false;
      this.p95 = plan.metric === 'p95';
    } else {
      this.rule = null;
      this.bins = null;
      this.watchResponses = false;
      this.p95 = false;
    }
    this.kind = engine.register((i, tUs) => (this.rule === null ? this.scheduled(i) : this.tick(tUs)));
  }

  /** Whether the flow should report responses (else starts of service) to this scaler. */
  get needsMetric(): boolean {
    return this.bins !== null;
  }

  start(): void {
    const plan = this.plan;
    if (plan.strategy === 'schedule') plan.changes.forEach((c, i) => this.engine.at(c.atUs, this.kind, i));
    else if (this.rule !== null && this.rule.tickUs < this.endUs) this.engine.at(this.rule.tickUs, this.kind, 0);
  }

  response(tUs: number, latencyUs: number, weight: number): void {
    if (this.watchResponses) this.bins!.add(tUs, latencyUs, weight);
  }

  started(tUs: number, waitUs: number, weight: number): void {
    if (!this.watchResponses && this.bins !== null) this.bins.add(tUs, waitUs, weight);
  }

  private tick(tUs: number): void {
    const bins = this.bins!;
    const rule = this.rule!;
    bins.closeTo(tUs);
    const value = this.p95 ? bins.quantile(0.95) : bins.mean();
    this.onTick?.(this.manager.proc.type, tUs, value);
    const from = this.manager.formation;
    const d = rule.decide(tUs, from, value);
    if (d !== null && d.to !== from) this.change(from, d.to, rule.metricName, value, d.reason);
    if (tUs + rule.tickUs < this.endUs) this.engine.at(tUs + rule.tickUs, this.kind, 0);
  }

  private scheduled(i: number): void {
    const plan = this.plan as Extract<ScalingPlan, { strategy: 'schedule' }>;
    const from = this.manager.formation;
    const { count: to, size } = plan.changes[i]!;
    if (size !== null && size !== this.manager.size) this.change(from, to, 'schedule', null, `scheduled, as ${size.name}`, size);
    else if (to !== from) this.change(from, to, 'schedule', null, 'scheduled');
  }

  private change(from: number, to: number, metric: string, valueUs: number | null, reason: string, size: DynoSize | null = null): void {
    this.changes++;
    this.onRow({ timeUs: this.engine.nowUs, process: this.manager.proc.type, strategy: this.plan.strategy, from, to, up: this.manager.upCount, metric, valueUs, reason });
    this.manager.scale(to, size);
  }
}
