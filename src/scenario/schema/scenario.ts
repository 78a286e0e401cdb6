/**
 * The scenario file as a whole: its top-level fields, built from the parts beside this
 * file, the checks that span several of them, and the messages for the cases no field
 * spells out.
 */
import * as z from 'zod';
import { duration, durationOrAuto, instant, oneOf, show, text, whole } from './fields.ts';
import { formationSchema } from './formation.ts';
import { trafficSchema } from './traffic.ts';
import { jobSourceSchema, queueSchema, schedulerTask } from './jobs.ts';
import { eventSchema } from './events.ts';
import { scalingSchema } from './scaling.ts';
import { platformOverride } from './platform.ts';
import { ROUTER_POLICIES } from '../../model/router/policies.ts';
import { DEFAULT_PROFILE, PROFILE_NAMES } from '../../model/platform/profiles.ts';
import { formatDuration } from '../../engine/units/duration.ts';
import { describeFields } from './describe.ts';

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

export const scenarioSchema = z
  .strictObject({
    name: z
      .string({ error: (iss) => `expected a name, got ${show(iss.input)}` })
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'expected a name of letters, digits, dots, dashes and underscores (it names the results folder)' }),
    description: z.string({ error: (iss) => `expected text, got ${show(iss.input)}` }).default(''),
    platform: z.union([oneOf(PROFILE_NAMES as [string, ...string[]]), platformOverride]).default(DEFAULT_PROFILE),
    seed: whole(0).default(1),
    duration: duration({ positive: true }),
    /** A duration, or auto: found after the run by MSER-5 (model/run/warmup.ts). */
    warmup: durationOrAuto().prefault('0s'),
    /** The simulated calendar: the instant time zero stands for, and the zone its clock times are in. */
    calendar: z
      .strictObject({ start: instant().optional(), timezone: text('a time zone such as Europe/Paris').default('UTC') })
      .default({ timezone: 'UTC' }),
    formation: formationSchema,
    router: z
      .strictObject({
        policy: oneOf(ROUTER_POLICIES).default('random'),
        /** power-of-d: how many dynos each request's router draws. */
        choices: whole(2).optional(),
        /** The routers see the dynos' loads only as refreshed this often (load-aware policies). */
        loadRefresh: duration({ positive: true }).optional(),
      })
      .default({ policy: 'random' }),
    traffic: trafficSchema.optional(),
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
    if (s.warmup !== 'auto' && s.warmup >= s.duration) {
      ctx.addIssue({ code: 'custom', path: ['warmup'], message: 'expected a warm-up shorter than the duration', params: { needs: ['duration'] } });
    }
    s.events.forEach((e, i) => {
      if (e.at.kind === 'offset' && e.at.us >= s.duration) ctx.addIssue({ code: 'custom', path: ['events', i, 'at'], message: `expected a time before the end of the run (duration ${formatDuration(s.duration)})`, params: { needs: ['duration'] } });
    });
    if (s.traffic === undefined && (s.formation['web']?.count ?? 0) > 0) {
      ctx.addIssue({ code: 'custom', path: ['traffic'], message: 'missing (web dynos need traffic: give traffic, or scale web to count: 0)', params: { needs: ['formation.web.count'] } });
    }
  });

/** A scenario as written, before units are parsed. */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A scenario after parsing: durations in microseconds, defaults filled in. */
export type ScenarioFile = z.output<typeof scenarioSchema>;

/** The JSON Schema of the scenario format, for editors: every field with its description (docs/scenario.md's). */
export function scenarioJsonSchema(): object {
  return describeFields(z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }), 'A dynosim scenario: a Heroku app (its formation, traffic, queues, scheduled and scripted events, scaling) on a platform profile, simulated for a duration. Fields: docs/scenario.md.');
}
