/**
 * The named helpers of rate expressions: a daily cycle, a weekly pattern, an hourly
 * profile, a ramp, a step and a flash crowd. Each is a plain function of numbers here
 * (rates in requests per second, times in seconds from the start of the run, clock
 * readings from the run's calendar); the expression compiler converts mathjs units into
 * those before calling them, checks arguments once when they are constants, and binds each
 * call to a closure evaluated once per rate step.
 */

/** Where an evaluation is: run time and the local calendar. Filled in before each evaluation. */
export interface Moment {
  /** Seconds since the start of the run. */
  tS: number;
  /** Local hour of day, a float in [0, 24). */
  hour: number;
  /** Local day of week, 0 Monday … 6 Sunday. */
  day: number;
}

/**
 * How a helper's argument is read: `rate` a number (per second) or a unit such as 100/min;
 * `time` a number of seconds or a duration such as 30 min; `factor` a plain number;
 * `clockHour` an hour of the day, a number (14) or a duration from midnight (14 h).
 */
export type ParamKind = 'rate' | 'time' | 'factor' | 'clockHour';

export interface Param {
  readonly name: string;
  readonly kind: ParamKind;
  /** Value when the argument is left out; only trailing parameters have one. */
  readonly default?: number;
}

/** A helper as the compiler sees it. */
export interface Helper {
  readonly name: string;
  readonly params: readonly Param[];
  /** Which clock it reads, so an evaluation computes only what is used. */
  readonly reads: 'run' | 'hour' | 'day';
  /** How to call it, for messages: `diurnal(low, high, peakHour = 14)`. */
  readonly usage: string;
  /** A one-line complaint about converted arguments, or undefined when they are fine. */
  check(args: readonly number[]): string | undefined;
  /** The helper with its arguments fixed: a function of the moment. */
  bind(args: readonly number[]): (m: Moment) => number;
}

/**
 * A smooth daily cycle between `low` and `high`, peaking at local hour `peakHour` and at
 * its lowest twelve hours away: `low + (high − low)·(1 + cos(2π(hour − peakHour)/24))/2`.
 */
export function diurnal(hour: number, low: number, high: number, peakHour: number): number {
  return low + ((high - low) * (1 + Math.cos((2 * Math.PI * (hour - peakHour)) / 24))) / 2;
}

/** A weekly multiplier (or rate): `weekday` Monday to Friday, `weekend` Saturday and Sunday, local days. */
export function weekly(day: number, weekdayValue: number, weekendValue: number): number {
  return day >= 5 ? weekendValue : weekdayValue;
}

/**
 * A rate by local hour of day from 24 values: `rates[h]` at h:30, linear between
 * neighbouring half hours, wrapping around midnight (23:30 to 00:30 joins rates[23] and
 * rates[0]). The mean over a day is the mean of the 24 values; the mean over hour h is
 * (rates[h−1] + 6·rates[h] + rates[h+1]) / 8.
 */
export function hourly(hour: number, rates: ArrayLike<number>): number {
  const p = hour - 0.5;
  const i = Math.floor(p);
  const f = p - i;
  const lo = rates[(i + 24) % 24]!;
  const hi = rates[(i + 25) % 24]!;
  return lo + (hi - lo) * f;
}

/** `from` until `startS`, `to` from `endS` on, linear in between (times from the start of the run, seconds). */
export function ramp(tS: number, from: number, to: number, startS: number, endS: number): number {
  if (tS <= startS) return from;
  if (tS >= endS) return to;
  return from + ((to - from) * (tS - startS)) / (endS - startS);
}

/**
 * A flash crowd, as a multiplier: 1 before `atS`; at `atS` it jumps to `peak` and decays
 * back to 1 exponentially with time constant `decayS`: `1 + (peak − 1)·exp(−(t − at)/decay)`.
 */
export function flash(tS: number, atS: number, peak: number, decayS: number): number {
  return tS < atS ? 1 : 1 + (peak - 1) * Math.exp(-(tS - atS) / decayS);
}

/** `before` until `atS`, `after` from `atS` on (seconds from the start of the run). */
export function step(tS: number, atS: number, before: number, after: number): number {
  return tS < atS ? before : after;
}

const noComplaint = (): undefined => undefined;

const HOUR_NAMES = Array.from({ length: 24 }, (_, h) => `r${h}`);

/** The helpers by name. */
export const HELPERS: ReadonlyMap<string, Helper> = new Map<string, Helper>([
  ['diurnal', {
    name: 'diurnal',
    params: [{ name: 'low', kind: 'rate' }, { name: 'high', kind: 'rate' }, { name: 'peakHour', kind: 'clockHour', default: 14 }],
    reads: 'hour',
    usage: 'diurnal(low, high, peakHour = 14)',
    check: noComplaint,
    bind: ([low, high, peakHour]) => (m) => diurnal(m.hour, low!, high!, peakHour!),
  }],
  ['weekly', {
    name: 'weekly',
    params: [{ name: 'weekday', kind: 'rate' }, { name: 'weekend', kind: 'rate' }],
    reads: 'day',
    usage: 'weekly(weekday, weekend)',
    check: noComplaint,
    bind: ([weekdayValue, weekendValue]) => (m) => weekly(m.day, weekdayValue!, weekendValue!),
  }],
  ['hourly', {
    name: 'hourly',
    params: HOUR_NAMES.map((name) => ({ name, kind: 'rate' as const })),
    reads: 'hour',
    usage: 'hourly(r0, r1, …, r23) with one rate per local hour',
    check: noComplaint,
    bind: (args) => {
      const rates = Float64Array.from(args);
      return (m) => hourly(m.hour, rates);
    },
  }],
  ['ramp', {
    name: 'ramp',
    params: [{ name: 'from', kind: 'rate' }, { name: 'to', kind: 'rate' }, { name: 'start', kind: 'time' }, { name: 'end', kind: 'time' }],
    reads: 'run',
    usage: 'ramp(from, to, start, end)',
    check: ([, , startS, endS]) => (endS! < startS! ? `its end (${endS} s) comes before its start (${startS} s)` : undefined),
    bind: ([from, to, startS, endS]) => (m) => ramp(m.tS, from!, to!, startS!, endS!),
  }],
  ['flash', {
    name: 'flash',
    params: [{ name: 'at', kind: 'time' }, { name: 'peak', kind: 'factor' }, { name: 'decay', kind: 'time' }],
    reads: 'run',
    usage: 'flash(at, peak, decay)',
    check: ([, , decayS]) => (decayS! > 0 ? undefined : `its decay must be longer than 0 s, got ${decayS} s`),
    bind: ([atS, peak, decayS]) => (m) => flash(m.tS, atS!, peak!, decayS!),
  }],
  ['step', {
    name: 'step',
    params: [{ name: 'at', kind: 'time' }, { name: 'before', kind: 'rate' }, { name: 'after', kind: 'rate' }],
    reads: 'run',
    usage: 'step(at, before, after)',
    check: noComplaint,
    bind: ([atS, before, after]) => (m) => step(m.tS, atS!, before!, after!),
  }],
]);
