/**
 * `traffic` resolved: the request classes (their shares, service times, memory, the jobs
 * they enqueue and, for a replay, the requests they match), then the arrivals: a file
 * replayed, or a rate with the traffic events applied.
 */
import type { ReplaySpec, RequestClass, TrafficSpec } from '../../model/Scenario.ts';
import type { ScenarioFile } from '../schema/scenario.ts';
import type { Problem } from '../schema/problems.ts';
import type { ResolveIo } from './io.ts';
import type { QueueNames } from './queues.ts';
import { resolveRate, type Multiplier } from './rates.ts';
import { resolveService, type SampleReader } from './services.ts';

type TrafficFile = NonNullable<ScenarioFile['traffic']>;

/** The traffic; with none, the traffic events are a problem. */
export function resolveTraffic(s: ScenarioFile, io: ResolveIo, queues: QueueNames, multipliers: readonly Multiplier[], problems: Problem[]): TrafficSpec {
  const t = s.traffic;
  if (t === undefined) {
    if (multipliers.length > 0) problems.push({ path: 'events', message: 'traffic events need traffic', needs: ['traffic'] });
    return Object.freeze({ rate: null, replay: null, classes: Object.freeze([]) });
  }
  const classes = resolveClasses(t, queues, io.readSamples, problems);
  if (t.replay !== undefined) return Object.freeze({ rate: null, replay: resolveReplay(t.replay, io, multipliers, problems), classes });
  return Object.freeze({ rate: resolveRate(t.rate!, t.rateStep, s.duration, io.compileRate, multipliers, problems), replay: null, classes });
}

/** `traffic.classes`, or the one class `all` that `traffic.service` stands for; weights made shares of one. */
function resolveClasses(t: TrafficFile, queues: QueueNames, readSamples: SampleReader, problems: Problem[]): readonly RequestClass[] {
  const specs = t.classes ?? [{ name: 'all', weight: 1, service: t.service, memory: undefined, jobs: [], match: undefined }];
  const totalWeight = specs.reduce((sum, c) => sum + (c.weight ?? 1), 0);
  const classes: RequestClass[] = [];
  specs.forEach((c, i) => {
    const path = t.classes === undefined ? 'traffic' : `traffic.classes.${i}`;
    const match = matchOf(c.name, c.match, `${path}.match`, problems);
    classes.push(
      Object.freeze({
        name: c.name,
        weight: (c.weight ?? 1) / totalWeight,
        service: c.service === undefined ? null : resolveService(c.service, `${path}.service`, readSamples, problems),
        memoryMb: c.memory ?? null,
        jobs: Object.freeze(c.jobs.map((j, k) => Object.freeze({ queue: queues.index(j.queue), probability: j.probability, run: resolveService(j.run, `${path}.jobs.${k}.run`, readSamples, problems) }))),
        match,
      }),
    );
  });
  return Object.freeze(classes);
}

/** The requests of a replay a class takes: those matching `match`, else those starting with its name. */
function matchOf(name: string, match: string | undefined, path: string, problems: Problem[]): RegExp {
  if (match !== undefined) {
    try {
      return new RegExp(match);
    } catch (e) {
      problems.push({ path, message: `expected a regular expression, got ${JSON.stringify(match)}: ${(e as Error).message.split('\n')[0]}` });
    }
  }
  return new RegExp(`^${escapeRegExp(name)}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `traffic.replay`: the file probed, time zero its `from` or the calendar's start. */
function resolveReplay(spec: NonNullable<TrafficFile['replay']>, io: ResolveIo, multipliers: readonly Multiplier[], problems: Problem[]): ReplaySpec | null {
  const r = typeof spec === 'string' ? { file: spec, format: 'auto' as const, from: undefined, reorderWindow: 90_000_000 } : spec;
  const path = typeof spec === 'string' ? 'traffic.replay' : 'traffic.replay.file';
  const probe = io.probeReplay(r.file, r.format, r.reorderWindow);
  if (typeof probe === 'string') {
    problems.push({ path, message: probe });
    return null;
  }
  if (multipliers.length > 0) problems.push({ path: 'events', message: 'traffic events change a rate, and replayed traffic has none', needs: ['traffic.replay'] });
  return Object.freeze({ file: probe.path, name: r.file, format: r.format, startMs: r.from ?? io.calendar.epochMs(0), reorderWindowUs: r.reorderWindow });
}
