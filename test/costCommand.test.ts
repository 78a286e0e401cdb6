/**
 * `dynosim cost`: the month's bill without a simulation. Checked against the simulator
 * (a fixed formation and a schedule cost what a run bills, to the cent), against hand
 * counts (2013's 750 free hours, today's monthly caps, a schedule's dyno-hours), and as a
 * command (files, --json, bad input).
 */
import test from 'ava';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynosim } from './helpers/cli.ts';
import { loadScenario, scenarioFromObject } from '../src/scenario/load.ts';
import type { Scenario } from '../src/model/Scenario.ts';
import { simulate } from '../src/model/run/simulate.ts';
import { heroku2013 } from '../src/model/platform/heroku2013.ts';
import { heroku2025 } from '../src/model/platform/heroku2025.ts';
import { costCurve, costTable, type Alternative, type CostRow, type ProcessLine } from '../src/studies/cost/costTable.ts';
import { costSetup, type CostRequest } from '../src/studies/cost/formations.ts';
import { equivalentSize } from '../src/studies/cost/sizes.ts';
import { parseCounts, parseHours } from '../src/studies/cost/options.ts';
import { scheduleSteps, usagesOf, type Occupancy } from '../src/studies/cost/occupancy.ts';
import { CostInputError } from '../src/studies/cost/CostInputError.ts';

const EXAMPLE = 'scenarios/two-web-dynos.yaml';
const DAY_US = 86_400e6;
const PLAIN: CostRequest = { process: 'web', sizes: null, counts: null, hours: null };

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dynosim-cost-'));
}

function line(processType: string, book: typeof heroku2013, size: string, occupancy: Occupancy): ProcessLine {
  return { processType, size: book.sizes[size]!, book: book.name, mapSize: true, occupancy, estimate: false };
}

function only(lines: ProcessLine[], name = 'x'): Alternative {
  return { name, kind: 'as-written', lines };
}

/** The row of an alternative in a book. */
function rowOf(rows: readonly CostRow[], book: string, kind = 'as-written'): CostRow {
  const r = rows.find((x) => x.book === book && x.kind === kind);
  if (r === undefined) throw new Error(`no ${kind} row for ${book}`);
  return r;
}

function priced(s: Scenario, req: CostRequest = PLAIN) {
  const setup = costSetup(s, req);
  return { setup, table: costTable(setup.books, setup.alternatives) };
}

// ---------------------------------------------------------------------------------------
// Against the simulator

test('two-web-dynos: cost gives what a full month of simulation bills, to the cent', async (t) => {
  const s = await loadScenario(EXAMPLE);
  t.is(s.platform.name, 'heroku-2013');
  t.is(s.durationUs, heroku2013.billing.monthUs, 'the shipped scenario simulates one whole billing month');
  const run = simulate(s);
  const row = rowOf(priced(s).table.rows, 'heroku-2013');
  t.is(row.monthlyUsd, run.summary.cost.monthlyUsd);
  t.is(row.monthlyUsd, 34.5);
  t.is(row.dynoHours, run.cost.dynoHours);
  t.is(row.freeHours, run.cost.freeHours);
  t.is(row.billableHours, run.cost.billableHours);
  t.deepEqual(
    row.lines.map((l) => [l.processType, l.size, l.dynos, l.dynoHours, l.monthlyUsd]),
    run.cost.lines.map((l) => [l.processType, l.size, l.dynos, l.dynoHours, l.monthlyUsd]),
  );
});

test('a 2025 formation of two types: cost equals the monthly projection of a one-day run', async (t) => {
  const s = await loadScenario(EXAMPLE, {
    set: ['platform=heroku-2025', 'duration=1d', 'formation.web.size=standard-2x', 'formation.web.count=3', 'formation.worker={count: 2, size: performance-m}'],
  });
  const run = simulate(s);
  const row = rowOf(priced(s).table.rows, 'heroku-2025');
  t.is(row.monthlyUsd, run.summary.cost.monthlyUsd);
  t.is(row.monthlyUsd, 3 * 50 + 2 * 250, 'every dyno up all month pays its monthly price');
});

/** 6 web dynos from 08:00 on weekdays, 2 from 20:00 every day. */
const OFFICE_HOURS = [{ at: '08:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'], count: 6 }, { at: '20:00', count: 2 }];

