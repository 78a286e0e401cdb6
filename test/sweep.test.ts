import test from 'ava';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynosim, ROOT } from './helpers/cli.ts';
import { cellOf, checkAxes, gridPoints, parseShard, parseVary, pointSets, readValue, shardIndices, taskAt, taskCount, type SweepSpec } from '../src/studies/sweep/grid.ts';
import { SweepError } from '../src/studies/sweep/SweepError.ts';
import { fixed, mergeHistograms, sweepTables } from '../src/studies/sweep/tables.ts';
import { runTasks, threadsStarted } from '../src/studies/parallel/runTasks.ts';
import { errorFromWire, errorToWire } from '../src/studies/parallel/wire.ts';
import { ScenarioError } from '../src/scenario/problems.ts';
import { Histogram } from '../src/engine/Histogram.ts';
import { interval } from '../src/stats/intervals.ts';

const TINY = join(ROOT, 'test/fixtures/sweep/tiny.yaml');
/** 2 points × 2 replications of a 4-minute scenario's variant. */
const GRID = ['--vary', 'router.policy=random,least-connections', '--replications', '2', '--set', 'formation.web.count=3', '--variant', 'busier'];

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dynosim-sweep-'));
}

// ---------------------------------------------------------------------------------------
// The grid.

test('--vary ranges: a..b/step includes b when it falls on the grid, a..b steps by 1, decimals stay exact', (t) => {
  t.deepEqual(parseVary('formation.web.count=10..100/10'), { path: 'formation.web.count', values: ['10', '20', '30', '40', '50', '60', '70', '80', '90', '100'] });
  t.deepEqual(parseVary('formation.web.count=1..10/4').values, ['1', '5', '9']);
  t.deepEqual(parseVary('formation.web.count = 2..5').values, ['2', '3', '4', '5']);
  t.deepEqual(parseVary('x=0.1..0.3/0.1').values, ['0.1', '0.2', '0.3']);
  t.deepEqual(parseVary('x=-1..1/0.5').values, ['-1', '-0.5', '0', '0.5', '1']);
  t.deepEqual(parseVary('x=7..7').values, ['7']);
});

test('--vary lists: items read as YAML like --set, commas inside quotes and brackets kept', (t) => {
  const a = parseVary('router.policy=random, least-connections');
  t.deepEqual(a.values, ['random', 'least-connections']);
  const b = parseVary('x=1,2.5,true,"a,b",[1, 2],{p: 1, q: 2}');
  t.deepEqual(b.values, ['1', '2.5', 'true', '"a,b"', '[1, 2]', '{p: 1, q: 2}']);
  t.deepEqual(b.values.map(readValue), [1, 2.5, true, 'a,b', [1, 2], { p: 1, q: 2 }]);
  t.deepEqual(b.values.map(cellOf), ['1', '2.5', 'true', 'a,b', '[1,2]', '{"p":1,"q":2}']);
  t.deepEqual(parseVary('traffic.rate=9000/min').values, ['9000/min']);
});

test('the grid is the product of the --vary options in order, the last varying fastest; task i is point i div R, seed + i mod R', (t) => {
  const axes = [parseVary('a=1..2'), parseVary('b=x,y,z')];
  t.deepEqual(gridPoints(axes), [['1', 'x'], ['1', 'y'], ['1', 'z'], ['2', 'x'], ['2', 'y'], ['2', 'z']]);
  t.deepEqual(pointSets(axes, 4), ['a=2', 'b=y']);
  const spec: SweepSpec = { axes, replications: 3, seed: 100, set: ['c=5'], variant: 'v' };
  t.is(taskCount(spec), 18);
  t.deepEqual(taskAt(spec, { file: 'f.yaml' }, 0), { file: 'f.yaml', variant: 'v', set: ['c=5', 'a=1', 'b=x'], seed: 100 });
  t.deepEqual(taskAt(spec, { file: 'f.yaml' }, 14), { file: 'f.yaml', variant: 'v', set: ['c=5', 'a=2', 'b=y'], seed: 102 });
  t.deepEqual(gridPoints([]), [[]]);
});

