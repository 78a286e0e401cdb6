/**
 * From a scenario to the formations `dynosim cost` prices: each process type as the
 * scenario runs it over a billing month (a fixed count; a schedule's steps on the
 * calendar; an autoscaler at its min and at its max), Heroku Scheduler's and scripted
 * one-off dynos at their expected lengths, and the what-ifs of --sizes, --counts and
 * --hours on one process type. Also what the figures leave out, for the notes.
 */
import type { DynoSize, PlatformProfile } from '../../model/platform/profile.ts';
import { PROFILES, PROFILE_NAMES } from '../../model/platform/profiles.ts';
import type { OneOffSpec, ProcessSpec, Scenario, ScalingPlan } from '../../model/Scenario.ts';
import { scenarioSchema, WEEKDAYS } from '../../scenario/schema.ts';
import { formatDuration } from '../../engine/units/duration.ts';
import type { Alternative, ProcessLine } from './costTable.ts';
import { MAX_DYNOS_PER_APP } from './costTable.ts';
import { CostInputError } from './CostInputError.ts';
import { peakDynos, scheduleSteps, type Occupancy, type OneOffRun, type ScheduleLine } from './occupancy.ts';
import { partTimeText, type PartTime } from './options.ts';

/** What the command line asks for beyond the scenario. */
export interface CostRequest {
  /** The process type --sizes, --counts and --hours apply to. */
  readonly process: string;
  readonly sizes: readonly string[] | null;
  readonly counts: readonly number[] | null;
  readonly hours: PartTime | null;
}

/** A process type whose count an autoscaler decides. */
export interface Autoscaled {
  readonly processType: string;
  readonly strategy: string;
  readonly min: number;
  readonly max: number;
}

/** The count-by-cost curve of the chart: `process`'s count varied over `counts`, the rest as in `base`. */
export interface CurveSetup {
  readonly base: Alternative;
  readonly templates: readonly ProcessLine[];
  readonly counts: readonly number[];
  readonly occupancyOf: (count: number) => Occupancy;
}

export interface CostSetup {
  /** heroku-2013 then heroku-2025; the scenario's own as its platform block makes it. */
  readonly books: readonly PlatformProfile[];
  readonly alternatives: readonly Alternative[];
  readonly curve: CurveSetup;
  readonly process: string;
  /** The formation in words, one item per process type or task. */
  readonly formation: readonly string[];
  readonly autoscaled: readonly Autoscaled[];
  /** What the figures assume. */
  readonly notes: readonly string[];
  /** What only a run can tell. */
  readonly needsRun: readonly string[];
}

/** A run is billed to the next whole second: half a second more than its length, on average. */
const ROUND_UP_US = 500_000;