/** A schedule on a calendar with a daylight-saving change inside the month (Paris, 30 March 2025). */
function scheduled(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'scheduled',
    platform: 'heroku-2025',
    duration: '30d',
    dynoAges: 'zero',
    calendar: { start: '2025-03-24T00:00:00Z', timezone: 'Europe/Paris' },
    formation: { web: { count: 3, size: 'standard-2x' }, worker: { count: 2, size: 'standard-1x' } },
    traffic: { rate: '1/min', service: { distribution: 'constant', value: '10ms' } },
    scaling: { web: { strategy: 'schedule', schedule: OFFICE_HOURS } },
    ...over,
  };
}

test('a schedule costs what a month of simulation bills, to the cent, across a DST change', async (t) => {
  for (const platform of ['heroku-2025', 'heroku-2013']) {
    const sizes = platform === 'heroku-2013' ? { web: { count: 3, size: '2X' }, worker: { count: 2, size: '1X' } } : undefined;
    const s = await scenarioFromObject(scheduled({ platform, ...(sizes === undefined ? {} : { formation: sizes }) }));
    const run = simulate(s);
    const row = rowOf(priced(s).table.rows, platform);
    t.is(row.monthlyUsd, run.summary.cost.monthlyUsd, platform);
    t.is(row.dynoHours, run.cost.dynoHours, platform);
    t.is(row.freeHours, run.cost.freeHours, platform);
  }
});

test("scheduleSteps makes the schedule's changes the scenario resolves for a run", async (t) => {
  const s = await scenarioFromObject(scheduled());
  const plan = s.scaling[0]!;
  if (plan.strategy !== 'schedule') return t.fail();
  const lines = [
    { hh: 8, mm: 0, days: [0, 1, 2, 3, 4], count: 6 },
    { hh: 20, mm: 0, days: null, count: 2 },
  ];
  const steps = scheduleSteps(lines, 3, s.calendar, s.durationUs);
  t.is(steps[0]!.count, plan.initial);
  // The run's list keeps lines that change nothing (20:00 on a weekend); the scaler skips them.
  const changes: Array<{ atUs: number; count: number }> = [];
  let count = plan.initial;
  for (const c of plan.changes) if (c.count !== count) changes.push({ atUs: c.atUs, count: (count = c.count) });
  t.deepEqual(steps.slice(1), changes);
  // The spring-forward night: 08:00 Paris is 07:00 UTC before 30 March, 06:00 UTC after.
  const mondays = steps.filter((st) => st.count === 6).map((st) => new Date(s.calendar.epochMs(st.atUs / 1e6)).toISOString());
  t.true(mondays.includes('2025-03-28T07:00:00.000Z'));
  t.true(mondays.includes('2025-03-31T06:00:00.000Z'));
});

test('scheduled one-off dynos: the expected bill is within 1% of a simulated month', async (t) => {
  // Constant boot and run times: every run is billed 90 s (cost adds the half second a run
  // rounds up on average, 0.6% here).
  const s = await scenarioFromObject({
    name: 'sweeps',
    platform: { profile: 'heroku-2025', sizes: { 'standard-1x': { boot: { distribution: 'constant', value: '30s' } } } },
    duration: '30d',
    formation: { web: { count: 1, size: 'standard-1x' } },
    traffic: { rate: '1/min', service: { distribution: 'constant', value: '10ms' } },
    scheduler: [{ command: 'rake sweep', every: '10m', run: { distribution: 'constant', value: '60s' } }],
  });
  const run = simulate(s);
  const simulated = run.cost.lines.find((l) => l.processType === 'scheduler')!;
  const row = rowOf(priced(s).table.rows, 'heroku-2025');
  const mine = row.lines.find((l) => l.processType === 'scheduler')!;
  t.is(mine.runs, 4320);
  t.true(mine.estimate);
  t.true(row.estimate);
  t.is(simulated.dynoHours, (4320 * 90) / 3600);
  t.true(Math.abs(mine.dynoHours / simulated.dynoHours - 1) < 0.01, `${mine.dynoHours} h against ${simulated.dynoHours} h`);
  t.true(Math.abs(mine.monthlyUsd / simulated.monthlyUsd - 1) < 0.01, `$${mine.monthlyUsd} against $${simulated.monthlyUsd}`);
});

// ---------------------------------------------------------------------------------------
// By hand

