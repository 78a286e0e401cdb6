import test from 'ava';
import { formatDuration, parseDurationUs } from '../src/engine/units/duration.ts';
import { parseRatePerS } from '../src/engine/units/rate.ts';
import { parseMemoryMb } from '../src/engine/units/memory.ts';
import { applySet, scenarioFromObject } from '../src/scenario/load.ts';
import { ScenarioError, type Problem } from '../src/scenario/problems.ts';

test('durations carry their unit', (t) => {
  t.is(parseDurationUs('250ms'), 250_000);
  t.is(parseDurationUs('30s'), 30_000_000);
  t.is(parseDurationUs('10m'), 600_000_000);
  t.is(parseDurationUs('10min'), 600_000_000);
  t.is(parseDurationUs('2h'), 7_200_000_000);
  t.is(parseDurationUs('30d'), 2_592_000_000_000);
  t.is(parseDurationUs('1h30m'), 5_400_000_000);
  t.is(parseDurationUs('1.5s'), 1_500_000);
  t.is(parseDurationUs('30'), undefined);
  t.is(parseDurationUs('10 minutes'), undefined);
  t.is(parseDurationUs(''), undefined);
  t.is(formatDuration(2_592_000_000_000), '30d');
  t.is(formatDuration(600_000_000), '10m');
  t.is(formatDuration(0), '0s');
});

test('rates and memory sizes', (t) => {
  t.is(parseRatePerS('150/s'), 150);
  t.is(parseRatePerS('9000/min'), 150);
  t.is(parseRatePerS('7200/h'), 2);
  t.is(parseRatePerS('1/fortnight'), undefined);
  t.is(parseMemoryMb('512MB'), 512);
  t.is(parseMemoryMb('2.5GB'), 2560);
  t.is(parseMemoryMb('512'), undefined);
});

test('--set writes nested fields and reads values as YAML', (t) => {
  const obj: Record<string, unknown> = { formation: { web: { count: 2 } } };
  const problems: Problem[] = [];
  applySet(obj, 'formation.web.count=4', problems);
  applySet(obj, 'router.policy=shared-queue', problems);
  applySet(obj, 'no-equals-sign', problems);
  t.deepEqual(obj, { formation: { web: { count: 4 } }, router: { policy: 'shared-queue' } });
  t.deepEqual(problems, [{ path: '', message: '--set expects path=value, got "no-equals-sign"' }]);
});

const good = {
  name: 'ok',
  duration: '1h',
  formation: { web: { count: 2, size: '1X' } },
  platform: 'heroku-2013',
  traffic: { rate: '9000/min', service: { distribution: 'lognormal', median: '100ms', p99: '1s' } },
};

test('a scenario resolves with defaults and units in engine units', async (t) => {
  const s = await scenarioFromObject(good);
  t.is(s.durationUs, 3_600_000_000);
  t.is(s.warmupUs, 0);
  t.is(s.seed, 1);
  t.is(s.web.concurrency, 1);
  t.is(s.web.size.memoryMb, 512);
  t.is(s.router.policy, 'random');
  t.deepEqual(s.traffic.rate?.kind === 'constant' && s.traffic.rate.perS, 150);
  // median 100 ms and p99 1 s: sigma = ln(10)/z99, mean = median·exp(sigma²/2).
  const sigma = Math.log(10) / 2.3263478740408408;
  t.true(Math.abs(s.traffic.classes[0]!.service!.meanUs - 100_000 * Math.exp((sigma * sigma) / 2)) < 1e-6);
  t.true(Object.isFrozen(s));
});

test('platform overrides reach the profile; a new size needs its numbers', async (t) => {
  const s = await scenarioFromObject({
    ...good,
    platform: { profile: 'heroku-2013', router: { timeout: '10s', backlogPerDyno: 5 }, billing: { freeHours: 0, month: '31d' }, sizes: { '1X': { priceUsd: 0.06 } } },
  });
  t.is(s.platform.router.timeoutUs, 10_000_000);
  t.is(s.platform.router.backlogPerDyno, 5);
  t.is(s.platform.billing.freeHoursPerMonth, 0);
  t.is(s.platform.billing.monthUs, 31 * 86_400_000_000);
  t.is(s.platform.sizes['1X']!.priceUsd, 0.06);
  t.is(s.platform.sizes['1X']!.memoryMb, 512);
  const e = await t.throwsAsync(scenarioFromObject({ ...good, platform: { profile: 'heroku-2013', sizes: { '3X': { cpuShare: 3 } } } }));
  t.true(e instanceof ScenarioError);
  t.deepEqual((e as ScenarioError).problems.map((p) => p.path), ['platform.sizes.3X.memory', 'platform.sizes.3X.priceUsd']);
});

test('every problem is reported at once, by path, in the order of the file\'s fields', async (t) => {
  const e = (await t.throwsAsync(
    scenarioFromObject({ ...good, seed: -1, formation: { web: { count: 1.5, size: '1X', concurrency: 0 } }, bogus: true }, { label: 'x.yaml' }),
  )) as ScenarioError;
  t.deepEqual(e.lines(), [
    'x.yaml: formation.web.count: expected a whole number, got 1.5',
    'x.yaml: formation.web.concurrency: expected a whole number of at least 1, got 0',
    'x.yaml: seed: expected a whole number of at least 0, got -1',
    'x.yaml: bogus: unknown field',
  ]);
});
