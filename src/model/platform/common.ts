/**
 * Numbers both eras share, most of them not published by Heroku (docs/scenario.md lists them
 * as scenario parameters with these defaults).
 */
import { lognormal, lognormalParams } from '../traffic/service/lognormal.ts';
import type { HostRules } from './profile.ts';

const S = 1_000_000;
export const MINUTE_US = 60 * S;
export const HOUR_US = 60 * MINUTE_US;
export const DAY_US = 24 * HOUR_US;

/** Boot to $PORT bound: "typically 20-60 s, usually 30-45 s": log-normal, median 35 s, p99 55 s. */
export function typicalBoot() {
  const p = lognormalParams({ medianUs: 35 * S, p99Us: 55 * S }) as { mu: number; sigma: number };
  return lognormal(p.mu, p.sigma);
}

/**
 * Three zones of us-east-1 with 34 hosts each: 102 hosts, more than an app's 100-dyno
 * limit, so that `spread` can give every dyno a host of its own, as Heroku says it
 * almost always does. A host is an r3.2xlarge-like instance: 61 GB and 124 slots.
 */
export const HOSTS: HostRules = Object.freeze({
  zones: Object.freeze(['us-east-1a', 'us-east-1b', 'us-east-1c']),
  hostsPerZone: 34,
  memoryMb: 62_464,
  slots: 124,
  placement: 'spread',
  mtbfUs: Infinity,
  repairUs: HOUR_US,
  detectionUs: MINUTE_US,
});

/** "By default, apps are limited to 100 total dynos across all process types"; more on request. */
export const LIMITS = Object.freeze({ dynosPerApp: 100 });

export const ROUTER_CONNECT = Object.freeze({
  connectTimeoutUs: 5 * S,
  quarantineUs: 5 * S,
  maxAttempts: 10,
  holdUs: 75 * S,
  routeUpdateUs: 1 * S,
  routers: 1,
  maxActivePerDyno: 50,
});
