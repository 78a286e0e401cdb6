/**
 * The arrival rate by local hour of day, from arrivals counted per quarter hour (UTC).
 *
 * Each hour of day's rate is its arrivals divided by the time the log covers in that hour
 * of day, summed over the days: a log from 09:20 to 15:20 counts 40 minutes of hour 9, and
 * a 6-hour log never averages in 18 empty hours. An hour of day covered for less than
 * MIN_COVER_S in all is taken as not covered (too little time for a rate); hours not
 * covered get the mean of the covered ones. A log shorter than HOURLY_MIN_SPAN_US gives
 * one constant rate instead.
 */
import { sig3 } from './numbers.ts';

/** Arrivals are counted per quarter hour: every UTC offset in use is a whole number of quarter hours. */
export const QUARTER_US = 900_000_000;
/** Logs shorter than this get a constant rate. */
export const HOURLY_MIN_SPAN_US = 2 * 3_600_000_000;
/** Less covered time than this in an hour of day, and the hour counts as not covered. */
export const MIN_COVER_S = 300;

export type RateProfile =
  | { readonly kind: 'constant'; readonly ratePerS: number }
  | {
      readonly kind: 'hourly';
      /** Requests per second for local hours 0 to 23. */
      readonly ratesPerS: readonly number[];
      /** Seconds of log in each local hour of day (summed over days). */
      readonly coveredS: readonly number[];
      /** Which hours had enough coverage for their own rate (the others hold the mean). */
      readonly covered: readonly boolean[];
    };

/**
 * @param quarterCounts arrivals per UTC quarter hour, keyed by floor(epochUs / QUARTER_US).
 * @param firstUs,lastUs the first and last arrival, epoch µs.
 * @param offsetMinutes the time zone's UTC offset at an instant (epoch ms).
 */
export function rateProfile(
  quarterCounts: ReadonlyMap<number, number>,
  firstUs: number,
  lastUs: number,
  offsetMinutes: (epochMs: number) => number,
): RateProfile {
  let total = 0;
  for (const c of quarterCounts.values()) total += c;
  const spanUs = lastUs - firstUs;
  if (spanUs < HOURLY_MIN_SPAN_US) return { kind: 'constant', ratePerS: total / Math.max(spanUs / 1e6, 1) };

  const counts = new Array<number>(24).fill(0);
  const coveredS = new Array<number>(24).fill(0);
  const hourOf = (q: number): number => {
    const startMs = (q * QUARTER_US) / 1000;
    const localMin = Math.floor(startMs / 60_000) + offsetMinutes(startMs);
    return (((Math.floor(localMin / 60) % 24) + 24) % 24);
  };
  for (let q = Math.floor(firstUs / QUARTER_US); q <= Math.floor(lastUs / QUARTER_US); q++) {
    const from = Math.max(firstUs, q * QUARTER_US);
    const to = Math.min(lastUs, (q + 1) * QUARTER_US);
    const h = hourOf(q);
    coveredS[h]! += (to - from) / 1e6;
    counts[h]! += quarterCounts.get(q) ?? 0;
  }
  const covered = coveredS.map((s) => s >= MIN_COVER_S);
  const rates = counts.map((c, h) => (covered[h] ? c / coveredS[h]! : NaN));
  const known = rates.filter((r) => !Number.isNaN(r));
  const mean = known.reduce((a, b) => a + b, 0) / known.length;
  return { kind: 'hourly', ratesPerS: rates.map((r) => (Number.isNaN(r) ? mean : r)), coveredS, covered };
}

/** The profile as a scenario's `traffic.rate`: `hourly(r0, …, r23)` in requests per second, or `8.41/s`. */
export function rateText(profile: RateProfile): string {
  if (profile.kind === 'hourly') return `hourly(${profile.ratesPerS.map(sig3).join(', ')})`;
  const r = profile.ratePerS;
  if (r >= 1) return `${sig3(r)}/s`;
  if (r * 60 >= 1) return `${sig3(r * 60)}/min`;
  return `${sig3(r * 3600)}/h`;
}
