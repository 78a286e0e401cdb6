/**
 * Heroku's random router: each request goes to the dyno at place floor(u × count) among the
 * routable ones, u the routing stream's next uniform and count the dynos routable at that
 * moment. The policy works the places out a batch at a time (src/model/router/random.ts),
 * and must pick exactly as one draw per request would, however the count changes mid-batch.
 */
import test from 'ava';
import fc from 'fast-check';
import { AleaStream } from '../src/engine/streams.ts';
import { randomPolicy } from '../src/model/router/random.ts';
import type { DynoLoad } from '../src/model/router/RouterPolicy.ts';

/** A load whose routable dynos are numbered apart from their places, so that a pick shows both. */
function loadOf(count: number): DynoLoad {
  const routable = new Int32Array(count);
  for (let i = 0; i < count; i++) routable[i] = 1000 + 7 * i;
  return { routable, routableCount: count, inSystem: () => 0 };
}

test('the random policy picks floor(u × the routable count at the time), however often the count changes', (t) => {
  fc.assert(
    fc.property(
      fc.string({ maxLength: 12 }),
      // Runs of requests, each with its routable count: runs shorter and longer than a batch of
      // draws (256), so that the count changes inside batches, at their edges and across them.
      fc.array(fc.record({ requests: fc.integer({ min: 1, max: 700 }), count: fc.integer({ min: 1, max: 5000 }) }), { minLength: 1, maxLength: 12 }),
      (seed, runs) => {
        const policy = randomPolicy(new AleaStream(seed));
        const ref = new AleaStream(seed);
        for (const { requests, count } of runs) {
          const load = loadOf(count);
          for (let i = 0; i < requests; i++) {
            const want = load.routable[Math.floor(ref.next() * count)];
            if (policy.choose(load, 0) !== want) return false;
          }
        }
        return true;
      },
    ),
    { numRuns: 200 },
  );
  t.pass();
});

test('a count that changes on every request still gets every pick right', (t) => {
  const policy = randomPolicy(new AleaStream('every request'));
  const ref = new AleaStream('every request');
  let bad = 0;
  for (let i = 0; i < 2000; i++) {
    const count = 1 + ((i * 37) % 50);
    const load = loadOf(count);
    if (policy.choose(load, 0) !== load.routable[Math.floor(ref.next() * count)]) bad++;
  }
  t.is(bad, 0);
});
