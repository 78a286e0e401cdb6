/**
 * The web tier's rings (one, and one per dyno in a shared buffer) and its log of held
 * requests against plain arrays: whatever the pushes, drops, compactions, growths and
 * relayouts (the head anywhere, the records wrapped round the buffer's end), they hold what
 * the arrays hold, in the same order.
 */
import test from 'ava';
import fc from 'fast-check';
import { FloatRing } from '../src/engine/FloatRing.ts';
import { RingSet } from '../src/engine/RingSet.ts';
import { ARRIVAL, BLOCK, CLASS, END, INDEX, TrackLog } from '../src/model/router/TrackLog.ts';

/** A step: push one (its end this far after the last), or drop what has ended by a time this far behind the last end. */
const step = fc.oneof(fc.record({ push: fc.integer({ min: 0, max: 5 }) }), fc.record({ drop: fc.integer({ min: 0, max: 40 }) }));

/** A TrackLog step: a request dispatched this much later to a block, held this long; or a block's records forgotten. */
const logStep = fc.oneof(
  { weight: 12, arbitrary: fc.record({ gap: fc.integer({ min: 0, max: 3 }), block: fc.integer({ min: 0, max: 4 }), hold: fc.integer({ min: 0, max: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ forget: fc.integer({ min: 0, max: 4 }) }) },
);

/** What the tier reads of block `b` at `nowUs`: its records still held, oldest first, as [index, end]. */
function heldBy(log: TrackLog, b: number, nowUs: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < log.length; i++) {
    const o = log.offset(i);
    if (log.buf[o + BLOCK] === b && log.buf[o + END]! > nowUs) out.push([log.buf[o + INDEX]!, log.buf[o + END]!]);
  }
  return out;
}

test('TrackLog: each block reads the records it still holds, in order, through growth, compaction and wrap-round', (t) => {
  fc.assert(
    fc.property(fc.array(logStep, { maxLength: 600 }), (steps) => {
      const log = new TrackLog(4);
      const model: { index: number; block: number; end: number; arrival: number; cls: number }[] = [];
      let now = 0;
      let n = 0;
      let peakHeld = 0;
      for (const s of steps) {
        if ('gap' in s) {
          now += s.gap;
          log.push(s.block, now - 1, now, now, now + s.hold, s.hold, n, -1, n % 3);
          model.push({ index: n, block: s.block, end: now + s.hold, arrival: now - 1, cls: n % 3 });
          n++;
        } else {
          // As the tier does when a block's process dies: every record of it read, then forgotten.
          for (let i = 0; i < log.length; i++) {
            const o = log.offset(i);
            if (log.buf[o + BLOCK] === s.forget) log.forget(o);
          }
          for (const m of model) if (m.block === s.forget) m.end = -Infinity;
        }
        peakHeld = Math.max(peakHeld, model.filter((m) => m.end > now).length);
        for (let b = 0; b <= 4; b++) {
          const want = model.filter((m) => m.block === b && m.end > now).map((m) => [m.index, m.end]);
          if (JSON.stringify(heldBy(log, b, now)) !== JSON.stringify(want)) return false;
        }
        // The other fields travel with their record.
        for (let i = 0; i < log.length; i++) {
          const o = log.offset(i);
          const m = model[log.buf[o + INDEX]!]!;
          if (log.buf[o + ARRIVAL] !== m.arrival || log.buf[o + CLASS] !== m.cls) return false;
        }
      }
      // Bounded by the records held at once: never more than 16 times the most ever held (or its first size).
      return log.length <= Math.max(4, 16 * peakHeld);
    }),
    { seed: 21, numRuns: 200 },
  );
  t.pass();
});

test('FloatRing: values survive growth and wrap-round in order; dropThrough counts what it drops', (t) => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 400 }), (steps) => {
      const ring = new FloatRing(2);
      const model: number[] = [];
      let v = 0;
      for (const s of steps) {
        if ('push' in s) {
          v += s.push;
          if (ring.full) {
            const before = ring.length;
            if (ring.dropThrough(v - 10) !== before - ring.length) return false;
            while (model.length > 0 && model[0]! <= v - 10) model.shift();
          }
          ring.push(v);
          model.push(v);
        } else {
          const dropped = ring.dropThrough(v - s.drop);
          let expected = 0;
          while (model.length > 0 && model[0]! <= v - s.drop) {
            model.shift();
            expected++;
          }
          if (dropped !== expected) return false;
        }
        if (ring.length !== model.length) return false;
        for (let i = 0; i < model.length; i++) if (ring.at(i) !== model[i]) return false;
      }
      return true;
    }),
    { seed: 21, numRuns: 300 },
  );
  t.pass();
});

