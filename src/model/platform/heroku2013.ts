/** The platform of the 2013 routing dispute: 1X/2X/PX priced by the hour, 750 free dyno-hours a month. */
import type { PlatformProfile } from './profile.ts';
import { DAY_US, HOSTS, MINUTE_US, LIMITS, ROUTER_CONNECT, typicalBoot } from './common.ts';

const boot = typicalBoot();

export const heroku2013: PlatformProfile = Object.freeze({
  name: 'heroku-2013',
  description: 'Cedar in 2013: random routing, 1X/2X/PX dynos by the hour, 750 free dyno-hours per app-month.',
  sizes: Object.freeze({
    '1X': Object.freeze({ name: '1X', memoryMb: 512, cpuShare: 1, dedicated: false, priceUsd: 0.05, freeHoursWeight: 1, boot, r15Multiple: 3, onePerProcessType: false }),
    '2X': Object.freeze({ name: '2X', memoryMb: 1024, cpuShare: 2, dedicated: false, priceUsd: 0.10, freeHoursWeight: 2, boot, r15Multiple: 3, onePerProcessType: false }),
    PX: Object.freeze({ name: 'PX', memoryMb: 6144, cpuShare: 8, dedicated: true, priceUsd: 0.80, freeHoursWeight: 16, boot, r15Multiple: 3, onePerProcessType: false }),
  }),
  limits: LIMITS,
  // Backlog and active-request limits are the Cedar figures published in 2014, the
  // nearest to 2013 that exist.
  router: Object.freeze({ timeoutUs: 30_000_000, backlogPerDyno: 50, ...ROUTER_CONNECT }),
  billing: Object.freeze({ pricePer: 'hour', freeHoursPerMonth: 750, monthUs: 30 * DAY_US, billCrashed: true }),
  hosts: HOSTS,
  // R15 at 3x the quota and SIGKILL 10 s after SIGTERM were the 2013 rules; the back-off
  // of October 2013 (doubling cool-offs for crashes within 10 min of start). One-offs:
  // "like all dynos, one-off dynos are cycled every 24 hours. As a result, a one-off dyno
  // will run for a maximum of 24 hours" (Dev Center "One-Off Dynos", 2013-2014).
  dynoManager: Object.freeze({
    restartPolicy: 'heroku-2013',
    stableAfterUs: 10 * MINUTE_US,
    bootTimeoutUs: 60_000_000,
    shutdownGraceUs: 10_000_000,
    cycling: true,
    cycleEveryUs: DAY_US,
    cycleJitterUs: 216 * MINUTE_US,
    prebootSwitchUs: 2 * MINUTE_US,
    oneOffLimitUs: DAY_US,
  }),
  noisyNeighbours: null,
  eco: null,
  epochMs: Date.UTC(2013, 2, 1),
});
