/** Router policies by the names scenarios use. */
import type { Uniform } from '../../engine/streams.ts';
import type { RouterPolicy } from './RouterPolicy.ts';
import { randomPolicy } from './random.ts';
import { roundRobinPolicy } from './roundRobin.ts';
import { leastConnectionsPolicy } from './leastConnections.ts';
import { powerOfTwoPolicy } from './powerOfTwo.ts';
import { powerOfDPolicy } from './powerOfD.ts';
import { sharedQueuePolicy } from './sharedQueue.ts';

/** The policies' names, as scenarios write them (`router.policy`). */
export const ROUTER_POLICIES = ['random', 'round-robin', 'least-connections', 'power-of-two', 'power-of-d', 'shared-queue'] as const;
export type RouterPolicyName = (typeof ROUTER_POLICIES)[number];

/** Policies that choose on the dynos' loads (and so can be given late loads, `router.loadRefresh`). */
export const LOAD_AWARE: readonly RouterPolicyName[] = ['least-connections', 'power-of-two', 'power-of-d'];

/** Policies that keep state of their own between requests: with several routers, each router has its own. */
export const STATEFUL: readonly RouterPolicyName[] = ['round-robin', 'least-connections'];

/** Makes the named policy; `u` is the run's "routing" stream, `choices` the d of power-of-d. */
export function createPolicy(name: RouterPolicyName, u: Uniform, choices = 2): RouterPolicy {
  switch (name) {
    case 'random': return randomPolicy(u);
    case 'round-robin': return roundRobinPolicy();
    case 'least-connections': return leastConnectionsPolicy();
    case 'power-of-two': return powerOfTwoPolicy(u);
    case 'power-of-d': return powerOfDPolicy(u, choices);
    case 'shared-queue': return sharedQueuePolicy();
  }
}
