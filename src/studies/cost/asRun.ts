/**
 * What a run of the scenario says of its autoscaled types, for `dynosim cost --from-run`:
 * the fewest, mean and most dynos and the dyno-hours by size, read from the run's
 * summary.json. The cost command prices a month without a simulation; an autoscaler's
 * mean is known only once the traffic has been run through it.
 */
import type { Summary } from '../../model/run/results.ts';
import type { Autoscaled } from './formations.ts';
import { CostInputError } from './CostInputError.ts';

/** One autoscaled process type as a run found it. */
export interface AsRun {
  readonly processType: string;
  readonly strategy: string;
  readonly min: number;
  readonly mean: number;
  readonly max: number;
  /** Dyno-hours by size over the run (not a month). */
  readonly dynoHours: Readonly<Record<string, number>>;
  /** The run's length and seed, for the reader to know what the figures cover. */
  readonly durationS: number;
  readonly seed: number;
}

/**
 * The as-run figures of each of `autoscaled` from a run's summary (`file` names it in
 * messages); throws CostInputError when the summary is not of this scenario or lacks a type.
 */
export function asRunOf(summary: unknown, file: string, scenarioName: string, autoscaled: readonly Autoscaled[]): AsRun[] {
  const s = summary as Partial<Summary> | null;
  const name = s?.scenario?.name;
  if (typeof name !== 'string') throw new CostInputError(`--from-run ${file}: scenario.name: not a summary.json of dynosim run`);
  if (name !== scenarioName) throw new CostInputError(`--from-run ${file}: scenario.name: the run is of ${name}, not ${scenarioName}`);
  if (autoscaled.length === 0) throw new CostInputError(`--from-run ${file}: ${scenarioName} has no autoscaled process type, so a run has nothing to add to its bill`);
  return autoscaled.map((a) => {
    const x = s?.scaling?.[a.processType];
    if (x === undefined || typeof x.mean !== 'number' || typeof x.dynoHours !== 'object' || x.dynoHours === null) {
      throw new CostInputError(`--from-run ${file}: scaling.${a.processType}: missing (run the scenario again with this version of dynosim)`);
    }
    if (x.strategy !== a.strategy) throw new CostInputError(`--from-run ${file}: scaling.${a.processType}.strategy: the run used ${x.strategy}, the scenario ${a.strategy}`);
    return { processType: a.processType, strategy: x.strategy, min: x.min, mean: x.mean, max: x.max, dynoHours: { ...x.dynoHours }, durationS: s!.scenario!.durationS, seed: s!.scenario!.seed };
  });
}
