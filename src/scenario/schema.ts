/**
 * The scenario file format: the single source of its TypeScript types, its validation
 * and the JSON Schema that `dynosim schema` exports for editors. A scenario is data;
 * `resolve.ts` turns a parsed one into the frozen value a run is built from.
 */
import * as z from 'zod';
import { duration, memory, oneOf, positive, show, text, whole } from './fields.ts';
import { PROFILE_NAMES } from '../platform/profiles.ts';
import { looksLikeRateLiteral, parseRatePerS } from '../units/rate.ts';

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

const processSchema = z.strictObject({
  count: whole(0),
  size: text('a dyno size'),
  concurrency: whole(1).default(1),
});

const sizeOverride = z.strictObject({
  memory: memory().optional(),
  cpuShare: positive().optional(),
  dedicated: z.boolean().optional(),
  priceUsd: positive({ allowZero: true }).optional(),
  freeHoursWeight: positive({ allowZero: true }).optional(),
});

const platformOverride = z.strictObject({
  profile: oneOf(PROFILE_NAMES as [string, ...string[]]),
  router: z
    .strictObject({
      timeout: duration({ positive: true }).optional(),
      backlogPerDyno: whole(1).optional(),
    })
    .optional(),
  billing: z
    .strictObject({
      pricePer: oneOf(['hour', 'month']).optional(),
      freeHours: positive({ allowZero: true }).optional(),
      month: duration({ positive: true }).optional(),
    })
    .optional(),
  sizes: z.record(z.string(), sizeOverride).optional(),
});

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
  })
  .superRefine((s, ctx) => {
    if (s.warmup >= s.duration) {
      ctx.addIssue({ code: 'custom', path: ['warmup'], message: 'expected a warm-up shorter than the duration' });
    }
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
