/**
 * The platform a scenario runs on: its profile by name, or the profile with the
 * scenario's overrides laid over it (router, billing, hosts, dyno manager, sizes).
 */
import type { DynoSize, EcoRules, PlatformProfile } from '../../model/platform/profile.ts';
import { PROFILES } from '../../model/platform/profiles.ts';
import type { Calendar } from '../../model/traffic/calendar.ts';
import type { ScenarioFile } from '../schema/scenario.ts';
import type { Problem } from '../schema/problems.ts';
import { resolveService, type SampleReader } from './services.ts';
import { didYouMean } from '../../engine/suggest.ts';

/** The platform as a run sees it: the profile merged with the scenario's overrides, its epoch the calendar's time zero. */
export function platformOf(s: ScenarioFile, readSamples: SampleReader, calendar: Calendar, problems: Problem[]): PlatformProfile {
  return Object.freeze({ ...mergeProfile(s, readSamples, problems), epochMs: calendar.epochMs(0) });
}

/** Looks up a dyno size by name (none: the profile's smallest standard size), reporting an unknown one at `path`. */
export type SizeOf = (name: string | undefined, path: string) => DynoSize | undefined;

export function sizeLookup(platform: PlatformProfile, problems: Problem[]): SizeOf {
  return (name, path) => {
    const size = name === undefined ? platform.sizes[platform.name === 'heroku-2013' ? '1X' : 'standard-1x'] : Object.hasOwn(platform.sizes, name) ? platform.sizes[name] : undefined;
    if (size === undefined) {
      const known = Object.keys(platform.sizes);
      const lower = name?.toLowerCase();
      const other = Object.values(PROFILES)
        .filter((p) => p.name !== platform.name)
        .map((p) => [p.name, Object.keys(p.sizes).find((z) => z.toLowerCase() === lower)] as const)
        .find(([, z]) => z !== undefined);
      const elsewhere = other === undefined ? '' : other[1] === name ? ` (a size of ${other[0]})` : ` (${other[1]} is a size of ${other[0]})`;
      const hint = didYouMean(name, known);
      problems.push({ path, message: `expected a size of ${platform.name} (${known.join(', ')}), got ${JSON.stringify(name)}${hint === '' ? elsewhere : hint}`, needs: ['platform'] });
    }
    return size;
  };
}

/** The profile the scenario names, with its `platform` overrides laid over it. */
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
    limits: Object.freeze({ dynosPerApp: o.limits?.dynosPerApp ?? base.limits.dynosPerApp }),
    router: Object.freeze({
      timeoutUs: o.router?.timeout ?? base.router.timeoutUs,
      backlogPerDyno: o.router?.backlogPerDyno ?? base.router.backlogPerDyno,
      connectTimeoutUs: o.router?.connectTimeout ?? base.router.connectTimeoutUs,
      quarantineUs: o.router?.quarantine ?? base.router.quarantineUs,
      maxAttempts: o.router?.maxAttempts ?? base.router.maxAttempts,
      holdUs: o.router?.hold ?? base.router.holdUs,
      routeUpdateUs: o.router?.routeUpdate ?? base.router.routeUpdateUs,
      routers: o.router?.routers ?? base.router.routers,
      maxActivePerDyno: o.router?.maxActivePerDyno ?? base.router.maxActivePerDyno,
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
      prebootSwitchUs: o.dynoManager?.prebootSwitch ?? base.dynoManager.prebootSwitchUs,
      cycling: o.dynoManager?.cycling ?? base.dynoManager.cycling,
      cycleEveryUs: o.dynoManager?.cycleEvery ?? base.dynoManager.cycleEveryUs,
      cycleJitterUs: o.dynoManager?.cycleJitter ?? base.dynoManager.cycleJitterUs,
      oneOffLimitUs: o.dynoManager?.oneOffLimit ?? base.dynoManager.oneOffLimitUs,
    }),
    eco: ecoOf(o, base, problems),
    noisyNeighbours:
      o.noisyNeighbours === undefined
        ? base.noisyNeighbours
        : Object.freeze({ slowdown: o.noisyNeighbours.slowdown, busyShare: o.noisyNeighbours.busyShare, busyPeriodUs: o.noisyNeighbours.busyPeriod }),
    epochMs: o.start ?? base.epochMs,
  });
}

/** Eco's pool and sleeping with the scenario's figures laid over the profile's; a problem where the profile has no Eco. */
function ecoOf(o: Exclude<ScenarioFile['platform'], string>, base: PlatformProfile, problems: Problem[]): EcoRules | null {
  if (o.eco === undefined) return base.eco;
  if (base.eco === null) {
    problems.push({ path: 'platform.eco', message: `${base.name} has no Eco dynos` });
    return null;
  }
  return Object.freeze({
    size: base.eco.size,
    poolHours: o.eco.poolHours ?? base.eco.poolHours,
    poolUsedHours: o.eco.poolUsedHours ?? base.eco.poolUsedHours,
    sleepAfterUs: o.eco.sleepAfter ?? base.eco.sleepAfterUs,
  });
}
