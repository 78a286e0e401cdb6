/**
 * Field schemas shared by the scenario schema: values with units, whole numbers and
 * names, each with the message a user reads when the value is wrong. Unit-bearing
 * fields are strings in the file (and in the exported JSON Schema) and numbers in
 * the engine's units after parsing.
 */
import * as z from 'zod';
import { parseDurationUs } from '../../engine/units/duration.ts';
import { parseMemoryMb, parseMemoryRateMbPerH } from '../../engine/units/memory.ts';
import { parseRatePerS } from '../../engine/units/rate.ts';
import { didYouMean } from '../../engine/suggest.ts';

/** The message for a wrong value, or the usual one when the value is not there at all. */
export function missingOr(input: unknown, message: string): string {
  return input === undefined ? 'missing (this field is required)' : message;
}

/** How a wrong value is quoted back in a message. */
export function show(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (typeof input === 'string') return JSON.stringify(input);
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'an object';
  return String(input);
}

const DURATION_PATTERN = '^\\s*((\\d+(\\.\\d+)?|\\.\\d+)\\s*(us|ms|min|s|m|h|d|w)\\s*)+$';
const DURATION_HINT = 'a duration with a unit (250ms, 30s, 10m, 2h, 30d)';

/** A duration such as "250ms"; parsed to microseconds. */
export function duration(opts: { positive?: boolean } = {}) {
  return z
    .string({ error: (iss) => missingOr(iss.input, `expected ${DURATION_HINT}, got ${show(iss.input)}`) })
    .regex(new RegExp(DURATION_PATTERN), { error: (iss) => missingOr(iss.input, `expected ${DURATION_HINT}, got ${show(iss.input)}`) })
    .transform((text, ctx) => {
      const us = parseDurationUs(text)!;
      if (opts.positive === true && !(us > 0)) {
        ctx.issues.push({ code: 'custom', message: `expected a duration above zero, got ${show(text)}`, input: text });
        return z.NEVER;
      }
      return us;
    });
}

/** A duration, or `auto` (what `warmup` takes): microseconds, or 'auto'. */
export function durationOrAuto() {
  const hint = `${DURATION_HINT} or auto`;
  return z
    .string({ error: (iss) => missingOr(iss.input, `expected ${hint}, got ${show(iss.input)}`) })
    .regex(new RegExp(`^\\s*auto\\s*$|${DURATION_PATTERN}`), { error: (iss) => missingOr(iss.input, `expected ${hint}, got ${show(iss.input)}`) })
    .transform((text): number | 'auto' => (text.trim() === 'auto' ? 'auto' : parseDurationUs(text)!));
}

/** A memory size such as "512MB"; parsed to megabytes. */
export function memory() {
  const hint = 'a memory size with a unit (512MB, 2.5GB)';
  return z
    .string({ error: (iss) => missingOr(iss.input, `expected ${hint}, got ${show(iss.input)}`) })
    .regex(/^\s*(\d+(\.\d+)?|\.\d+)\s*[KMGTkmgt]i?B\s*$/, { error: (iss) => missingOr(iss.input, `expected ${hint}, got ${show(iss.input)}`) })
    .transform((text) => parseMemoryMb(text)!);
}

/** A whole number at least `min`. */
export function whole(min: number) {
  return z
    .int({ error: (iss) => missingOr(iss.input, `expected a whole number, got ${show(iss.input)}`) })
    .min(min, { error: (iss) => missingOr(iss.input, `expected a whole number of at least ${min}, got ${show(iss.input)}`) });
}

/** A finite number above zero (or at least zero). */
export function positive(opts: { allowZero?: boolean } = {}) {
  const base = z.number({ error: (iss) => missingOr(iss.input, `expected a number, got ${show(iss.input)}`) });
  return opts.allowZero === true
    ? base.min(0, { error: (iss) => missingOr(iss.input, `expected a number of at least 0, got ${show(iss.input)}`) })
    : base.gt(0, { error: (iss) => missingOr(iss.input, `expected a number above 0, got ${show(iss.input)}`) });
}

/** One of a fixed set of words. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (iss) => missingOr(iss.input, `expected one of ${values.join(', ')}, got ${show(iss.input)}${didYouMean(iss.input, values)}`),
  });
}

/** A non-empty string. */
export function text(what = 'text') {
  return z
    .string({ error: (iss) => missingOr(iss.input, `expected ${what}, got ${show(iss.input)}`) })
    .min(1, { error: `expected ${what}, got an empty string` });
}

/** A memory growth rate such as "40MB/h"; parsed to MB per hour. */
export function memoryRate() {
  const hint = 'a memory rate with units (40MB/h, 1GB/d)';
  return z
    .string({ error: (iss) => missingOr(iss.input, `expected ${hint}, got ${show(iss.input)}`) })
    .refine((t) => parseMemoryRateMbPerH(t) !== undefined, { error: (iss) => missingOr(iss.input, `expected ${hint}, got ${show(iss.input)}`) })
    .transform((t) => parseMemoryRateMbPerH(t)!);
}

/** An event rate such as "2/day"; parsed to events per second. */
export function rate(what = 'a rate') {
  const hint = `${what} such as 2/day, 1/h or 150/s`;
  return z
    .string({ error: (iss) => missingOr(iss.input, `expected ${hint}, got ${show(iss.input)}`) })
    .refine((t) => parseRatePerS(t) !== undefined, { error: (iss) => missingOr(iss.input, `expected ${hint}, got ${show(iss.input)}`) })
    .transform((t) => parseRatePerS(t)!);
}

/** A number from 0 to 1. */
export function probability() {
  return z
    .number({ error: (iss) => missingOr(iss.input, `expected a probability from 0 to 1, got ${show(iss.input)}`) })
    .min(0, { error: (iss) => missingOr(iss.input, `expected a probability from 0 to 1, got ${show(iss.input)}`) })
    .max(1, { error: (iss) => missingOr(iss.input, `expected a probability from 0 to 1, got ${show(iss.input)}`) });
}

/** A UTC date and time such as "2013-03-01T00:00:00Z"; parsed to ms since the epoch. */
export function instant() {
  const hint = 'a UTC date and time such as 2013-03-01T00:00:00Z';
  const pattern = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z?)?$/;
  return z
    .string({ error: (iss) => missingOr(iss.input, `expected ${hint}, got ${show(iss.input)}`) })
    .refine((t) => pattern.test(t) && Number.isFinite(Date.parse(t.endsWith('Z') || !t.includes('T') ? t : `${t}Z`)), {
      error: (iss) => missingOr(iss.input, `expected ${hint}, got ${show(iss.input)}`),
    })
    .transform((t) => Date.parse(t.endsWith('Z') || !t.includes('T') ? t : `${t}Z`));
}
