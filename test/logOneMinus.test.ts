/**
 * The batched logarithm of the exponential draws: logOneMinus(out) leaves in out[i] the
 * very double Math.log(1 − out[i]) is, on every branch of fdlibm's method and on the
 * numbers the random streams give, so that results stay byte-identical; its module is the
 * one its source text assembles to.
 */
import test from 'ava';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assemble, WASM_FILE, wasmSource } from '../scripts/wasm.ts';
import { logOneMinus, logOneMinusBackend } from '../src/engine/logOneMinus.ts';
import { AleaStream } from '../src/engine/streams.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** How many of `us` logOneMinus gets other than Math.log(1 − u), bit for bit (the first few shown). */
function mismatches(us: ArrayLike<number>): { count: number; first: string[] } {
  const out = Float64Array.from(us);
  logOneMinus(out);
  let count = 0;
  const first: string[] = [];
  for (let i = 0; i < out.length; i++) {
    const want = Math.log(1 - us[i]!);
    if (!Object.is(out[i], want)) {
      count++;
      if (first.length < 5) first.push(`u=${us[i]}: ${out[i]} instead of ${want}`);
    }
  }
  return { count, first };
}

/** The double whose high word is `hi` and low word `lo`. */
function fromWords(hi: number, lo: number): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setUint32(0, hi >>> 0);
  v.setUint32(4, lo >>> 0);
  return v.getFloat64(0);
}

test('Node runs it in WebAssembly, not the Math.log fallback', (t) => {
  t.is(logOneMinusBackend(), 'wasm');
});

test('every branch of fdlibm: x = 1 − u near the edges of |f| < 2^-20, of the sqrt(2) split and of the two sums', (t) => {
  // High words' 20 mantissa bits on each side of every edge fdlibm's method tests.
  const edges = [0, 0x100000 - 0x95f64, 0x6147a, 0x6b851, 0xfffff];
  const mantissas = new Set<number>();
  for (const e of edges) for (let d = -4; d <= 4; d++) mantissas.add((e + d + 0x100000) & 0xfffff);
  for (let m = 0; m < 0x100000; m += 997) mantissas.add(m);
  const lows = [0, 1, 0x800, 0xfffff800, 0x7fffffff, 0xffffffff];
  // x from 2^-40 to 2^40. Every such x of at least 1/2 is 1 − u for u = 1 − x exactly (a
  // negative u for x > 1: fdlibm's same steps with k > 0); below 1/2, 1 − u is the double
  // nearest x that a difference from 1 can be, still on each side of the edges' exponents.
  const us: number[] = [];
  let exact = 0;
  for (let exp = 1023 - 40; exp <= 1023 + 40; exp++) {
    for (const m of mantissas) {
      for (const lo of lows) {
        const x = fromWords((exp << 20) | m, lo);
        const u = 1 - x;
        us.push(u);
        if (1 - u === x) exact++;
      }
    }
  }
  // Within 2^-20 of a power of two, where fdlibm sums its shorter series: densely, as the
  // general sums would now and then round otherwise.
  const low = new AleaStream('logOneMinus/low words');
  for (let exp = 1023 - 3; exp <= 1023 + 1; exp++) {
    for (const m of [0, 1, 0xffffe, 0xfffff]) {
      for (let j = 0; j < 5000; j++) us.push(1 - fromWords((exp << 20) | m, Math.floor(low.next() * 2 ** 32)));
    }
  }
  us.push(0, 2 ** -32, 1 - 2 ** -32, 0.5, 0.25, 2 ** -53, 1 - 2 ** -53);
  t.true(exact > 200_000, `${exact} of ${us.length} exact`);
  t.deepEqual(mismatches(us), { count: 0, first: [] });
});

test('ten million draws of a random stream, in batches of the request flow and of other lengths', (t) => {
  const stream = new AleaStream('dynosim/1/arrivals');
  const batch = new Float64Array(256);
  let count = 0;
  for (let b = 0; b < 40_000; b++) {
    stream.fill(batch);
    count += mismatches(batch).count;
  }
  for (const n of [0, 1, 2, 3, 255, 257, 4095, 4096, 4097, 10_001]) {
    const us = new Float64Array(n);
    stream.fill(us);
    count += mismatches(us).count;
  }
  t.is(count, 0);
});

test('any numbers: uniforms, their edges, and what no stream gives (zero, negative, subnormal, infinite, NaN)', (t) => {
  const u = fc.oneof(
    fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((i) => i * 2 ** -32),
    fc.double({ min: 0, max: 1e-6, noNaN: true }),
    fc.double({ min: 1 - 1e-6, max: 1, maxExcluded: true, noNaN: true }),
    fc.double(),
    fc.constantFrom(0, 1, -1, 2, 1 - 2 ** -1074, 1 + 2 ** -52, Infinity, -Infinity, NaN, -0),
  );
  fc.assert(
    fc.property(fc.array(u, { maxLength: 600 }), (us) => mismatches(us).count === 0),
    { numRuns: 2000 },
  );
  t.pass();
});

test('logOneMinus.wasm.ts is what logOneMinus.wat assembles to (run node scripts/wasm.ts after changing the .wat)', async (t) => {
  t.is(readFileSync(ROOT + WASM_FILE, 'utf8'), wasmSource(await assemble()));
});
