/**
 * Every CSV dynosim writes says the unit of each numeric column in its header (`p95_ms`,
 * `cost_usd_month`, `arrivals_count`), but for a short, named list of columns whose name is
 * their unit; timeseries.csv's `local_time` is the calendar's clock with the zone's offset,
 * across a change of daylight saving time, whatever the machine's zone.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { dynosim, MAIN, ROOT } from './helpers/cli.ts';
import { Calendar } from '../src/model/traffic/calendar.ts';

/** A header ends in one of these units. */
const UNIT = /_(ms|s|usd|usd_month|hours|fraction|pct|per_s|count|mb|pages)$/;

/** Numeric columns whose name says what they count or hold, by file; `*` for every file. */
const NAMED: Readonly<Record<string, readonly string[]>> = {
  // the minute's index (its unit is its name), a run's replication (1 to R) and seed,
  // replications per point, and a dyno's concurrency (workers per dyno, a setting)
  '*': ['minute', 'replication', 'replications', 'seed', 'concurrency'],
  // log-runtime-metrics' own names: load averages over 1, 5 and 15 minutes
  'metrics.csv': ['load_avg_1m', 'load_avg_5m', 'load_avg_15m'],
  // a row per metric: these are in the row's `unit` column
  'compare.csv': ['mean', 'lo', 'hi', 'diff', 'diff_lo', 'diff_hi'],
  // 1 when the row is an estimate, 0 when not; a price whose name is its unit
  'cost/cost.csv': ['estimate', 'usd_per_dyno_hour'],
};

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dynosim-units-'));
}

function rows(file: string): string[][] {
  return parse(readFileSync(file, 'utf8')) as string[][];
}

/** The numeric columns of a CSV (every non-empty cell a number, at least one cell not empty) without a unit or a place in NAMED. */
function unitless(file: string, name: string, skip: readonly string[] = []): string[] {
  const [header, ...body] = rows(file);
  const named = [...NAMED['*']!, ...(NAMED[name] ?? [])];
  return header!.filter((h, i) => {
    const cells = body.map((r) => r[i]!).filter((c) => c !== '');
    const numeric = cells.length > 0 && cells.every((c) => Number.isFinite(Number(c)));
    return numeric && !UNIT.test(h) && !named.includes(h) && !skip.includes(h);
  });
}

function ok(t: { is: (a: unknown, b: unknown, m?: string) => void }, r: { status: number | null; stderr: string }): void {
  t.is(r.status, 0, r.stderr);
}

// A run that writes every file of a run: web dynos scaled by queue time, runtime metrics;
// its calendar starts at midnight New York time on the night daylight saving time ends
// (2026-11-01, 02:00 EDT → 01:00 EST).
const RUN = ['run', 'scenarios/black-friday.yaml', '--variant', 'queue-time', '--set', 'duration=3h', '--set', 'runtimeMetrics=true', '--set', 'calendar.start=2026-11-01T04:00:00Z', '-q', '--no-charts'];

