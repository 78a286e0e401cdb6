/** Router policies by the names scenarios use. */
import type { Uniform } from '../../engine/streams.ts';
import type { RouterPolicy } from './RouterPolicy.ts';
import { randomPolicy } from './random.ts';
import { roundRobinPolicy } from './roundRobin.ts';
import { leastConnectionsPolicy } from './leastConnections.ts';
import { powerOfTwoPolicy } from './powerOfTwo.ts';
import { sharedQueuePolicy } from './sharedQueue.ts';

/** The policies' names, as scenarios write them (`router.policy`). */
export const ROUTER_POLICIES = ['random', 'round-robin', 'least-connections', 'power-of-two', 'shared-queue'] as const;
export type RouterPolicyName = (typeof ROUTER_POLICIES)[number];

/** Makes the named policy; `u` is the run's "routing" stream. */
export function createPolicy(name: RouterPolicyName, u: Uniform): RouterPolicy {
  switch (name) {
    case 'random': return randomPolicy(u);
    case 'round-robin': return roundRobinPolicy();
    case 'least-connections': return leastConnectionsPolicy();
    case 'power-of-two': return powerOfTwoPolicy(u);
    case 'shared-queue': return sharedQueuePolicy();
  }
}
