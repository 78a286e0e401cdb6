/**
 * `platform` given as a mapping: a profile by name with some of its figures replaced
 * (router, billing, hosts, the dyno manager, noisy neighbours, the start, dyno sizes).
 */
import * as z from 'zod';
import { duration, instant, memory, oneOf, positive, probability, show, text, whole } from './fields.ts';
import { serviceSchema } from './service.ts';
import { PLACEMENT_POLICIES } from '../../model/dynos/placement/policies.ts';
import { RESTART_POLICIES } from '../../model/dynos/restart/policies.ts';
import { PROFILE_NAMES } from '../../model/platform/profiles.ts';

const sizeOverride = z.strictObject({
  memory: memory().optional(),
  cpuShare: positive().optional(),
  dedicated: z.boolean().optional(),
  priceUsd: positive({ allowZero: true }).optional(),
  freeHoursWeight: positive({ allowZero: true }).optional(),
  boot: serviceSchema.optional(),
  r15Multiple: positive().refine((x) => x > 1, { error: 'expected a multiple above 1' }).optional(),
});

const hostsOverride = z.strictObject({
  zones: z.array(text('a zone name')).min(1, { error: 'expected at least one zone' }).optional(),
  hostsPerZone: whole(1).optional(),
  memory: memory().optional(),
  slots: whole(1).optional(),
  placement: oneOf(PLACEMENT_POLICIES).optional(),
  mtbf: z.union([z.literal('never'), duration({ positive: true })], { error: (iss) => `expected a duration such as 30d, or never, got ${show(iss.input)}` }).optional(),
  repair: duration({ positive: true }).optional(),
  detection: duration().optional(),
});

const dynoManagerOverride = z.strictObject({
  restartPolicy: oneOf(RESTART_POLICIES).optional(),
  stableAfter: duration().optional(),
  bootTimeout: duration({ positive: true }).optional(),
  shutdownGrace: duration().optional(),
  cycling: z.boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}` }).optional(),
  cycleEvery: duration({ positive: true }).optional(),
  cycleJitter: duration().optional(),
  prebootSwitch: duration().optional(),
  oneOffLimit: duration({ positive: true }).optional(),
});

const noisyNeighbours = z.strictObject({
  slowdown: positive().refine((x) => x >= 1, { error: 'expected a slowdown of at least 1' }),
  busyShare: probability(),
  busyPeriod: duration({ positive: true }),
});

export const platformOverride = z.strictObject({
  profile: oneOf(PROFILE_NAMES as [string, ...string[]]),
  limits: z.strictObject({ dynosPerApp: whole(1).optional() }).optional(),
  router: z
    .strictObject({
      timeout: duration({ positive: true }).optional(),
      backlogPerDyno: whole(1).optional(),
      connectTimeout: duration({ positive: true }).optional(),
      quarantine: duration().optional(),
      maxAttempts: whole(1).optional(),
      hold: duration().optional(),
      routeUpdate: duration().optional(),
      routers: whole(1).optional(),
      maxActivePerDyno: whole(1).optional(),
    })
    .optional(),
  billing: z
    .strictObject({
      pricePer: oneOf(['hour', 'month']).optional(),
      freeHours: positive({ allowZero: true }).optional(),
      month: duration({ positive: true }).optional(),
      crashed: z.boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}` }).optional(),
    })
    .optional(),
  hosts: hostsOverride.optional(),
  dynoManager: dynoManagerOverride.optional(),
  noisyNeighbours: noisyNeighbours.optional(),
  eco: z
    .strictObject({
      poolHours: positive({ allowZero: true }).optional(),
      poolUsedHours: positive({ allowZero: true }).optional(),
      sleepAfter: duration({ positive: true }).optional(),
    })
    .optional(),
  start: instant().optional(),
  sizes: z.record(z.string(), sizeOverride).optional(),
});
