/**
 * Uniform placement: any fitting host, each as likely. The baseline against which
 * spreading is measured: with many hosts it rarely doubles up, but it ignores zones.
 */
import type { Uniform } from '../../../engine/streams.ts';
import type { HostFleet, PlacementRequest } from '../hosts/HostFleet.ts';
import type { PlacementPolicy } from './PlacementPolicy.ts';

/** Draws exactly one uniform per call when two or more hosts fit, and none otherwise. */
export function randomPlacement(): PlacementPolicy {
  return {
    name: 'random',
    place(fleet: HostFleet, req: PlacementRequest, u: Uniform): number {
      let fitting = 0;
      let first = -1;
      for (let h = 0; h < fleet.count; h++) {
        if (!fleet.fits(h, req)) continue;
        if (fitting++ === 0) first = h;
      }
      if (fitting <= 1) return first;
      let k = Math.floor(u.next() * fitting);
      for (let h = first; h < fleet.count; h++) {
        if (fleet.fits(h, req) && k-- === 0) return h;
      }
      throw new Error('randomPlacement: fitting host not found');
    },
  };
}
