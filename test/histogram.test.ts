/**
 * The histogram's bucket arithmetic: a value's bucket at a coarser precision, derived from
 * its bucket at a finer one (the request path finds a latency's bucket once, for the run's
 * histogram and its minute's), is the bucket the coarser histogram would find itself.
 */
import test from 'ava';
import fc from 'fast-check';
import { Histogram } from '../src/engine/Histogram.ts';
import { mergeHistograms } from '../src/studies/parallel/outcome.ts';

// Values across every range the buckets treat apart: below 1, the exponents up to 2^52, the
// overflow bucket above, and the edges of buckets (powers of two and their neighbours).
const value = fc.oneof(
  fc.double({ min: 0, max: 1e20, noNaN: true }),
  fc.double({ min: 0, max: 2, noNaN: true }),
  fc.integer({ min: 0, max: 60 }).chain((e) => fc.constantFrom(2 ** e, 2 ** e - 1, 2 ** e + 1, 2 ** e * (1 - 2 ** -52))),
  fc.constantFrom(0, 1, 30_000_000, Number.MAX_VALUE, Infinity),
);

test('coarser(index(v), bits) is the bucket of v in a histogram of that precision', (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }), fc.array(value, { minLength: 1, maxLength: 50 }), (a, b, vs) => {
      const fine = new Histogram(Math.max(a, b));
      const coarse = new Histogram(Math.min(a, b));
      return vs.every((v) => fine.coarser(fine.index(v), coarse.bits) === coarse.index(v));
    }),
    { numRuns: 500 },
  );
  // The precisions the request path uses, value by value over a fine grid of latencies.
  const fine = new Histogram(10);
  const coarse = new Histogram(7);
  let bad = 0;
  for (let v = 0; v < 2e6; v += 0.75) if (fine.coarser(fine.index(v), 7) !== coarse.index(v)) bad++;
  t.is(bad, 0);
});

test('recordAt with the value\'s own bucket is record, sum, min and max included; a zero\'s bucket is 0', (t) => {
  // The request flow records a request that waited not at all as recordAt(0, 0).
  t.is(new Histogram(10).index(0), 0);
  fc.assert(
    fc.property(fc.array(fc.oneof(value, fc.constant(0)), { maxLength: 200 }), (vs) => {
      const a = new Histogram(10);
      const b = new Histogram(10);
      for (const v of vs) {
        a.record(v);
        b.recordAt(b.index(v), v);
      }
      return JSON.stringify(a.toJSON()) === JSON.stringify(b.toJSON()) && Object.is(a.sum, b.sum) && Object.is(a.min, b.min) && Object.is(a.max, b.max) && a.count === b.count;
    }),
  );
  t.pass();
});

test('check(): the buckets between min and max hold the count, or it throws; toJSON and mergeHistograms check', (t) => {
  const h = new Histogram(10);
  for (const v of [5, 250_000, 1_000_000, 1_250_001]) h.record(v);
  h.remove(250_000);
  t.notThrows(() => h.check());
  const j = h.toJSON();
  t.is(j.buckets.reduce((s, [, c]) => s + c, 0), 3);
  // A histogram that lost its top bucket on the way would pool into a wrong p99.9.
  const short = Histogram.fromJSON({ ...j, buckets: j.buckets.slice(0, -1) });
  t.throws(() => short.check(), { message: /^histogram: its buckets \d+\.\.\d+ hold 2 values, its count is 3 \(min 5, max 1250001\)$/ });
  t.throws(() => short.toJSON(), { message: /hold 2 values, its count is 3/ });
  t.throws(() => mergeHistograms([j, { ...j, buckets: j.buckets.slice(1) }]), { message: /hold 5 values, its count is 6/ });
  t.is(mergeHistograms([j, j]).count, 6);
  // A histogram of Infinity alone is not empty: its value is in the last bucket.
  const inf = new Histogram(10);
  inf.record(Infinity);
  t.deepEqual(inf.toJSON().buckets, [[inf.counts.length - 1, 1]]);
  t.is(inf.quantile(0.5), Infinity);
});

test('quantiles(qs) is qs.map(quantile): one walk, the same definition, empty buckets and taken-back values included', (t) => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(value, fc.constant(0)), { maxLength: 300 }),
      fc.array(fc.nat(), { maxLength: 30 }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
      fc.integer({ min: 1, max: 12 }),
      (vs, drop, qs0, bits) => {
        const h = new Histogram(bits);
        for (const v of vs) h.record(v);
        // Take some values back: their buckets may empty while min and max stay.
        const taken = new Set(drop.filter((i) => i < vs.length));
        for (const i of taken) h.remove(vs[i]!);
        const qs = [...qs0, 0, 1].sort((a, b) => a - b);
        const many = h.quantiles(qs);
        return qs.every((q, i) => Object.is(many[i], h.quantile(q)));
      },
    ),
    { numRuns: 500 },
  );
  t.pass();
});
