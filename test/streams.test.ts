/**
 * The random streams: dynosim steps Baagøe's Alea itself (src/engine/streams.ts), one draw
 * at a time and a batch at a time, and must draw exactly seedrandom's numbers, so that
 * every seed's results stay what they were.
 */
import test from 'ava';
import seedrandom from 'seedrandom';
import { AleaStream, drawInto, Streams, type Uniform } from '../src/engine/streams.ts';

const DRAWS = 200_000;

test('AleaStream draws seedrandom.alea\'s numbers, one at a time and in batches, for several seeds', (t) => {
  for (const seed of ['', 'dynosim/1/arrivals', 'dynosim/42/service/api', 'x'.repeat(300)]) {
    const ref = seedrandom.alea(seed, { state: true });
    const one = new AleaStream(seed);
    const batched = new AleaStream(seed);
    // Batches of uneven sizes, so that the state carried from one batch to the next is checked too.
    const sizes = [1, 7, 256, 3, 1000];
    let bad = 0;
    let n = 0;
    // Draws whose fraction of 2091639·s0 and carry in add up to 1 or more: the rare branch
    // of the batched step (about one in two thousand), which must be met too.
    let carries = 0;
    for (let k = 0; n < DRAWS; k++) {
      const out = new Float64Array(sizes[k % sizes.length]!);
      batched.fill(out);
      for (let i = 0; i < out.length; i++, n++) {
        const { c, s0 } = ref.state() as { c: number; s0: number };
        const m = 2091639 * s0;
        if (m - Math.floor(m) + c * 2 ** -32 >= 1) carries++;
        const x = ref();
        if (one.next() !== x || out[i] !== x) bad++;
      }
    }
    t.is(bad, 0, `seed ${JSON.stringify(seed.slice(0, 20))}`);
    t.true(carries > 20, `seed ${JSON.stringify(seed.slice(0, 20))}: ${carries} carries`);
  }
});

test('drawInto gives the stream\'s next numbers in order, from an AleaStream or any other Uniform', (t) => {
  const streams = new Streams(7);
  const a = streams.stream('routing');
  const b = streams.stream('routing');
  const out = new Float64Array(300);
  drawInto(a, out);
  t.deepEqual(Array.from(out), Array.from({ length: 300 }, () => b.next()));
  let i = 0;
  const counting: Uniform = { next: () => ++i / 1000 };
  drawInto(counting, out);
  t.is(out[0], 0.001);
  t.is(out[299], 0.3);
});
