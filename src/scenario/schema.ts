/**
 * The scenario file format: the single source of its TypeScript types, its validation
 * and the JSON Schema that `dynosim schema` exports for editors. A scenario is data;
 * `resolve.ts` turns a parsed one into the frozen value a run is built from.
 */
import * as z from 'zod';
import { duration, instant, memory, memoryRate, missingOr, oneOf, positive, probability, rate, show, text, whole } from './fields.ts';
import { PLACEMENT_POLICIES } from '../model/dynos/placement/policies.ts';
import { RESTART_POLICIES } from '../model/dynos/restart/policies.ts';
import { ROUTER_POLICIES } from '../model/router/policies.ts';
import { PROFILE_NAMES } from '../model/platform/profiles.ts';
import { looksLikeRateLiteral, parseRatePerS } from '../engine/units/rate.ts';
import { formatDuration, parseDurationUs } from '../engine/units/duration.ts';

// Messages for the cases no field spells out: a field left out, a mapping where a value
// was expected and the like.
z.config({
  customError: (iss) => {
    if (iss.code === 'invalid_type') {
      if (iss.input === undefined) return 'missing (this field is required)';
      const expected = iss.expected === 'object' ? 'a mapping of fields' : iss.expected === 'array' ? 'a list' : iss.expected;
      return `expected ${expected}, got ${show(iss.input)}`;
    }
    return undefined;
  },
});


const constant = z.strictObject({
  distribution: z.literal('constant'),
  value: duration(),
});
const exponential = z.strictObject({
  distribution: z.literal('exponential'),
  mean: duration({ positive: true }),
});
const lognormal = z
  .strictObject({
    distribution: z.literal('lognormal'),
    mean: duration({ positive: true }).optional(),
    median: duration({ positive: true }).optional(),
    sigma: positive().optional(),
    p99: duration({ positive: true }).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.mean === undefined) === (v.median === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of mean or median', path: [] });
    }
    if ((v.sigma === undefined) === (v.p99 === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of sigma or p99', path: [] });
    }
  });
const weibull = z.strictObject({
  distribution: z.literal('weibull'),
  shape: positive(),
  scale: duration({ positive: true }),
});
const empirical = z.strictObject({
  distribution: z.literal('empirical'),
  file: text('a CSV file name'),
  column: text('a column name').optional(),
  unit: oneOf(['us', 'ms', 's']).default('ms'),
});

export const SERVICE_DISTRIBUTIONS = ['constant', 'exponential', 'lognormal', 'weibull', 'empirical'] as const;

export const serviceSchema = z.discriminatedUnion('distribution', [constant, exponential, lognormal, weibull, empirical], {
  error: (iss) =>
    iss.code === 'invalid_union' && typeof iss.input === 'object' && iss.input !== null
      ? `expected distribution to be one of ${SERVICE_DISTRIBUTIONS.join(', ')}, got ${show((iss.input as Record<string, unknown>)['distribution'])}`
      : `expected a service-time distribution such as { distribution: exponential, mean: 100ms }, got ${show(iss.input)}`,
});

/** The app's memory: what a dyno holds at rest, per request in service, and what it leaks. */
const memoryModel = z.strictObject({
  base: memory(),
  perRequest: memory().prefault('0MB'),
  leak: memoryRate().prefault('0MB/h'),
  cache: memory().prefault('0MB'),
  /** Service-time multiplier when the dyno's memory is all swap (graded by the share swapped); not published. */
  swapSlowdown: positive().refine((x) => x >= 1, { error: 'expected a slowdown of at least 1' }).default(3),
});

const processSchema = z.strictObject({
  count: whole(0),
  size: text('a dyno size'),
  /** Requests (web) or jobs (workers) one dyno serves at once: Unicorn workers, Puma threads, Sidekiq concurrency. */
  concurrency: whole(1).default(1),
  command: text('a command').optional(),
  memory: memoryModel.optional(),
  /** Crashes per dyno while up (exponential), e.g. 1/day. */
  crashRate: rate('a crash rate').optional(),
  /** Workers only: the job queue its dynos take jobs from (default: default). */
  queue: text('a queue name').optional(),
  /** The share of service time spent on the CPU: with more requests running than the size has cores, that part slows down. */
  cpuBound: probability().optional(),
});

/** Heroku's process type names. */
const PROCESS_TYPE = /^[A-Za-z0-9_-]+$/;
const RESERVED_TYPES = ['run', 'scheduler'];

