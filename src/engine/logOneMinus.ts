/**
 * Math.log(1 − u) for a batch of numbers, in place: the logarithm of every exponential
 * draw (a Poisson arrival's gap, an exponential or Weibull service time), two a request.
 *
 * V8's Math.log is fdlibm's, compiled from C and called one number at a time: 15% of a
 * long run's time. logOneMinus.wat does fdlibm's operations in the same order on two
 * numbers at a time in WebAssembly's 128-bit lanes, so each result is the same double, bit
 * for bit (test/logOneMinus.test.ts holds it to Math.log on every branch of the method and
 * on ten million draws), in three quarters of the time of Math.log in a loop.
 *
 * A batch with a number fdlibm treats apart is done again with Math.log: 1 − u within
 * 2^-20 of a power of two, where fdlibm sums a shorter series (3 uniforms in 2^20, one
 * batch of 256 draws in about 1 400), or zero, negative or not finite (no uniform in
 * [0, 1)). So is every batch where WebAssembly or its 128-bit lanes are missing: Node has
 * them; a runtime without them only runs slower.
 */
import { LOG_ONE_MINUS_WASM } from './logOneMinus.wasm.ts';

/** What is used here of WebAssembly's globals, which the project's TypeScript libraries leave undeclared. */
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};

/** Numbers done in one call to the module: its page holds 8 192, with room to spare. */
const CHUNK = 4096;

interface Kernel {
  /** The module's memory, as doubles: the batch goes through it. */
  readonly lanes: Float64Array;
  /** log(1 − lanes[i]) for i < n, in place; nonzero when some lane needs Math.log. */
  readonly run: (n: number) => number;
  /** lanes' first `viewLength` doubles (callers pass batches of one length: kept, not made anew). */
  view: Float64Array;
  viewLength: number;
}

/** The kernel (null: none, Math.log does it all); undefined until first used. */
let kernel: Kernel | null | undefined;

function load(): Kernel | null {
  try {
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(LOG_ONE_MINUS_WASM)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(LOG_ONE_MINUS_WASM), {});
    const memory = instance.exports.memory as { buffer: ArrayBuffer };
    const lanes = new Float64Array(memory.buffer, 0, CHUNK + 2);
    return { lanes, run: instance.exports.logOneMinus as (n: number) => number, view: lanes, viewLength: -1 };
  } catch {
    return null;
  }
}

/** Which way logOneMinus computes: 'wasm' (two lanes at a time) or 'scalar' (Math.log). */
export function logOneMinusBackend(): 'wasm' | 'scalar' {
  kernel ??= load();
  return kernel === null ? 'scalar' : 'wasm';
}

/** out[i] = Math.log(1 − out[i]) for every i, one at a time: the fallback. */
function logOneMinusScalar(out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = Math.log(1 - out[i]!);
}

/** out[i] = Math.log(1 − out[i]) for every i, the same doubles as logOneMinusScalar. */
export function logOneMinus(out: Float64Array): void {
  kernel ??= load();
  if (kernel === null) {
    logOneMinusScalar(out);
    return;
  }
  for (let from = 0; from < out.length; from += CHUNK) {
    const part = out.length - from > CHUNK ? out.subarray(from, from + CHUNK) : from === 0 ? out : out.subarray(from);
    const n = part.length;
    const k = kernel;
    k.lanes.set(part);
    // The module works in pairs: an odd batch's partner is a number no branch sets apart.
    if (n % 2 === 1) k.lanes[n] = 0.25;
    if (k.run(n) !== 0) {
      logOneMinusScalar(part);
      continue;
    }
    if (k.viewLength !== n) {
      k.view = k.lanes.subarray(0, n);
      k.viewLength = n;
    }
    part.set(k.view);
  }
}
