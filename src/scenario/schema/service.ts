/**
 * Service-time distributions: how long a request, a job, a one-off task or a dyno's boot
 * takes. Every part of the scenario file that times something names one of these.
 */
import * as z from 'zod';
import { duration, oneOf, positive, show, text } from './fields.ts';
import { didYouMean } from '../../engine/suggest.ts';

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
      ? `expected distribution to be one of ${SERVICE_DISTRIBUTIONS.join(', ')}, got ${show((iss.input as Record<string, unknown>)['distribution'])}${didYouMean((iss.input as Record<string, unknown>)['distribution'], SERVICE_DISTRIBUTIONS)}`
      : `expected a service-time distribution such as { distribution: exponential, mean: 100ms }, got ${show(iss.input)}`,
});
export type ServiceSpec = z.output<typeof serviceSchema>;
