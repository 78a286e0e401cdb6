/**
 * The optimizing compiler's inlining budget, raised for the simulator's hot path.
 *
 * One request is one pass through the request source, the router, the web tier and the
 * recording of its outcome: a dozen small methods. V8 inlines a callee only while its own
 * bytecode is under 460 bytes and the callees inlined into one function add up to under
 * 920, so by default the path stays a chain of calls, each boxing its floats and hiding
 * the loads the next one repeats. With the budgets below the whole path compiles as one
 * function: warm, in process, the canonical model runs in 0.145 s instead of 0.178 s
 * (median of three, A/B in one sitting). JavaScript's semantics do not depend on what the
 * compiler inlines, so neither does any result: every committed file is the same byte for
 * byte.
 *
 * Compiling the larger function costs time at the start, so a short run is slower tuned:
 * the canonical `dynosim run --no-charts` (2 M requests) took 0.32 s instead of 0.29 s,
 * 4 M requests broke even, 32 M took 2.33 s instead of 2.54 s. `dynosim run` therefore
 * tunes only a run estimated at TUNE_FROM_REQUESTS or more; compare, sweep and plan,
 * whose runs add up, always tune.
 *
 * The flags are V8's and process-wide (worker threads share them), and they apply to code
 * optimized after they are set. A program that imports the library can call `tuneJit()`
 * before its runs, or start Node with the same flags.
 */
import { setFlagsFromString } from 'node:v8';

/** The flags, as Node's command line takes them. */
export const JIT_FLAGS = ['--max-inlined-bytecode-size=1500', '--max-inlined-bytecode-size-cumulative=4000'] as const;

let tuned = false;

/** Sets JIT_FLAGS once; code compiled after the call is inlined with the larger budget. */
export function tuneJit(): void {
  if (tuned) return;
  tuned = true;
  for (const flag of JIT_FLAGS) setFlagsFromString(flag);
}

/** Requests (and jobs) from which a single run is faster tuned: twice the break-even measured. */
export const TUNE_FROM_REQUESTS = 8e6;

/** Tunes the JIT for a run of about `requests` requests and jobs, when it is long enough to gain. */
export function tuneJitFor(requests: number): void {
  if (requests >= TUNE_FROM_REQUESTS) tuneJit();
}
