/**
 * Validation as a user meets it: "did you mean" for a word dynosim nearly knows (a
 * distribution, a router policy, a scaling strategy, a variable or helper of a rate
 * expression), by one measure of nearness.
 */
import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynosim, type CliResult } from './helpers/cli.ts';
import { didYouMean, editDistance, nearest } from '../src/engine/suggest.ts';

/** Writes `text` as `name` in a folder of its own and runs `dynosim validate` on it. */
function validate(text: string, name = 'six.yaml', extra: readonly string[] = []): CliResult {
  const dir = mkdtempSync(join(tmpdir(), 'dynosim-validate-'));
  writeFileSync(join(dir, name), text);
  return dynosim(['validate', name, ...extra], dir);
}

/** The problem lines of a validation that must fail: exit 2, nothing on stdout. */
function problems(t: import('ava').ExecutionContext, r: CliResult): string[] {
  t.is(r.status, 2, r.stderr);
  t.is(r.stdout, '');
  return r.stderr.trimEnd().split('\n');
}

test('did you mean: distributions, policies, strategies, variables and functions of rate expressions', (t) => {
  const file = (traffic: string, more = ''): string =>
    `name: x\nduration: 1h\nplatform: heroku-2013\nformation:\n  web: { count: 1, size: 1X }\ntraffic: ${traffic}\n${more}`;
  t.deepEqual(problems(t, validate(file('{ rate: 1/s, service: { distribution: lognromal, mean: 1s, sigma: 1 } }'), 'x.yaml')), [
    'x.yaml: traffic.service.distribution: expected distribution to be one of constant, exponential, lognormal, weibull, empirical, got "lognromal" (did you mean lognormal?)',
  ]);
  t.deepEqual(problems(t, validate(file('{ rate: 1/s, service: { distribution: constant, value: 1s } }', 'router: { policy: least-connection }\n'), 'x.yaml')), [
    'x.yaml: router.policy: expected one of random, round-robin, least-connections, power-of-two, power-of-d, shared-queue, got "least-connection" (did you mean least-connections?)',
  ]);
  t.deepEqual(problems(t, validate(file('{ rate: 1/s, service: { distribution: constant, value: 1s } }', 'scaling:\n  web: { strategy: queue-tme, up: 100ms, down: 10ms, min: 1, max: 2 }\n'), 'x.yaml')), [
    'x.yaml: scaling.web.strategy: expected strategy to be one of fixed, schedule, heroku-autoscale, queue-time, got "queue-tme" (did you mean queue-time?)',
  ]);
  t.deepEqual(problems(t, validate(file('{ rate: "5 + 2 * sin(minut)", service: { distribution: constant, value: 1s } }'), 'x.yaml')), [
    'x.yaml: traffic.rate: unknown variable minut in the rate expression "5 + 2 * sin(minut)" (did you mean minute?) (the variables are t, minute, hour, day; units are written as in 30 min or 100/min)',
  ]);
  const r = problems(t, validate(file('{ rate: "diurnl(1/s, 5/s)", service: { distribution: constant, value: 1s } }'), 'x.yaml'));
  t.is(r.length, 1);
  t.regex(r[0]!, /^x\.yaml: traffic\.rate: unknown function diurnl in the rate expression "diurnl\(1\/s, 5\/s\)" \(did you mean diurnal\?\) \(helpers: /);
});

test('suggestions: a case-only difference first, then the nearest within a third of the word', (t) => {
  t.is(editDistance('exponentail', 'exponential'), 1, 'a swap of neighbours is one edit');
  t.is(editDistance('', 'abc'), 3);
  t.is(editDistance('kitten', 'sitting'), 3);
  t.is(nearest('STANDARD-2X', ['standard-1x', 'standard-2x']), 'standard-2x');
  t.is(nearest('concurency', ['count', 'size', 'concurrency']), 'concurrency');
  t.is(nearest('rps', ['t', 'minute', 'hour', 'day']), undefined);
  t.is(nearest('zzzzzz', ['random']), undefined);
  t.is(didYouMean('randm', ['random', 'round-robin']), ' (did you mean random?)');
  t.is(didYouMean(7, ['random']), '');
});
