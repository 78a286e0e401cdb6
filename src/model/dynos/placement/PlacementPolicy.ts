/**
 * A placement policy chooses the host for a dyno that is starting: at time zero, on a
 * scale-up, a restart or a relocation after a host failure. Heroku spreads an app's dynos
 * over zones and hosts; the other policies are the textbook ones, for comparison and for
 * showing what spreading buys when a host or a zone fails.
 */
import type { Uniform } from '../../../engine/streams.ts';
import type { HostFleet, PlacementRequest } from '../hosts/HostFleet.ts';

export interface PlacementPolicy {
  readonly name: string;
  /**
   * The host (an index of `fleet`) on which `req` fits, or −1 when no up host fits: the
   * dyno then waits and the dyno manager tries again when capacity returns. `place` only
   * chooses: it never changes the fleet, and the caller allocates. Policies that draw
   * take at most one number from `u` per call, and none when there is only one candidate.
   */
  place(fleet: HostFleet, req: PlacementRequest, u: Uniform): number;
}