test("2013: 750 free hours: one 1X dyno costs $0, two cost (1440 − 750) h × $0.05 = $34.50", (t) => {
  t.is(heroku2013.sizes['1X']!.priceUsd, 0.05);
  t.is(heroku2013.billing.freeHoursPerMonth, 750);
  const { rows } = costTable([heroku2013], [
    only([line('web', heroku2013, '1X', { kind: 'fixed', count: 1 })], 'one'),
    only([line('web', heroku2013, '1X', { kind: 'fixed', count: 2 })], 'two'),
    only([line('web', heroku2013, '2X', { kind: 'fixed', count: 1 })], 'one 2X'),
  ]);
  const [one, two, big] = rows as [CostRow, CostRow, CostRow];
  t.deepEqual([one.dynoHours, one.freeHours, one.billableHours, one.monthlyUsd, one.monthlyUsdNoFree], [720, 720, 0, 0, 36]);
  t.deepEqual([two.dynoHours, two.freeHours, two.billableHours, two.monthlyUsd, two.monthlyUsdNoFree], [1440, 750, 690, 34.5, 72]);
  t.is(two.usdPerDynoHour, Math.round((34.5 / 1440) * 1e6) / 1e6);
  // A 2X hour uses two free hours: 750 cover 375 of its 720.
  t.deepEqual([big.freeHours, big.billableHours, big.monthlyUsd], [750, 345, 34.5]);
});

test('2025: a dyno up all month pays its monthly price; part of the month, its share', (t) => {
  const sizes = ['eco', 'basic', 'standard-1x', 'standard-2x', 'performance-m', 'performance-l'];
  const { rows } = costTable(
    [heroku2025],
    sizes.map((z) => only([line('web', heroku2025, z, { kind: 'fixed', count: 1 })], z)),
  );
  t.deepEqual(
    rows.map((r) => r.monthlyUsd),
    sizes.map((z) => heroku2025.sizes[z]!.priceUsd),
  );
  t.deepEqual(rows.map((r) => r.monthlyUsd), [5, 7, 25, 50, 250, 500]);
  t.true(rows.every((r) => r.monthlyUsd === r.monthlyUsdNoFree && r.freeHours === 0));
  // 8 h a day for a 30-day month: 240 of 720 h, a third of the price.
  const part = costTable([heroku2025], [only([line('web', heroku2025, 'standard-1x', { kind: 'part-time', count: 2, hours: 8, per: 'day' })])]).rows[0]!;
  t.deepEqual([part.dynoHours, part.monthlyUsd], [480, 16.67]);
});

test("a schedule's dyno-hours match a hand count", async (t) => {
  // UTC, starting on a Monday: 2 dynos, 6 from 08:00 to 20:00 on weekdays. 30 days hold
  // 22 weekdays: 2 × 720 + 4 × 12 × 22 = 2496 dyno-hours; dynos 3 to 6 run 264 h each.
  const s = await scenarioFromObject(scheduled({ calendar: { start: '2025-06-02T00:00:00Z', timezone: 'UTC' }, formation: { web: { count: 2, size: 'standard-1x' } } }));
  const { table } = priced(s);
  const r2025 = rowOf(table.rows, 'heroku-2025');
  t.is(r2025.dynoHours, 2496);
  t.is(r2025.dynos, 6);
  t.is(r2025.monthlyUsd, Math.round((2 * 25 + (4 * 25 * 264) / 720) * 100) / 100);
  const r2013 = rowOf(table.rows, 'heroku-2013');
  t.is(r2013.lines[0]!.size, '1X');
  t.is(r2013.monthlyUsd, 87.3, '(2496 − 750) h × $0.05');
  const byDyno = new Map<string, number>();
  const web = costSetup(s, PLAIN).alternatives[0]!.lines[0]!;
  t.is(web.occupancy.kind, 'steps');
  for (const u of usagesOf('web', 'standard-1x', web.occupancy, 30 * DAY_US)) {
    byDyno.set(u.dyno, (byDyno.get(u.dyno) ?? 0) + (u.endUs - u.startUs) / 3600e6);
  }
  t.deepEqual([...byDyno.entries()].sort(), [['web.1', 720], ['web.2', 720], ['web.3', 264], ['web.4', 264], ['web.5', 264], ['web.6', 264]]);
});

test('an autoscaler gives a range: its min and its max all month, and says a run is needed', async (t) => {
  const s = await loadScenario('scenarios/black-friday.yaml', { variant: 'queue-time' });
  const { setup, table } = priced(s);
  t.deepEqual(setup.autoscaled, [{ processType: 'web', strategy: 'queue-time', min: 2, max: 16 }]);
  t.deepEqual(table.rows.map((r) => [r.kind, r.book]), [['min', 'heroku-2013'], ['min', 'heroku-2025'], ['max', 'heroku-2013'], ['max', 'heroku-2025']]);
  t.is(rowOf(table.rows, 'heroku-2025', 'min').monthlyUsd, 2 * 250);
  t.is(rowOf(table.rows, 'heroku-2025', 'max').monthlyUsd, 16 * 250);
  t.true(setup.needsRun.some((n) => n.includes('dynosim run') && n.includes('2 to 16')));
});

