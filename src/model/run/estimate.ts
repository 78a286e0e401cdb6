/**
 * What a run will take, estimated from the scenario before time zero: the requests and
 * jobs it will simulate (the integral of the rate, sampled), the memory its dynos' tables
 * take (every worker of every dyno it may run, with room for overlapping restarts), and
 * the minutes its time series writes. A command refuses a run whose estimate is far past
 * what anyone would expect of it, before allocating anything (see RUNAWAY).
 *
 * The figures are deterministic (they depend on the scenario only), and rough: within a
 * factor of two or so, which is what an estimate needs to be to stop 10^9 workers or a
 * thousand years at a billion requests a second.
 */
import type { Scenario } from '../Scenario.ts';

/** A nominal speed, for a time estimate only: the canonical benchmark's order of magnitude. */
export const NOMINAL_REQUESTS_PER_S = 5e6;

/** Bytes per worker (free and assigned times, the shared queue's heap), with a second generation of blocks for restarts. */
const BYTES_PER_WORKER = 2 * (8 + 8 + 4);
/** Bytes per dyno slot and block beyond its workers (rings, tracks, per-slot tables). */
const BYTES_PER_DYNO = 4_096;
/** Bytes per row of events.csv, held until the end of the run. */
const BYTES_PER_EVENT = 240;
/** Bytes of a timeseries.csv row, as written. */
const BYTES_PER_MINUTE_ROW = 120;
/** Points at which the rate is sampled for the integral. */
const RATE_SAMPLES = 4_096;

export interface RunEstimate {
  /** Requests the run simulates (the expected number; 0 for replayed traffic, which the file bounds). */
  readonly requests: number;
  /** Jobs from job sources and requests' jobs (expected). */
  readonly jobs: number;
  /** Memory the run's tables take, bytes (the Node runtime's own ~100 MB not included). */
  readonly memoryBytes: number;
  /** Bytes of timeseries.csv. */
  readonly seriesBytes: number;
  /** Seconds at the nominal speed. */
  readonly seconds: number;
}

export function estimateRun(s: Scenario): RunEstimate {
  const durationS = s.durationUs / 1e6;
  const requests = expectedRequests(s, durationS);
  const jobsFromRequests = requests * s.traffic.classes.reduce((a, c) => a + c.weight * c.jobs.reduce((b, j) => b + j.probability, 0), 0);
  const jobs = jobsFromRequests + s.jobSources.reduce((a, j) => a + j.perS * durationS, 0);
  let memoryBytes = 0;
  let dynos = 0;
  for (const p of s.processes) {
    const slots = Math.max(1, p.maxCount);
    dynos += slots;
    memoryBytes += slots * (p.concurrency * BYTES_PER_WORKER + BYTES_PER_DYNO);
  }
  // events.csv: a row or two per dyno per daily cycle, held until the end.
  const m = s.platform.dynoManager;
  const cyclesPerDyno = m.cycling ? s.durationUs / m.cycleEveryUs : 0;
  memoryBytes += dynos * 2 * cyclesPerDyno * BYTES_PER_EVENT;
  const minutes = Math.ceil(durationS / 60);
  return { requests, jobs, memoryBytes, seriesBytes: minutes * BYTES_PER_MINUTE_ROW, seconds: (requests + jobs) / NOMINAL_REQUESTS_PER_S };
}

/** The integral of the request rate over the run (trapezoids over RATE_SAMPLES points for an expression). */
function expectedRequests(s: Scenario, durationS: number): number {
  const rate = s.traffic.rate;
  if (rate === null) return 0;
  if (rate.kind === 'constant') return rate.perS * durationS;
  const n = RATE_SAMPLES;
  const at = (k: number): number => {
    const r = rate.fn((k / n) * durationS);
    return Number.isFinite(r) && r > 0 ? r : 0;
  };
  let sum = (at(0) + at(n)) / 2;
  for (let k = 1; k < n; k++) sum += at(k);
  return (sum / n) * durationS;
}

/** Past these, a command asks for --force before it runs: minutes at the nominal speed, gigabytes of memory or of series. */
export const RUNAWAY = { seconds: 10 * 60, memoryBytes: 8 * 2 ** 30, seriesBytes: 2 ** 30 } as const;

/** What makes the run a runaway, one phrase each (empty: none); `memoryLimitBytes` lowers the memory bound (half the machine's memory). */
export function runawayReasons(e: RunEstimate, memoryLimitBytes: number = RUNAWAY.memoryBytes): string[] {
  const reasons: string[] = [];
  if (e.seconds > RUNAWAY.seconds) reasons.push(`about ${sci(e.requests + e.jobs)} requests and jobs (${duration(e.seconds)} at ${NOMINAL_REQUESTS_PER_S / 1e6} M a second)`);
  const memLimit = Math.min(RUNAWAY.memoryBytes, memoryLimitBytes);
  if (e.memoryBytes > memLimit) reasons.push(`about ${bytes(e.memoryBytes)} of memory for its dynos' tables (more than ${bytes(memLimit)})`);
  if (e.seriesBytes > RUNAWAY.seriesBytes) reasons.push(`about ${bytes(e.seriesBytes)} of timeseries.csv`);
  return reasons;
}

function sci(x: number): string {
  return x < 1e6 ? Math.round(x).toLocaleString('en-US') : x.toExponential(1).replace('e+', 'e');
}

function bytes(b: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let k = 0;
  while (b >= 1000 && k < units.length - 1) {
    b /= 1000;
    k++;
  }
  return `${b < 10 ? b.toFixed(1) : Math.round(b)} ${units[k]}`;
}

function duration(s: number): string {
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86_400 * 2) return `${(s / 3600).toFixed(1)} h`;
  if (s < 86_400 * 365 * 2) return `${Math.round(s / 86_400)} days`;
  return `${sci(s / (86_400 * 365))} years`;
}
