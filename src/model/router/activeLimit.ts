/**
 * A router's limit of active requests per dyno (`maxActivePerDyno`), off the hot path: the
 * tier calls in only when a dyno may be at the limit. A request whose chosen dyno already
 * has `max` of the router's requests goes to the next dyno in the router's list below the
 * limit; with every dyno at it, the request waits in the router's backlog until the first
 * of them falls below.
 */
import type { DynoLoad } from './RouterPolicy.ts';

/** One router's counts, as the limit reads them: its routable dynos and its requests at each. */
export interface RouterCounts extends DynoLoad {
  /** When the router's count at dyno `d` falls to `count` (`nowUs` if it is there already). */
  endAtCount(d: number, nowUs: number, count: number): number;
}

/**
 * Dyno `d` if `counts` has fewer than `max` there; else the next one of the router's list
 * that has; else −1, and `out.freeUs` is when the first of them falls below the limit.
 */
export function belowLimit(counts: RouterCounts, d: number, nowUs: number, max: number, out: { freeUs: number }): number {
  if (counts.inSystem(d, nowUs) < max) return d;
  const list = counts.routable;
  const n = counts.routableCount;
  let i = 0;
  while (i < n && list[i] !== d) i++;
  for (let j = 1; j < n; j++) {
    const e = list[(i + j) % n]!;
    if (counts.inSystem(e, nowUs) < max) return e;
  }
  let first = Infinity;
  for (let j = 0; j < n; j++) {
    const t = counts.endAtCount(list[j]!, nowUs, max - 1);
    if (t < first) first = t;
  }
  out.freeUs = first;
  return -1;
}

/** The `count`-th latest of `ends` (unsorted end times of what a dyno holds): when the count falls to `count`. */
export function endAtCount(ends: number[], nowUs: number, count: number): number {
  if (ends.length <= count) return nowUs;
  ends.sort((a, b) => a - b);
  return ends[ends.length - count - 1]!;
}
