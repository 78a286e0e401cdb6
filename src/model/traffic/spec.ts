/**
 * The traffic of a resolved scenario, as the traffic sources read it: the rate, the
 * replayed file, the request classes and the jobs they enqueue; and what a replay read
 * (types only; the scenario layer builds the values from a file).
 */
import type { RateFunction } from './arrivals/varyingRate.ts';
import type { ServiceDistribution } from './service/ServiceDistribution.ts';

export type RateSpec =
  | { readonly kind: 'constant'; readonly perS: number; readonly text: string }
  | { readonly kind: 'expression'; readonly fn: RateFunction; readonly stepUs: number; readonly text: string };

export interface JobSpec {
  readonly queue: number;
  readonly probability: number;
  readonly run: ServiceDistribution;
}

export interface RequestClass {
  readonly name: string;
  /** Share of requests, summing to 1 over the classes (synthetic traffic). */
  readonly weight: number;
  /** Null for replayed traffic, whose service times come from the file. */
  readonly service: ServiceDistribution | null;
  readonly memoryMb: number | null;
  readonly jobs: readonly JobSpec[];
  /** Replay: picks this class's requests by "METHOD /path". */
  readonly match: RegExp;
}

export interface ReplaySpec {
  /** Absolute path of the file. */
  readonly file: string;
  /** As the scenario names it, for reports. */
  readonly name: string;
  readonly format: 'auto' | 'router' | 'csv';
  /** Epoch ms of time zero. */
  readonly startMs: number;
  readonly reorderWindowUs: number;
}

export interface TrafficSpec {
  /** Null when the traffic is replayed from a file. */
  readonly rate: RateSpec | null;
  readonly replay: ReplaySpec | null;
  /** At least one; replayed requests no class matches go to a last class named "other". */
  readonly classes: readonly RequestClass[];
}

/**
 * What a replay read from its file. Every non-empty line read is counted once:
 * lines = used + malformed + skipped + outOfOrder + beforeStart + beyondEnd (imputed is part of used).
 */
export interface ReplayReport {
  file: string;
  format: string;
  start: string;
  lines: number;
  used: number;
  malformed: number;
  skipped: number;
  imputed: number;
  outOfOrder: number;
  beforeStart: number;
  beyondEnd: number;
  /** The first malformed lines: line number and why. */
  problems: { line: number; message: string }[];
}