const formationSchema = z.record(z.string(), processSchema).superRefine((f, ctx) => {
  if (f['web'] === undefined) ctx.addIssue({ code: 'custom', path: ['web'], message: 'missing (this field is required; a formation with no web dynos says count: 0)' });
  for (const [name, p] of Object.entries(f)) {
    if (!PROCESS_TYPE.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'expected a process type name of letters, digits, dashes and underscores' });
    else if (RESERVED_TYPES.includes(name)) ctx.addIssue({ code: 'custom', path: [name], message: `${name} names one-off dynos (run.N, scheduler.N); give this process type another name` });
    if (name === 'web' && p.queue !== undefined) ctx.addIssue({ code: 'custom', path: [name, 'queue'], message: 'web dynos take HTTP requests, not jobs: queue is for the other process types' });
  }
});

/** Jobs a request enqueues: on `queue`, with `probability`, each running for `run`. */
const jobSchema = z.strictObject({
  queue: text('a queue name').default('default'),
  probability: probability().default(1),
  run: z.lazy(() => serviceSchema),
});

/** A kind of request: its share of the traffic, its service time, memory and jobs. */
const requestClass = z.strictObject({
  name: text('a class name such as GET / or POST /checkout'),
  weight: positive().optional(),
  service: z.lazy(() => serviceSchema).optional(),
  /** Extra memory each request of this class holds while in service (replaces the process's memory.perRequest). */
  memory: memory().optional(),
  jobs: z.array(jobSchema).default([]),
  /** Replay: a regular expression over "METHOD /path" picking the requests of this class (default: the name, at the start). */
  match: text('a regular expression').optional(),
});

const replaySchema = z.strictObject({
  file: text('a log or CSV file name'),
  format: oneOf(['auto', 'router', 'csv']).default('auto'),
  /** The instant that becomes time zero (default: the first arrival in the file, to the second). */
  from: instant().optional(),
  /** How far out of order arrivals may come in the file (router lines are written when the response ends; an H20's, 75 s after its arrival). */
  reorderWindow: duration({ positive: true }).prefault('90s'),
});

/** Jobs arriving on their own (a clock process, webhooks), not from a request. */
const jobSourceSchema = z.strictObject({
  queue: text('a queue name').default('default'),
  rate: text('a rate such as 2/s').refine((r) => parseRatePerS(r) !== undefined, { error: (iss) => `expected a rate such as 2/s or 90/min, got ${show(iss.input)}` }),
  run: z.lazy(() => serviceSchema),
});

const queueSchema = z.strictObject({
  /** A job running on a worker that dies: delivered again (Sidekiq Pro's reliable fetch, Resque retries) or lost (plain Resque, basic Sidekiq on a crash). */
  lostJobs: oneOf(['redeliver', 'lose']).default('redeliver'),
});

/** A Heroku Scheduler task: a one-off dyno every 10 minutes, hour or day, best effort. */
const schedulerTask = z.strictObject({
  command: text('a command'),
  every: oneOf(['10m', '1h', '1d']),
  /** Hourly: the minute past the hour (":30"); daily: the local time ("01:00"). Default :00 / 00:00. */
  at: text('a time such as 01:00 or :30').optional(),
  size: text('a dyno size').optional(),
  run: z.lazy(() => serviceSchema),
  /** Chance that a run is skipped (the scheduler is best effort); not published. */
  miss: probability().default(0),
});

const sizeOverride = z.strictObject({
  memory: memory().optional(),
  cpuShare: positive().optional(),
  dedicated: z.boolean().optional(),
  priceUsd: positive({ allowZero: true }).optional(),
  freeHoursWeight: positive({ allowZero: true }).optional(),
  boot: serviceSchema.optional(),
  r15Multiple: positive().refine((x) => x > 1, { error: 'expected a multiple above 1' }).optional(),
});

const hostsOverride = z.strictObject({
  zones: z.array(text('a zone name')).min(1, { error: 'expected at least one zone' }).optional(),
  hostsPerZone: whole(1).optional(),
  memory: memory().optional(),
  slots: whole(1).optional(),
  placement: oneOf(PLACEMENT_POLICIES).optional(),
  mtbf: z.union([z.literal('never'), duration({ positive: true })], { error: (iss) => `expected a duration such as 30d, or never, got ${show(iss.input)}` }).optional(),
  repair: duration({ positive: true }).optional(),
  detection: duration().optional(),
});

