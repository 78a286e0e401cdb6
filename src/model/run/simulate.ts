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

export type { SimulateOptions };

/** Wires the scenario's parts, runs them to the end, and collects the results. */
export function simulate(s: Scenario, options: SimulateOptions = {}): RunResult {
  const parts = wire(s, options);
  runRun(parts);
  return collect(parts);
}

/** The same run, handing the thread to `pause` between minutes now and then (see runRunPausing): the same result. */
export async function simulatePausing(s: Scenario, options: SimulateOptions, pause: () => Promise<void>): Promise<RunResult> {
  const parts = wire(s, options);
  await runRunPausing(parts, pause);
  return collect(parts);
}
