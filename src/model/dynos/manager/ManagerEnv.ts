/** What every part of a type's dyno manager works in: the run's engine and scenario, the type, its size now, its hosts, tier and flow, the platform's counts. */
import type { Engine } from '../../../engine/Engine.ts';
import type { DynoSize } from '../../platform/profile.ts';
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
  /** The type's size now, and what one new dyno of it asks of a host (a resize changes both). */
  readonly sizing: Sizing;
}

export interface Sizing {
  size: DynoSize;
  req: PlacementRequest;
}

export function sizingOf(size: DynoSize): Sizing {
  return { size, req: { memoryMb: size.memoryMb, dedicated: size.dedicated } };
}