/** The formations to price for `s`; throws CostInputError on an option that does not fit it. */
export function costSetup(s: Scenario, req: CostRequest): CostSetup {
  const types = s.processes.map((p) => p.type);
  const chosen = types.indexOf(req.process);
  if (chosen < 0) throw new CostInputError(`--process ${JSON.stringify(req.process)}: ${s.name} has no process type ${req.process} (it has ${types.join(', ')})`);
  const books = PROFILE_NAMES.map((name) => (name === s.platform.name ? s.platform : PROFILES[name]!));
  const untilUs = Math.max(...books.map((b) => b.billing.monthUs));
  const sizes = req.sizes === null ? null : req.sizes.map((name) => findSize(name, [s.platform, ...books.filter((b) => b !== s.platform)]));

  const plans = s.processes.map((_, k) => s.scaling.find((p) => p.process === k) ?? null);
  const autoscaled: Autoscaled[] = plans.flatMap((p, k) => (p !== null && p.strategy !== 'schedule' ? [{ processType: types[k]!, strategy: p.strategy, min: p.min, max: p.max }] : []));
  const schedules = scheduleLinesOf(s);
  const lineOf = (p: ProcessSpec, k: number, at: 'min' | 'max'): ProcessLine => {
    const plan = plans[k] ?? null;
    return { processType: p.type, size: p.size, book: s.platform.name, mapSize: true, occupancy: occupancyOf(p, plan, at, schedules, s, untilUs), estimate: false };
  };
  const oneOffs = oneOffLines(s, untilUs);
  const baseOf = (at: 'min' | 'max'): Alternative => {
    const kind = autoscaled.length === 0 ? 'as-written' : at;
    const name = autoscaled.length === 0 ? 'as written' : `at ${at} (${autoscaled.map((a) => `${a.processType} ${a[at]}`).join(', ')})`;
    return { name, kind, lines: [...s.processes.map((p, k) => lineOf(p, k, at)), ...oneOffs] };
  };
  const bases = autoscaled.length === 0 ? [baseOf('min')] : [baseOf('min'), baseOf('max')];

  // What-ifs: the chosen type's size, count or hours changed on each base.
  const whatIfs: Alternative[] = [];
  const seen = new Set(bases.map(alternativeKey));
  if (sizes !== null || req.counts !== null || req.hours !== null) {
    const p = s.processes[chosen]!;
    // A new count (or hours) replaces the chosen type's autoscaler: one base is enough unless another type autoscales.
    const replacesCount = req.counts !== null || req.hours !== null;
    const others = autoscaled.filter((a) => !(replacesCount && a.processType === p.type));
    const useBases = others.length === 0 ? bases.slice(0, 1) : bases;
    for (const base of useBases) {
      for (const size of sizes ?? [null]) {
        for (const count of req.counts ?? [null]) {
          const old = base.lines[chosen]!;
          const occupancy = whatIfOccupancy(old.occupancy, count, req.hours, p.type);
          // The formation's own size stays mapped into the other book; another size is priced where it exists.
          const own = size === null || (size.book === old.book && size.size.name === old.size.name);
          const line: ProcessLine = own ? { ...old, occupancy } : { ...old, size: size.size, book: size.book, mapSize: false, occupancy };
          const lines = base.lines.map((l, i) => (i === chosen ? line : l));
          const suffix = others.length === 0 ? '' : `; ${others.map((a) => `${a.processType} ${base.kind === 'max' ? a.max : a.min}`).join(', ')}`;
          const name = `${p.type} ${countText(occupancy)} × ${line.size.name}${req.hours === null ? '' : `, ${partTimeText(req.hours)}`}${suffix}`;
          const alt: Alternative = { name, kind: 'what-if', lines };
          const key = alternativeKey(alt);
          if (seen.has(key)) continue;
          seen.add(key);
          whatIfs.push(alt);
        }
      }
    }
  }

  return {
    books,
    alternatives: [...bases, ...whatIfs],
    curve: curveSetup(s, chosen, bases[0]!, sizes, req),
    process: req.process,
    formation: formationText(s, bases[0]!, autoscaled),
    autoscaled,
    notes: notesOf(s, books, oneOffs),
    needsRun: needsRunOf(s, autoscaled),
  };
}

/** A size named on the command line, in the first of `books` that has it. */
function findSize(name: string, books: readonly PlatformProfile[]): { size: DynoSize; book: string } {
  const own = books.find((b) => Object.hasOwn(b.sizes, name));
  if (own !== undefined) return { size: own.sizes[name]!, book: own.name };
  const known = books.map((b) => `${b.name}: ${Object.keys(b.sizes).join(', ')}`).join('; ');
  throw new CostInputError(`--sizes: no dyno size ${JSON.stringify(name)} in any price book (${known})`);
}

/** The resolved lines of every `schedule` strategy, by process type (the scenario as written, after --set and the variant). */
function scheduleLinesOf(s: Scenario): Map<string, ScheduleLine[]> {
  const out = new Map<string, ScheduleLine[]>();
  if (!s.scaling.some((p) => p.strategy === 'schedule')) return out;
  const parsed = scenarioSchema.safeParse(s.source);
  if (!parsed.success) throw new Error('the scenario no longer parses');
  for (const [type, spec] of Object.entries(parsed.data.scaling)) {
    if (spec.strategy !== 'schedule') continue;
    out.set(
      type,
      spec.schedule.map((e) => {
        const [hh, mm] = e.at.trim().split(':').map(Number) as [number, number];
        return { hh, mm, days: e.days === undefined ? null : e.days.map((d) => WEEKDAYS.indexOf(d)), count: e.count };
      }),
    );
  }
  return out;
}

