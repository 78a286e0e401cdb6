/**
 * `traffic`: requests arriving at a rate (a constant or an expression of t) with one
 * service time or several request classes, or replayed from a router log or CSV file;
 * and the jobs a request enqueues.
 */
import * as z from 'zod';
import { duration, instant, memory, oneOf, positive, probability, show, text } from './fields.ts';
import { serviceSchema } from './service.ts';
import { looksLikeRateLiteral, parseRatePerS } from '../../engine/units/rate.ts';

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

export const trafficSchema = z
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
      if (t.rate === undefined) ctx.addIssue({ code: 'custom', path: ['rate'], message: 'missing (this field is required, unless traffic is replayed from a file)', params: { needs: ['traffic.replay'] } });
      if ((t.service === undefined) === (t.classes === undefined)) ctx.addIssue({ code: 'custom', path: ['service'], message: 'give exactly one of service or classes', params: { needs: ['traffic.classes', 'traffic.replay'] } });
      t.classes?.forEach((c, i) => {
        if (c.service === undefined) ctx.addIssue({ code: 'custom', path: ['classes', i, 'service'], message: 'missing (this field is required)', params: { needs: ['traffic.replay'] } });
        if (c.weight === undefined && t.classes!.length > 1) ctx.addIssue({ code: 'custom', path: ['classes', i, 'weight'], message: 'missing (this field is required when there are several classes)', params: { needs: ['traffic.replay'] } });
      });
    } else {
      if (t.rate !== undefined) ctx.addIssue({ code: 'custom', path: ['rate'], message: 'replayed traffic arrives when the file says: leave rate out', params: { needs: ['traffic.replay'] } });
      if (t.service !== undefined) ctx.addIssue({ code: 'custom', path: ['service'], message: 'replayed requests take the service times in the file: leave service out', params: { needs: ['traffic.replay'] } });
    }
  });
