/** Today's platform: dynos priced by the month, prorated to the second, no free hours. */
import type { PlatformProfile } from './profile.ts';
import { DAY_US, HOSTS, MINUTE_US, LIMITS, ROUTER_CONNECT, typicalBoot } from './common.ts';

const boot = typicalBoot();

export const heroku2025: PlatformProfile = Object.freeze({
  name: 'heroku-2025',
  description: 'Today: eco/basic/standard/performance dynos priced per month, prorated to the second, capped at the monthly price.',
  sizes: Object.freeze({
    // Eco is a $5 subscription for a shared pool of 1000 hours; its price here is that of
    // one dyno running the whole month on its own pool.
    eco: Object.freeze({ name: 'eco', memoryMb: 512, cpuShare: 1, dedicated: false, priceUsd: 5, freeHoursWeight: 1, boot, r15Multiple: 2, onePerProcessType: true }),
    basic: Object.freeze({ name: 'basic', memoryMb: 512, cpuShare: 1, dedicated: false, priceUsd: 7, freeHoursWeight: 1, boot, r15Multiple: 2, onePerProcessType: true }),
    'standard-1x': Object.freeze({ name: 'standard-1x', memoryMb: 512, cpuShare: 1, dedicated: false, priceUsd: 25, freeHoursWeight: 1, boot, r15Multiple: 2, onePerProcessType: false }),
    'standard-2x': Object.freeze({ name: 'standard-2x', memoryMb: 1024, cpuShare: 2, dedicated: false, priceUsd: 50, freeHoursWeight: 2, boot, r15Multiple: 2, onePerProcessType: false }),
    'performance-m': Object.freeze({ name: 'performance-m', memoryMb: 2560, cpuShare: 2, dedicated: true, priceUsd: 250, freeHoursWeight: 1, boot, r15Multiple: 2, onePerProcessType: false }),
    'performance-l': Object.freeze({ name: 'performance-l', memoryMb: 14336, cpuShare: 8, dedicated: true, priceUsd: 500, freeHoursWeight: 1, boot, r15Multiple: 2, onePerProcessType: false }),
    // The larger sizes of the dyno-types page (2024): 30, 62 and 126 GB with 24x, 50x and
    // 100x compute, R15 at 1.2x the quota. Cores (4, 8, 16) are the compute at performance-l's
    // 6.25x a core; the prices ($500, $750, $1 500 a month) are quoted elsewhere and not
    // confirmed on a Heroku page. Both are parameters (platform.sizes).
    'performance-l-ram': Object.freeze({ name: 'performance-l-ram', memoryMb: 30720, cpuShare: 4, dedicated: true, priceUsd: 500, freeHoursWeight: 1, boot, r15Multiple: 1.2, onePerProcessType: false }),
    'performance-xl': Object.freeze({ name: 'performance-xl', memoryMb: 63488, cpuShare: 8, dedicated: true, priceUsd: 750, freeHoursWeight: 1, boot, r15Multiple: 1.2, onePerProcessType: false }),
    'performance-2xl': Object.freeze({ name: 'performance-2xl', memoryMb: 129024, cpuShare: 16, dedicated: true, priceUsd: 1500, freeHoursWeight: 1, boot, r15Multiple: 1.2, onePerProcessType: false }),
  }),
  limits: LIMITS,
  router: Object.freeze({ timeoutUs: 30_000_000, backlogPerDyno: 200, ...ROUTER_CONNECT }),
  billing: Object.freeze({ pricePer: 'month', freeHoursPerMonth: 0, monthUs: 30 * DAY_US, billCrashed: true }),
  hosts: HOSTS,
  // R15 at 2x the quota on standard and performance-M/L (2024); SIGKILL 30 s after
  // SIGTERM; the 2019 back-off (20, 40, 60, 180, 320 min, then every 320 min). One-offs are
  // cycled like every dyno, "so dynos run for a maximum of 24 hours + 216 minutes" (Dev
  // Center "Dyno Restarts", 2024-2025): the limit is that maximum, not a draw.
  dynoManager: Object.freeze({
    restartPolicy: 'heroku-2019',
    stableAfterUs: 10 * MINUTE_US,
    bootTimeoutUs: 60_000_000,
    shutdownGraceUs: 30_000_000,
    cycling: true,
    cycleEveryUs: DAY_US,
    cycleJitterUs: 216 * MINUTE_US,
    prebootSwitchUs: 2 * MINUTE_US,
    oneOffLimitUs: DAY_US + 216 * MINUTE_US,
  }),
  noisyNeighbours: null,
  eco: Object.freeze({ size: 'eco', poolHours: 1000, poolUsedHours: 0, sleepAfterUs: 30 * MINUTE_US }),
  epochMs: Date.UTC(2025, 5, 2),
});