function occupancyOf(
  p: ProcessSpec,
  plan: ScalingPlan | null,
  at: 'min' | 'max',
  schedules: ReadonlyMap<string, readonly ScheduleLine[]>,
  s: Scenario,
  untilUs: number,
): Occupancy {
  if (plan === null) return { kind: 'fixed', count: p.count };
  if (plan.strategy === 'schedule') return { kind: 'steps', steps: scheduleSteps(schedules.get(p.type)!, p.count, s.calendar, untilUs) };
  return { kind: 'fixed', count: at === 'min' ? plan.min : plan.max };
}

function whatIfOccupancy(old: Occupancy, count: number | null, hours: PartTime | null, type: string): Occupancy {
  if (hours !== null) {
    const n = count ?? (old.kind === 'fixed' || old.kind === 'part-time' ? old.count : null);
    if (n === null) throw new CostInputError(`--hours: ${type} follows a schedule, which sets its own hours; give --counts too`);
    return { kind: 'part-time', count: n, ...hours };
  }
  return count === null ? old : { kind: 'fixed', count };
}

/** `2`, or `3..10` for a schedule. */
function countText(o: Occupancy): string {
  if (o.kind !== 'steps') return `${peakDynos(o)}`;
  const counts = o.steps.map((st) => st.count);
  const lo = Math.min(...counts);
  const hi = Math.max(...counts);
  return lo === hi ? `${lo}` : `${lo}..${hi}`;
}

function alternativeKey(a: Alternative): string {
  return JSON.stringify(a.lines.map((l) => [l.processType, l.book, l.size.name, l.mapSize, l.occupancy]));
}

/** A one-off run's expected billed length: mean boot plus mean run plus the half second of rounding up, at most the one-off limit. */
function runLengthUs(s: Scenario, o: OneOffSpec): number {
  return Math.min(o.size.boot.meanUs + o.run.meanUs + ROUND_UP_US, s.platform.dynoManager.oneOffLimitUs);
}

/**
 * Heroku Scheduler's runs in the month (at their times, each with its expected billed
 * length less the share of runs missed) and each scripted one-off dyno once.
 */
function oneOffLines(s: Scenario, untilUs: number): ProcessLine[] {
  const lines: ProcessLine[] = [];
  for (const task of s.scheduler) {
    const lengthUs = (1 - task.miss) * runLengthUs(s, task);
    const runs: OneOffRun[] = [];
    for (let t = task.firstUs; t < untilUs; t += task.everyUs) runs.push({ atUs: t, lengthUs });
    lines.push({ processType: 'scheduler', size: task.size, book: s.platform.name, mapSize: true, occupancy: { kind: 'one-off', runs }, estimate: true });
  }
  for (const e of s.events) {
    if (e.kind !== 'run') continue;
    const spec = s.oneOffs[e.index]!;
    const lengthUs = runLengthUs(s, spec);
    const runs = [{ atUs: e.atUs % untilUs, lengthUs }];
    lines.push({ processType: 'run', size: spec.size, book: s.platform.name, mapSize: true, occupancy: { kind: 'one-off', runs }, estimate: true });
  }
  return lines;
}

/** The chart's curve: counts from 1 to about twice the formation's (or --counts), the chosen type fixed at each. */
function curveSetup(s: Scenario, chosen: number, base: Alternative, sizes: Array<{ size: DynoSize; book: string }> | null, req: CostRequest): CurveSetup {
  const old = base.lines[chosen]!;
  // The formation's own size (in every book, by its equivalent), then each size asked for.
  const asked = (sizes ?? []).filter((z) => !(z.book === old.book && z.size.name === old.size.name));
  const templates: ProcessLine[] = [old, ...asked.map((z) => ({ ...old, size: z.size, book: z.book, mapSize: false }))];
  const plan = s.scaling.find((p) => p.process === chosen);
  const peak = Math.max(peakDynos(old.occupancy), plan !== undefined && plan.strategy !== 'schedule' ? plan.max : 0);
  const others = base.lines.reduce((n, l, i) => n + (i === chosen || l.occupancy.kind === 'one-off' ? 0 : peakDynos(l.occupancy)), 0);
  const hi = Math.max(1, Math.min(MAX_DYNOS_PER_APP - others, Math.max(2 * peak, peak + 4)));
  const counts = req.counts ?? Array.from({ length: hi }, (_, i) => i + 1);
  const hours = req.hours;
  return { base, templates, counts, occupancyOf: (count) => (hours === null ? { kind: 'fixed', count } : { kind: 'part-time', count, ...hours }) };
}

