/**
 * Property tests: generated scenarios (test/helpers/arbitraries.ts) across routers, sizes,
 * concurrency, workers, events and crashes, each run to completion with the model's
 * invariants checked; generated invalid ones refused with the field's path. A few dozen
 * runs here, bounded to well under a minute; `npm run fuzz` runs the same generators for
 * as long as asked.
 */
import test from 'ava';
import fc from 'fast-check';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenarioFromObject } from '../src/scenario/load.ts';
import { ScenarioError } from '../src/scenario/problems.ts';
import { simulate } from '../src/model/run/simulate.ts';
import { invalidScenario, validScenario } from './helpers/arbitraries.ts';
import { brokenInvariant } from './helpers/invariants.ts';
import { dynosim } from './helpers/cli.ts';

test('generated scenarios run to the end with every invariant kept, and twice give the same results', async (t) => {
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(validScenario, async (obj) => {
      const s = await scenarioFromObject(obj);
      const r = simulate(s);
      runs++;
      const broken = brokenInvariant(r);
      if (broken !== null) throw new Error(broken);
      const again = simulate(await scenarioFromObject(obj));
      if (JSON.stringify([again.summary, again.lifecycle, again.dynos, again.usages]) !== JSON.stringify([r.summary, r.lifecycle, r.dynos, r.usages])) throw new Error('the same seed gave different results');
    }),
    { numRuns: 40, seed: 20261203 },
  );
  t.is(runs, 40);
});

test('generated invalid scenarios are refused, each problem naming the broken field', async (t) => {
  await fc.assert(
    fc.asyncProperty(invalidScenario, async ({ scenario, path }) => {
      try {
        await scenarioFromObject(scenario, { label: 'bad.yaml' });
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
        if (!e.problems.some((p) => p.path === path || p.path.startsWith(`${path}.`))) throw new Error(`no problem names ${path}: ${e.message}`);
        return;
      }
      throw new Error(`accepted with ${path} broken`);
    }),
    { numRuns: 150, seed: 20261203 },
  );
  t.pass();
});

test('through the command: an invalid generated scenario exits 2 with one line per problem, and writes nothing', async (t) => {
  const samples = fc.sample(invalidScenario, { numRuns: 6, seed: 7 });
  for (const { scenario, path } of samples) {
    const dir = mkdtempSync(join(tmpdir(), 'dynosim-fuzz-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(scenario));
    const r = dynosim(['run', join(dir, 'bad.json'), '--out', join(dir, 'out'), '-q']);
    t.is(r.status, 2, path);
    t.true(r.stderr.split('\n').some((l) => l.startsWith(`bad.json: ${path}`)), r.stderr);
    t.false(r.stderr.includes('    at '), 'no stack trace');
    t.deepEqual(readdirSync(dir), ['bad.json']);
  }
});

test('the invariants can fail: a result with a request lost or a billed second too many is caught', async (t) => {
  const r = simulate(await scenarioFromObject(fc.sample(validScenario, { numRuns: 1, seed: 3 })[0]!));
  t.is(brokenInvariant(r), null);
  t.regex(brokenInvariant({ ...r, summary: { ...r.summary, requests: { ...r.summary.requests, completed: r.summary.requests.completed - 1 } } })!, /≠ arrived/);
  t.regex(brokenInvariant({ ...r, cost: { ...r.cost, dynoHours: r.cost.dynoHours + 1 } })!, /cost.dynoHours/);
});
