/**
 * `formation`: the app's process types (web first), each with its dyno count and size,
 * its concurrency, memory and crash rate, and for workers the queue they work.
 */
import * as z from 'zod';
import { memory, memoryRate, positive, probability, rate, show, text, whole } from './fields.ts';

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
  /** Required unless the type never runs a dyno (count 0, raised by no event or scaling). */
  size: text('a dyno size').optional(),
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
  /** Web only, Standard and Performance sizes: releases, restarts and daily cycles start the new dynos before the old ones stop (heroku features:enable preboot). */
  preboot: z.boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}` }).optional(),
});

/** Heroku's process type names. */
const PROCESS_TYPE = /^[A-Za-z0-9_-]+$/;
const RESERVED_TYPES = ['run', 'scheduler'];

export const formationSchema = z.record(z.string(), processSchema).superRefine((f, ctx) => {
  if (f['web'] === undefined) ctx.addIssue({ code: 'custom', path: ['web'], message: 'missing (this field is required; a formation with no web dynos says count: 0)' });
  for (const [name, p] of Object.entries(f)) {
    if (!PROCESS_TYPE.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'expected a process type name of letters, digits, dashes and underscores' });
    else if (RESERVED_TYPES.includes(name)) ctx.addIssue({ code: 'custom', path: [name], message: `${name} names one-off dynos (run.N, scheduler.N); give this process type another name` });
    if (name !== 'web' && p.preboot !== undefined) ctx.addIssue({ code: 'custom', path: [name, 'preboot'], message: 'preboot changes how web dynos start: it is for web only' });
    if (name === 'web' && p.queue !== undefined) ctx.addIssue({ code: 'custom', path: [name, 'queue'], message: 'web dynos take HTTP requests, not jobs: queue is for the other process types' });
  }
});