test('malformed --vary and --shard are one-line errors', (t) => {
  const bad: Array<[string, RegExp]> = [
    ['formation.web.count', /expected path=values/],
    ['=1,2', /expected path=values/],
    ['a b=1', /not a field path/],
    ['x=', /no values/],
    ['x=5..1', /must go up/],
    ['x=1..5/0', /step must be above 0/],
    ['x=1..', /expected a range/],
    ['x=1,,2', /empty value/],
    ['x=1,1.0', /given twice/],
    ['x=[1,2', /not valid YAML/],
    ['seed=1,2', /not a field to vary/],
  ];
  for (const [spec, message] of bad) {
    const e = t.throws(() => parseVary(spec), { instanceOf: SweepError }, spec);
    t.regex(e!.message, message, spec);
    t.false(e!.message.includes('\n'), spec);
  }
  t.throws(() => checkAxes([parseVary('a.b=1'), parseVary('a.b=2')]), { instanceOf: SweepError, message: /varied twice/ });
  t.throws(() => checkAxes([parseVary('a=1'), parseVary('a.b=2')]), { instanceOf: SweepError, message: /overlaps/ });
  t.deepEqual(parseShard('3/8'), { k: 3, n: 8 });
  for (const s of ['0/2', '3/2', '1/0', '1', 'a/b', '1/2/3']) t.throws(() => parseShard(s), { instanceOf: SweepError }, s);
});

test('shards split the tasks into disjoint, balanced shares that cover them all', (t) => {
  for (const [total, n] of [[10, 3], [4, 4], [3, 5], [101, 7]] as const) {
    const all: number[] = [];
    for (let k = 1; k <= n; k++) {
      const mine = shardIndices(total, k, n);
      t.true(mine.length === Math.floor(total / n) || mine.length === Math.ceil(total / n));
      t.true(mine.every((i) => i % n === k - 1));
      all.push(...mine);
    }
    t.deepEqual(all.sort((a, b) => a - b), Array.from({ length: total }, (_, i) => i));
  }
});

// ---------------------------------------------------------------------------------------
// The tables.

test('sweep.csv has one row per point: means, 95% intervals over the replications and pooled percentiles', (t) => {
  const spec: SweepSpec = { axes: [parseVary('formation.web.count=2,3')], replications: 2, seed: 1, set: [] };
  const outcome = (p95: number, values: number[], errors: number | null) => {
    const h = new Histogram();
    for (const v of values) h.record(v);
    const metrics = { p50: 1, p95, p99: 1, p999: 1, mean: 1, 'queue.mean': 1, 'queue.p95': 1, errors, availability: 1, cost: 1.23456, monthly: 34.5, 'dyno-hours': 1, dynos: 2, scalings: 0 };
    return { metrics, latency: h.toJSON(), queue: new Histogram().toJSON(), requests: values.length };
  };
  const outcomes = [outcome(100, [1000, 2000], 0), outcome(120, [3000, 4000], null), outcome(50, [500], 0.1), outcome(70, [700], 0.3)];
  const { sweepCsv, runsCsv } = sweepTables(spec, outcomes);
  const rows = sweepCsv.trimEnd().split('\n').map((l) => l.split(','));
  const col = (name: string) => rows[0]!.indexOf(name);
  t.deepEqual(rows[0]!.slice(0, 5), ['formation.web.count', 'replications', 'p50_ms', 'p50_lo_ms', 'p50_hi_ms']);
  t.is(rows.length, 3);
  const iv = interval([100, 120]);
  t.is(rows[1]![col('p95_ms')], '110');
  t.is(rows[1]![col('p95_lo_ms')], fixed(iv.lo, 3));
  t.is(rows[1]![col('p95_hi_ms')], fixed(iv.hi, 3));
  // errors: the one replication that measured it; no interval to draw from one value.
  t.deepEqual([rows[1]![col('errors_fraction')], rows[1]![col('errors_lo_fraction')], rows[1]![col('errors_hi_fraction')]], ['0', '0', '0']);
  t.is(rows[2]![col('errors_fraction')], '0.2');
  t.is(rows[1]![col('cost_usd')], '1.2346');
  // Pooled over the point's four requests: the median is the 2nd value (ms, to 3 decimals).
  const pooled = mergeHistograms([outcomes[0]!.latency, outcomes[1]!.latency]);
  t.is(pooled.count, 4);
  t.is(rows[1]![col('pooled_p50_ms')], fixed(pooled.quantile(0.5) / 1000, 3));
  t.is(rows[1]![col('pooled_p999_ms')], '4');
  t.is(runsCsv.split('\n')[0], 'formation.web.count,replication,seed,p50_ms,p95_ms,p99_ms,p999_ms,mean_ms,queue_mean_ms,queue_p95_ms,errors_fraction,availability_fraction,cost_usd,cost_usd_month,dyno_hours,dynos_count,scalings_count');
  t.is(runsCsv.split('\n')[2], '2,2,2,1,120,1,1,1,1,1,,1,1.2346,34.5,1,2,0');
});

