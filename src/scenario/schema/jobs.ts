/**
 * Work beside the web: `queues` and how they treat a job lost with its worker, `jobs`
 * that arrive on their own, and Heroku Scheduler tasks (`scheduler`).
 */
import * as z from 'zod';
import { oneOf, probability, show, text } from './fields.ts';
import { serviceSchema } from './service.ts';
import { parseRatePerS } from '../../engine/units/rate.ts';

/** Jobs arriving on their own (a clock process, webhooks), not from a request. */
export const jobSourceSchema = z.strictObject({
  queue: text('a queue name').default('default'),
  rate: text('a rate such as 2/s').refine((r) => parseRatePerS(r) !== undefined, { error: (iss) => `expected a rate such as 2/s or 90/min, got ${show(iss.input)}` }),
  run: z.lazy(() => serviceSchema),
});

export const queueSchema = z.strictObject({
  /** A job running on a worker that dies: delivered again (Sidekiq Pro's reliable fetch, Resque retries) or lost (plain Resque, basic Sidekiq on a crash). */
  lostJobs: oneOf(['redeliver', 'lose']).default('redeliver'),
});

/** A Heroku Scheduler task: a one-off dyno every 10 minutes, hour or day, best effort. */
export const schedulerTask = z.strictObject({
  command: text('a command'),
  every: oneOf(['10m', '1h', '1d']),
  /** Hourly: the minute past the hour (":30"); daily: the local time ("01:00"). Default :00 / 00:00. */
  at: text('a time such as 01:00 or :30').optional(),
  size: text('a dyno size').optional(),
  run: z.lazy(() => serviceSchema),
  /** Chance that a run is skipped (the scheduler is best effort); not published. */
  miss: probability().default(0),
});
