/** What every part of a type's dyno manager works in: the run's engine and scenario, the type, its hosts, tier and flow, the platform's counts. */
import type { Engine } from '../../../engine/Engine.ts';
import type { ProcessSpec, Scenario } from '../../Scenario.ts';
import type { WebTier } from '../../router/WebTier.ts';
import type { HostManager } from '../HostManager.ts';
import type { PlacementRequest } from '../hosts/HostFleet.ts';
import type { PlatformCounts, WorkFlow } from '../contracts.ts';

export interface ManagerEnv {
  readonly engine: Engine;
  readonly s: Scenario;
  readonly proc: ProcessSpec;
  readonly hosts: HostManager;
  readonly tier: WebTier;
  readonly flow: WorkFlow;
  readonly counts: PlatformCounts;
  /** What one dyno of the type asks of a host. */
  readonly req: PlacementRequest;
}
