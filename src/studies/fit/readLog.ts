/**
 * One pass over a router log, keeping what a fit needs and no more: exact request counts
 * per route, a bounded uniform sample of service times per route, arrivals per quarter
 * hour, the web dynos seen, and the lines that could not be read. Memory is bounded by
 * MAX_ROUTES × the sample size, whatever the length of the log.
 *
 * A request counts as answered, and its service time is sampled, when the router logged
 * no error code, the status is below 500 and a dyno's service time is given. The router
 * writes whole milliseconds with the fraction dropped, so `service=Nms` stands for a time
 * in [N, N+1) ms and is read as N + 0.5 ms, its middle (`service=0ms` is 0.5 ms, which
 * also keeps logarithms finite).
 *
 * A log file is read as replay reads it (logFileLines): in chunks, in bounded memory, and
 * refused at its first line longer than MAX_LINE_BYTES (64 KiB).
 */
import { closeSync, openSync } from 'node:fs';
import { FileLimitError } from '../../engine/files.ts';
import { InputError } from '../../engine/InputError.ts';
import { parseLogLine } from '../../model/logs/parse.ts';
import { LineReader } from '../../model/traffic/replay/lines.ts';
import { LogParseError, recordFromLogLine, routeKey, type ReplayRecord } from '../../model/traffic/replay/record.ts';
import type { Uniform } from '../../engine/streams.ts';
import { Reservoir } from './Reservoir.ts';
import { QUARTER_US } from './rateProfile.ts';

/** Routes with a sample of their own; routes first seen after this many are pooled at once. */
export const MAX_ROUTES = 1000;

/** One route's counts and sample. */
export interface RouteTally {
  readonly name: string;
  requests: number;
  /** Service times in ms of its answered requests (reservoir.seen is how many were answered). */
  readonly sample: Reservoir;
}

export interface SkippedLine {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly reason: string;
}

/** What one pass over a log leaves. */
export interface LogDigest {
  /** Lines read, blank ones included. */
  lines: number;
  routerLines: number;
  /** Readable log lines from other processes (app output, dyno manager, runtime metrics): skipped. */
  otherLines: number;
  blankLines: number;
  malformed: number;
  /** The first malformed lines, with why. */
  readonly skipped: SkippedLine[];
  requests: number;
  answered: number;
  firstArrivalUs: number;
  lastArrivalUs: number;
  /** Routes with their own sample, in order of first appearance. */
  readonly routes: Map<string, RouteTally>;
  /** Requests of routes first seen after MAX_ROUTES others: always pooled into `other`. */
  readonly overflow: RouteTally;
  /** Arrivals per UTC quarter hour, keyed by floor(epochUs / QUARTER_US). */
  readonly quarterCounts: Map<number, number>;
  /** Distinct `web.N` dynos that served a request. */
  readonly webDynos: Set<string>;
}

export interface ReadOptions {
  /** Service times kept per route. */
  readonly sampleCap: number;
  /** Decides which service times a full sample keeps. */
  readonly u: Uniform;
  /** Malformed lines remembered with their reason. */
  readonly keepSkipped: number;
}

const WEB_DYNO = /^web\.\d+$/;

function isRouterLike(line: string): boolean {
  return line.includes('heroku[router]') || line.includes(' heroku router ');
}

/** True when the line is a readable log line of some process other than the router. */
function isOtherProcess(line: string): boolean {
  try {
    const p = parseLogLine(line);
    return p.source !== 'heroku' || p.proc !== 'router';
  } catch {
    return false;
  }
}

/**
 * The lines of a log file, read in chunks as they are asked for (the file is opened at the
 * first and closed at the last, or when the reader stops early).
 * @throws InputError `<path>: line N is longer than 65536 bytes (is it a router log?)`:
 * no log has such lines, and a file without line breaks would otherwise be one line.
 */
export function* logFileLines(path: string): Generator<string, void, undefined> {
  const fd = openSync(path, 'r');
  try {
    const lines = new LineReader(fd);
    for (;;) {
      let line: string | null;
      try {
        line = lines.next();
      } catch (e) {
        if (e instanceof FileLimitError) throw new InputError(`${path}: ${e.message} (is it a router log?)`);
        throw e;
      }
      if (line === null) return;
      yield line;
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads a log line by line; lines may come from a file (logFileLines) or an array. */
export async function readLog(lines: AsyncIterable<string> | Iterable<string>, opts: ReadOptions): Promise<LogDigest> {
  const d: LogDigest = {
    lines: 0,
    routerLines: 0,
    otherLines: 0,
    blankLines: 0,
    malformed: 0,
    skipped: [],
    requests: 0,
    answered: 0,
    firstArrivalUs: Infinity,
    lastArrivalUs: -Infinity,
    routes: new Map(),
    overflow: { name: 'other', requests: 0, sample: new Reservoir(opts.sampleCap, opts.u) },
    quarterCounts: new Map(),
    webDynos: new Set(),
  };
  const malformed = (reason: string): void => {
    d.malformed++;
    if (d.skipped.length < opts.keepSkipped) d.skipped.push({ line: d.lines, reason });
  };
  // Arrivals come nearly in order: count a quarter hour locally until it changes.
  let quarter = NaN;
  let inQuarter = 0;

  for await (const line of lines) {
    d.lines++;
    if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim().length === 0)) {
      d.blankLines++;
      continue;
    }
    let r: ReplayRecord;
    if (isRouterLike(line)) {
      try {
        r = recordFromLogLine(line);
      } catch (e) {
        if (!(e instanceof LogParseError)) throw e;
        if (isOtherProcess(line)) d.otherLines++;
        else malformed(e.reason);
        continue;
      }
    } else {
      try {
        parseLogLine(line);
        d.otherLines++;
      } catch (e) {
        if (!(e instanceof LogParseError)) throw e;
        malformed(e.reason);
      }
      continue;
    }

    d.routerLines++;
    d.requests++;
    const t = r.arrivalUs;
    if (t < d.firstArrivalUs) d.firstArrivalUs = t;
    if (t > d.lastArrivalUs) d.lastArrivalUs = t;
    const q = Math.floor(t / QUARTER_US);
    if (q !== quarter) {
      if (inQuarter > 0) d.quarterCounts.set(quarter, (d.quarterCounts.get(quarter) ?? 0) + inQuarter);
      quarter = q;
      inQuarter = 0;
    }
    inQuarter++;
    if (r.dyno !== null && !d.webDynos.has(r.dyno) && WEB_DYNO.test(r.dyno)) d.webDynos.add(r.dyno);

    const name = routeKey(r.method, r.path);
    let tally = d.routes.get(name);
    if (tally === undefined) {
      if (d.routes.size < MAX_ROUTES) {
        tally = { name, requests: 0, sample: new Reservoir(opts.sampleCap, opts.u) };
        d.routes.set(name, tally);
      } else {
        tally = d.overflow;
      }
    }
    tally.requests++;
    if (r.code === null && r.status < 500 && r.serviceUs !== null) {
      d.answered++;
      tally.sample.add(r.serviceUs / 1000 + 0.5);
    }
  }
  if (inQuarter > 0) d.quarterCounts.set(quarter, (d.quarterCounts.get(quarter) ?? 0) + inQuarter);
  return d;
}