test('RingSet: each ring holds what an array holds, through growth, relayout, wrap-round, clears and added rings', (t) => {
  // A step on ring `r`: push (this far after its last value; dropping up to a limit this far behind when full), drop, clear, or add a ring.
  const setStep = fc.oneof(
    { weight: 8, arbitrary: fc.record({ r: fc.nat(), push: fc.integer({ min: 0, max: 5 }), behind: fc.integer({ min: 0, max: 30 }) }) },
    { weight: 3, arbitrary: fc.record({ r: fc.nat(), drop: fc.integer({ min: 0, max: 40 }) }) },
    { weight: 1, arbitrary: fc.record({ r: fc.nat(), clear: fc.constant(true) }) },
    { weight: 1, arbitrary: fc.record({ add: fc.integer({ min: 1, max: 3 }) }) },
    { weight: 2, arbitrary: fc.record({ r: fc.nat(), sorted: fc.integer({ min: 0, max: 50 }) }) },
  );
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 4 }), fc.array(setStep, { maxLength: 500 }), (first, steps) => {
      const rings = new RingSet(first, 2);
      const sorted = new RingSet(first, 2);
      const model: number[][] = Array.from({ length: first }, () => []);
      const sortedModel: number[][] = Array.from({ length: first }, () => []);
      const last: number[] = Array.from({ length: first }, () => 0);
      for (const s of steps) {
        if ('add' in s) {
          rings.add(s.add);
          sorted.add(s.add);
          for (let k = 0; k < s.add; k++) {
            model.push([]);
            sortedModel.push([]);
            last.push(0);
          }
        } else if (model.length > 0) {
          const r = s.r % model.length;
          const q = model[r]!;
          if ('push' in s) {
            last[r]! += s.push;
            const v = last[r]!;
            const limit = v - s.behind;
            let expected = 0;
            if (rings.full(r)) {
              while (q.length > 0 && q[0]! <= limit) {
                q.shift();
                expected++;
              }
            }
            if (rings.pushDropping(r, v, limit) !== expected) return false;
            q.push(v);
          } else if ('drop' in s) {
            const limit = last[r]! - s.drop;
            let expected = 0;
            while (q.length > 0 && q[0]! <= limit) {
              q.shift();
              expected++;
            }
            if (rings.dropThrough(r, limit) !== expected) return false;
            // The sorted rings drop from their front too (a router's end times).
            const p = sortedModel[r]!;
            let fromSorted = 0;
            while (p.length > 0 && p[0]! <= s.drop) {
              p.shift();
              fromSorted++;
            }
            if (sorted.dropThrough(r, s.drop) !== fromSorted) return false;
          } else if ('clear' in s) {
            rings.clear(r);
            sorted.clear(r);
            q.length = 0;
            sortedModel[r]!.length = 0;
          } else {
            sorted.pushSorted(r, s.sorted);
            sortedModel[r]!.push(s.sorted);
            sortedModel[r]!.sort((a, b) => a - b);
          }
        }
        if (rings.size !== model.length || sorted.size !== model.length) return false;
        for (let r = 0; r < model.length; r++) {
          const [q, p] = [model[r]!, sortedModel[r]!];
          if (rings.length(r) !== q.length || sorted.length(r) !== p.length) return false;
          for (let i = 0; i < q.length; i++) if (rings.at(r, i) !== q[i]) return false;
          for (let i = 0; i < p.length; i++) if (sorted.at(r, i) !== p[i]) return false;
        }
      }
      return true;
    }),
    { seed: 21, numRuns: 300 },
  );
  t.pass();
});

test('RingSet.lower: the bound it lowers never falls under the count above the time, and is that count unless under the cap', (t) => {
  // Per check: a dyno's new queued start this far after the last, the clock this far on, and the cap.
  const check = fc.record({ dyno: fc.integer({ min: 0, max: 5 }), gap: fc.integer({ min: 0, max: 30 }), tick: fc.integer({ min: 0, max: 20 }), cap: fc.integer({ min: 0, max: 12 }) });
  fc.assert(
    fc.property(fc.array(check, { maxLength: 300 }), (checks) => {
      const rings = new RingSet(6, 4);
      const model: number[][] = Array.from({ length: 6 }, () => []);
      const last = new Float64Array(6);
      let now = 0;
      let upper = 0;
      for (const c of checks) {
        now += c.tick;
        last[c.dyno] = Math.max(last[c.dyno]!, now) + c.gap;
        rings.pushDropping(c.dyno, last[c.dyno]!, -Infinity);
        model[c.dyno]!.push(last[c.dyno]!);
        upper++;
        upper = rings.lower(now, upper, c.cap);
        const exact = model.reduce((n, q) => n + q.filter((v) => v > now).length, 0);
        if (upper < exact || (upper >= c.cap && upper !== exact)) return false;
      }
      // Counting every ring gives the exact count.
      return rings.countAbove(now) === model.reduce((n, q) => n + q.filter((v) => v > now).length, 0);
    }),
  );
  t.pass();
});
