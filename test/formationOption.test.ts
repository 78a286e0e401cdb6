/**
 * `--formation 'web=4:standard-2x worker=2'` on run, cost and plan: the formation as
 * `heroku ps:scale` takes it, turned into the --set assignments of the same fields.
 */
import test from 'ava';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formationSets } from '../src/scenario/formationSpec.ts';
import { InputError } from '../src/scenario/InputError.ts';
import { dynosim } from './helpers/cli.ts';

test('formationSets: counts and sizes of each process type, as --set assignments', (t) => {
  t.deepEqual(formationSets('web=4:standard-2x worker=2'), ['formation.web.count=4', 'formation.web.size=standard-2x', 'formation.worker.count=2']);
  t.deepEqual(formationSets('web=0,clock=1:1X'), ['formation.web.count=0', 'formation.clock.count=1', 'formation.clock.size=1X']);
  t.deepEqual(formationSets('  web=10:performance-m  '), ['formation.web.count=10', 'formation.web.size=performance-m']);
});

test('formationSets: what does not parse is one line naming the option and the entry', (t) => {
  const bad: Array<[string, string]> = [
    ['web=four', '--formation: expected type=count[:size] such as web=4:standard-2x, got "web=four"'],
    ['web', '--formation: expected type=count[:size] such as web=4:standard-2x, got "web"'],
    ['web=2:', '--formation: expected type=count[:size] such as web=4:standard-2x, got "web=2:"'],
    ['web=2 web=3', '--formation: web is given twice'],
    ['', '--formation: expected type=count[:size] entries such as \'web=4:standard-2x worker=2\', got ""'],
  ];
  for (const [spec, message] of bad) {
    const e = t.throws(() => formationSets(spec), { instanceOf: InputError });
    t.is(e.message, message);
  }
});

const YAML = `name: formation-option
platform: heroku-2013
seed: 1
duration: 2m
formation:
  web: { count: 2, size: 1X }
traffic:
  rate: 5/s
  service: { distribution: exponential, mean: 50ms }
`;

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dynosim-formation-'));
  writeFileSync(join(dir, 'app.yaml'), YAML);
  return dir;
}

test('run --formation gives the run of the same --set, and a later --set wins', (t) => {
  const dir = scratch();
  const a = dynosim(['run', 'app.yaml', '--formation', 'web=4:2X', '--no-charts', '-q', '--out', 'a'], dir);
  const b = dynosim(['run', 'app.yaml', '--set', 'formation.web.count=4', '--set', 'formation.web.size=2X', '--no-charts', '-q', '--out', 'b'], dir);
  t.is(a.status, 0, a.stderr);
  t.is(b.status, 0, b.stderr);
  t.is(readFileSync(join(dir, 'a/summary.json'), 'utf8'), readFileSync(join(dir, 'b/summary.json'), 'utf8'));
  const summary = JSON.parse(readFileSync(join(dir, 'a/summary.json'), 'utf8'));
  t.deepEqual([summary.dynos.web.count, summary.dynos.web.size], [4, '2X']);
  const c = dynosim(['run', 'app.yaml', '--formation', 'web=4:2X', '--set', 'formation.web.count=3', '--no-charts', '-q', '--out', 'c'], dir);
  t.is(c.status, 0, c.stderr);
  t.is(JSON.parse(readFileSync(join(dir, 'c/summary.json'), 'utf8')).dynos.web.count, 3);
});

test('run, cost and plan: a bad --formation is one line, exit 2, nothing written', (t) => {
  for (const command of [['run'], ['cost'], ['plan', '--slo', 'p95<1s']]) {
    const dir = scratch();
    const r = dynosim([command[0]!, 'app.yaml', ...command.slice(1), '--formation', 'web=four'], dir);
    t.is(r.status, 2, command[0]);
    t.is(r.stderr, 'dynosim: --formation: expected type=count[:size] such as web=4:standard-2x, got "web=four"\n');
    t.deepEqual(readdirSync(dir), ['app.yaml']);
    // A size of another era names the field it sets.
    const s = dynosim([command[0]!, 'app.yaml', ...command.slice(1), '--formation', 'web=2:huge'], dir);
    t.is(s.status, 2);
    t.is(s.stderr, 'app.yaml: formation.web.size: expected a size of heroku-2013 (1X, 2X, PX), got "huge"\n');
    t.deepEqual(readdirSync(dir), ['app.yaml']);
  }
});