function formationText(s: Scenario, base: Alternative, autoscaled: readonly Autoscaled[]): string[] {
  const items = s.processes.map((p, k) => {
    const a = autoscaled.find((x) => x.processType === p.type);
    if (a !== undefined) return `${p.type} ${a.min}..${a.max} × ${p.size.name} (${a.strategy}, starting at ${p.count})`;
    const o = base.lines[k]!.occupancy;
    return `${p.type} ${countText(o)} × ${p.size.name}${o.kind === 'steps' ? ' on a schedule' : ''}`;
  });
  s.scheduler.forEach((task, i) => {
    const runs = peakDynos(base.lines[s.processes.length + i]!.occupancy);
    items.push(`scheduler ${JSON.stringify(task.command)} every ${formatDuration(task.everyUs)} on ${task.size.name} (${runs.toLocaleString('en-US')} runs a month)`);
  });
  for (const e of s.events) if (e.kind === 'run') items.push(`one-off ${JSON.stringify(s.oneOffs[e.index]!.command)} on ${s.oneOffs[e.index]!.size.name}, once`);
  return items;
}

function notesOf(s: Scenario, books: readonly PlatformProfile[], oneOffs: readonly ProcessLine[]): string[] {
  const notes: string[] = [];
  const start = new Date(s.calendar.epochMs(0)).toISOString().replace(/:00\.000Z$/, 'Z').replace('T', ' ');
  const months = [...new Set(books.map((b) => formatDuration(b.billing.monthUs)))];
  notes.push(`A billing month is ${months.join(' or ')} from the calendar's start (${start}${s.calendar.timeZone === 'UTC' ? '' : `, clock in ${s.calendar.timeZone}`}), as in a run; every dyno is billed from start to stop, to the second.`);
  if (typeof (s.source as { platform?: unknown }).platform === 'object') {
    notes.push(`${s.platform.name} is priced as the scenario's platform block sets it; ${books.filter((b) => b.name !== s.platform.name).map((b) => b.name).join(', ')} at its stock prices.`);
  }
  for (const b of books) {
    if (b.billing.freeHoursPerMonth === 0) notes.push(`${b.name} grants no free dyno-hours: its two $/month columns agree.`);
  }
  if (s.scheduler.length > 0 || oneOffs.some((l) => l.processType === 'run')) {
    const missed = s.scheduler.some((t) => t.miss > 0) ? ', less the share of runs the scheduler misses' : '';
    const capped = [...s.scheduler, ...s.oneOffs].some((o) => runLengthUs(s, o) === s.platform.dynoManager.oneOffLimitUs) ? ', at most the one-off limit' : '';
    notes.push(`One-off dynos (≈) are expected figures: each run billed for its size's mean boot time plus its task's mean run time${capped}${missed}; scripted one-offs (run.N) are counted once in the month.`);
  }
  return notes;
}

function needsRunOf(s: Scenario, autoscaled: readonly Autoscaled[]): string[] {
  const out: string[] = [];
  for (const a of autoscaled) {
    out.push(`${a.processType}: the ${a.strategy} autoscaler runs ${a.min} to ${a.max} dynos, so the bill lies between the "at min" and "at max" rows; where depends on the traffic: dynosim run gives one run's bill (and --from-run its results folder, the dynos it ran), dynosim compare its mean with a 95% interval.`);
  }
  const scales = s.events.filter((e) => e.kind === 'scale');
  if (scales.length > 0) {
    const list = scales.map((e) => `${s.processes[e.process]!.type} to ${e.count} at ${formatDuration(e.atUs)}`).join(', ');
    out.push(`Scripted scale events (${list}) are not priced: the formation is priced as at time zero; dynosim run bills them.`);
  }
  if (!s.platform.billing.billCrashed) {
    const crashy = s.processes.some((p) => p.crashRatePerUs > 0) || s.events.some((e) => e.kind === 'crash' || e.kind === 'fail-host' || e.kind === 'zone-down' || (e.kind === 'release' && e.crashOnBoot > 0)) || Number.isFinite(s.platform.hosts.mtbfUs);
    if (crashy) out.push('Crashed dynos are not billed on this platform (billing.crashed: false), and this scenario has crashes: the bill is lower by their crashed time, which only a run knows.');
  }
  return out;
}