// ---------------------------------------------------------------------------------------
// The task runner.

test('runTasks on 2 worker threads gives the same outcomes, in task order, as on one thread', async (t) => {
  // The first task is 30 times longer than the others: on two threads it finishes last.
  const tasks = [0, 1, 2, 3].map((i) => ({ file: TINY, set: [`formation.web.count=${2 + (i % 2)}`, ...(i === 0 ? ['duration=2h'] : [])], seed: 11 + i }));
  const done: number[] = [];
  const one = await runTasks(tasks, { jobs: 1 });
  const two = await runTasks(tasks, { jobs: 2, onDone: (d, total) => done.push(d * 10 + total) });
  t.deepEqual(two, one);
  t.deepEqual(done, [14, 24, 34, 44]);
  t.true(two[0]!.requests > 20 * two[1]!.requests);
  t.not(one[1]!.metrics.p95, one[2]!.metrics.p95);
});

test('a scenario error in a worker thread reaches the caller as a ScenarioError naming file and field', async (t) => {
  const tasks = [
    { file: TINY, set: [], seed: 1 },
    { file: TINY, set: ['formation.web.count=two'], seed: 1 },
    { file: TINY, set: ['router.policy=smart'], seed: 1 },
  ];
  const e = await t.throwsAsync(runTasks(tasks, { jobs: 2 }), { instanceOf: ScenarioError });
  // The first failing task in task order, as one thread would have stopped at.
  t.deepEqual(e!.lines(), ['tiny.yaml: formation.web.count: expected a whole number, got "two"']);
});

test.serial('the worker threads are started once and reused by later calls, after a failed call too', async (t) => {
  const tasks = [0, 1, 2].map((i) => ({ file: TINY, set: [`formation.web.count=${2 + i}`], seed: 5 + i }));
  const first = await runTasks(tasks, { jobs: 2 });
  const afterFirst = threadsStarted();
  t.true(afterFirst >= 2);
  t.deepEqual(await runTasks(tasks, { jobs: 2 }), first);
  t.is(threadsStarted(), afterFirst);
  await t.throwsAsync(runTasks([tasks[0]!, { file: TINY, set: ['formation.web.count=two'], seed: 1 }], { jobs: 2 }), { instanceOf: ScenarioError });
  t.deepEqual(await runTasks(tasks, { jobs: 2 }), first);
  t.is(threadsStarted(), afterFirst);
  // A call on more threads than the pool holds starts only the missing ones.
  t.deepEqual(await runTasks(tasks, { jobs: 3 }), first);
  t.is(threadsStarted(), Math.max(afterFirst, 3));
});

test('errors cross from a worker thread as the same kind of error', (t) => {
  const scenario = errorFromWire(structuredClone(errorToWire(new ScenarioError('a.yaml', [{ path: 'x.y', message: 'bad' }]))));
  t.true(scenario instanceof ScenarioError);
  t.deepEqual((scenario as ScenarioError).lines(), ['a.yaml: x.y: bad']);
  const io = Object.assign(new Error('no such file'), { code: 'ENOENT' });
  const back = errorFromWire(structuredClone(errorToWire(io))) as NodeJS.ErrnoException;
  t.is(back.constructor, Error);
  t.is(back.message, 'no such file');
  t.is(back.code, 'ENOENT');
  t.true(errorFromWire(structuredClone(errorToWire(new RangeError('out of range')))) instanceof RangeError);
});

