/**
 * From a parsed scenario file to the frozen value a run is built from: the platform
 * profile merged with the scenario's overrides, sizes looked up, process types, queues,
 * request classes, one-off and scheduler tasks and scripted events resolved against one
 * another and the calendar, distributions and rates made ready. Every problem is gathered, with its
 * field path, before anything runs.
 */
import type { DynoSize, PlatformProfile } from '../model/platform/profile.ts';
import type { RouterPolicyName } from '../model/router/policies.ts';
import type { MemoryModel, OneOffSpec, PlatformEvent, ProcessSpec, QueueSpec, RateSpec, ReplaySpec, RequestClass, Scenario, ScalingPlan, SchedulerTask } from '../model/Scenario.ts';
import { PROFILES } from '../model/platform/profiles.ts';
import { WEEKDAYS, type EventSpec, type ScalingSpec, type ScenarioFile, type ServiceSpec, type When } from './schema.ts';
import { Calendar, validTimeZone } from '../model/traffic/calendar.ts';
import { formatDuration } from '../engine/units/duration.ts';
import type { Problem } from './problems.ts';
import type { ServiceDistribution } from '../model/traffic/service/ServiceDistribution.ts';
import { constant } from '../model/traffic/service/constant.ts';
import { exponential } from '../model/traffic/service/exponential.ts';
import { lognormal, lognormalParams } from '../model/traffic/service/lognormal.ts';
import { weibull } from '../model/traffic/service/weibull.ts';
import { empirical } from '../model/traffic/service/empirical.ts';
import { looksLikeRateLiteral, parseRatePerS } from '../engine/units/rate.ts';
import type { RateFunction } from '../model/traffic/arrivals/varyingRate.ts';

/** The count a schedule has in force at time zero, if the type has a schedule. */
function scheduleStart(scaling: readonly ScalingPlan[], process: number): number | undefined {
  const plan = scaling.find((p) => p.process === process);
  return plan?.strategy === 'schedule' ? plan.initial : undefined;
}

/** Queue-time autoscalers' defaults (Judoscale's published behaviour; HireFire's are not published beyond its 60 s samples). */
export const QUEUE_TIME_PRESETS = {
  judoscale: { metric: 'mean', sampleEveryUs: 10e6, upBreaches: 1, downAfterUs: 600e6, upCooldownUs: 180e6, downCooldownUs: 180e6, step: 1, downStep: 1 },
  hirefire: { metric: 'mean', sampleEveryUs: 60e6, upBreaches: 1, downAfterUs: 120e6, upCooldownUs: 60e6, downCooldownUs: 60e6, step: 1, downStep: 1 },
} as const;