const dynoManagerOverride = z.strictObject({
  restartPolicy: oneOf(RESTART_POLICIES).optional(),
  stableAfter: duration().optional(),
  bootTimeout: duration({ positive: true }).optional(),
  shutdownGrace: duration().optional(),
  cycling: z.boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}` }).optional(),
  cycleEvery: duration({ positive: true }).optional(),
  cycleJitter: duration().optional(),
});

const noisyNeighbours = z.strictObject({
  slowdown: positive().refine((x) => x >= 1, { error: 'expected a slowdown of at least 1' }),
  busyShare: probability(),
  busyPeriod: duration({ positive: true }),
});

const platformOverride = z.strictObject({
  profile: oneOf(PROFILE_NAMES as [string, ...string[]]),
  router: z
    .strictObject({
      timeout: duration({ positive: true }).optional(),
      backlogPerDyno: whole(1).optional(),
      connectTimeout: duration({ positive: true }).optional(),
      quarantine: duration().optional(),
      maxAttempts: whole(1).optional(),
      hold: duration().optional(),
      routeUpdate: duration().optional(),
    })
    .optional(),
  billing: z
    .strictObject({
      pricePer: oneOf(['hour', 'month']).optional(),
      freeHours: positive({ allowZero: true }).optional(),
      month: duration({ positive: true }).optional(),
      crashed: z.boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}` }).optional(),
    })
    .optional(),
  hosts: hostsOverride.optional(),
  dynoManager: dynoManagerOverride.optional(),
  noisyNeighbours: noisyNeighbours.optional(),
  start: instant().optional(),
  sizes: z.record(z.string(), sizeOverride).optional(),
});

/** Days of the week, as schedules name them. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** One line of a schedule: from `at` (local time) on `days`, `count` dynos. */
const scheduleEntry = z.strictObject({
  at: text('a local time such as 08:00').refine((v) => /^\s*\d{1,2}:\d{2}\s*$/.test(v) && Number(v.split(':')[0]) < 24 && Number(v.split(':')[1]) < 60, {
    error: (iss) => `expected a local time such as 08:00, got ${show(iss.input)}`,
  }),
  days: z.array(oneOf(WEEKDAYS)).min(1, { error: 'expected at least one day' }).optional(),
  count: whole(0),
});

const bounds = { min: whole(0).optional(), max: whole(1).optional() };

