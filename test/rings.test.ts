/**
 * The web tier's rings against a plain array: whatever the pushes, drops and growths (the
 * head anywhere, the records wrapped round the buffer's end), a ring holds what the array
 * holds, in the same order.
 */
import test from 'ava';
import fc from 'fast-check';
import { FloatRing } from '../src/engine/FloatRing.ts';
import { ARRIVAL, CLASS, END, INDEX, TrackRing } from '../src/model/router/TrackRing.ts';

/** A step: push one (its end this far after the last), or drop what has ended by a time this far behind the last end. */
const step = fc.oneof(fc.record({ push: fc.integer({ min: 0, max: 5 }) }), fc.record({ drop: fc.integer({ min: 0, max: 40 }) }));

test('TrackRing: records survive growth and wrap-round in order, ended ones dropped oldest first', (t) => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 400 }), (steps) => {
      const ring = new TrackRing(2);
      const model: number[][] = [];
      let end = 0;
      let n = 0;
      for (const s of steps) {
        if ('push' in s) {
          end += s.push;
          // Dispatched at end − 1: a full ring may drop the records ended by then.
          ring.push(n, end - 1, end - 1, end, 1, n, -1, n % 3);
          model.push([n, end, n % 3]);
          n++;
        } else {
          const at = end - s.drop;
          ring.dropEnded(at);
          while (model.length > 0 && model[0]![1]! <= at) model.shift();
        }
        // A push on a full ring may have dropped ended records: the ring holds a suffix of the
        // model with every record it lacks ended by the time of that push.
        const lost = model.length - ring.length;
        if (lost < 0) return false;
        for (let i = 0; i < lost; i++) if (model[i]![1]! > end - 1) return false;
        for (let i = 0; i < ring.length; i++) {
          const o = ring.offset(i);
          const m = model[lost + i]!;
          if (ring.buf[o + ARRIVAL] !== m[0] || ring.buf[o + INDEX] !== m[0] || ring.buf[o + END] !== m[1] || ring.buf[o + CLASS] !== m[2]) return false;
        }
        model.splice(0, lost);
      }
      return true;
    }),
    { seed: 21, numRuns: 300 },
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
