/**
 * The scenario file format: the single source of its TypeScript types, its validation
 * and the JSON Schema that `dynosim schema` exports for editors. A scenario is data;
 * `resolve.ts` turns a parsed one into the frozen value a run is built from.
 */
import * as z from 'zod';
import { duration, instant, memory, memoryRate, oneOf, positive, probability, rate, show, text, whole } from './fields.ts';
import { PLACEMENT_POLICIES } from '../dynos/placement/policies.ts';
import { RESTART_POLICIES } from '../dynos/restart/policies.ts';
import { PROFILE_NAMES } from '../platform/profiles.ts';
import { looksLikeRateLiteral, parseRatePerS } from '../units/rate.ts';
import { formatDuration } from '../units/duration.ts';

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

export const ROUTER_POLICIES = ['random', 'round-robin', 'least-connections', 'power-of-two', 'shared-queue'] as const;

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
  concurrency: whole(1).default(1),
  command: text('a command').default('bundle exec puma -C config/puma.rb'),
  memory: memoryModel.optional(),
  /** Crashes per dyno while up (exponential), e.g. 1/day. */
  crashRate: rate('a crash rate').optional(),
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

/** The kinds of scripted event, each named by its one key besides `at` (and `for`). */
export const EVENT_KINDS = ['failHost', 'zoneDown', 'release', 'restart', 'crash', 'scale'] as const;

const eventSchema = z
  .strictObject({
    at: duration(),
    for: duration({ positive: true }).optional(),
    failHost: whole(1).optional(),
    zoneDown: text('a zone name').optional(),
    release: z.strictObject({ crashOnBoot: probability().default(0) }).optional(),
    restart: text('web or web.N').optional(),
    crash: text('web.N').optional(),
    scale: z.strictObject({ web: whole(0) }).optional(),
  })
  .superRefine((e, ctx) => {
    const kinds = EVENT_KINDS.filter((k) => e[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({ code: 'custom', path: [], message: `expected exactly one of ${EVENT_KINDS.join(', ')}${kinds.length > 1 ? `, got ${kinds.length}: ${kinds.join(', ')}` : ''}` });
    } else if (e.for !== undefined && kinds[0] !== 'failHost' && kinds[0] !== 'zoneDown') {
      ctx.addIssue({ code: 'custom', path: ['for'], message: 'only failHost and zoneDown events last for a while' });
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
    formation: z.strictObject({ web: processSchema }),
    router: z.strictObject({ policy: oneOf(ROUTER_POLICIES).default('random') }).default({ policy: 'random' }),
    traffic: z.strictObject({
      rate: text('a rate such as 150/s or an expression of t').refine((r) => !looksLikeRateLiteral(r) || parseRatePerS(r) !== undefined, {
        error: (iss) => `expected a rate such as 150/s, 9000/min or 2/h, got ${show(iss.input)}`,
      }),
      rateStep: duration({ positive: true }).prefault('1s'),
      service: serviceSchema,
    }),
    events: z.array(eventSchema).default([]),
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
      if (e.at >= s.duration) ctx.addIssue({ code: 'custom', path: ['events', i, 'at'], message: `expected a time before the end of the run (duration ${formatDuration(s.duration)})` });
    });
  });

/** A scenario as written, before units are parsed. */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A scenario after parsing: durations in microseconds, defaults filled in. */
export type ScenarioFile = z.output<typeof scenarioSchema>;
export type ServiceSpec = z.output<typeof serviceSchema>;
export type RouterPolicyName = (typeof ROUTER_POLICIES)[number];

/** The JSON Schema of the scenario format, for editors. */
export function scenarioJsonSchema(): object {
  return z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' });
}
