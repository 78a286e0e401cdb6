/**
 * The conformance suite every autoscaler decision rule runs (in the manner of Hono's
 * shared router tests): driven tick by tick with metric series, seeded and constant, a
 * rule never goes below its min or above its max; upscales are at least the up cool-down
 * apart, and a downscale is at least the down interval after any change; a metric well
 * under every threshold (or no metric at all) never scales up, one well over never scales
 * down, and each reaches the bound it heads for; every change is by the rule's step,
 * clipped to the bounds; one series gives one trace. The rules are keyed by the scaling
 * plan's strategies that watch a metric, so a new strategy fails to type-check here until
 * it has a rule and cases. (A schedule has no decision rule: it scales at named times.)
 */
import test from 'ava';
import { Streams } from '../src/engine/streams.ts';
import type { ScalingPlan } from '../src/model/Scenario.ts';
import { QUEUE_TIME_PRESETS } from '../src/scenario/resolve.ts';
import { HerokuAutoscaleRule, QueueTimeRule, type Decision, type DecisionRule } from '../src/model/scaling/strategies.ts';

const S = 1e6;
const MS = 1e3;

type MetricStrategy = Exclude<ScalingPlan['strategy'], 'schedule'>;

/** What the suite needs to know of one parameter set, read off the plan. */
interface Case {
  readonly label: string;
  readonly make: () => DecisionRule;
  readonly min: number;
  readonly max: number;
  readonly stepUp: number;
  readonly stepDown: number;
  /** Least time between two upscales (µs). */
  readonly upGapUs: number;
  /** Least time from any change to a downscale (µs). */
  readonly downGapUs: number;
  /** A metric value (µs) above every up threshold, and one under every down threshold. */
  readonly highUs: number;
  readonly lowUs: number;
}

type Heroku = Extract<ScalingPlan, { strategy: 'heroku-autoscale' }>;
type QueueTime = Extract<ScalingPlan, { strategy: 'queue-time' }>;

function herokuCase(label: string, p: Heroku): Case {
  return {
    label,
    make: () => new HerokuAutoscaleRule(p),
    min: p.min,
    max: p.max,
    // One dyno per step, published.
    stepUp: 1,
    stepDown: 1,
    upGapUs: p.upEveryUs,
    downGapUs: p.downEveryUs,
    highUs: p.targetUs * 4,
    lowUs: p.targetUs * p.downBelow * 0.25,
  };
}

function queueCase(label: string, p: QueueTime): Case {
  return {
    label,
    make: () => new QueueTimeRule(p),
    min: p.min,
    max: p.max,
    stepUp: p.step,
    stepDown: p.downStep,
    upGapUs: p.upCooldownUs,
    // A downscale needs a spell of downAfter under the threshold, which any change (an
    // upscale needs a sample above it) interrupts, and downCooldown after any change.
    downGapUs: Math.max(p.downAfterUs, p.downCooldownUs),
    highUs: p.upUs * 4,
    lowUs: p.downUs * 0.25,
  };
}

const heroku: Heroku = {
  strategy: 'heroku-autoscale', process: 0, targetUs: 500 * MS, min: 1, max: 6,
  windowUs: 3600 * S, upEveryUs: 60 * S, downBelow: 0.5, downEveryUs: 180 * S,
};

const queueTime = (preset: keyof typeof QUEUE_TIME_PRESETS, extra: Partial<QueueTime> = {}): QueueTime => ({
  strategy: 'queue-time', process: 0, preset, ...QUEUE_TIME_PRESETS[preset],
  upUs: 100 * MS, downUs: 20 * MS, min: 2, max: 9, ...extra,
});

