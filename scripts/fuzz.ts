/**
 * `npm run fuzz [-- --minutes M] [--seed N]`: the property tests' generators for as long as
 * asked (1 minute by default), half the time on valid scenarios run with their invariants
 * checked, half on invalid ones that must be refused with their field's path. Prints what
 * it covered and the first counterexample it found, shrunk; exit 1 if it found one.
 */
import fc from 'fast-check';
import { scenarioFromObject } from '../src/scenario/load.ts';
import { ScenarioError } from '../src/scenario/problems.ts';
import { simulate } from '../src/model/run/simulate.ts';
import { invalidScenario, validScenario } from '../test/helpers/arbitraries.ts';
import { brokenInvariant } from '../test/helpers/invariants.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const minutes = arg('minutes', 1);
const seed = arg('seed', Date.now() % 2 ** 31);
const halfMs = (minutes * 60_000) / 2;

const counts = { valid: 0, requests: 0, invalid: 0 };
const valid = await fc.check(
  fc.asyncProperty(validScenario, async (obj) => {
    const r = simulate(await scenarioFromObject(obj));
    counts.valid++;
    counts.requests += r.requests;
    const broken = brokenInvariant(r);
    if (broken !== null) throw new Error(broken);
  }),
  { numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: halfMs, seed },
);
const invalid = await fc.check(
  fc.asyncProperty(invalidScenario, async ({ scenario, path }) => {
    counts.invalid++;
    try {
      await scenarioFromObject(scenario, { label: 'fuzz.yaml' });
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      if (!e.problems.some((p) => p.path === path || p.path.startsWith(`${path}.`))) throw new Error(`no problem names ${path}: ${e.message}`);
      return;
    }
    throw new Error(`accepted with ${path} broken`);
  }),
  { numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: halfMs, seed },
);
console.log(`fuzz: seed ${seed}, ${minutes} min: ${counts.valid} valid scenarios run (${(counts.requests / 1e6).toFixed(1)} M requests), ${counts.invalid} invalid ones refused`);
let failed = false;
for (const [name, r] of [['valid', valid], ['invalid', invalid]] as const) {
  if (!r.failed) continue;
  failed = true;
  console.log(`fuzz: ${name} scenarios: counterexample after ${r.numRuns} runs (seed ${r.seed}, path ${r.counterexamplePath}):`);
  console.log(JSON.stringify(r.counterexample, null, 2));
  console.log(String(r.errorInstance));
}
process.exitCode = failed ? 1 : 0;