// ---------------------------------------------------------------------------------------
// The command.

test('a sweep run as two shards and merged gives byte-identical sweep.csv and runs.csv', (t) => {
  const base = scratch();
  const whole = join(base, 'whole');
  const r = dynosim(['sweep', TINY, ...GRID, '--out', whole]);
  t.is(r.status, 0, r.stderr);
  t.deepEqual(readdirSync(whole).sort(), ['charts', 'report.html', 'runs.csv', 'sweep-run.json', 'sweep.csv']);
  t.deepEqual(readdirSync(join(whole, 'charts')).filter((f) => f.endsWith('.svg')), ['sweep-frontier.svg', 'sweep-metrics.svg']);
  t.regex(r.stdout, /tiny-sweep.busier: 2 points × 2 replications = 4 runs \(seeds 11–12\)/);
  t.regex(r.stdout, /lowest p95: router\.policy=(random|least-connections)/);
  const sweep = readFileSync(join(whole, 'sweep.csv'), 'utf8');
  t.is(sweep.split('\n').length, 4);
  t.true(sweep.startsWith('router.policy,replications,p50_ms,p50_lo_ms,p50_hi_ms,'));
  const runs = readFileSync(join(whole, 'runs.csv'), 'utf8').trimEnd().split('\n');
  t.deepEqual(runs.slice(1).map((l) => l.split(',').slice(0, 3).join(',')), ['random,1,11', 'random,2,12', 'least-connections,1,11', 'least-connections,2,12']);
  t.false(sweep.includes('wall') || runs.join('').includes('wall'));
  const run = JSON.parse(readFileSync(join(whole, 'sweep-run.json'), 'utf8'));
  t.is(run.runs, 4);
  t.true(run.wallS > 0);

  const shards = join(base, 'shards');
  for (const [k, jobs] of [['1', '2'], ['2', '1']]) {
    const s = dynosim(['sweep', TINY, ...GRID, '--shard', `${k}/2`, '--jobs', jobs!, '--out', shards]);
    t.is(s.status, 0, s.stderr);
  }
  t.deepEqual(readdirSync(shards).sort(), ['shard-1-of-2.json', 'shard-2-of-2.json']);
  const header = JSON.parse(readFileSync(join(shards, 'shard-2-of-2.json'), 'utf8'));
  t.like(header, { scenario: 'tiny.yaml', name: 'tiny-sweep.busier', tasks: 4, shard: { k: 2, n: 2 } });
  t.deepEqual(header.sweep, { axes: [{ path: 'router.policy', values: ['random', 'least-connections'] }], replications: 2, seed: 11, set: ['formation.web.count=3'], variant: 'busier' });
  t.deepEqual(header.outcomes.map((o: { task: number }) => o.task), [1, 3]);
  const m = dynosim(['merge', join(shards, 'shard-2-of-2.json'), join(shards, 'shard-1-of-2.json')]);
  t.is(m.status, 0, m.stderr);
  t.deepEqual(readdirSync(shards).sort(), ['charts', 'report.html', 'runs.csv', 'shard-1-of-2.json', 'shard-2-of-2.json', 'sweep.csv']);
  t.is(readFileSync(join(shards, 'sweep.csv'), 'utf8'), sweep);
  // The merged sweep draws the same charts as the whole one.
  for (const f of readdirSync(join(whole, 'charts'))) t.true(readFileSync(join(shards, 'charts', f)).equals(readFileSync(join(whole, 'charts', f))), f);
  t.is(readFileSync(join(shards, 'runs.csv'), 'utf8'), readFileSync(join(whole, 'runs.csv'), 'utf8'));

  // Merge refuses a missing shard, a shard of another sweep and a shard given twice: one line each, nothing written.
  const other = join(base, 'other');
  t.is(dynosim(['sweep', TINY, ...GRID, '--seed', '5', '--shard', '2/2', '--out', other, '-q']).status, 0);
  const cases: Array<[string[], RegExp]> = [
    [[join(shards, 'shard-1-of-2.json')], /shard-1-of-2\.json: the sweep is split into 2 shards and one is missing: shard-2-of-2\.json$/],
    [[join(shards, 'shard-1-of-2.json'), join(other, 'shard-2-of-2.json')], /other\/shard-2-of-2\.json: not from the same sweep as .*shard-1-of-2\.json/],
    [[join(shards, 'shard-1-of-2.json'), join(shards, 'shard-1-of-2.json')], /shard-1-of-2\.json: shard 1 of 2 is given twice/],
    [[join(shards, 'runs.csv')], /runs\.csv: not a dynosim shard file/],
    [[join(shards, 'nope.json')], /nope\.json: no such file/],
  ];
  for (const [files, message] of cases) {
    const out = join(base, 'merged');
    const bad = dynosim(['merge', ...files, '--out', out]);
    t.is(bad.status, 2, files.join(' '));
    const lines = bad.stderr.trimEnd().split('\n');
    t.is(lines.length, 1, bad.stderr);
    t.regex(lines[0]!, message);
    t.false(existsSync(out));
  }
});