const RULES: Readonly<Record<MetricStrategy, readonly Case[]>> = {
  'heroku-autoscale': [
    herokuCase('defaults-like', heroku),
    // Ticks every 60 s but steps up only every 3 minutes: the cool-down has to hold ticks back.
    herokuCase('slow up, 2..10', { ...heroku, min: 2, max: 10, upEveryUs: 180 * S, downEveryUs: 300 * S, targetUs: 200 * MS, downBelow: 0.8 }),
  ],
  'queue-time': [
    queueCase('judoscale preset', queueTime('judoscale')),
    queueCase('hirefire preset', queueTime('hirefire', { min: 1, max: 5 })),
    queueCase('steps of 3 up, 2 down, two breaches', queueTime('judoscale', {
      step: 3, downStep: 2, upBreaches: 2, upCooldownUs: 30 * S, downAfterUs: 60 * S, downCooldownUs: 40 * S, max: 12,
    })),
  ],
};

interface Change {
  readonly tUs: number;
  readonly from: number;
  readonly to: number;
  readonly reason: string;
}

/**
 * Asks the rule at each tick, with `values[i]` (µs, or null) at tick i + 1, starting from
 * `start` dynos and applying every decision. Returns the changes, and all decisions
 * (including those that keep the count) for the bound checks.
 */
function drive(rule: DecisionRule, start: number, values: ReadonlyArray<number | null>): { changes: Change[]; decisions: Decision[] } {
  let n = start;
  const changes: Change[] = [];
  const decisions: Decision[] = [];
  values.forEach((v, i) => {
    const tUs = (i + 1) * rule.tickUs;
    const d = rule.decide(tUs, n, v);
    if (d === null) return;
    decisions.push(d);
    if (d.to !== n) changes.push({ tUs, from: n, to: d.to, reason: d.reason });
    n = d.to;
  });
  return { changes, decisions };
}

/** Ticks of a rule that a spell of one metric level lasts on average: long enough for a downscale. */
function spellTicks(c: Case, tickUs: number): number {
  return Math.max(12, Math.ceil((1.5 * c.downGapUs) / tickUs));
}

/** Enough ticks to go from one bound to the other, one step at a time, at the slower interval. */
function crossingTicks(c: Case, tickUs: number): number {
  return (c.max - c.min + 2) * Math.ceil(Math.max(c.upGapUs, c.downGapUs) / tickUs + 2);
}

/**
 * A seeded metric series of some 40 spells that wanders across the thresholds: spells
 * high, low, between, and unmeasured or low.
 */
function wandering(c: Case, seed: number): Array<number | null> {
  const tickUs = c.make().tickUs;
  const spell = spellTicks(c, tickUs);
  const u = new Streams(seed).stream('metric');
  const out: Array<number | null> = [];
  let level = 0;
  for (let i = 0; i < 40 * spell; i++) {
    if (u.next() < 1 / spell) level = Math.floor(u.next() * 4);
    const jitter = 0.5 + u.next();
    out.push(level === 0 ? c.highUs * jitter : level === 1 ? c.lowUs * jitter : level === 2 ? (c.lowUs + c.highUs) / 2 : u.next() < 0.5 ? null : c.lowUs);
  }
  return out;
}

test('every strategy that watches a metric has cases here', (t) => {
  t.deepEqual(Object.keys(RULES).sort(), ['heroku-autoscale', 'queue-time']);
});

