/** The scenario's `router` block, checked against the platform's router tier. */
import type { PlatformProfile } from '../../model/platform/profile.ts';
import { LOAD_AWARE } from '../../model/router/policies.ts';
import type { Scenario } from '../../model/Scenario.ts';
import type { ScenarioFile } from '../schema/scenario.ts';
import type { Problem } from '../schema/problems.ts';

/** The router block, checked against the platform's router tier. */
export function resolveRouter(s: ScenarioFile, platform: PlatformProfile, problems: Problem[]): Scenario['router'] {
  const { policy, choices, loadRefresh } = s.router;
  if (choices !== undefined && policy !== 'power-of-d') {
    problems.push({ path: 'router.choices', message: `choices applies to policy power-of-d only, not ${policy}`, needs: ['router.policy'] });
  }
  if (loadRefresh !== undefined && !LOAD_AWARE.includes(policy)) {
    problems.push({ path: 'router.loadRefresh', message: `loadRefresh applies to policies that read dyno loads (${LOAD_AWARE.join(', ')}), not ${policy}`, needs: ['router.policy'] });
  }
  if (policy === 'shared-queue' && typeof s.platform === 'object' && s.platform.router?.maxActivePerDyno !== undefined) {
    problems.push({ path: 'platform.router.maxActivePerDyno', message: 'a shared queue sends a dyno only what its workers can take: maxActivePerDyno does not apply to policy shared-queue', needs: ['router.policy'] });
  }
  if (policy === 'shared-queue' && platform.router.routers > 1) {
    problems.push({ path: 'platform.router.routers', message: `a shared queue is one router's queue: expected 1 router with policy shared-queue, got ${platform.router.routers}`, needs: ['router.policy'] });
  }
  return Object.freeze({ policy, choices: choices ?? 2, loadRefreshUs: loadRefresh ?? null });
}
