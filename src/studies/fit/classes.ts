/**
 * Request classes from per-route tallies: the most frequent routes each get a class,
 * the rest are pooled into `other`, and every class gets a service-time distribution
 * fitted to its sample and a weight.
 */
import type { Uniform } from '../../engine/streams.ts';
import { fitBoth, isDegenerate, sortedCopy, type BestFit } from './mle.ts';
import { mergeReservoirs, type Reservoir } from './Reservoir.ts';
import type { RouteTally } from './readLog.ts';
import { weightsOf } from './weights.ts';

/** Logged service times are whole milliseconds: each sampled value stands for a millisecond-wide interval. */
const LOG_GRAIN_MS = 1;

/** A route needs at least this share of all requests for a class of its own. */
export const MIN_SHARE = 0.01;
/** …and at least this many answered requests to fit. */
export const MIN_SAMPLES = 30;

/** A class's service time: both fits, or a constant when every answer took the same time. */
export type FittedService =
  | ({ readonly kind: 'fit' } & BestFit)
  | { readonly kind: 'constant'; readonly valueMs: number };

export interface FittedClass {
  /** `GET /orders/:id`, or `other`. */
  readonly name: string;
  readonly requests: number;
  /** requests / all requests. */
  readonly share: number;
  /** share in thousandths, the class weights summing to exactly 1. */
  readonly weight: number;
  /** Answered requests (those with a service time to fit). */
  readonly answered: number;
  /** Service times the fit used (at most the sample cap). */
  readonly sampleSize: number;
  /** Routes pooled into the class (1 for a route's own class; routes past MAX_ROUTES are not counted). */
  readonly routes: number;
  /** True when `other` had too few answered requests and was fitted on every answered request of the log. */
  readonly fittedOnAll: boolean;
  readonly service: FittedService;
}

function fitSample(sample: Float64Array): FittedService {
  if (sample.length < 2 || isDegenerate(sample)) {
    const sorted = sortedCopy(sample);
    return { kind: 'constant', valueMs: sorted[Math.floor(sorted.length / 2)] ?? 0.5 };
  }
  return { kind: 'fit', ...fitBoth(sample, LOG_GRAIN_MS) };
}

/**
 * @param routes every route with its own sample; `overflow` holds routes that had none.
 * @param maxClasses classes at most, `other` included.
 * @param sampleCap size of `other`'s merged sample.
 * @param u draws which values a merged sample takes.
 */
export function buildClasses(
  routes: Iterable<RouteTally>,
  overflow: RouteTally,
  totalRequests: number,
  maxClasses: number,
  sampleCap: number,
  u: Uniform,
): FittedClass[] {
  const ranked = [...routes].sort((a, b) => b.requests - a.requests || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const eligible = ranked.filter((r) => r.requests >= MIN_SHARE * totalRequests && r.sample.seen >= MIN_SAMPLES);
  const allFit = eligible.length === ranked.length && overflow.requests === 0 && eligible.length <= maxClasses;
  const own = allFit ? eligible : eligible.slice(0, Math.max(0, maxClasses - 1));
  const ownNames = new Set(own.map((r) => r.name));
  const pooled = ranked.filter((r) => !ownNames.has(r.name));
  if (overflow.requests > 0) pooled.push(overflow);

  const counts = own.map((r) => r.requests);
  const pooledRequests = pooled.reduce((s, r) => s + r.requests, 0);
  if (pooledRequests > 0) counts.push(pooledRequests);
  const weights = weightsOf(counts);

  const classes: FittedClass[] = own.map((r, i) => ({
    name: r.name,
    requests: r.requests,
    share: r.requests / totalRequests,
    weight: weights[i]!,
    answered: r.sample.seen,
    sampleSize: r.sample.size,
    routes: 1,
    fittedOnAll: false,
    service: fitSample(r.sample.sample()),
  }));
  if (pooledRequests > 0) {
    const parts: Reservoir[] = pooled.map((r) => r.sample);
    const answered = parts.reduce((s, r) => s + r.seen, 0);
    const fittedOnAll = answered < MIN_SAMPLES;
    const sample = mergeReservoirs(fittedOnAll ? [...ranked.map((r) => r.sample), overflow.sample] : parts, sampleCap, u);
    classes.push({
      name: 'other',
      requests: pooledRequests,
      share: pooledRequests / totalRequests,
      weight: weights[weights.length - 1]!,
      answered,
      sampleSize: sample.length,
      routes: pooled.length - (overflow.requests > 0 ? 1 : 0),
      fittedOnAll,
      service: fitSample(sample),
    });
  }
  return classes;
}