for (const [strategy, cases] of Object.entries(RULES)) {
  for (const c of cases) {
    const title = `${strategy} (${c.label})`;
    const seeds = [1, 2, 3, 4, 5];

    test(`${title}: never decides below min or above max, from any count in range`, (t) => {
      for (const seed of seeds) {
        const { decisions } = drive(c.make(), c.min + (seed % (c.max - c.min + 1)), wandering(c, seed));
        for (const d of decisions) t.true(d.to >= c.min && d.to <= c.max, `seed ${seed}: to ${d.to}`);
      }
      // Asked about a count it did not choose, every step of the way.
      const rule = c.make();
      const u = new Streams(9).stream('counts');
      wandering(c, 9).forEach((v, i) => {
        const current = c.min + Math.floor(u.next() * (c.max - c.min + 1));
        const d = rule.decide((i + 1) * rule.tickUs, current, v);
        if (d !== null) t.true(d.to >= c.min && d.to <= c.max, `from ${current}: to ${d.to}`);
      });
    });

    test(`${title}: upscales at least the up cool-down apart, downscales at least the down interval after any change`, (t) => {
      let ups = 0;
      let downs = 0;
      for (const seed of seeds) {
        const { changes } = drive(c.make(), c.min, wandering(c, seed));
        let lastUp = -Infinity;
        let lastChange = -Infinity;
        for (const ch of changes) {
          if (ch.to > ch.from) {
            ups++;
            t.true(ch.tUs - lastUp >= c.upGapUs, `seed ${seed}: up at ${ch.tUs / S} s, last up at ${lastUp / S} s`);
            lastUp = ch.tUs;
          } else {
            downs++;
            t.true(ch.tUs - lastChange >= c.downGapUs, `seed ${seed}: down at ${ch.tUs / S} s, last change at ${lastChange / S} s`);
          }
          lastChange = ch.tUs;
        }
      }
      // The series do exercise both directions.
      t.true(ups > 5 && downs > 5, `${ups} ups, ${downs} downs`);
      // Held high from min: exactly as fast as the cool-down allows, rounded up to whole ticks.
      const rule = c.make();
      const { changes } = drive(rule, c.min, Array.from({ length: 200 }, () => c.highUs));
      const upTicks = Math.max(1, Math.ceil(c.upGapUs / rule.tickUs));
      for (let i = 1; i < changes.length; i++) t.is(changes[i]!.tUs - changes[i - 1]!.tUs, upTicks * rule.tickUs);
    });

    test(`${title}: well under every threshold, or unmeasured, never up; well over, never down; each reaches its bound`, (t) => {
      const ticks = crossingTicks(c, c.make().tickUs);
      for (const start of [c.min, Math.floor((c.min + c.max) / 2), c.max]) {
        const low = drive(c.make(), start, Array.from({ length: ticks }, () => c.lowUs));
        t.true(low.changes.every((ch) => ch.to < ch.from));
        t.is(low.changes.at(-1)?.to ?? start, c.min);
        const none = drive(c.make(), start, Array.from({ length: ticks }, () => null));
        t.true(none.changes.every((ch) => ch.to < ch.from));
        t.is(none.changes.at(-1)?.to ?? start, c.min);
        const high = drive(c.make(), start, Array.from({ length: ticks }, () => c.highUs));
        t.true(high.changes.every((ch) => ch.to > ch.from));
        t.is(high.changes.at(-1)?.to ?? start, c.max);
      }
      // Between the thresholds nothing moves.
      t.deepEqual(drive(c.make(), c.min + 1, Array.from({ length: ticks }, () => (c.lowUs * 4 + c.highUs / 4) / 2)).changes, []);
    });

    test(`${title}: every change is one step, clipped to the bounds`, (t) => {
      let clipped = 0;
      for (const seed of seeds) {
        for (const ch of drive(c.make(), c.min, wandering(c, seed)).changes) {
          const want = ch.to > ch.from ? Math.min(c.max, ch.from + c.stepUp) : Math.max(c.min, ch.from - c.stepDown);
          t.is(ch.to, want, `seed ${seed} at ${ch.tUs / S} s from ${ch.from}`);
          if (Math.abs(ch.to - ch.from) !== (ch.to > ch.from ? c.stepUp : c.stepDown)) clipped++;
        }
      }
      // Full steps happen too (not only clipped ones): a step of 1 is never clipped.
      if (c.stepUp === 1 && c.stepDown === 1) t.is(clipped, 0);
    });

    test(`${title}: one metric series gives one trace, reasons included`, (t) => {
      for (const seed of seeds) {
        const series = wandering(c, seed);
        const a = drive(c.make(), c.min, series);
        t.deepEqual(drive(c.make(), c.min, series), a);
        t.true(a.changes.length > 0);
        t.true(a.changes.every((ch) => ch.reason.length > 0));
      }
      t.notDeepEqual(drive(c.make(), c.min, wandering(c, 1)).changes, drive(c.make(), c.min, wandering(c, 2)).changes);
    });
  }
}
