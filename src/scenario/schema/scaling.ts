/**
 * `scaling.<type>`: how a process type's dyno count changes during the run: fixed, on a
 * weekly schedule, by Heroku's autoscaler, or by a queue-time autoscaler.
 */
import * as z from 'zod';
import { duration, oneOf, probability, show, text, whole } from './fields.ts';
import { didYouMean } from '../../engine/suggest.ts';

/** The strategies, as the branches below name them. */
const STRATEGIES = ['fixed', 'schedule', 'heroku-autoscale', 'queue-time'];

/** Days of the week, as schedules name them. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** One line of a schedule: from `at` (local time) on `days`, `count` dynos. */
const scheduleEntry = z.strictObject({
  at: text('a local time such as 08:00').refine((v) => /^\s*\d{1,2}:\d{2}\s*$/.test(v) && Number(v.split(':')[0]) < 24 && Number(v.split(':')[1]) < 60, {
    error: (iss) => `expected a local time such as 08:00, got ${show(iss.input)}`,
  }),
  days: z.array(oneOf(WEEKDAYS)).min(1, { error: 'expected at least one day' }).optional(),
  count: whole(0),
  /** From then on the type runs at this size (`heroku ps:resize`): every dyno is replaced by one of it. */
  size: text('a dyno size').optional(),
});

const bounds = { min: whole(0).optional(), max: whole(1).optional() };

/** How a process type's dyno count changes during the run. */
export const scalingSchema = z.discriminatedUnion(
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
        ? `expected strategy to be one of ${STRATEGIES.join(', ')}, got ${show((iss.input as Record<string, unknown>)['strategy'])}${didYouMean((iss.input as Record<string, unknown>)['strategy'], STRATEGIES)}`
        : `expected a scaling strategy such as { strategy: queue-time, up: 100ms, down: 10ms }, got ${show(iss.input)}`,
  },
);
export type ScalingSpec = z.output<typeof scalingSchema>;