test('every numeric column of every CSV of a run, compare, sweep, plan and cost says its unit', (t) => {
  const dir = scratch();
  ok(t, dynosim([...RUN, '--out', join(dir, 'run')]));
  ok(t, dynosim(['run', 'scenarios/web-and-workers.yaml', '--set', 'duration=20m', '--set', 'events=[]', '-q', '--no-charts', '--out', join(dir, 'jobs')]));
  ok(t, dynosim(['compare', 'test/fixtures/compare/two-dynos.yaml', 'test/fixtures/compare/four-dynos.yaml', '--replications', '2', '--out', join(dir, 'compare'), '-q', '--no-charts']));
  ok(t, dynosim(['sweep', 'test/fixtures/sweep/tiny.yaml', '--vary', 'formation.web.count=2,3', '--replications', '2', '--out', join(dir, 'sweep'), '-q', '--no-charts']));
  ok(t, dynosim(['plan', 'test/fixtures/plan/erlang-c.yaml', '--slo', 'queue.mean<60ms', '--slo', 'monthly<$5000', '--replications', '3', '--max-count', '12', '--out', join(dir, 'plan'), '-q', '--no-charts']));
  ok(t, dynosim(['cost', 'scenarios/two-web-dynos.yaml', '--counts', '1..3', '--out', join(dir, 'cost'), '-q', '--no-charts']));
  const runFiles = readdirSync(join(dir, 'run')).filter((f) => f.endsWith('.csv')).sort();
  t.deepEqual(runFiles, ['cost.csv', 'dynos.csv', 'events.csv', 'metrics.csv', 'scaling.csv', 'timeseries.csv']);
  for (const f of runFiles) t.deepEqual(unitless(join(dir, 'run', f), f), [], f);
  t.deepEqual(unitless(join(dir, 'jobs', 'queues.csv'), 'queues.csv'), []);
  // queues.csv tells the minute as timeseries.csv does: web-and-workers starts at midnight in New York.
  const queues = parse(readFileSync(join(dir, 'jobs', 'queues.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
  t.is(queues[0]!['local_time'], '2026-11-23T00:00:00-05:00');
  t.is(queues.find((r) => r['minute'] === '19')!['local_time'], '2026-11-23T00:19:00-05:00');
  t.deepEqual(unitless(join(dir, 'compare', 'compare.csv'), 'compare.csv'), []);
  // sweep.csv and runs.csv begin with the varied fields, named by their paths.
  for (const f of ['sweep.csv', 'runs.csv']) t.deepEqual(unitless(join(dir, 'sweep', f), f, ['formation.web.count']), [], f);
  t.deepEqual(unitless(join(dir, 'plan', 'plan.csv'), 'plan.csv'), []);
  t.deepEqual(unitless(join(dir, 'cost', 'cost.csv'), 'cost/cost.csv'), []);

  // The check finds what it looks for: each file has numeric columns, and the named ones are there.
  const header = (f: string): string[] => rows(f)[0]!;
  t.true(header(join(dir, 'sweep', 'sweep.csv')).includes('cost_hi_usd_month'));
  t.deepEqual(header(join(dir, 'plan', 'plan.csv')).slice(7), ['cost_mean_usd_month', 'dynos_mean_count', 'queue_mean_mean_ms', 'queue_mean_upper95_ms', 'cost_upper95_usd_month']);
  t.true(header(join(dir, 'run', 'metrics.csv')).includes('load_avg_1m'));
  t.deepEqual(unitless(join(dir, 'run', 'timeseries.csv'), 'nothing named', ['minute']), [], 'no allowance needed beyond the minute');
  t.notDeepEqual(unitless(join(dir, 'compare', 'compare.csv'), 'not compare.csv'), [], 'compare.csv has columns in the row\'s unit');
});

test('the headers use the same names across files', (t) => {
  const dir = scratch();
  ok(t, dynosim(['sweep', 'test/fixtures/sweep/tiny.yaml', '--vary', 'formation.web.count=2', '--replications', '2', '--out', join(dir, 'sweep'), '-q', '--no-charts']));
  const sweep = rows(join(dir, 'sweep', 'sweep.csv'))[0]!;
  const runs = rows(join(dir, 'sweep', 'runs.csv'))[0]!;
  const metrics = ['p50_ms', 'p95_ms', 'p99_ms', 'p999_ms', 'mean_ms', 'queue_mean_ms', 'queue_p95_ms', 'errors_fraction', 'availability_fraction', 'cost_usd', 'cost_usd_month', 'dyno_hours', 'dynos_count', 'scalings_count'];
  t.deepEqual(runs, ['formation.web.count', 'replication', 'seed', ...metrics]);
  t.deepEqual(sweep.slice(2, 5), ['p50_ms', 'p50_lo_ms', 'p50_hi_ms']);
  for (const m of metrics) t.true(sweep.includes(m), m);
  t.deepEqual(sweep.slice(-4), ['pooled_p50_ms', 'pooled_p95_ms', 'pooled_p99_ms', 'pooled_p999_ms']);
  for (const h of [...sweep, ...runs]) t.regex(h, /^[a-z0-9_]+$|^formation\.web\.count$/, 'snake_case');
});

test('timeseries.csv: local_time is the minute on the calendar\'s clock, with its offset, across the end of daylight saving time, whatever the machine\'s zone', (t) => {
  const dir = scratch();
  const run = (tz: string): string => {
    const out = join(dir, tz.replace('/', '-'));
    const r = spawnSync(process.execPath, [MAIN, ...RUN, '--out', out], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TZ: tz } });
    t.is(r.status, 0, r.stderr);
    return readFileSync(join(out, 'timeseries.csv'), 'utf8');
  };
  const auckland = run('Pacific/Auckland');
  t.is(run('America/Los_Angeles'), auckland, 'the same bytes in any TZ');
  const table = parse(auckland, { columns: true }) as Array<Record<string, string>>;
  const at = (minute: number): string => table.find((r) => r['minute'] === String(minute))!['local_time']!;
  t.is(at(0), '2026-11-01T00:00:00-04:00');
  t.is(at(59), '2026-11-01T00:59:00-04:00');
  t.is(at(60), '2026-11-01T01:00:00-04:00');
  t.is(at(119), '2026-11-01T01:59:00-04:00');
  t.is(at(120), '2026-11-01T01:00:00-05:00', '01:00 comes twice: EST after EDT');
  t.is(at(179), '2026-11-01T01:59:00-05:00');
  // Every row's instant is the calendar's start plus t_start_s.
  for (const r of table) t.is(Date.parse(r['local_time']!), Date.UTC(2026, 10, 1, 4) + Number(r['t_start_s']) * 1000, r['minute']);
});

test('Calendar.isoLocal: the spring gap, zones off the hour, UTC, and seconds rounded down', (t) => {
  const ny = new Calendar(Date.UTC(2026, 2, 8, 6), 'America/New_York'); // 01:00 EST, an hour before the clocks go forward
  t.is(ny.isoLocal(0), '2026-03-08T01:00:00-05:00');
  t.is(ny.isoLocal(3599.999), '2026-03-08T01:59:59-05:00');
  t.is(ny.isoLocal(3600), '2026-03-08T03:00:00-04:00');
  t.is(new Calendar(Date.UTC(2026, 0, 1), 'Asia/Kathmandu').isoLocal(60), '2026-01-01T05:46:00+05:45');
  t.is(new Calendar(Date.UTC(2026, 0, 1), 'America/St_Johns').isoLocal(0), '2025-12-31T20:30:00-03:30');
  t.is(new Calendar(Date.UTC(2013, 2, 1), 'UTC').isoLocal(86_400), '2013-03-02T00:00:00+00:00');
});
