/**
 * Traffic as a scenario describes it: scripted traffic events on the calendar, request
 * classes, the CPU-share slowdown, and replay of a router log through a whole run.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, scenarioFromObject } from '../src/scenario/load.ts';
import { simulate } from '../src/model/run/simulate.ts';
import { recordFromLogLine } from '../src/model/traffic/replay/record.ts';

const ROOT = join(import.meta.dirname, '..');

test('a traffic event at a local clock time multiplies the rate for its while', async (t) => {
  const r = simulate(
    await scenarioFromObject({
      name: 'sale',
      platform: { profile: 'heroku-2025', dynoManager: { cycling: false } },
      duration: '2h',
      calendar: { start: '2026-11-23T17:00:00Z', timezone: 'Europe/Paris' },
      formation: { web: { count: 10, size: 'performance-m', concurrency: 8 } },
      traffic: { rate: '50/s', service: { distribution: 'constant', value: '10ms' } },
      // 18:30 in Paris is 17:30 UTC: 30 minutes in.
      events: [{ at: '18:30', traffic: { multiply: 4 }, for: '20m' }],
    }),
  );
  const perMinute = r.timeseries.map((m) => m.arrivals);
  const mean = (from: number, to: number) => perMinute.slice(from, to).reduce((a, b) => a + b, 0) / (to - from);
  t.true(Math.abs(mean(0, 29) / 3000 - 1) < 0.03, `before: ${mean(0, 29)}`);
  t.true(Math.abs(mean(31, 49) / 12000 - 1) < 0.03, `during: ${mean(31, 49)}`);
  t.true(Math.abs(mean(51, 120) / 3000 - 1) < 0.03, `after: ${mean(51, 120)}`);
});

test('request classes: shares by weight, each with its own service time', async (t) => {
  const r = simulate(
    await scenarioFromObject({
      name: 'classes',
      platform: { profile: 'heroku-2025', dynoManager: { cycling: false } },
      duration: '1h',
      formation: { web: { count: 20, size: 'standard-1x', concurrency: 4 } },
      traffic: {
        rate: '100/s',
        classes: [
          { name: 'GET /', weight: 4, service: { distribution: 'constant', value: '20ms' } },
          { name: 'POST /checkout', weight: 1, service: { distribution: 'constant', value: '300ms' } },
        ],
      },
    }),
  );
  const c = r.summary.classes!;
  const share = c['POST /checkout']!.arrived / r.summary.requests.arrived;
  t.true(Math.abs(share - 0.2) < 4 * Math.sqrt((0.2 * 0.8) / r.summary.requests.arrived), `share ${share}`);
  // Hardly any queueing at this load: the medians are the service times (to the histogram's 0.1 %).
  t.true(Math.abs(c['GET /']!.p50Ms! - 20) < 0.02);
  t.true(Math.abs(c['POST /checkout']!.p50Ms! - 300) < 0.3);
});

test('CPU share: threads beyond the cores stretch the CPU-bound part of service', async (t) => {
  const run = async (cpuBound: number) =>
    simulate(
      await scenarioFromObject({
        name: 'cpu',
        platform: { profile: 'heroku-2025', dynoManager: { cycling: false } },
        duration: '30m',
        formation: { web: { count: 1, size: 'standard-1x', concurrency: 4, ...(cpuBound > 0 ? { cpuBound } : {}) } },
        traffic: { rate: '20/s', service: { distribution: 'constant', value: '100ms' } },
      }),
    ).summary;
  const free = await run(0);
  const bound = await run(1);
  t.true(Math.abs(free.latency.p50Ms! - 100) < 0.1);
  // With 4 threads on one core, a request that starts beside others runs up to 4× longer.
  t.true(bound.latency.meanMs! > free.latency.meanMs! * 1.3, `${bound.latency.meanMs} vs ${free.latency.meanMs}`);
  t.true(bound.dynos['web']!.busyFraction > free.dynos['web']!.busyFraction);
});

test('replaying the shipped router log: every usable line arrives, minute by minute as in the file', async (t) => {
  const s = await loadScenario(join(ROOT, 'scenarios/replay/on-two-dynos.yaml'));
  const r = simulate(s);
  const startUs = s.traffic.replay!.startMs * 1000;
  const expected = new Map<number, number>();
  let usable = 0;
  for (const line of readFileSync(join(ROOT, 'scenarios/replay/router.log'), 'utf8').split('\n')) {
    let rec;
    try {
      rec = recordFromLogLine(line);
    } catch {
      continue;
    }
    usable++;
    const m = Math.floor((rec.arrivalUs - startUs) / 60e6);
    expected.set(m, (expected.get(m) ?? 0) + 1);
  }
  t.is(r.summary.requests.arrived, usable);
  t.is(r.summary.replay!.used, usable);
  t.is(r.summary.replay!.malformed, 3);
  t.deepEqual(r.summary.replay!.problems.map((p) => p.line), [1502, 4502, 7502]);
  for (const row of r.timeseries) t.is(row.arrivals, expected.get(row.minute) ?? 0, `minute ${row.minute}`);
  // The five H12s of the log run past the timeout here too.
  t.is(r.summary.requests.errors['H12'], 5);
});

test('replay without classes: every request in one class, named all; a missing or empty file is a problem at its field', async (t) => {
  const base = { name: 'plain-replay', duration: '20m', formation: { web: { count: 4, size: 'standard-1x' } } };
  const s = await scenarioFromObject({ ...base, traffic: { replay: 'router.log' } }, { baseDir: join(ROOT, 'scenarios/replay') });
  t.deepEqual(s.traffic.classes.map((c) => c.name), ['all']);
  t.is(new Date(s.calendar.epochMs(0)).toISOString(), '2025-06-03T14:00:00.000Z');
  const r = simulate(s);
  t.is(r.summary.requests.arrived, r.summary.replay!.used);
  t.is(r.summary.classes, undefined);
  const err = await t.throwsAsync(scenarioFromObject({ ...base, traffic: { replay: 'nowhere.log' } }, { baseDir: join(ROOT, 'scenarios/replay'), label: 'x.yaml' }));
  t.regex(err!.message, /traffic\.replay: .*nowhere\.log: no such file/);
});
