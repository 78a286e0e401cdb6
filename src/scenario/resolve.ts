/**
 * From a parsed scenario file to the frozen value a run is built from: the platform
 * profile merged with the scenario's overrides, the dyno size looked up, the service
 * distribution and the traffic rate made ready. Every problem is gathered, with its
 * field path, before anything runs.
 */
import type { DynoSize, PlatformProfile } from '../platform/profile.ts';
import { PROFILES } from '../platform/profiles.ts';
import type { EventSpec, ScenarioFile, ServiceSpec, RouterPolicyName } from './schema.ts';
import type { Problem } from './problems.ts';
import type { ServiceDistribution } from '../traffic/service/ServiceDistribution.ts';
import { constant } from '../traffic/service/constant.ts';
import { exponential } from '../traffic/service/exponential.ts';
import { lognormal, lognormalParams } from '../traffic/service/lognormal.ts';
import { weibull } from '../traffic/service/weibull.ts';
import { empirical } from '../traffic/service/empirical.ts';
import { looksLikeRateLiteral, parseRatePerS } from '../units/rate.ts';
import type { RateFunction } from '../traffic/arrivals/varyingRate.ts';

export interface ProcessSpec {
  readonly type: string;
  readonly count: number;
  readonly size: DynoSize;
  /** Requests (or jobs) one dyno serves at once: Unicorn workers, Puma threads. */
  readonly concurrency: number;
  /** The Procfile command, for the logs. */
  readonly command: string;
  readonly memory: MemoryModel | null;
  /** Crashes per microsecond of a dyno's time up (0: never crashes on its own). */
  readonly crashRatePerUs: number;
}

/** What a dyno's processes hold in memory: total = base + leak × time up + perRequest × requests in service. */
export interface MemoryModel {
  readonly baseMb: number;
  readonly perRequestMb: number;
  readonly leakMbPerH: number;
  readonly cacheMb: number;
  /** Service-time multiplier when all of the memory is swapped (graded by the share swapped). */
  readonly swapSlowdown: number;
}

/** A scripted platform event, at a time from the start of the run. */
export type PlatformEvent =
  | { readonly kind: 'fail-host'; readonly atUs: number; readonly host: number; readonly forUs: number | null }
  | { readonly kind: 'zone-down'; readonly atUs: number; readonly zone: number; readonly forUs: number | null }
  | { readonly kind: 'release'; readonly atUs: number; readonly crashOnBoot: number }
  /** dyno: a web dyno index (web.1 is 0), or null for every web dyno. */
  | { readonly kind: 'restart'; readonly atUs: number; readonly dyno: number | null }
  | { readonly kind: 'crash'; readonly atUs: number; readonly dyno: number }
  | { readonly kind: 'scale'; readonly atUs: number; readonly count: number };

export type RateSpec =
  | { readonly kind: 'constant'; readonly perS: number; readonly text: string }
  | { readonly kind: 'expression'; readonly fn: RateFunction; readonly stepUs: number; readonly text: string };

/** A scenario ready to run: units parsed, references resolved, frozen. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly seed: number;
  readonly durationUs: number;
  readonly warmupUs: number;
  readonly platform: PlatformProfile;
  readonly web: ProcessSpec;
  readonly router: { readonly policy: RouterPolicyName };
  readonly traffic: { readonly rate: RateSpec; readonly service: ServiceDistribution };
  /** Scripted events, in time order (stable for equal times). */
  readonly events: readonly PlatformEvent[];
  /** log-runtime-metrics: samples every 20 s per dyno. */
  readonly runtimeMetrics: boolean;
  /** How long the formation's dynos have been up at time zero: a random part of their daily cycle, or not at all. */
  readonly dynoAges: 'random' | 'zero';
  /** The scenario as written (after --set), for reports. */
  readonly source: unknown;
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

