/**
 * Every size of today's profile: the three largest Performance sizes beside the others,
 * each placed on a host of its own, priced by the month, with its R15 multiple.
 */
import test from 'ava';
import { scenarioFromObject } from '../src/scenario/load.ts';
import { simulate } from '../src/model/run/simulate.ts';

const LARGEST = [
  ['performance-l-ram', 30720, 4, 500],
  ['performance-xl', 63488, 8, 750],
  ['performance-2xl', 129024, 16, 1500],
] as const;

test('the largest Performance sizes: memory, cores, R15 at 1.2x, and their monthly price', async (t) => {
  for (const [size, memoryMb, cores, priceUsd] of LARGEST) {
    const s = await scenarioFromObject({
      name: 'largest',
      seed: 1,
      duration: '1h',
      formation: { web: { count: 2, size, concurrency: 8 } },
      traffic: { rate: '20/s', service: { distribution: 'exponential', mean: '100ms' } },
    });
    t.deepEqual([s.web.size.memoryMb, s.web.size.cpuShare, s.web.size.dedicated, s.web.size.r15Multiple, s.web.size.priceUsd], [memoryMb, cores, true, 1.2, priceUsd], size);
    const r = simulate(s);
    // Each has a host to itself, however large: none waits for one.
    t.is(r.summary.platform.placementWaitS, 0, size);
    t.true(r.summary.requests.completed > 60_000, size);
    t.is(r.summary.cost.monthlyUsd, 2 * priceUsd, size);
  }
});
