/**
 * `scaling.<type>` resolved into a plan: a schedule's changes laid out on the calendar,
 * an autoscaler's bounds and settings checked and its preset's defaults filled in.
 */
import type { DynoSize } from '../../model/platform/profile.ts';
import type { ScalingPlan } from '../../model/Scenario.ts';
import type { Calendar } from '../../model/traffic/calendar.ts';
import { formatDuration } from '../../engine/units/duration.ts';
import { WEEKDAYS, type ScalingSpec } from '../schema/scaling.ts';
import type { ScenarioFile } from '../schema/scenario.ts';
import type { Problem } from '../schema/problems.ts';
import type { SizeOf } from './profile.ts';

/** The count a schedule has in force at time zero, and the size it names, if the type has a schedule. */
export function scheduleStart(scaling: readonly ScalingPlan[], process: number): { count: number; size: DynoSize | null } | undefined {
  const plan = scaling.find((p) => p.process === process);
  return plan?.strategy === 'schedule' ? { count: plan.initial, size: plan.initialSize } : undefined;
}

/** Queue-time autoscalers' defaults (Judoscale's published behaviour; HireFire's are not published beyond its 60 s samples). */
export const QUEUE_TIME_PRESETS = {
  judoscale: { metric: 'mean', sampleEveryUs: 10e6, upBreaches: 1, downAfterUs: 600e6, upCooldownUs: 180e6, downCooldownUs: 180e6, step: 1, downStep: 1 },
  hirefire: { metric: 'mean', sampleEveryUs: 60e6, upBreaches: 1, downAfterUs: 120e6, upCooldownUs: 60e6, downCooldownUs: 60e6, step: 1, downStep: 1 },
} as const;

/** Every `scaling.<type>` resolved: the plans (a fixed type has none), and the most dynos each planned type may run. */
export function resolveScalingPlans(s: ScenarioFile, types: readonly string[], calendar: Calendar, sizeOf: SizeOf, problems: Problem[]): { plans: ScalingPlan[]; most: Map<string, number> } {
  const plans: ScalingPlan[] = [];
  const most = new Map<string, number>();
  for (const [type, spec] of Object.entries(s.scaling)) {
    const k = types.indexOf(type);
    if (k < 0) {
      problems.push({ path: `scaling.${type}`, message: `no process type ${type} in the formation (it has ${types.join(', ')})` });
      continue;
    }
    const { plan, max } = resolveScaling(type, spec, k, s.formation[type]!.count, { calendar, durationUs: s.duration, sizeOf }, problems);
    if (plan === null) continue;
    if (plan.strategy === 'heroku-autoscale' && type !== 'web') problems.push({ path: `scaling.${type}.strategy`, message: 'Heroku autoscales web dynos only' });
    plans.push(plan);
    most.set(type, max);
  }
  return { plans, most };
}

/** Resolves `scaling.<type>`; returns the plan (or null for fixed) and the most dynos it can run. */
function resolveScaling(
  type: string,
  spec: ScalingSpec,
  process: number,
  count: number,
  cx: { calendar: Calendar; durationUs: number; sizeOf: SizeOf },
  problems: Problem[],
): { plan: ScalingPlan | null; max: number } {
  const { calendar, durationUs } = cx;
  const path = `scaling.${type}`;
  if (spec.strategy === 'fixed') return { plan: null, max: count };
  if (spec.strategy === 'schedule') {
    const at: { tS: number; count: number; size: DynoSize | null; order: number }[] = [];
    spec.schedule.forEach((e, i) => {
      const size = e.size === undefined ? null : (cx.sizeOf(e.size, `${path}.schedule.${i}.size`) ?? null);
      const [hh, mm] = e.at.trim().split(':').map(Number) as [number, number];
      const days = e.days === undefined ? null : e.days.map((d) => WEEKDAYS.indexOf(d));
      // From a week before the start (the count in force at time zero) to the end.
      for (let tS = calendar.nextClock(hh, mm, -7 * 86_400); tS * 1e6 < durationUs; tS = calendar.nextClock(hh, mm, tS + 1)) {
        if (days === null || days.includes(calendar.dayOfWeek(tS))) at.push({ tS, count: e.count, size, order: i });
      }
    });
    at.sort((a, b) => a.tS - b.tS || a.order - b.order);
    let initial = count;
    let initialSize: DynoSize | null = null;
    const changes: { atUs: number; count: number; size: DynoSize | null }[] = [];
    for (const a of at) {
      if (a.tS <= 0) {
        initial = a.count;
        initialSize = a.size ?? initialSize;
      } else changes.push(Object.freeze({ atUs: Math.round(a.tS * 1e6), count: a.count, size: a.size }));
    }
    const max = Math.max(initial, ...spec.schedule.map((e) => e.count));
    return { plan: Object.freeze({ strategy: 'schedule', process, initial, initialSize, changes: Object.freeze(changes) }), max };
  }
  const min = spec.min ?? 1;
  const max = spec.max;
  if (max === undefined) {
    problems.push({ path: `${path}.max`, message: 'missing (an autoscaler needs the most dynos it may run)' });
    return { plan: null, max: count };
  }
  if (min > max) problems.push({ path: `${path}.min`, message: `expected at most max (${max}), got ${min}` });
  if (count < min || count > max) problems.push({ path: `formation.${type}.count`, message: `expected a count from scaling.${type}.min to max (${min}..${max}) to start from, got ${count}`, needs: [`scaling.${type}`] });
  if (spec.strategy === 'heroku-autoscale') {
    return {
      plan: Object.freeze({ strategy: 'heroku-autoscale', process, targetUs: spec.target, min, max, windowUs: spec.window, upEveryUs: spec.upEvery, downBelow: spec.downBelow, downEveryUs: spec.downEvery }),
      max,
    };
  }
  const d = QUEUE_TIME_PRESETS[spec.preset];
  if (spec.down >= spec.up) problems.push({ path: `${path}.down`, message: `expected a threshold below up (${formatDuration(spec.up)}), got ${formatDuration(spec.down)}` });
  return {
    plan: Object.freeze({
      strategy: 'queue-time',
      process,
      preset: spec.preset,
      metric: spec.metric ?? d.metric,
      sampleEveryUs: spec.sampleEvery ?? d.sampleEveryUs,
      upUs: spec.up,
      downUs: spec.down,
      upBreaches: spec.upBreaches ?? d.upBreaches,
      downAfterUs: spec.downAfter ?? d.downAfterUs,
      upCooldownUs: spec.upCooldown ?? d.upCooldownUs,
      downCooldownUs: spec.downCooldown ?? d.downCooldownUs,
      step: spec.step ?? d.step,
      downStep: spec.downStep ?? d.downStep,
      min,
      max,
    }),
    max,
  };
}