/** How a process type's dyno count changes during the run. */
const scalingSchema = z.discriminatedUnion(
  'strategy',
  [
    z.strictObject({ strategy: z.literal('fixed') }),
    z.strictObject({ strategy: z.literal('schedule'), schedule: z.array(scheduleEntry).min(1, { error: 'expected at least one entry' }) }),
    z.strictObject({
      strategy: z.literal('heroku-autoscale'),
      /** The p95 response time to keep under (Heroku's CLI default: 1000ms). */
      target: duration({ positive: true }).prefault('1000ms'),
      ...bounds,
      /** Response times the p95 is taken over (Heroku: the past hour). */
      window: duration({ positive: true }).prefault('1h'),
      /** At least this long between two steps up (one dyno each). */
      upEvery: duration({ positive: true }).prefault('1m'),
      /** Scale down (one dyno) when the p95 is under target × downBelow ... */
      downBelow: probability().default(0.5),
      /** ... and no step up or down happened for this long (not published). */
      downEvery: duration({ positive: true }).prefault('5m'),
      /** Heroku autoscales Performance, Private and Shield dynos only (dedicated sizes); true lets any size. */
      anySize: z.boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}` }).default(false),
    }),
    z.strictObject({
      strategy: z.literal('queue-time'),
      /** Defaults of a known autoscaler: judoscale (10 s samples, 3 min between upscales, down after 10 min) or hirefire (60 s samples). */
      preset: oneOf(['judoscale', 'hirefire']).default('judoscale'),
      metric: oneOf(['mean', 'p95']).optional(),
      sampleEvery: duration({ positive: true }).optional(),
      /** Scale up when the queue time is above this ... */
      up: duration({ positive: true }),
      /** ... and down when under this. */
      down: duration(),
      /** Samples in a row above `up` before scaling up. */
      upBreaches: whole(1).optional(),
      /** How long the queue time must stay under `down` before scaling down. */
      downAfter: duration().optional(),
      /** Least time between two upscales, and after any change before a downscale. */
      upCooldown: duration().optional(),
      downCooldown: duration().optional(),
      step: whole(1).optional(),
      downStep: whole(1).optional(),
      ...bounds,
    }),
  ],
  {
    error: (iss) =>
      typeof iss.input === 'object' && iss.input !== null
        ? `expected strategy to be one of fixed, schedule, heroku-autoscale, queue-time, got ${show((iss.input as Record<string, unknown>)['strategy'])}`
        : `expected a scaling strategy such as { strategy: queue-time, up: 100ms, down: 10ms }, got ${show(iss.input)}`,
  },
);
export type ScalingSpec = z.output<typeof scalingSchema>;

/** The kinds of scripted event, each named by its one key besides `at` (and `for`). */
export const EVENT_KINDS = ['failHost', 'zoneDown', 'release', 'restart', 'crash', 'scale', 'traffic', 'run'] as const;
const LASTING = ['failHost', 'zoneDown', 'traffic'];

/** A time in the run: a duration from the start (2h), a local time of day (18:00, the first one from the start) or an instant. */
const WHEN_HINT = 'a time such as 2h (from the start), 18:00 (local time of day) or 2025-06-03T18:00:00Z';
export const when = () =>
  z.string({ error: (iss) => missingOr(iss.input, `expected ${WHEN_HINT}, got ${show(iss.input)}`) }).transform((v, ctx): When => {
    const clock = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(v);
    if (clock !== null && Number(clock[1]) < 24 && Number(clock[2]) < 60) return { kind: 'clock', hh: Number(clock[1]), mm: Number(clock[2]) };
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z?$/.test(v.trim())) {
      const t = v.trim();
      const ms = Date.parse(t.endsWith('Z') ? t : `${t}Z`);
      if (!Number.isNaN(ms)) return { kind: 'instant', epochMs: ms };
    }
    const us = parseDurationUs(v);
    if (us === undefined) {
      ctx.issues.push({ code: 'custom', message: `expected ${WHEN_HINT}, got ${show(v)}`, input: v });
      return z.NEVER;
    }
    return { kind: 'offset', us };
  });
export type When = { kind: 'offset'; us: number } | { kind: 'clock'; hh: number; mm: number } | { kind: 'instant'; epochMs: number };

const eventSchema = z
  .strictObject({
    at: when(),
    for: duration({ positive: true }).optional(),
    /** Repeats the event every day (traffic events). */
    daily: z.boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}` }).optional(),
    failHost: whole(1).optional(),
    zoneDown: text('a zone name').optional(),
    release: z.strictObject({ crashOnBoot: probability().default(0) }).optional(),
    restart: text('a process type or dyno such as web or worker.2').optional(),
    crash: text('a dyno such as web.1').optional(),
    scale: z.record(z.string(), whole(0)).optional(),
    /** The traffic rate multiplied by `multiply` (for a while, when `for` is given). */
    traffic: z.strictObject({ multiply: positive({ allowZero: true }) }).optional(),
    /** A one-off dyno (run.N) running a task, e.g. a migration: never restarted. */
    run: z
      .strictObject({
        command: text('a command'),
        size: text('a dyno size').optional(),
        for: z.lazy(() => z.union([duration({ positive: true }), serviceSchema], { error: (iss) => `expected a duration such as 20m or a distribution, got ${show(iss.input)}` })),
      })
      .optional(),
  })
  .superRefine((e, ctx) => {
    const kinds = EVENT_KINDS.filter((k) => e[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({ code: 'custom', path: [], message: `expected exactly one of ${EVENT_KINDS.join(', ')}${kinds.length > 1 ? `, got ${kinds.length}: ${kinds.join(', ')}` : ''}` });
    } else if (e.for !== undefined && !LASTING.includes(kinds[0]!)) {
      ctx.addIssue({ code: 'custom', path: ['for'], message: 'only failHost, zoneDown and traffic events last for a while' });
    } else if (e.daily !== undefined && kinds[0] !== 'traffic') {
      ctx.addIssue({ code: 'custom', path: ['daily'], message: 'only traffic events repeat daily' });
    }
  });
export type EventSpec = z.output<typeof eventSchema>;

export const scenarioSchema = z
  .strictObject({
    name: z
      .string({ error: (iss) => `expected a name, got ${show(iss.input)}` })
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'expected a name of letters, digits, dots, dashes and underscores (it names the results folder)' }),
    description: z.string({ error: (iss) => `expected text, got ${show(iss.input)}` }).default(''),
    platform: z.union([oneOf(PROFILE_NAMES as [string, ...string[]]), platformOverride]).default('heroku-2025'),
    seed: whole(0).default(1),
    duration: duration({ positive: true }),
    warmup: duration().prefault('0s'),
    /** The simulated calendar: the instant time zero stands for, and the zone its clock times are in. */
    calendar: z
      .strictObject({ start: instant().optional(), timezone: text('a time zone such as Europe/Paris').default('UTC') })
      .default({ timezone: 'UTC' }),
    formation: formationSchema,
    router: z.strictObject({ policy: oneOf(ROUTER_POLICIES).default('random') }).default({ policy: 'random' }),
    traffic: z
      .strictObject({
        rate: text('a rate such as 150/s or an expression of t')
          .refine((r) => !looksLikeRateLiteral(r) || parseRatePerS(r) !== undefined, {
            error: (iss) => `expected a rate such as 150/s, 9000/min or 2/h, got ${show(iss.input)}`,
          })
          .optional(),
        rateStep: duration({ positive: true }).prefault('1s'),
        service: serviceSchema.optional(),
        classes: z.array(requestClass).min(1, { error: 'expected at least one class' }).optional(),
        replay: z.union([text('a file name'), replaySchema]).optional(),
      })
      .superRefine((t, ctx) => {
        if (t.replay === undefined) {
          if (t.rate === undefined) ctx.addIssue({ code: 'custom', path: ['rate'], message: 'missing (this field is required, unless traffic is replayed from a file)' });
          if ((t.service === undefined) === (t.classes === undefined)) ctx.addIssue({ code: 'custom', path: ['service'], message: 'give exactly one of service or classes' });
          t.classes?.forEach((c, i) => {
            if (c.service === undefined) ctx.addIssue({ code: 'custom', path: ['classes', i, 'service'], message: 'missing (this field is required)' });
            if (c.weight === undefined && t.classes!.length > 1) ctx.addIssue({ code: 'custom', path: ['classes', i, 'weight'], message: 'missing (this field is required when there are several classes)' });
          });
        } else {
          if (t.rate !== undefined) ctx.addIssue({ code: 'custom', path: ['rate'], message: 'replayed traffic arrives when the file says: leave rate out' });
          if (t.service !== undefined) ctx.addIssue({ code: 'custom', path: ['service'], message: 'replayed requests take the service times in the file: leave service out' });
        }
      })
      .optional(),
    /** Job queues by name (workers take jobs from them). */
    queues: z.record(z.string(), queueSchema).default({}),
    /** Jobs that arrive on their own rather than from requests. */
    jobs: z.array(jobSourceSchema).default([]),
    scheduler: z.array(schedulerTask).default([]),
    events: z.array(eventSchema).default([]),
    /** Scaling strategies by process type (default: fixed at the formation's count). */
    scaling: z.record(z.string(), scalingSchema).default({}),
    /** Named variants of this scenario for `dynosim compare`: fields that replace the base's (null removes one). */
    variants: z.record(z.string(), z.record(z.string(), z.unknown(), { error: (iss) => `expected a mapping of fields to change, got ${show(iss.input)}` })).optional(),
    /** random: each dyno has been up for a random part of its daily cycle at time zero; zero: all just started (a fresh deploy). */
    dynoAges: oneOf(['random', 'zero']).default('random'),
    /** Heroku Labs' log-runtime-metrics: load and memory samples every 20 s per dyno (metrics.csv, logs). */
    runtimeMetrics: z.boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}` }).default(false),
  })
  .superRefine((s, ctx) => {
    if (s.warmup >= s.duration) {
      ctx.addIssue({ code: 'custom', path: ['warmup'], message: 'expected a warm-up shorter than the duration' });
    }
    s.events.forEach((e, i) => {
      if (e.at.kind === 'offset' && e.at.us >= s.duration) ctx.addIssue({ code: 'custom', path: ['events', i, 'at'], message: `expected a time before the end of the run (duration ${formatDuration(s.duration)})` });
    });
    if (s.traffic === undefined && (s.formation['web']?.count ?? 0) > 0) {
      ctx.addIssue({ code: 'custom', path: ['traffic'], message: 'missing (web dynos need traffic: give traffic, or scale web to count: 0)' });
    }
  });

/** A scenario as written, before units are parsed. */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A scenario after parsing: durations in microseconds, defaults filled in. */
export type ScenarioFile = z.output<typeof scenarioSchema>;
export type ServiceSpec = z.output<typeof serviceSchema>;

/** The JSON Schema of the scenario format, for editors. */
export function scenarioJsonSchema(): object {
  return z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' });
}
