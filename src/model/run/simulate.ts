/**
 * One run of a scenario: the web tier and router fed by the traffic, on the event loop,
 * with every request's outcome recorded. Requests arriving in [0, duration) are followed
 * until their client has an answer; latency statistics cover those arriving after the
 * warm-up, billing covers the whole duration.
 */
import type { Scenario } from '../Scenario.ts';
import type { RunResult } from './results.ts';
import { collect } from './collect.ts';
import { runRun, runRunPausing } from './runRun.ts';
import { wire, type SimulateOptions } from './wire.ts';
import { detectWarmup, detectWarmupPausing } from './warmup.ts';

export type { SimulateOptions };

/**
 * Wires the scenario's parts, runs them to the end, and collects the results. With
 * `warmup: auto` not yet detected, a first pass detects it (see warmup.ts; throws
 * WarmupError when the run is too short to tell).
 */
export function simulate(s: Scenario, options: SimulateOptions = {}): RunResult {
  const parts = wire(detectWarmup(s), options);
  runRun(parts);
  return collect(parts);
}

/** The same run, handing the thread to `pause` between minutes now and then (see runRunPausing): the same result. */
export async function simulatePausing(s: Scenario, options: SimulateOptions, pause: () => Promise<void>): Promise<RunResult> {
  const parts = wire(await detectWarmupPausing(s, pause), options);
  await runRunPausing(parts, pause);
  return collect(parts);
}
