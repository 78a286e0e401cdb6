/**
 * Scripted events resolved against the formation, the platform and the calendar: each
 * becomes a platform event at a time in the run (or, for traffic, a rate multiplier),
 * the dynos, zones and hosts it names checked.
 */
import type { PlatformProfile } from '../../model/platform/profile.ts';
import type { OneOffSpec, PlatformEvent } from '../../model/Scenario.ts';
import type { Calendar } from '../../model/traffic/calendar.ts';
import { constant } from '../../model/traffic/service/constant.ts';
import { formatDuration } from '../../engine/units/duration.ts';
import type { EventSpec } from '../schema/events.ts';
import type { Problem } from '../schema/problems.ts';
import { whenUs } from './calendar.ts';
import type { SizeOf } from './profile.ts';
import type { Multiplier } from './rates.ts';
import { resolveService, type SampleReader } from './services.ts';

export interface EventContext {
  platform: PlatformProfile;
  calendar: Calendar;
  durationUs: number;
  types: readonly string[];
  maxCount: ReadonlyMap<string, number>;
  sizeOf: SizeOf;
  readSamples: SampleReader;
}

/** Scripted events, resolved: platform events in time order, traffic multipliers, and the one-off dynos `run` events start. */
export interface ResolvedEvents {
  events: PlatformEvent[];
  multipliers: Multiplier[];
  oneOffs: OneOffSpec[];
}

/** Turns scripted events into platform events (and traffic multipliers), checking what they name. */
export function resolveEvents(specs: readonly EventSpec[], cx: EventContext, problems: Problem[]): ResolvedEvents {
  const out: PlatformEvent[] = [];
  const multipliers: Multiplier[] = [];
  const oneOffs: OneOffSpec[] = [];
  const { platform } = cx;
  const hostCount = platform.hosts.zones.length * platform.hosts.hostsPerZone;
  specs.forEach((e, i) => {
    const path = `events.${i}`;
    const forUs = e.for ?? null;
    const atUs = whenUs(e.at, cx.calendar);
    if (atUs < 0 || atUs >= cx.durationUs) {
      problems.push({ path: `${path}.at`, message: `expected a time within the run (it starts ${new Date(cx.calendar.epochMs(0)).toISOString()} and lasts ${formatDuration(cx.durationUs)})`, needs: ['duration', 'calendar'] });
      return;
    }
    if (e.failHost !== undefined) {
      if (e.failHost > hostCount) problems.push({ path: `${path}.failHost`, message: `expected a host from 1 to ${hostCount}, got ${e.failHost}`, needs: ['platform'] });
      else out.push({ kind: 'fail-host', atUs, host: e.failHost - 1, forUs });
    } else if (e.zoneDown !== undefined) {
      const zone = zoneOf(e.zoneDown, platform.hosts.zones);
      if (zone < 0) problems.push({ path: `${path}.zoneDown`, message: `expected one of the zones ${platform.hosts.zones.join(', ')}, got ${JSON.stringify(e.zoneDown)}`, needs: ['platform'] });
      else out.push({ kind: 'zone-down', atUs, zone, forUs });
    } else if (e.release !== undefined) {
      out.push({ kind: 'release', atUs, crashOnBoot: e.release.crashOnBoot });
    } else if (e.restart !== undefined) {
      const d = dynoRef(e.restart, `${path}.restart`, true, cx, problems);
      if (d !== undefined) out.push({ kind: 'restart', atUs, process: d.process, dyno: d.dyno });
    } else if (e.crash !== undefined) {
      const d = dynoRef(e.crash, `${path}.crash`, false, cx, problems);
      if (d !== undefined && d.dyno !== null) out.push({ kind: 'crash', atUs, process: d.process, dyno: d.dyno });
    } else if (e.scale !== undefined) {
      for (const [type, { count, size: sizeName }] of Object.entries(e.scale)) {
        const process = typeOf(type, `${path}.scale.${type}`, cx, problems);
        const size = sizeName === undefined ? null : (cx.sizeOf(sizeName, `${path}.scale.${type}`) ?? null);
        if (process >= 0 && (sizeName === undefined || size !== null)) out.push({ kind: 'scale', atUs, process, count, size });
      }
    } else if (e.resize !== undefined) {
      for (const [type, sizeName] of Object.entries(e.resize)) {
        const process = typeOf(type, `${path}.resize.${type}`, cx, problems);
        const size = cx.sizeOf(sizeName, `${path}.resize.${type}`);
        if (process >= 0 && size !== undefined) out.push({ kind: 'resize', atUs, process, size });
      }
    } else if (e.traffic !== undefined) {
      multipliers.push({ atUs, forUs, factor: e.traffic.multiply, daily: e.daily === true });
    } else if (e.run !== undefined) {
      const size = cx.sizeOf(e.run.size, `${path}.run.size`);
      const run = typeof e.run.for === 'number' ? constant(e.run.for) : resolveService(e.run.for, `${path}.run.for`, cx.readSamples, problems);
      if (size !== undefined) {
        oneOffs.push(Object.freeze({ command: e.run.command, size, run }));
        out.push({ kind: 'run', atUs, index: oneOffs.length - 1 });
      }
    }
  });
  // Stable: events at one time keep the order they were written in.
  const events = out.map((e, i) => [e, i] as const).sort((a, b) => a[0].atUs - b[0].atUs || a[1] - b[1]).map(([e]) => Object.freeze(e));
  return { events, multipliers, oneOffs };
}

/** The index of a process type of the formation, or −1 (a problem at `path`). */
function typeOf(type: string, path: string, cx: EventContext, problems: Problem[]): number {
  const process = cx.types.indexOf(type);
  if (process < 0) problems.push({ path, message: `expected a process type of the formation (${cx.types.join(', ')}), got ${JSON.stringify(type)}` });
  return process;
}

/** A zone by its whole name or, if only one zone ends so, by the end of it (e.g. 1a); −1 if none. */
function zoneOf(name: string, zones: readonly string[]): number {
  const zone = zones.indexOf(name);
  if (zone >= 0) return zone;
  const bySuffix = zones.flatMap((z, k) => (z.endsWith(name) ? [k] : []));
  return bySuffix.length === 1 ? bySuffix[0]! : -1;
}

/** `web`, `worker` (every dyno of the type, when allowed) or `worker.2`. */
function dynoRef(text: string, path: string, allowAll: boolean, cx: EventContext, problems: Problem[]): { process: number; dyno: number | null } | undefined {
  const { types } = cx;
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
}