test('sizes map to the same or next larger memory in the other book, as Heroku renamed them', (t) => {
  const to2025 = (z: string) => equivalentSize(heroku2013.sizes[z]!, heroku2025);
  const to2013 = (z: string) => equivalentSize(heroku2025.sizes[z]!, heroku2013);
  t.deepEqual(['1X', '2X', 'PX'].map((z) => to2025(z).size.name), ['standard-1x', 'standard-2x', 'performance-l']);
  t.deepEqual(['eco', 'basic', 'standard-1x', 'standard-2x', 'performance-m', 'performance-l'].map((z) => to2013(z).size.name), ['1X', '1X', '1X', '2X', 'PX', 'PX']);
  t.is(to2025('1X').rule, 'same memory (512 MB)');
  t.is(to2025('PX').rule, 'next larger memory (6 GB → 14 GB)');
  t.regex(to2013('performance-l').rule, /largest.*14 GB → 6 GB/);
});

test('what-ifs: --sizes priced only where the size exists, --counts on every base, curve across counts', async (t) => {
  const s = await loadScenario(EXAMPLE);
  const { setup, table } = priced(s, { process: 'web', sizes: ['2X', 'standard-2x'], counts: [1, 2, 3], hours: null });
  const names = [...new Set(table.rows.map((r) => r.alternative))];
  t.deepEqual(names, ['as written', 'web 1 × 2X', 'web 2 × 2X', 'web 3 × 2X', 'web 1 × standard-2x', 'web 2 × standard-2x', 'web 3 × standard-2x']);
  t.deepEqual(table.rows.filter((r) => r.alternative.endsWith('2X')).map((r) => r.book), ['heroku-2013', 'heroku-2013', 'heroku-2013']);
  t.deepEqual(table.rows.filter((r) => r.alternative.endsWith('standard-2x')).map((r) => r.monthlyUsd), [50, 100, 150]);
  t.true(table.skipped.every((k) => k.missingSize !== null));
  const curve = costCurve(setup.books, setup.curve.base, setup.curve.templates, setup.curve.counts, setup.curve.occupancyOf);
  const oneX = curve.filter((p) => p.book === 'heroku-2013' && p.size === '1X');
  t.deepEqual(oneX.map((p) => p.count), [1, 2, 3]);
  t.deepEqual(oneX.map((p) => p.monthlyUsd), [0, 34.5, 70.5]);
  t.deepEqual(oneX.map((p) => p.monthlyUsdNoFree), [36, 72, 108]);
  t.throws(() => costSetup(s, { ...PLAIN, sizes: ['3X'] }), { instanceOf: CostInputError, message: /--sizes: no dyno size "3X"/ });
  t.throws(() => costSetup(s, { ...PLAIN, process: 'worker' }), { instanceOf: CostInputError, message: /--process "worker"/ });
});

test('--counts and --hours parse ranges and units, and refuse the rest', (t) => {
  t.deepEqual(parseCounts('1..4'), [1, 2, 3, 4]);
  t.deepEqual(parseCounts('8, 2,4,2..3'), [2, 3, 4, 8]);
  for (const bad of ['', 'x', '1..', '5..2', '101', '-1', '1.5']) t.throws(() => parseCounts(bad), { instanceOf: CostInputError }, bad);
  t.deepEqual(parseHours('8/day'), { hours: 8, per: 'day' });
  t.deepEqual(parseHours('40h/week'), { hours: 40, per: 'week' });
  for (const bad of ['8', '25/day', '0/day', '8/fortnight']) t.throws(() => parseHours(bad), { instanceOf: CostInputError }, bad);
});

// ---------------------------------------------------------------------------------------
// The command

