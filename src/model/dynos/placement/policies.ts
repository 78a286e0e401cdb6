/** Placement policies by the names scenarios use (`hosts.placement`). */
import type { PlacementPolicy } from './PlacementPolicy.ts';
import { spreadPlacement } from './spread.ts';
import { randomPlacement } from './random.ts';
import { firstFitPlacement } from './firstFit.ts';
import { binPackPlacement } from './binPack.ts';

/** `spread` is Heroku's behaviour; the others are for comparison. */
export const PLACEMENT_POLICIES = ['spread', 'random', 'first-fit', 'bin-pack'] as const;
export type PlacementPolicyName = (typeof PLACEMENT_POLICIES)[number];

/** A fresh policy; policies keep no state between calls, and draw from the stream passed to `place`. */
export function createPlacement(name: PlacementPolicyName): PlacementPolicy {
  switch (name) {
    case 'spread': return spreadPlacement();
    case 'random': return randomPlacement();
    case 'first-fit': return firstFitPlacement();
    case 'bin-pack': return binPackPlacement();
  }
}
