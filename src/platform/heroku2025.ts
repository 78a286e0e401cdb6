/** Today's platform: dynos priced by the month, prorated to the second, no free hours. */
import type { PlatformProfile } from './profile.ts';

const DAY_US = 86_400_000_000;

export const heroku2025: PlatformProfile = Object.freeze({
  name: 'heroku-2025',
  description: 'Today: eco/basic/standard/performance dynos priced per month, prorated to the second, capped at the monthly price.',
  sizes: Object.freeze({
    // Eco is a $5 subscription for a shared pool of 1000 hours; its price here is that of
    // one dyno running the whole month on its own pool.
    eco: Object.freeze({ name: 'eco', memoryMb: 512, cpuShare: 1, dedicated: false, priceUsd: 5, freeHoursWeight: 1 }),
    basic: Object.freeze({ name: 'basic', memoryMb: 512, cpuShare: 1, dedicated: false, priceUsd: 7, freeHoursWeight: 1 }),
    'standard-1x': Object.freeze({ name: 'standard-1x', memoryMb: 512, cpuShare: 1, dedicated: false, priceUsd: 25, freeHoursWeight: 1 }),
    'standard-2x': Object.freeze({ name: 'standard-2x', memoryMb: 1024, cpuShare: 2, dedicated: false, priceUsd: 50, freeHoursWeight: 2 }),
    'performance-m': Object.freeze({ name: 'performance-m', memoryMb: 2560, cpuShare: 2, dedicated: true, priceUsd: 250, freeHoursWeight: 1 }),
    'performance-l': Object.freeze({ name: 'performance-l', memoryMb: 14336, cpuShare: 8, dedicated: true, priceUsd: 500, freeHoursWeight: 1 }),
  }),
  router: Object.freeze({ timeoutUs: 30_000_000, backlogPerDyno: 200 }),
  billing: Object.freeze({ pricePer: 'month', freeHoursPerMonth: 0, monthUs: 30 * DAY_US }),
});
