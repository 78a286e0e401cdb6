/**
 * `events`: what happens at a time in the run (a host fails, a zone goes down, a release,
 * a restart, a crash, a scale, a change of traffic, a one-off dyno), and the times they name.
 */
import * as z from 'zod';
import { duration, missingOr, positive, probability, show, text, whole } from './fields.ts';
import { serviceSchema } from './service.ts';
import { parseDurationUs } from '../../engine/units/duration.ts';
import { parseResize, parseScale } from './cliFormation.ts';

/** The kinds of scripted event, each named by its one key besides `at` (and `for`). */
export const EVENT_KINDS = ['failHost', 'zoneDown', 'release', 'restart', 'crash', 'scale', 'resize', 'traffic', 'run'] as const;
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

export const eventSchema = z
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
    /** `{ web: 10 }`, or as `heroku ps:scale` takes it: 'web=10:performance-m worker=2'. */
    scale: z.union([z.record(z.string(), whole(0)).transform(countsOnly), cliString(parseScale, byType)], { error: (iss) => formOf(iss.input, 'a mapping such as { web: 10 }, or a string such as web=10:performance-m') }).optional(),
    /** `{ web: performance-m }`, or as `heroku ps:resize` takes it: 'web=performance-m'. */
    resize: z.union([z.record(z.string(), text('a dyno size')), cliString(parseResize, (es) => Object.fromEntries(es.map((e) => [e.type, e.size])))], { error: (iss) => formOf(iss.input, 'a mapping such as { web: performance-m }, or a string such as web=performance-m') }).optional(),
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

/** A scale event's counts by type, with the size an entry names. */
export type ScaleCounts = Record<string, { count: number; size?: string }>;

function countsOnly(r: Record<string, number>): ScaleCounts {
  return Object.fromEntries(Object.entries(r).map(([type, count]) => [type, { count }]));
}

function byType(es: readonly { type: string; count: number; size?: string }[]): ScaleCounts {
  return Object.fromEntries(es.map(({ type, ...rest }) => [type, rest]));
}

/** A Heroku CLI string (ps:scale, ps:resize) parsed into the event's mapping; what does not parse is one issue. */
function cliString<E, T>(parse: (spec: string) => E[] | string, shape: (entries: E[]) => T) {
  return z.string().transform((v, ctx): T => {
    const entries = parse(v);
    if (typeof entries === 'string') {
      ctx.issues.push({ code: 'custom', message: entries, input: v });
      return z.NEVER;
    }
    return shape(entries);
  });
}

function formOf(input: unknown, expected: string): string {
  return missingOr(input, `expected ${expected}, got ${show(input)}`);
}