/** Resolves `scaling.<type>`; returns the plan (or null for fixed) and the most dynos it can run. */
function resolveScaling(type: string, spec: ScalingSpec, process: number, count: number, calendar: Calendar, durationUs: number, problems: Problem[]): { plan: ScalingPlan | null; max: number } {
  const path = `scaling.${type}`;
  if (spec.strategy === 'fixed') return { plan: null, max: count };
  if (spec.strategy === 'schedule') {
    const at: { tS: number; count: number; order: number }[] = [];
    spec.schedule.forEach((e, i) => {
      const [hh, mm] = e.at.trim().split(':').map(Number) as [number, number];
      const days = e.days === undefined ? null : e.days.map((d) => WEEKDAYS.indexOf(d));
      // From a week before the start (the count in force at time zero) to the end.
      for (let tS = calendar.nextClock(hh, mm, -7 * 86_400); tS * 1e6 < durationUs; tS = calendar.nextClock(hh, mm, tS + 1)) {
        if (days === null || days.includes(calendar.dayOfWeek(tS))) at.push({ tS, count: e.count, order: i });
      }
    });
    at.sort((a, b) => a.tS - b.tS || a.order - b.order);
    let initial = count;
    const changes: { atUs: number; count: number }[] = [];
    for (const a of at) {
      if (a.tS <= 0) initial = a.count;
      else changes.push(Object.freeze({ atUs: Math.round(a.tS * 1e6), count: a.count }));
    }
    const max = Math.max(initial, ...spec.schedule.map((e) => e.count));
    return { plan: Object.freeze({ strategy: 'schedule', process, initial, changes: Object.freeze(changes) }), max };
  }
  const min = spec.min ?? 1;
  const max = spec.max;
  if (max === undefined) {
    problems.push({ path: `${path}.max`, message: 'missing (an autoscaler needs the most dynos it may run)' });
    return { plan: null, max: count };
  }
  if (min > max) problems.push({ path: `${path}.min`, message: `expected at most max (${max}), got ${min}` });
  if (count < min || count > max) problems.push({ path: `formation.${type}.count`, message: `expected a count from scaling.${type}.min to max (${min}..${max}) to start from, got ${count}` });
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

/** Reads the samples of an empirical distribution; supplied by the caller, so that this module does no I/O. */
export type SampleReader = (spec: Extract<ServiceSpec, { distribution: 'empirical' }>) => Float64Array | string;

/** Compiles a rate expression of t (seconds); supplied by the caller, which loads the expression engine. */
export type ExpressionCompiler = (text: string) => RateFunction | string;

export function mergeProfile(s: ScenarioFile, readSamples: SampleReader, problems: Problem[]): PlatformProfile {
  if (typeof s.platform === 'string') return PROFILES[s.platform]!;
  const o = s.platform;
  const base = PROFILES[o.profile]!;
  const sizes: Record<string, DynoSize> = { ...base.sizes };
  const anyBase = Object.values(base.sizes)[0]!;
  for (const [name, ov] of Object.entries(o.sizes ?? {})) {
    const prev = sizes[name];
    const merged = {
      name,
      memoryMb: ov.memory ?? prev?.memoryMb,
      cpuShare: ov.cpuShare ?? prev?.cpuShare,
      dedicated: ov.dedicated ?? prev?.dedicated ?? false,
      priceUsd: ov.priceUsd ?? prev?.priceUsd,
      freeHoursWeight: ov.freeHoursWeight ?? prev?.freeHoursWeight ?? 1,
      boot: ov.boot === undefined ? (prev?.boot ?? anyBase.boot) : resolveService(ov.boot, `platform.sizes.${name}.boot`, readSamples, problems),
      r15Multiple: ov.r15Multiple ?? prev?.r15Multiple ?? anyBase.r15Multiple,
      onePerProcessType: prev?.onePerProcessType ?? false,
    };
    for (const k of ['memory', 'cpuShare', 'priceUsd'] as const) {
      const v = k === 'memory' ? merged.memoryMb : merged[k];
      if (v === undefined) problems.push({ path: `platform.sizes.${name}.${k}`, message: `a new size needs ${k}` });
    }
    sizes[name] = Object.freeze(merged as DynoSize);
  }
  return Object.freeze({
    name: base.name,
    description: base.description,
    sizes: Object.freeze(sizes),
    router: Object.freeze({
      timeoutUs: o.router?.timeout ?? base.router.timeoutUs,
      backlogPerDyno: o.router?.backlogPerDyno ?? base.router.backlogPerDyno,
      connectTimeoutUs: o.router?.connectTimeout ?? base.router.connectTimeoutUs,
      quarantineUs: o.router?.quarantine ?? base.router.quarantineUs,
      maxAttempts: o.router?.maxAttempts ?? base.router.maxAttempts,
      holdUs: o.router?.hold ?? base.router.holdUs,
      routeUpdateUs: o.router?.routeUpdate ?? base.router.routeUpdateUs,
    }),
    billing: Object.freeze({
      pricePer: o.billing?.pricePer ?? base.billing.pricePer,
      freeHoursPerMonth: o.billing?.freeHours ?? base.billing.freeHoursPerMonth,
      monthUs: o.billing?.month ?? base.billing.monthUs,
      billCrashed: o.billing?.crashed ?? base.billing.billCrashed,
    }),
    hosts: Object.freeze({
      zones: Object.freeze([...(o.hosts?.zones ?? base.hosts.zones)]),
      hostsPerZone: o.hosts?.hostsPerZone ?? base.hosts.hostsPerZone,
      memoryMb: o.hosts?.memory ?? base.hosts.memoryMb,
      slots: o.hosts?.slots ?? base.hosts.slots,
      placement: o.hosts?.placement ?? base.hosts.placement,
      mtbfUs: o.hosts?.mtbf === undefined ? base.hosts.mtbfUs : o.hosts.mtbf === 'never' ? Infinity : o.hosts.mtbf,
      repairUs: o.hosts?.repair ?? base.hosts.repairUs,
      detectionUs: o.hosts?.detection ?? base.hosts.detectionUs,
    }),
    dynoManager: Object.freeze({
      restartPolicy: o.dynoManager?.restartPolicy ?? base.dynoManager.restartPolicy,
      stableAfterUs: o.dynoManager?.stableAfter ?? base.dynoManager.stableAfterUs,
      bootTimeoutUs: o.dynoManager?.bootTimeout ?? base.dynoManager.bootTimeoutUs,
      shutdownGraceUs: o.dynoManager?.shutdownGrace ?? base.dynoManager.shutdownGraceUs,
      cycling: o.dynoManager?.cycling ?? base.dynoManager.cycling,
      cycleEveryUs: o.dynoManager?.cycleEvery ?? base.dynoManager.cycleEveryUs,
      cycleJitterUs: o.dynoManager?.cycleJitter ?? base.dynoManager.cycleJitterUs,
    }),
    noisyNeighbours:
      o.noisyNeighbours === undefined
        ? base.noisyNeighbours
        : Object.freeze({ slowdown: o.noisyNeighbours.slowdown, busyShare: o.noisyNeighbours.busyShare, busyPeriodUs: o.noisyNeighbours.busyPeriod }),
    epochMs: o.start ?? base.epochMs,
  });
}

/** Microseconds from the start of a scenario's time: a duration, the next local clock time, or an instant. */
export function whenUs(w: When, calendar: Calendar): number {
  if (w.kind === 'offset') return w.us;
  if (w.kind === 'clock') return Math.round(calendar.nextClock(w.hh, w.mm, 0) * 1e6);
  return Math.round(calendar.secondsAt(w.epochMs) * 1e6);
}

/** The formation's process types by name, web first, then in the order written. */
function processOrder(s: ScenarioFile): string[] {
  return ['web', ...Object.keys(s.formation).filter((t) => t !== 'web')];
}

interface EventContext {
  platform: PlatformProfile;
  calendar: Calendar;
  durationUs: number;
  types: string[];
  maxCount: Map<string, number>;
  sizeOf: (name: string | undefined, path: string) => DynoSize | undefined;
  readSamples: SampleReader;
  oneOffs: OneOffSpec[];
}

/** Turns scripted events into platform events (and traffic multipliers), checking what they name. */
function resolveEvents(specs: readonly EventSpec[], cx: EventContext, problems: Problem[]): { events: PlatformEvent[]; multipliers: Multiplier[] } {
  const out: PlatformEvent[] = [];
  const multipliers: Multiplier[] = [];
  const { platform, types } = cx;
  const hostCount = platform.hosts.zones.length * platform.hosts.hostsPerZone;
  /** `web`, `worker` (every dyno of the type, when allowed) or `worker.2`. */
  const dynoRef = (text: string, path: string, allowAll: boolean): { process: number; dyno: number | null } | undefined => {
    const m = /^([A-Za-z0-9_-]+)(?:\.(\d+))?$/.exec(text);
    const example = allowAll ? 'a process type or dyno such as web or worker.2' : 'a dyno such as web.2';
    const process = m === null ? -1 : types.indexOf(m[1]!);
    if (m === null || process < 0 || (m[2] === undefined && !allowAll) || (m[2] !== undefined && Number(m[2]) < 1)) {
      const known = m !== null && process < 0 ? ` (the formation has ${types.join(', ')})` : '';
      problems.push({ path, message: `expected ${example}${known}, got ${JSON.stringify(text)}` });
      return undefined;
    }
    if (m[2] === undefined) return { process, dyno: null };
    const type = m[1]!;
    const max = cx.maxCount.get(type)!;
    if (Number(m[2]) > max) {
      const has = max === 0 ? `the formation has no ${type} dynos` : max === 1 ? `expected ${type}.1, the only ${type} dyno` : `expected one of the ${type} dynos ${type}.1 to ${type}.${max}`;
      problems.push({ path, message: `${has}, got ${JSON.stringify(text)}` });
      return undefined;
    }
    return { process, dyno: Number(m[2]) - 1 };
  };
  specs.forEach((e, i) => {
    const path = `events.${i}`;
    const forUs = e.for ?? null;
    const atUs = whenUs(e.at, cx.calendar);
    if (atUs < 0 || atUs >= cx.durationUs) {
      problems.push({ path: `${path}.at`, message: `expected a time within the run (it starts ${new Date(cx.calendar.epochMs(0)).toISOString()} and lasts ${formatDuration(cx.durationUs)})` });
      return;
    }
    if (e.failHost !== undefined) {
      if (e.failHost > hostCount) problems.push({ path: `${path}.failHost`, message: `expected a host from 1 to ${hostCount}, got ${e.failHost}` });
      else out.push({ kind: 'fail-host', atUs, host: e.failHost - 1, forUs });
    } else if (e.zoneDown !== undefined) {
      const zones = platform.hosts.zones;
      let zone = zones.indexOf(e.zoneDown);
      if (zone < 0) {
        const bySuffix = zones.flatMap((z, k) => (z.endsWith(e.zoneDown!) ? [k] : []));
        if (bySuffix.length === 1) zone = bySuffix[0]!;
      }
      if (zone < 0) problems.push({ path: `${path}.zoneDown`, message: `expected one of the zones ${zones.join(', ')}, got ${JSON.stringify(e.zoneDown)}` });
      else out.push({ kind: 'zone-down', atUs, zone, forUs });
    } else if (e.release !== undefined) {
      out.push({ kind: 'release', atUs, crashOnBoot: e.release.crashOnBoot });
    } else if (e.restart !== undefined) {
      const d = dynoRef(e.restart, `${path}.restart`, true);
      if (d !== undefined) out.push({ kind: 'restart', atUs, process: d.process, dyno: d.dyno });
    } else if (e.crash !== undefined) {
      const d = dynoRef(e.crash, `${path}.crash`, false);
      if (d !== undefined && d.dyno !== null) out.push({ kind: 'crash', atUs, process: d.process, dyno: d.dyno });
    } else if (e.scale !== undefined) {
      for (const [type, count] of Object.entries(e.scale)) {
        const process = types.indexOf(type);
        if (process < 0) problems.push({ path: `${path}.scale.${type}`, message: `expected a process type of the formation (${types.join(', ')}), got ${JSON.stringify(type)}` });
        else out.push({ kind: 'scale', atUs, process, count });
      }
    } else if (e.traffic !== undefined) {
      multipliers.push({ atUs, forUs, factor: e.traffic.multiply, daily: e.daily === true });
    } else if (e.run !== undefined) {
      const size = cx.sizeOf(e.run.size, `${path}.run.size`);
      const run = typeof e.run.for === 'number' ? constant(e.run.for) : resolveService(e.run.for, `${path}.run.for`, cx.readSamples, problems);
      if (size !== undefined) {
        cx.oneOffs.push(Object.freeze({ command: e.run.command, size, run }));
        out.push({ kind: 'run', atUs, index: cx.oneOffs.length - 1 });
      }
    }
  });
  // Stable: events at one time keep the order they were written in.
  const events = out.map((e, i) => [e, i] as const).sort((a, b) => a[0].atUs - b[0].atUs || a[1] - b[1]).map(([e]) => Object.freeze(e));
  return { events, multipliers };
}

/** A scripted change of the traffic rate: ×factor from atUs, for forUs (or to the end), every day when daily. */
interface Multiplier {
  atUs: number;
  forUs: number | null;
  factor: number;
  daily: boolean;
}

/** The rate with the scripted multipliers applied (the product of those in force). */
function withMultipliers(base: RateFunction, ms: readonly Multiplier[]): RateFunction {
  if (ms.length === 0) return base;
  const day = 86_400;
  return (tS: number) => {
    let f = 1;
    for (const m of ms) {
      const at = m.atUs / 1e6;
      let since = tS - at;
      if (m.daily && since >= 0) since %= day;
      if (since >= 0 && (m.forUs === null || since < m.forUs / 1e6)) f *= m.factor;
    }
    return base(tS) * f;
  };
}

function resolveService(spec: ServiceSpec, path: string, readSamples: SampleReader, problems: Problem[]): ServiceDistribution {
  switch (spec.distribution) {
    case 'constant':
      return constant(spec.value);
    case 'exponential':
      return exponential(spec.mean);
    case 'lognormal': {
      const p = lognormalParams({ meanUs: spec.mean, medianUs: spec.median, sigma: spec.sigma, p99Us: spec.p99 });
      if (typeof p === 'string') {
        problems.push({ path, message: p });
        return exponential(1);
      }
      return lognormal(p.mu, p.sigma);
    }
    case 'weibull':
      return weibull(spec.shape, spec.scale);
    case 'empirical': {
      const samples = readSamples(spec);
      if (typeof samples === 'string') {
        problems.push({ path: `${path}.file`, message: samples });
        return exponential(1);
      }
      return empirical(samples);
    }
  }
}

function resolveRate(text: string, stepUs: number, durationUs: number, compile: ExpressionCompiler, multipliers: readonly Multiplier[], problems: Problem[]): RateSpec {
  let fn: RateFunction;
  if (looksLikeRateLiteral(text)) {
    const perS = parseRatePerS(text);
    if (perS === undefined) {
      problems.push({ path: 'traffic.rate', message: `expected a rate such as 150/s or 9000/min, got ${JSON.stringify(text)}` });
      return { kind: 'constant', perS: 0, text };
    }
    if (multipliers.length === 0) return { kind: 'constant', perS, text };
    fn = () => perS;
  } else {
    const compiled = compile(text);
    if (typeof compiled === 'string') {
      problems.push({ path: 'traffic.rate', message: compiled });
      return { kind: 'constant', perS: 0, text };
    }
    fn = compiled;
  }
  fn = withMultipliers(fn, multipliers);
  // Probe the expression across the run, so a rate that turns into nonsense fails now.
  const probes = 16;
  for (let i = 0; i <= probes; i++) {
    const tS = ((durationUs / 1e6) * i) / probes;
    const r = fn(tS);
    if (typeof r !== 'number' || !Number.isFinite(r)) {
      problems.push({ path: 'traffic.rate', message: `the rate expression gives ${String(r)} at t=${tS}s, not a number of requests per second` });
      break;
    }
  }
  return { kind: 'expression', fn, stepUs, text };
}

/** The calendar a scenario runs on: calendar.start, else platform.start, else a replay's start, else the profile's date; in calendar.timezone. */
export function calendarOf(s: ScenarioFile, problems: Problem[], replayStartMs?: number): Calendar {
  const profile = PROFILES[typeof s.platform === 'string' ? s.platform : s.platform.profile]!;
  const startMs = s.calendar.start ?? (typeof s.platform === 'string' ? undefined : s.platform.start) ?? replayStartMs ?? profile.epochMs;
  if (!validTimeZone(s.calendar.timezone)) {
    problems.push({ path: 'calendar.timezone', message: `expected a time zone such as UTC, Europe/Paris or America/New_York, got ${JSON.stringify(s.calendar.timezone)}` });
    return new Calendar(startMs, 'UTC');
  }
  return new Calendar(startMs, s.calendar.timezone);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface ResolveIo {
  readSamples: SampleReader;
  compileRate: ExpressionCompiler;
  calendar: Calendar;
  /** A replay file: absolute path, and the instant of its first arrival (or a one-line problem). */
  probeReplay: (file: string, format: 'auto' | 'router' | 'csv') => { path: string; firstArrivalMs: number } | string;
}

const DEFAULT_COMMANDS: Readonly<Record<string, string>> = { web: 'bundle exec puma -C config/puma.rb', worker: 'bundle exec sidekiq' };

/** Resolves a validated scenario file; problems are appended to `problems`. */
export function resolveScenario(s: ScenarioFile, source: unknown, io: ResolveIo, problems: Problem[]): Scenario {
  const platform0 = mergeProfile(s, io.readSamples, problems);
  const calendar = io.calendar;
  const platform = Object.freeze({ ...platform0, epochMs: calendar.epochMs(0) });
  const sizeOf = (name: string | undefined, path: string): DynoSize | undefined => {
    const size = name === undefined ? platform.sizes[platform.name === 'heroku-2013' ? '1X' : 'standard-1x'] : platform.sizes[name];
    if (size === undefined) problems.push({ path, message: `expected a size of ${platform.name} (${Object.keys(platform.sizes).join(', ')}), got ${JSON.stringify(name)}` });
    return size;
  };
  const types = processOrder(s);
  const maxCount = new Map(types.map((t) => [t, Math.max(s.formation[t]!.count, ...s.events.map((e) => e.scale?.[t] ?? 0))]));
  const scaling: ScalingPlan[] = [];
  for (const [type, spec] of Object.entries(s.scaling)) {
    const k = types.indexOf(type);
    if (k < 0) {
      problems.push({ path: `scaling.${type}`, message: `no process type ${type} in the formation (it has ${types.join(', ')})` });
      continue;
    }
    const { plan, max } = resolveScaling(type, spec, k, s.formation[type]!.count, calendar, s.duration, problems);
    if (plan === null) continue;
    if (plan.strategy === 'heroku-autoscale' && type !== 'web') problems.push({ path: `scaling.${type}.strategy`, message: 'Heroku autoscales web dynos only' });
    scaling.push(plan);
    maxCount.set(type, Math.max(maxCount.get(type)!, max));
  }

  // Queues: every one a worker, a request class or a job source names.
  const queueNames: string[] = [];
  const queueIndex = (name: string): number => {
    let q = queueNames.indexOf(name);
    if (q < 0) q = queueNames.push(name) - 1;
    return q;
  };
  for (const t of types) if (t !== 'web') queueIndex(s.formation[t]!.queue ?? 'default');
  for (const name of Object.keys(s.queues)) queueIndex(name);

  const oneOffs: OneOffSpec[] = [];
  const { events, multipliers } = resolveEvents(s.events, { platform, calendar, durationUs: s.duration, types, maxCount, sizeOf, readSamples: io.readSamples, oneOffs }, problems);

  // Traffic.
  const t = s.traffic;
  const classes: RequestClass[] = [];
  let rate: RateSpec | null = null;
  let replay: ReplaySpec | null = null;
  if (t !== undefined) {
    const specs = t.classes ?? [{ name: 'all', weight: 1, service: t.service, memory: undefined, jobs: [], match: undefined }];
    const totalWeight = specs.reduce((sum, c) => sum + (c.weight ?? 1), 0);
    specs.forEach((c, i) => {
      const path = t.classes === undefined ? 'traffic' : `traffic.classes.${i}`;
      let match = new RegExp(`^${escapeRegExp(c.name)}`);
      if (c.match !== undefined) {
        try {
          match = new RegExp(c.match);
        } catch (e) {
          problems.push({ path: `${path}.match`, message: `expected a regular expression, got ${JSON.stringify(c.match)}: ${(e as Error).message.split('\n')[0]}` });
        }
      }
      classes.push(
        Object.freeze({
          name: c.name,
          weight: (c.weight ?? 1) / totalWeight,
          service: c.service === undefined ? null : resolveService(c.service, `${path}.service`, io.readSamples, problems),
          memoryMb: c.memory ?? null,
          jobs: Object.freeze(c.jobs.map((j, k) => Object.freeze({ queue: queueIndex(j.queue), probability: j.probability, run: resolveService(j.run, `${path}.jobs.${k}.run`, io.readSamples, problems) }))),
          match,
        }),
      );
    });
    if (t.replay !== undefined) {
      const r = typeof t.replay === 'string' ? { file: t.replay, format: 'auto' as const, from: undefined, reorderWindow: 90_000_000 } : t.replay;
      const path = typeof t.replay === 'string' ? 'traffic.replay' : 'traffic.replay.file';
      const probe = io.probeReplay(r.file, r.format);
      if (typeof probe === 'string') problems.push({ path, message: probe });
      else {
        replay = Object.freeze({ file: probe.path, name: r.file, format: r.format, startMs: r.from ?? calendar.epochMs(0), reorderWindowUs: r.reorderWindow });
        if (multipliers.length > 0) problems.push({ path: 'events', message: 'traffic events change a rate, and replayed traffic has none' });
      }
    } else {
      rate = resolveRate(t.rate!, t.rateStep, s.duration, io.compileRate, multipliers, problems);
    }
  } else if (multipliers.length > 0) {
    problems.push({ path: 'events', message: 'traffic events need traffic' });
  }

  // The formation.
  const processes: ProcessSpec[] = [];
  for (const type of types) {
    const p = s.formation[type]!;
    const path = `formation.${type}`;
    const size = sizeOf(p.size, `${path}.size`);
    const max = maxCount.get(type)!;
    const autoscale = s.scaling[type];
    if (autoscale?.strategy === 'heroku-autoscale' && !autoscale.anySize && size !== undefined && !size.dedicated) {
      problems.push({ path: `scaling.${type}.strategy`, message: `Heroku autoscales Performance, Private and Shield dynos only, not ${size.name} (anySize: true to model it anyway)` });
    }
    if (size?.onePerProcessType === true && max > 1) {
      problems.push({ path: `${path}.count`, message: `expected at most 1: ${size.name} dynos run one per process type, got ${max}` });
    }
    const m = p.memory;
    let perRequestMb = m?.perRequest ?? 0;
    if (type === 'web' && m !== undefined && classes.some((c) => c.memoryMb !== null)) {
      // Memory in service, per request, averaged over the classes by their share of busy time.
      let busy = 0;
      let weighted = 0;
      for (const c of classes) {
        const share = c.weight * (c.service?.meanUs ?? 1);
        busy += share;
        weighted += share * (c.memoryMb ?? m.perRequest);
      }
      perRequestMb = busy > 0 ? weighted / busy : perRequestMb;
    }
    const memoryModel: MemoryModel | null =
      m === undefined ? null : Object.freeze({ baseMb: m.base, perRequestMb, leakMbPerH: m.leak, cacheMb: m.cache, swapSlowdown: m.swapSlowdown });
    processes.push(
      Object.freeze({
        type,
        count: scheduleStart(scaling, types.indexOf(type)) ?? p.count,
        size: size!,
        concurrency: p.concurrency,
        command: p.command ?? DEFAULT_COMMANDS[type] ?? `bin/${type}`,
        memory: memoryModel,
        crashRatePerUs: (p.crashRate ?? 0) / 1e6,
        queue: type === 'web' ? -1 : queueIndex(p.queue ?? 'default'),
        cpuBound: p.cpuBound ?? 0,
        maxCount: max,
      }),
    );
  }
  const totalDynos = processes.reduce((n, p) => n + p.maxCount, 0);
  if (totalDynos > 100) problems.push({ path: 'formation', message: `expected at most 100 dynos in all (Heroku's limit per app), got ${totalDynos}` });

  const jobSources = s.jobs.map((j, i) =>
    Object.freeze({ queue: queueIndex(j.queue), perS: parseRatePerS(j.rate) ?? 0, run: resolveService(j.run, `jobs.${i}.run`, io.readSamples, problems) }),
  );
  const queues: QueueSpec[] = queueNames.map((name) => {
    const consumers = processes.flatMap((p, k) => (p.queue >= 0 && queueNames[p.queue] === name ? [k] : []));
    if (consumers.length > 1) {
      problems.push({ path: `formation.${processes[consumers[1]!]!.type}.queue`, message: `queue ${name} is already worked by ${processes[consumers[0]!]!.type}: one process type per queue` });
    }
    return Object.freeze({ name, lostJobs: s.queues[name]?.lostJobs ?? 'redeliver', consumer: consumers[0] ?? -1 });
  });

  const scheduler: SchedulerTask[] = s.scheduler.flatMap((task, i) => {
    const path = `scheduler.${i}`;
    const size = sizeOf(task.size, `${path}.size`);
    const everyUs = task.every === '10m' ? 600e6 : task.every === '1h' ? 3600e6 : 86_400e6;
    let firstUs = 0;
    if (task.every === '10m') {
      if (task.at !== undefined) problems.push({ path: `${path}.at`, message: 'tasks every 10 minutes run at :00, :10, :20 …; leave at out' });
      firstUs = Math.round(calendar.nextClock(0, 0, 0) * 1e6) % everyUs;
    } else if (task.every === '1h') {
      const m = task.at === undefined ? ['', '0'] : /^:(\d{2})$/.exec(task.at);
      if (m === null || Number(m[1]) >= 60) problems.push({ path: `${path}.at`, message: `expected the minute past the hour such as :30, got ${JSON.stringify(task.at)}` });
      else firstUs = Math.round(((calendar.nextClock(0, Number(m[1]), 0) * 1e6) % everyUs));
    } else {
      const m = task.at === undefined ? ['', '0', '00'] : /^(\d{1,2}):(\d{2})$/.exec(task.at);
      if (m === null || Number(m[1]) >= 24 || Number(m[2]) >= 60) problems.push({ path: `${path}.at`, message: `expected a local time such as 01:00, got ${JSON.stringify(task.at)}` });
      else firstUs = Math.round(calendar.nextClock(Number(m[1]), Number(m[2]), 0) * 1e6);
    }
    const run = resolveService(task.run, `${path}.run`, io.readSamples, problems);
    return size === undefined ? [] : [Object.freeze({ command: task.command, size, run, everyUs, firstUs, miss: task.miss })];
  });

  return Object.freeze({
    name: s.name,
    description: s.description,
    seed: s.seed,
    durationUs: s.duration,
    warmupUs: s.warmup,
    platform,
    calendar,
    processes: Object.freeze(processes),
    web: processes[0]!,
    router: Object.freeze({ policy: s.router.policy }),
    traffic: Object.freeze({ rate, replay, classes: Object.freeze(classes) }),
    queues: Object.freeze(queues),
    jobSources: Object.freeze(jobSources),
    oneOffs: Object.freeze(oneOffs),
    scheduler: Object.freeze(scheduler),
    events: Object.freeze(events),
    runtimeMetrics: s.runtimeMetrics,
    dynoAges: s.dynoAges,
    scaling: Object.freeze(scaling),
    source,
  });
}
