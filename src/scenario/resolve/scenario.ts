/**
 * A parsed scenario file resolved into the frozen value a run is built from, step by
 * step, each step reading what the ones before it made: the platform and its sizes, the
 * process types and their scaling, the queues, the scripted events, the traffic, the
 * formation, job sources, queues' workers and scheduler tasks. Every problem is gathered,
 * with its field path, before anything runs.
 */
import type { Scenario } from '../../model/Scenario.ts';
import type { ScenarioFile } from '../schema/scenario.ts';
import type { Problem } from '../schema/problems.ts';
import type { ResolveIo } from './io.ts';
import { platformOf, sizeLookup } from './profile.ts';
import { maxCounts, processOrder, resolveProcesses } from './processes.ts';
import { resolveScalingPlans } from './scaling.ts';
import { queueNames, resolveJobSources, resolveQueues } from './queues.ts';
import { resolveEvents } from './events.ts';
import { resolveTraffic } from './traffic.ts';
import { resolveScheduler } from './scheduler.ts';
import { resolveRouter } from './router.ts';

/** Resolves a validated scenario file; problems are appended to `problems`. */
export function resolveScenario(s: ScenarioFile, source: unknown, io: ResolveIo, problems: Problem[]): Scenario {
  const { calendar, readSamples } = io;
  const platform = platformOf(s, readSamples, calendar, problems);
  const sizeOf = sizeLookup(platform, problems);
  const types = processOrder(s);
  const { plans: scaling, most } = resolveScalingPlans(s, types, calendar, sizeOf, problems);
  const maxCount = maxCounts(s, types, most);
  const queues = queueNames(s, types);
  const { events, multipliers, oneOffs } = resolveEvents(s.events, { platform, calendar, durationUs: s.duration, types, maxCount, sizeOf, readSamples }, problems);
  const traffic = resolveTraffic(s, io, queues, multipliers, problems);
  const processes = resolveProcesses(s, types, { sizeOf, maxCount, scaling, events, classes: traffic.classes, queues, dynosPerApp: platform.limits.dynosPerApp, ecoSize: platform.eco?.size ?? null }, problems);
  const jobSources = resolveJobSources(s.jobs, queues, readSamples, problems);
  const queueSpecs = resolveQueues(s, queues, processes, problems);
  const scheduler = resolveScheduler(s.scheduler, sizeOf, calendar, readSamples, problems);

  return Object.freeze({
    name: s.name,
    description: s.description,
    seed: s.seed,
    durationUs: s.duration,
    warmupUs: s.warmup === 'auto' ? 0 : s.warmup,
    ...(s.warmup === 'auto' ? { warmupAuto: Object.freeze({ rule: 'MSER-5' as const, detected: null }) } : {}),
    platform,
    calendar,
    processes: Object.freeze(processes),
    web: processes[0]!,
    router: resolveRouter(s, platform, problems),
    traffic,
    queues: Object.freeze(queueSpecs),
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