/** Turns scripted events into platform events, checking what they name against the platform and formation. */
function resolveEvents(specs: readonly EventSpec[], platform: PlatformProfile, maxWeb: number, problems: Problem[]): PlatformEvent[] {
  const out: PlatformEvent[] = [];
  const hostCount = platform.hosts.zones.length * platform.hosts.hostsPerZone;
  const dynoIndex = (text: string, path: string, allowAll: boolean): number | null | undefined => {
    if (allowAll && text === 'web') return null;
    const m = /^web\.(\d+)$/.exec(text);
    if (m === null || Number(m[1]) < 1) {
      problems.push({ path, message: `expected ${allowAll ? 'web or ' : ''}a web dyno such as web.2, got ${JSON.stringify(text)}` });
      return undefined;
    }
    if (Number(m[1]) > maxWeb) {
      const has = maxWeb === 0 ? 'the formation has no web dynos' : maxWeb === 1 ? 'expected web.1, the only web dyno' : `expected one of the web dynos web.1 to web.${maxWeb}`;
      problems.push({ path, message: `${has}, got ${JSON.stringify(text)}` });
      return undefined;
    }
    return Number(m[1]) - 1;
  };
  specs.forEach((e, i) => {
    const path = `events.${i}`;
    const forUs = e.for ?? null;
    if (e.failHost !== undefined) {
      if (e.failHost > hostCount) problems.push({ path: `${path}.failHost`, message: `expected a host from 1 to ${hostCount}, got ${e.failHost}` });
      else out.push({ kind: 'fail-host', atUs: e.at, host: e.failHost - 1, forUs });
    } else if (e.zoneDown !== undefined) {
      const zones = platform.hosts.zones;
      let zone = zones.indexOf(e.zoneDown);
      if (zone < 0) {
        const bySuffix = zones.flatMap((z, k) => (z.endsWith(e.zoneDown!) ? [k] : []));
        if (bySuffix.length === 1) zone = bySuffix[0]!;
      }
      if (zone < 0) problems.push({ path: `${path}.zoneDown`, message: `expected one of the zones ${zones.join(', ')}, got ${JSON.stringify(e.zoneDown)}` });
      else out.push({ kind: 'zone-down', atUs: e.at, zone, forUs });
    } else if (e.release !== undefined) {
      out.push({ kind: 'release', atUs: e.at, crashOnBoot: e.release.crashOnBoot });
    } else if (e.restart !== undefined) {
      const d = dynoIndex(e.restart, `${path}.restart`, true);
      if (d !== undefined) out.push({ kind: 'restart', atUs: e.at, dyno: d });
    } else if (e.crash !== undefined) {
      const d = dynoIndex(e.crash, `${path}.crash`, false);
      if (d !== undefined && d !== null) out.push({ kind: 'crash', atUs: e.at, dyno: d });
    } else if (e.scale !== undefined) {
      out.push({ kind: 'scale', atUs: e.at, count: e.scale.web });
    }
  });
  // Stable: events at one time keep the order they were written in.
  return out.map((e, i) => [e, i] as const).sort((a, b) => a[0].atUs - b[0].atUs || a[1] - b[1]).map(([e]) => Object.freeze(e));
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

function resolveRate(s: ScenarioFile, compile: ExpressionCompiler, problems: Problem[]): RateSpec {
  const text = s.traffic.rate;
  if (looksLikeRateLiteral(text)) {
    const perS = parseRatePerS(text);
    if (perS === undefined) {
      problems.push({ path: 'traffic.rate', message: `expected a rate such as 150/s or 9000/min, got ${JSON.stringify(text)}` });
      return { kind: 'constant', perS: 0, text };
    }
    return { kind: 'constant', perS, text };
  }
  const fn = compile(text);
  if (typeof fn === 'string') {
    problems.push({ path: 'traffic.rate', message: fn });
    return { kind: 'constant', perS: 0, text };
  }
  // Probe the expression across the run, so a rate that turns into nonsense fails now.
  const probes = 16;
  for (let i = 0; i <= probes; i++) {
    const tS = ((s.duration / 1e6) * i) / probes;
    const r = fn(tS);
    if (typeof r !== 'number' || !Number.isFinite(r)) {
      problems.push({ path: 'traffic.rate', message: `the rate expression gives ${String(r)} at t=${tS}s, not a number of requests per second` });
      break;
    }
  }
  return { kind: 'expression', fn, stepUs: s.traffic.rateStep, text };
}

/** Resolves a validated scenario file; problems are appended to `problems`. */
export function resolveScenario(
  s: ScenarioFile,
  source: unknown,
  io: { readSamples: SampleReader; compileRate: ExpressionCompiler },
  problems: Problem[],
): Scenario {
  const platform = mergeProfile(s, io.readSamples, problems);
  const size = platform.sizes[s.formation.web.size];
  if (size === undefined) {
    problems.push({
      path: 'formation.web.size',
      message: `expected a size of ${platform.name} (${Object.keys(platform.sizes).join(', ')}), got ${JSON.stringify(s.formation.web.size)}`,
    });
  }
  const service = resolveService(s.traffic.service, 'traffic.service', io.readSamples, problems);
  const rate = resolveRate(s, io.compileRate, problems);
  const web = s.formation.web;
  const maxWeb = Math.max(web.count, ...s.events.map((e) => e.scale?.web ?? 0));
  const events = resolveEvents(s.events, platform, maxWeb, problems);
  if (size?.onePerProcessType === true && maxWeb > 1) {
    problems.push({ path: 'formation.web.count', message: `expected at most 1: ${size.name} dynos run one per process type, got ${maxWeb}` });
  }
  const m = web.memory;
  const memoryModel: MemoryModel | null =
    m === undefined ? null : Object.freeze({ baseMb: m.base, perRequestMb: m.perRequest, leakMbPerH: m.leak, cacheMb: m.cache, swapSlowdown: m.swapSlowdown });
  return Object.freeze({
    name: s.name,
    description: s.description,
    seed: s.seed,
    durationUs: s.duration,
    warmupUs: s.warmup,
    platform,
    web: Object.freeze({
      type: 'web',
      count: web.count,
      size: size!,
      concurrency: web.concurrency,
      command: web.command,
      memory: memoryModel,
      crashRatePerUs: (web.crashRate ?? 0) / 1e6,
    }),
    router: Object.freeze({ policy: s.router.policy }),
    traffic: Object.freeze({ rate, service }),
    events: Object.freeze(events),
    runtimeMetrics: s.runtimeMetrics,
    dynoAges: s.dynoAges,
    source,
  });
}
