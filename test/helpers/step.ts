/** A scenario with a queue-time autoscaler meeting a step in traffic, shared by the scaling tests and the autoscaled report's. */
import type { ScenarioInput } from '../../src/index.ts';

/** 40 requests/s, five times that from 20 min to 50 min; 2 to 10 dynos of 4 workers. */
export const STEP: ScenarioInput = {
  name: 'step',
  seed: 7,
  duration: '80m',
  dynoAges: 'zero',
  platform: { profile: 'heroku-2025', hosts: { mtbf: 'never' }, dynoManager: { cycling: false } },
  formation: { web: { count: 2, size: 'performance-m', concurrency: 4 } },
  router: { policy: 'random' },
  traffic: { rate: '40/s', service: { distribution: 'lognormal', median: '60ms', sigma: 0.6 } },
  events: [{ at: '20m', traffic: { multiply: 5 }, for: '30m' }],
  scaling: { web: { strategy: 'queue-time', up: '50ms', down: '5ms', min: 2, max: 10 } },
};