test('cost writes cost.csv, cost.json and charts; --json prints cost.json; the same input gives the same bytes', (t) => {
  const dir = scratch();
  const r = dynosim(['cost', EXAMPLE, '--out', join(dir, 'a')]);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /as written\s+heroku-2013\s+web\s+2 dynos\s+1X\s+1,440\.0 h\s+750\.0 h\s+690\.0 h\s+\$34\.50\s+\$72\.00/);
  t.regex(r.stdout, /heroku-2025\s+web\s+2 dynos\s+standard-1x¹\s+1,440\.0 h/);
  t.regex(r.stdout, /¹ standard-1x stands in for 1X in heroku-2025: same memory \(512 MB\)/);
  // The free hours are labelled 1X-equivalent, and a note says how a 2X uses them (750 free cover 375 of its 720 h).
  t.regex(r.stdout, /^formation .* dyno-hours +free \(1X-equivalent h\) +billable /m);
  t.regex(r.stdout.replace(/\s+/g, ' '), /heroku-2013's 750 free hours a month are 1X-equivalent hours, used up per hour on the clock at 1 for a 1X, 2 for a 2X and 16 for a PX; dyno-hours and billable hours are on the clock \(one 2X dyno for a month: 720 dyno-hours, 1,440 1X-equivalent; the 750 free hours cover 375\.0 of them, leaving 345\.0 billable\)\./);
  t.notRegex(r.stdout, /heroku-2025's .* 1X-equivalent/, 'a book without free hours has no such note');
  const html = readFileSync(join(dir, 'a', 'report.html'), 'utf8');
  t.true(html.includes('free hours (1X-equivalent)'));
  t.true(html.includes('750 free hours a month are 1X-equivalent hours'));
  t.deepEqual(readdirSync(join(dir, 'a')).sort(), ['charts', 'cost.csv', 'cost.json', 'report.html']);
  t.deepEqual(readdirSync(join(dir, 'a', 'charts')).sort(), [
    'cost-by-count.png', 'cost-by-count.svg', 'cost-by-count.vl.json',
    'cost-by-process.png', 'cost-by-process.svg', 'cost-by-process.vl.json',
  ]);
  const png = readFileSync(join(dir, 'a', 'charts', 'cost-by-count.png'));
  t.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
  const csv = readFileSync(join(dir, 'a', 'cost.csv'), 'utf8').split('\n');
  t.is(csv[0], 'formation,kind,book,process_type,size,mapped_from,dynos_count,runs_count,dyno_hours,free_1x_equivalent_hours,billable_hours,monthly_usd,monthly_no_free_hours_usd,usd_per_dyno_hour,estimate');
  t.true(csv.includes('as written,as-written,heroku-2013,all,all,,2,0,1440,750,690,34.5,72,0.023958,0'));

  const j = dynosim(['cost', EXAMPLE, '--out', join(dir, 'b'), '--json', '--no-charts']);
  t.is(j.status, 0, j.stderr);
  const parsed = JSON.parse(j.stdout);
  t.is(parsed.rows[0].monthlyUsd, 34.5);
  t.is(j.stdout, readFileSync(join(dir, 'b', 'cost.json'), 'utf8'));
  t.is(readFileSync(join(dir, 'a', 'cost.json'), 'utf8'), j.stdout, 'cost.json has no clock in it');
  t.false(existsSync(join(dir, 'b', 'charts')));
  t.is(dynosim(['cost', EXAMPLE, '--out', join(dir, 'c'), '-q', '--no-charts']).stdout, '');
});

test('bad input: exit 2, one line naming the option or file, nothing written', (t) => {
  const dir = scratch();
  const broken = join(dir, 'broken.yaml');
  writeFileSync(broken, readFileSync(EXAMPLE, 'utf8').replace('count: 2', 'count: two'));
  const cases: Array<[string[], RegExp]> = [
    [[EXAMPLE, '--sizes', '1X,3X'], /^dynosim: --sizes: no dyno size "3X" in any price book/],
    [[EXAMPLE, '--counts', '1..x'], /^dynosim: --counts "1\.\.x": expected dyno counts/],
    [[EXAMPLE, '--hours', '30/day'], /^dynosim: --hours "30\/day"/],
    [[EXAMPLE, '--process', 'worker'], /^dynosim: --process "worker"/],
    [['no/such.yaml'], /^no\/such\.yaml: no such file/],
    [[broken], /^broken\.yaml: formation\.web\.count: expected a whole number, got "two"/],
  ];
  for (const [args, message] of cases) {
    const out = join(dir, `out-${cases.findIndex((c) => c[0] === args)}`);
    const r = dynosim(['cost', ...args, '--out', out]);
    t.is(r.status, 2, args.join(' '));
    t.regex(r.stderr, message, args.join(' '));
    t.is(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    t.is(r.stdout, '');
    t.false(existsSync(out), `nothing written for ${args.join(' ')}`);
  }
});
