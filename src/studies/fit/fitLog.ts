/**
 * `dynosim fit` as a function: router log lines in, everything a fitted scenario says
 * out (classes with service-time fits and weights, the rate by hour of day, the web
 * dynos seen). Pure over its input: lines may come from a file or from an array, and the
 * same lines and options always give the same result.
 */
import { Streams } from '../../engine/streams.ts';
import { buildClasses, type FittedClass } from './classes.ts';
import { FitError } from './FitError.ts';
import { rateProfile, type RateProfile } from './rateProfile.ts';
import { readLog, type SkippedLine } from './readLog.ts';
import { Calendar } from '../../model/traffic/calendar.ts';

export interface FitOptions {
  /** Classes at most, `other` included (default 8). */
  readonly maxClasses?: number;
  /** IANA zone whose local hours the rate profile follows (default UTC). */
  readonly timeZone?: string;
  /** Service times kept per route (default 50 000). */
  readonly sampleCap?: number;
  /** Seed of the sampling stream (default 1). */
  readonly seed?: number;
  /** Malformed lines remembered with their reason (default 5). */
  readonly keepSkipped?: number;
}

export const DEFAULT_SAMPLE_CAP = 50_000;
export const DEFAULT_MAX_CLASSES = 8;

export interface LogFit {
  readonly lines: number;
  readonly routerLines: number;
  readonly otherLines: number;
  readonly blankLines: number;
  readonly malformed: number;
  readonly skipped: readonly SkippedLine[];
  readonly requests: number;
  readonly answered: number;
  /** First and last arrival at the router, epoch µs. */
  readonly firstArrivalUs: number;
  readonly lastArrivalUs: number;
  /** `web.N` names seen, in order of N. */
  readonly webDynos: readonly string[];
  readonly classes: readonly FittedClass[];
  readonly rate: RateProfile;
  readonly timeZone: string;
  readonly sampleCap: number;
  /** Requests of routes first seen after MAX_ROUTES others (pooled into `other`). */
  readonly overflowRequests: number;
}

/**
 * Fits a router log.
 * @throws FitError when no line is a readable router line, or no request was answered
 * by a dyno (nothing to fit a service time to).
 */
export async function fitLog(lines: AsyncIterable<string> | Iterable<string>, options: FitOptions = {}): Promise<LogFit> {
  const sampleCap = options.sampleCap ?? DEFAULT_SAMPLE_CAP;
  const timeZone = options.timeZone ?? 'UTC';
  const streams = new Streams(options.seed ?? 1);
  const d = await readLog(lines, { sampleCap, u: streams.stream('fit-sample'), keepSkipped: options.keepSkipped ?? 5 });
  if (d.requests === 0) {
    const first = d.skipped[0];
    const why =
      d.lines === d.blankLines
        ? 'is empty'
        : first !== undefined
          ? `has no readable router line (line ${first.line}: ${first.reason})`
          : `has no router line, only ${d.otherLines} lines of other processes`;
    throw new FitError(`${why}: nothing to fit`);
  }
  if (d.answered === 0) throw new FitError(`none of its ${d.requests} requests was answered by a dyno (all router errors or 5xx): no service time to fit`);
  const classes = buildClasses(d.routes.values(), d.overflow, d.requests, options.maxClasses ?? DEFAULT_MAX_CLASSES, sampleCap, streams.stream('fit-merge'));
  const rate = rateProfile(d.quarterCounts, d.firstArrivalUs, d.lastArrivalUs, utcOffsetMinutes(timeZone, Math.floor(d.firstArrivalUs / 1000)));
  const webDynos = [...d.webDynos].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
  return {
    lines: d.lines,
    routerLines: d.routerLines,
    otherLines: d.otherLines,
    blankLines: d.blankLines,
    malformed: d.malformed,
    skipped: d.skipped,
    requests: d.requests,
    answered: d.answered,
    firstArrivalUs: d.firstArrivalUs,
    lastArrivalUs: d.lastArrivalUs,
    webDynos,
    classes,
    rate,
    timeZone,
    sampleCap,
    overflowRequests: d.overflow.requests,
  };
}

/** The zone's offset from UTC in minutes (Paris in summer: +120) at an instant, from a calendar's local clock starting near `fromMs`. */
export function utcOffsetMinutes(timeZone: string, fromMs = 0): (epochMs: number) => number {
  const calendar = new Calendar(fromMs, timeZone);
  return (epochMs) => {
    const localMin = calendar.hourOfDay(calendar.secondsAt(epochMs)) * 60;
    const utcMin = (((epochMs / 60_000) % 1440) + 1440) % 1440;
    return Math.round(((localMin - utcMin + 720 + 1440 * 2) % 1440) - 720);
  };
}
