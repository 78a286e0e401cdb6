/**
 * How the library takes a scenario: a file path, its fields (what the YAML file holds, as
 * an object: `ScenarioInput`), or already loaded (`Scenario`); and how a study hands one
 * to its worker threads (plain data: a path, or the fields).
 */
import { loadScenario, scenarioFromObject, type LoadOptions, type ScenarioRef } from '../../scenario/load.ts';
import type { Scenario } from '../../model/Scenario.ts';
import type { ScenarioInput } from '../../scenario/schema.ts';
import type { Chart } from '../../output/charts/chart.ts';
import { InputError } from '../../scenario/InputError.ts';

/** A scenario: a file path, its fields (what the file holds), or one already loaded. */
export type ScenarioLike = string | ScenarioInput | Scenario;

/** What picks the scenario that runs: overrides, a seed, a variant. */
export interface ScenarioOptions {
  /** `path=value` overrides, as `--set` takes them (the value is read as YAML). */
  readonly set?: readonly string[];
  readonly seed?: number;
  /** One of the scenario's variants. */
  readonly variant?: string;
  /** Where relative paths in fields given as an object resolve from (default: the current folder). */
  readonly baseDir?: string;
}

function isLoaded(x: ScenarioLike): x is Scenario {
  return typeof x === 'object' && x !== null && typeof (x as Scenario).durationUs === 'number';
}

/** How messages name fields given as an object: after their name, like a file. */
function labelOf(fields: unknown): string {
  const name = (fields as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name !== '' ? name : 'scenario';
}

/** Loads, validates and resolves a scenario; throws ScenarioError listing every problem. */
export async function scenario(input: ScenarioLike, opts: ScenarioOptions = {}): Promise<Scenario> {
  const load: LoadOptions = { set: opts.set, seed: opts.seed, variant: opts.variant };
  if (typeof input === 'string') return loadScenario(input, load);
  if (isLoaded(input)) {
    if (opts.set !== undefined || opts.variant !== undefined) throw new InputError('set and variant apply to a scenario file or its fields, not to a scenario already loaded');
    return opts.seed === undefined ? input : { ...input, seed: opts.seed };
  }
  return scenarioFromObject(input, { ...load, label: labelOf(input), baseDir: opts.baseDir });
}

/** A scenario for the worker threads of a study: plain data (a path, or the fields). */
export function refOf(input: string | ScenarioInput, baseDir?: string): ScenarioRef {
  if (typeof input === 'string') return { file: input };
  if (isLoaded(input as ScenarioLike)) throw new InputError('a study takes scenario files or fields, which its worker threads load: pass the fields rather than a loaded scenario');
  return { file: labelOf(input), fields: input, ...(baseDir === undefined ? {} : { baseDir }) };
}

/** The chart of that name among `charts`; throws naming the charts there are. */
export function chartNamed(charts: readonly Chart[], name: string): Chart {
  const c = charts.find((x) => x.name === name);
  if (c === undefined) throw new InputError(`no chart named ${JSON.stringify(name)} (the charts: ${charts.map((x) => x.name).join(', ') || 'none'})`);
  return c;
}
