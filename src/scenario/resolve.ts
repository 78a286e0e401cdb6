/**
 * From a parsed scenario file to the frozen value a run is built from: the platform
 * profile merged with the scenario's overrides, the dyno size looked up, the service
 * distribution and the traffic rate made ready. Every problem is gathered, with its
 * field path, before anything runs.
 */
import type { DynoSize, PlatformProfile } from '../platform/profile.ts';
import { PROFILES } from '../platform/profiles.ts';
import type { ScenarioFile, ServiceSpec, RouterPolicyName } from './schema.ts';
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
}

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
  /** The scenario as written (after --set), for reports. */
  readonly source: unknown;
}

/** Reads the samples of an empirical distribution; supplied by the caller, so that this module does no I/O. */
export type SampleReader = (spec: Extract<ServiceSpec, { distribution: 'empirical' }>) => Float64Array | string;

/** Compiles a rate expression of t (seconds); supplied by the caller, which loads the expression engine. */
export type ExpressionCompiler = (text: string) => RateFunction | string;

export function mergeProfile(s: ScenarioFile, problems: Problem[]): PlatformProfile {
  if (typeof s.platform === 'string') return PROFILES[s.platform]!;
  const o = s.platform;
  const base = PROFILES[o.profile]!;
  const sizes: Record<string, DynoSize> = { ...base.sizes };
  for (const [name, ov] of Object.entries(o.sizes ?? {})) {
    const prev = sizes[name];
    const merged = {
      name,
      memoryMb: ov.memory ?? prev?.memoryMb,
      cpuShare: ov.cpuShare ?? prev?.cpuShare,
      dedicated: ov.dedicated ?? prev?.dedicated ?? false,
      priceUsd: ov.priceUsd ?? prev?.priceUsd,
      freeHoursWeight: ov.freeHoursWeight ?? prev?.freeHoursWeight ?? 1,
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
    }),
    billing: Object.freeze({
      pricePer: o.billing?.pricePer ?? base.billing.pricePer,
      freeHoursPerMonth: o.billing?.freeHours ?? base.billing.freeHoursPerMonth,
      monthUs: o.billing?.month ?? base.billing.monthUs,
    }),
  });
}

function resolveService(spec: ServiceSpec, readSamples: SampleReader, problems: Problem[]): ServiceDistribution {
  const path = 'traffic.service';
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
  const platform = mergeProfile(s, problems);
  const size = platform.sizes[s.formation.web.size];
  if (size === undefined) {
    problems.push({
      path: 'formation.web.size',
      message: `expected a size of ${platform.name} (${Object.keys(platform.sizes).join(', ')}), got ${JSON.stringify(s.formation.web.size)}`,
    });
  }
  const service = resolveService(s.traffic.service, io.readSamples, problems);
  const rate = resolveRate(s, io.compileRate, problems);
  return Object.freeze({
    name: s.name,
    description: s.description,
    seed: s.seed,
    durationUs: s.duration,
    warmupUs: s.warmup,
    platform,
    web: Object.freeze({ type: 'web', count: s.formation.web.count, size: size!, concurrency: s.formation.web.concurrency }),
    router: Object.freeze({ policy: s.router.policy }),
    traffic: Object.freeze({ rate, service }),
    source,
  });
}
