/**
 * Best fit by memory: the fitting host with the least free memory, ties to the lowest
 * index. It fills one host before starting the next, as a platform minimising its
 * instances would; an app's dynos then share hosts and fail together.
 */
import type { HostFleet, PlacementRequest } from '../hosts/HostFleet.ts';
import type { PlacementPolicy } from './PlacementPolicy.ts';

/** Draws nothing. */
export function binPackPlacement(): PlacementPolicy {
  return {
    name: 'bin-pack',
    place(fleet: HostFleet, req: PlacementRequest): number {
      let best = -1;
      let bestFreeMb = Infinity;
      for (let h = 0; h < fleet.count; h++) {
        if (!fleet.fits(h, req)) continue;
        const freeMb = fleet.freeMemoryMb(h);
        if (freeMb < bestFreeMb) {
          best = h;
          bestFreeMb = freeMb;
        }
      }
      return best;
    },
  };
}
