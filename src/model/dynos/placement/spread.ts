/**
 * Heroku's placement: an app's dynos are "more likely" on separate availability zones,
 * and two of them on one host is "extremely unlikely". Among zones with a fitting host,
 * the policy takes those holding the fewest of the app's dynos; within them, the fitting
 * hosts holding the fewest; a uniform draw picks among the hosts tied for best.
 *
 * Zone balance comes first, so after failures or releases a dyno can join another of the
 * app's dynos on a host of the least-loaded zone while a host of a busier zone is empty.
 * On a fleet of equal hosts filled without failures, zones stay within one dyno of each
 * other and no host takes a second dyno while any fitting host is empty.
 */
import type { Uniform } from '../../../engine/streams.ts';
import type { HostFleet, PlacementRequest } from '../hosts/HostFleet.ts';
import type { PlacementPolicy } from './PlacementPolicy.ts';

/**
 * Draws exactly one uniform per call when two or more hosts tie for best, and none when
 * one host is best or none fits, so that the stream's use depends only on the fleet.
 */
export function spreadPlacement(): PlacementPolicy {
  return {
    name: 'spread',
    place(fleet: HostFleet, req: PlacementRequest, u: Uniform): number {
      // Pass 1: the best (zone dynos, host dynos) key among fitting hosts, and its ties.
      let bestZone = Infinity;
      let bestHost = Infinity;
      let ties = 0;
      let first = -1;
      for (let h = 0; h < fleet.count; h++) {
        if (!fleet.fits(h, req)) continue;
        const z = fleet.appDynosInZone(fleet.zoneOf(h));
        const d = fleet.appDynos(h);
        if (z < bestZone || (z === bestZone && d < bestHost)) {
          bestZone = z;
          bestHost = d;
          ties = 1;
          first = h;
        } else if (z === bestZone && d === bestHost) {
          ties++;
        }
      }
      if (ties <= 1) return first;
      // Pass 2: the k-th tied host, in index order.
      let k = Math.floor(u.next() * ties);
      for (let h = first; h < fleet.count; h++) {
        if (!fleet.fits(h, req)) continue;
        if (fleet.appDynosInZone(fleet.zoneOf(h)) !== bestZone || fleet.appDynos(h) !== bestHost) continue;
        if (k-- === 0) return h;
      }
      throw new Error('spreadPlacement: tied host not found');
    },
  };
}
