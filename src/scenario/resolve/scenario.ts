/**
 * A parsed scenario file resolved into the frozen value a run is built from: the
 * platform, the scaling plans, queues, events, traffic, process types, job sources and
 * scheduler tasks, each resolved against the others; every problem gathered, with its
 * field path, before anything runs.
 */
import type { DynoSize } from '../../model/platform/profile.ts';
import type { MemoryModel, OneOffSpec, ProcessSpec, QueueSpec, RateSpec, ReplaySpec, RequestClass, Scenario, ScalingPlan, SchedulerTask } from '../../model/Scenario.ts';
import type { Calendar } from '../../model/traffic/calendar.ts';
import { parseRatePerS } from '../../engine/units/rate.ts';
import type { ScenarioFile } from '../schema/scenario.ts';
import type { Problem } from '../schema/problems.ts';
import { mergeProfile } from './profile.ts';
import { resolveScaling, scheduleStart } from './scaling.ts';
import { resolveEvents } from './events.ts';
import { resolveRate, type ExpressionCompiler } from './rates.ts';
import { resolveService, type SampleReader } from './services.ts';

/** The formation's process types by name, web first, then in the order written. */
function processOrder(s: ScenarioFile): string[] {
  return ['web', ...Object.keys(s.formation).filter((t) => t !== 'web')];
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
