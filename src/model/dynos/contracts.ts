/**
 * What the dynos share with the rest of the model: the states a dyno passes through, the
 * rows of events.csv, the platform's counts for summary.json, and the two contracts the
 * dyno manager holds the flows to (where its log lines go, and what a process type's
 * dynos serve).
 */
import type { TrackRecords } from '../router/TrackLog.ts';

/** Dyno states, as Heroku names them. */
export const DOWN = 0;
export const STARTING = 1;
export const UP = 2;
export const CRASHED = 3;
export const STATE_NAMES = ['down', 'starting', 'up', 'crashed'] as const;

/** One row of events.csv: a change in a dyno's life. */
export interface LifecycleEvent {
  readonly timeUs: number;
  readonly dyno: string;
  readonly host: string;
  readonly zone: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

/** Where the manager's log lines go: `heroku[web.N]: message`. */
export interface DynoLog {
  dyno(tUs: number, dyno: string, message: string): void;
}

/** What a process type's dynos serve: requests (RequestFlow) or jobs (JobFlow). */
export interface WorkFlow {
  /** A request or job held by block `b`, whose process just died (its record at `o` in `ring.buf`). */
  lost(ring: TrackRecords, o: number, b: number): void;
  /** A dyno can take work again. */
  releaseHeld(nowUs: number): void;
}

/** What happened to the platform during a run (summary.json's `platform`). */
export interface PlatformCounts {
  dynoCrashes: number;
  relocations: number;
  restarts: number;
  cycles: number;
  r10: number;
  r12: number;
  r14: number;
  r15: number;
  /** Time dynos spent waiting for a host with room, summed (µs). */
  placementWaitUs: number;
}

export function newPlatformCounts(): PlatformCounts {
  return { dynoCrashes: 0, relocations: 0, restarts: 0, cycles: 0, r10: 0, r12: 0, r14: 0, r15: 0, placementWaitUs: 0 };
}
