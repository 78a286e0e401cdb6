/** A scenario file checked without running it: the scenario as written, then each of its variants. */
import { loadScenario, readScenarioFile, variantNames } from '../../scenario/load.ts';
import { ScenarioError } from '../../scenario/problems.ts';
import type { Scenario } from '../../model/Scenario.ts';

export interface Validation {
  /** The scenario as written, loaded. */
  readonly scenario: Scenario;
  readonly variants: readonly string[];
  /** Every problem of every variant, one line each (none: the file is good). */
  readonly problems: readonly string[];
}

/** Loads the scenario (its problems throw, as a ScenarioError), then every variant, gathering their problems. */
export async function validate(file: string, set: readonly string[]): Promise<Validation> {
  const s = await loadScenario(file, { set });
  const variants = variantNames(readScenarioFile(file));
  const problems: string[] = [];
  for (const variant of variants) {
    try {
      await loadScenario(file, { set, variant });
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      problems.push(...e.lines());
    }
  }
  return { scenario: s, variants, problems };
}
