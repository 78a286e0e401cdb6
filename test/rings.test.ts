/**
 * The web tier's rings and its log of held requests against plain arrays: whatever the
 * pushes, drops, compactions and growths (the head anywhere, the records wrapped round the
 * buffer's end), they hold what the arrays hold, in the same order.
 */
import test from 'ava';
import fc from 'fast-check';
import { countAbove, FloatRing, RingSweep } from '../src/engine/FloatRing.ts';
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

test('RingSweep: the bound it lowers never falls under the count above the time, and is that count unless under the cap', (t) => {
  // Per check: a dyno's new queued start this far after the last, the clock this far on, and the cap.
  const check = fc.record({ dyno: fc.integer({ min: 0, max: 5 }), gap: fc.integer({ min: 0, max: 30 }), tick: fc.integer({ min: 0, max: 20 }), cap: fc.integer({ min: 0, max: 12 }) });
  fc.assert(
    fc.property(fc.array(check, { maxLength: 300 }), (checks) => {
      const rings = Array.from({ length: 6 }, () => new FloatRing(4));
      const last = new Float64Array(6);
      const sweep = new RingSweep();
      let now = 0;
      let upper = 0;
      for (const c of checks) {
        now += c.tick;
        last[c.dyno] = Math.max(last[c.dyno]!, now) + c.gap;
        rings[c.dyno]!.push(last[c.dyno]!);
        upper++;
        upper = sweep.lower(rings, now, upper, c.cap);
        const exact = countAbove(rings.map(copyOf), now);
        if (upper < exact || (upper >= c.cap && upper !== exact)) return false;
      }
      return true;
    }),
  );
  t.pass();
});

/** A copy of a ring, to count without dropping from the original. */
function copyOf(r: FloatRing): FloatRing {
  const c = new FloatRing(4);
  for (let i = 0; i < r.length; i++) c.push(r.at(i));
  return c;
}
