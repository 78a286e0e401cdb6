/**
 * First fit: the lowest-numbered host that fits. It packs the app into the first zone,
 * which is what makes a zone outage take every dyno at once: the worst case spreading
 * guards against.
 */
import type { HostFleet, PlacementRequest } from '../hosts/HostFleet.ts';
import type { PlacementPolicy } from './PlacementPolicy.ts';

/** Draws nothing. */
export function firstFitPlacement(): PlacementPolicy {
  return {
    name: 'first-fit',
    place(fleet: HostFleet, req: PlacementRequest): number {
      for (let h = 0; h < fleet.count; h++) if (fleet.fits(h, req)) return h;
      return -1;
    },
  };
}
