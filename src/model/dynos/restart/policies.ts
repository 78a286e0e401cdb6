/** Restart policies by the names scenarios use (`dynoManager.restartPolicy`). */
import type { RestartPolicy } from './RestartPolicy.ts';
import { heroku2013Restart } from './heroku2013.ts';
import { heroku2013EarlyRestart } from './heroku2013Early.ts';
import { heroku2019Restart } from './heroku2019.ts';

export const RESTART_POLICIES = ['heroku-2013', 'heroku-2013-early', 'heroku-2019'] as const;
export type RestartPolicyName = (typeof RESTART_POLICIES)[number];

export interface RestartOptions {
  /**
   * Run time (µs) after which a dyno counts as having started fine (heroku-2019 only;
   * default 10 minutes). The 2013 policies use Heroku's published 10-minute window.
   */
  readonly stableAfterUs?: number;
}

export function createRestartPolicy(name: RestartPolicyName, opts: RestartOptions = {}): RestartPolicy {
  switch (name) {
    case 'heroku-2013': return heroku2013Restart();
    case 'heroku-2013-early': return heroku2013EarlyRestart();
    case 'heroku-2019': return heroku2019Restart(opts.stableAfterUs);
  }
}