test('a damaged shard file is refused naming the file', (t) => {
  const dir = scratch();
  t.is(dynosim(['sweep', TINY, '--replications', '2', '--shard', '1/1', '--out', dir, '-q']).status, 0);
  const file = join(dir, 'shard-1-of-1.json');
  const text = readFileSync(file, 'utf8');
  const shard = JSON.parse(text);
  shard.outcomes.pop();
  writeFileSync(file, JSON.stringify(shard));
  const r = dynosim(['merge', file]);
  t.is(r.status, 2);
  t.regex(r.stderr, /^.*shard-1-of-1\.json: damaged shard file: it should hold runs 0, 1 of shard 1 of 1\n$/);
  t.deepEqual(readdirSync(dir), ['shard-1-of-1.json']);
  // A histogram whose buckets do not add up to its count would pool into wrong percentiles.
  shard.outcomes = JSON.parse(text).outcomes;
  shard.outcomes[1].outcome.latency.buckets.pop();
  writeFileSync(file, JSON.stringify(shard));
  const h = dynosim(['merge', file]);
  t.is(h.status, 2);
  t.regex(h.stderr, /^.*shard-1-of-1\.json: damaged shard file: outcomes\.1\.outcome\.latency\.count: \d+, but the buckets hold \d+ values\n$/);
  t.deepEqual(readdirSync(dir), ['shard-1-of-1.json']);
  // A bucket the precision does not have.
  shard.outcomes = JSON.parse(text).outcomes;
  shard.outcomes[0].outcome.queue.buckets.at(-1)[0] = 54_273;
  writeFileSync(file, JSON.stringify(shard));
  const b = dynosim(['merge', file]);
  t.is(b.status, 2);
  t.regex(b.stderr, /^.*shard-1-of-1\.json: damaged shard file: outcomes\.0\.outcome\.queue\.buckets\.\d+: bucket 54273 is out of order or not among the 54273 buckets of 10-bit precision\n$/);
  t.deepEqual(readdirSync(dir), ['shard-1-of-1.json']);
});

test('a bad --vary value or path exits 2 before any run, one line per problem naming the file, the field and the value', (t) => {
  const out = join(scratch(), 'sweep');
  const r = dynosim(['sweep', TINY, '--vary', 'formation.web.cuont=2,3', '--vary', 'router.policy=random,smart', '--out', out]);
  t.is(r.status, 2);
  t.is(r.stdout, '');
  t.deepEqual(r.stderr.trimEnd().split('\n').sort(), [
    'tiny.yaml: formation.web.cuont: unknown field (did you mean count?) (--vary formation.web.cuont=2,3)',
    'tiny.yaml: router.policy: expected one of random, round-robin, least-connections, power-of-two, power-of-d, shared-queue, got "smart" (--vary router.policy=smart)',
  ]);
  t.false(existsSync(out));
  const u = dynosim(['sweep', TINY, '--vary', 'formation.web.count=8..2', '--out', out]);
  t.is(u.status, 2);
  t.is(u.stderr, 'dynosim: --vary formation.web.count=8..2: the range must go up (8 is above 2)\n');
  const s = dynosim(['sweep', TINY, '--shard', '3/2', '--out', out]);
  t.is(s.stderr, 'dynosim: --shard 3/2: K must be from 1 to 2\n');
  t.false(existsSync(out));
});
