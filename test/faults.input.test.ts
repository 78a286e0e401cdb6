/**
 * Bad input for the platform-fault fields (scripted events, hosts, the dyno manager,
 * memory, crashes, noisy neighbours, the start date) and for the log options of
 * `dynosim run`: each gets a clear message naming the field path, and nothing is written.
 */
import test from 'ava';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenarioFromObject } from '../src/scenario/load.ts';
import { ScenarioError, type Problem } from '../src/scenario/problems.ts';
import { parseLogLine, parseRouterLine } from '../src/model/logs/parse.ts';
import { dynosim } from './helpers/cli.ts';

const BASE = {
  name: 'faults',
  duration: '1h',
  platform: 'heroku-2013',
  formation: { web: { count: 2, size: '1X' } },
  traffic: { rate: '1/s', service: { distribution: 'exponential', mean: '100ms' } },
};

const EVENT_KINDS = 'failHost, zoneDown, release, restart, crash, scale, resize, traffic, run';

async function problemsOf(over: Record<string, unknown>): Promise<readonly Problem[]> {
  try {
    await scenarioFromObject({ ...BASE, ...over }, { label: 'faults.yaml' });
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems;
    throw e;
  }
  throw new Error('the scenario was accepted');
}

/** Field paths as `--set` reads them and resolve.ts writes them: `events.0.at`, not `events[0].at`. */
function dotted(p: Problem): Problem {
  return { path: p.path.replace(/\[(\d+)\]/g, '.$1'), message: p.message };
}

const BAD: ReadonlyArray<[string, Record<string, unknown>, Problem[]]> = [
  ['an event with two kinds (at the end of the run, too)', { events: [{ at: '1h', failHost: 1, crash: 'web.1' }] }, [
    { path: 'events.0', message: `expected exactly one of ${EVENT_KINDS}, got 2: failHost, crash` },
    { path: 'events.0.at', message: 'expected a time before the end of the run (duration 1h)' },
  ]],
  ['an event with no kind', { events: [{ at: '10m' }] }, [
    { path: 'events.0', message: `expected exactly one of ${EVENT_KINDS}` },
  ]],
  ['for on a crash event', { events: [{ at: '10m', crash: 'web.1', for: '5m' }] }, [
    { path: 'events.0.for', message: 'only failHost, zoneDown and traffic events last for a while' },
  ]],
  ['at past the duration', { events: [{ at: '10m', restart: 'web' }, { at: '2h', crash: 'web.1' }] }, [
    { path: 'events.1.at', message: 'expected a time before the end of the run (duration 1h)' },
  ]],
  ['failHost beyond the fleet of the profile', { events: [{ at: '10m', failHost: 103 }] }, [
    { path: 'events.0.failHost', message: 'expected a host from 1 to 102, got 103' },
  ]],
  ['failHost beyond a fleet of two hosts', {
    platform: { profile: 'heroku-2013', hosts: { zones: ['a', 'b'], hostsPerZone: 1 } },
    events: [{ at: '10m', failHost: 3 }],
  }, [
    { path: 'events.0.failHost', message: 'expected a host from 1 to 2, got 3' },
  ]],
  ['failHost 0', { events: [{ at: '10m', failHost: 0 }] }, [
    { path: 'events.0.failHost', message: 'expected a whole number of at least 1, got 0' },
  ]],
  ['an unknown zone', { events: [{ at: '10m', zoneDown: 'eu-west-1a' }] }, [
    { path: 'events.0.zoneDown', message: 'expected one of the zones us-east-1a, us-east-1b, us-east-1c, got "eu-west-1a"' },
  ]],
  ['crash web.9 on a 2-dyno formation', { events: [{ at: '10m', crash: 'web.9' }] }, [
    { path: 'events.0.crash', message: 'expected one of the web dynos web.1 to web.2, got "web.9"' },
  ]],
  ['crash of every web dyno at once', { events: [{ at: '10m', crash: 'web' }] }, [
    { path: 'events.0.crash', message: 'expected a dyno such as web.2, got "web"' },
  ]],
  ['restart worker', { events: [{ at: '10m', restart: 'worker' }] }, [
    { path: 'events.0.restart', message: 'expected a process type or dyno such as web or worker.2 (the formation has web), got "worker"' },
  ]],
  ['an unknown placement policy', { platform: { profile: 'heroku-2013', hosts: { placement: 'best-fit' } } }, [
    { path: 'platform.hosts.placement', message: 'expected one of spread, random, first-fit, bin-pack, got "best-fit"' },
  ]],
  ['an unknown restart policy', { platform: { profile: 'heroku-2013', dynoManager: { restartPolicy: 'never' } } }, [
    { path: 'platform.dynoManager.restartPolicy', message: 'expected one of heroku-2013, heroku-2013-early, heroku-2019, got "never"' },
  ]],
  ['a memory leak without units', { formation: { web: { count: 2, size: '1X', memory: { base: '200MB', leak: 40 } } } }, [
    { path: 'formation.web.memory.leak', message: 'expected a memory rate with units (40MB/h, 1GB/d), got 40' },
  ]],
  ['a memory leak without a time unit', { formation: { web: { count: 2, size: '1X', memory: { base: '200MB', leak: '40MB' } } } }, [
    { path: 'formation.web.memory.leak', message: 'expected a memory rate with units (40MB/h, 1GB/d), got "40MB"' },
  ]],
  ['crashRate: often', { formation: { web: { count: 2, size: '1X', crashRate: 'often' } } }, [
    { path: 'formation.web.crashRate', message: 'expected a crash rate such as 2/day, 1/h or 150/s, got "often"' },
  ]],
  ['release: { crashOnBoot: 2 }', { events: [{ at: '10m', release: { crashOnBoot: 2 } }] }, [
    { path: 'events.0.release.crashOnBoot', message: 'expected a probability from 0 to 1, got 2' },
  ]],
  ['noisyNeighbours missing a field', { platform: { profile: 'heroku-2013', noisyNeighbours: { slowdown: 2, busyShare: 0.1 } } }, [
    { path: 'platform.noisyNeighbours.busyPeriod', message: 'missing (this field is required)' },
  ]],
  ['start: yesterday', { platform: { profile: 'heroku-2013', start: 'yesterday' } }, [
    { path: 'platform.start', message: 'expected a UTC date and time such as 2013-03-01T00:00:00Z, got "yesterday"' },
  ]],
  ['an unknown field in an event', { events: [{ at: '10m', crash: 'web.1', reason: 'oom' }] }, [
    { path: 'events.0.reason', message: 'unknown field' },
  ]],
];

for (const [what, over, expected] of BAD) {
  test(`bad input: ${what}`, async (t) => {
    const problems = await problemsOf(over);
    t.deepEqual(problems.map(dotted), expected);
  });
}

test('every problem with the events is reported at once, each naming its event', async (t) => {
  const problems = await problemsOf({
    events: [
      { at: '10m', failHost: 500 },
      { at: '20m', zoneDown: 'mars' },
      { at: '30m', crash: 'web.3' },
      { at: '40m', restart: 'worker.1' },
    ],
  });
  t.deepEqual(problems, [
    { path: 'events.0.failHost', message: 'expected a host from 1 to 102, got 500' },
    { path: 'events.1.zoneDown', message: 'expected one of the zones us-east-1a, us-east-1b, us-east-1c, got "mars"' },
    { path: 'events.2.crash', message: 'expected one of the web dynos web.1 to web.2, got "web.3"' },
    { path: 'events.3.restart', message: 'expected a process type or dyno such as web or worker.2 (the formation has web), got "worker.1"' },
  ]);
  const e = await t.throwsAsync(scenarioFromObject({ ...BASE, events: [{ at: '10m', crash: 'web.9' }] }, { label: 'faults.yaml' }));
  t.deepEqual((e as ScenarioError).lines(), ['faults.yaml: events.0.crash: expected one of the web dynos web.1 to web.2, got "web.9"']);
});

// Known bug: problems found by the schema write list indexes as events[0] (problems.ts,
// joinPath), those found in resolving as events.0 (resolve.ts), and --set reads events.0.at.
test('field paths inside the event list are written one way, as --set reads them', async (t) => {
  const schemaFound = await problemsOf({ events: [{ at: '2h', crash: 'web.1', for: '5m' }] });
  const resolveFound = await problemsOf({ events: [{ at: '10m', crash: 'web.9' }] });
  t.deepEqual(resolveFound.map((p) => p.path), ['events.0.crash']);
  t.deepEqual(schemaFound.map((p) => p.path), ['events.0.at', 'events.0.for']);
});

test('the same fields with good values are accepted and resolved', async (t) => {
  const s = await scenarioFromObject({
    ...BASE,
    platform: {
      profile: 'heroku-2013',
      hosts: { zones: ['a', 'b'], hostsPerZone: 2, placement: 'bin-pack' },
      dynoManager: { restartPolicy: 'heroku-2019' },
      noisyNeighbours: { slowdown: 2, busyShare: 0.1, busyPeriod: '5m' },
      start: '2013-02-17T20:00:00Z',
    },
    formation: { web: { count: 2, size: '1X', memory: { base: '200MB', leak: '40MB/h' }, crashRate: '2/day' } },
    events: [
      { at: '50m', crash: 'web.2' },
      { at: '10m', failHost: 4, for: '5m' },
      { at: '20m', zoneDown: 'b' },
      { at: '30m', restart: 'web' },
      { at: '40m', release: { crashOnBoot: 1 } },
      { at: '45m', release: {} },
    ],
  });
  t.is(s.platform.hosts.placement, 'bin-pack');
  t.is(s.platform.dynoManager.restartPolicy, 'heroku-2019');
  t.deepEqual(s.platform.noisyNeighbours, { slowdown: 2, busyShare: 0.1, busyPeriodUs: 300_000_000 });
  t.is(s.platform.epochMs, Date.UTC(2013, 1, 17, 20));
  t.is(s.web.memory?.leakMbPerH, 40);
  t.true(Math.abs(s.web.crashRatePerUs - 2 / 86_400e6) < 1e-24);
  t.deepEqual(
    s.events.map((e) => ({ ...e })),
    [
      { kind: 'fail-host', atUs: 600_000_000, host: 3, forUs: 300_000_000 },
      { kind: 'zone-down', atUs: 1_200_000_000, zone: 1, forUs: null },
      { kind: 'restart', atUs: 1_800_000_000, process: 0, dyno: null },
      { kind: 'release', atUs: 2_400_000_000, crashOnBoot: 1 },
      { kind: 'release', atUs: 2_700_000_000, crashOnBoot: 0 },
      { kind: 'crash', atUs: 3_000_000_000, process: 0, dyno: 1 },
    ],
    'in time order, hosts and dynos counted from 0',
  );
});

// ---------------------------------------------------------------------------------------
// dynosim run

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dynosim-faults-'));
}

const GOOD_YAML = [
  'name: faulty',
  'duration: 1h',
  'platform: heroku-2013',
  'formation: { web: { count: 2, size: 1X } }',
  'traffic: { rate: 1/s, service: { distribution: exponential, mean: 100ms } }',
  'events:',
  '  - { at: 10m, crash: web.1 }',
].join('\n');

function writeScenario(dir: string, name: string, yaml: string): string {
  writeFileSync(join(dir, name), `${yaml}\n`);
  return name;
}

test('run: a bad event is one line naming the file and the event, exit 2, no results', (t) => {
  const dir = scratch();
  const file = writeScenario(dir, 'bad.yaml', GOOD_YAML.replace('crash: web.1', 'crash: web.9'));
  const r = dynosim(['run', file], dir);
  t.is(r.status, 2);
  t.is(r.stdout, '');
  t.is(r.stderr, 'bad.yaml: events.0.crash: expected one of the web dynos web.1 to web.2, got "web.9"\n');
  t.deepEqual(readdirSync(dir), ['bad.yaml'], 'no results folder, no hidden folder');
});

test('run: an event past the end of the run names it as events.0.at', (t) => {
  const dir = scratch();
  const file = writeScenario(dir, 'late.yaml', GOOD_YAML.replace('at: 10m', 'at: 2h'));
  const r = dynosim(['run', file], dir);
  t.is(r.status, 2);
  t.deepEqual(readdirSync(dir), ['late.yaml']);
  t.is(r.stderr, 'late.yaml: events.0.at: expected a time before the end of the run (duration 1h)\n');
});

test('run: --logs into a folder that does not exist is one line, exit 2, nothing written', (t) => {
  const dir = scratch();
  const file = writeScenario(dir, 'good.yaml', GOOD_YAML);
  const r = dynosim(['run', file, '--logs', 'nowhere/x.log'], dir);
  t.is(r.status, 2);
  t.is(r.stdout, '');
  t.is(r.stderr, 'dynosim: --logs nowhere/x.log: the folder nowhere does not exist\n');
  t.deepEqual(readdirSync(dir), ['good.yaml']);
});

test('run: --logs naming a folder is one line, exit 2', (t) => {
  const dir = scratch();
  const file = writeScenario(dir, 'good.yaml', GOOD_YAML);
  const r = dynosim(['run', file, '--logs', '.', '--out', 'r'], dir);
  t.is(r.status, 2);
  t.is(r.stderr, 'dynosim: --logs .: is a folder, not a file\n');
  t.deepEqual(readdirSync(dir), ['good.yaml']);
});

for (const sample of ['0', '2', '0%', '150%', 'some']) {
  test(`run: --log-sample ${sample} exits 2 and writes nothing`, (t) => {
    const dir = scratch();
    const file = writeScenario(dir, 'good.yaml', GOOD_YAML);
    const r = dynosim(['run', file, '--logs', 'x.log', '--log-sample', sample], dir);
    t.is(r.status, 2);
    t.is(r.stdout, '');
    t.is(
      r.stderr,
      `error: option '--log-sample <share>' argument '${sample}' is invalid. expected a share above 0 and at most 1 (such as 0.01 or 1%), got "${sample}"\n(run with --help for usage)\n`,
    );
    t.deepEqual(readdirSync(dir), ['good.yaml']);
  });
}

test('run: --logs x.log --log-sample 1% writes the log, and no hidden file is left beside it', (t) => {
  const dir = scratch();
  const file = writeScenario(dir, 'good.yaml', GOOD_YAML);
  const r = dynosim(['run', file, '--logs', 'x.log', '--log-sample', '1%', '--json'], dir);
  t.is(r.status, 0, r.stderr);
  t.is(r.stderr, '');
  t.deepEqual(readdirSync(dir).sort(), ['good.yaml', 'results', 'x.log']);
  t.deepEqual(readdirSync(join(dir, 'results')), ['faulty']);
  const summary = JSON.parse(r.stdout) as { requests: { arrived: number } };
  const text = readFileSync(join(dir, 'x.log'), 'utf8');
  t.true(text.endsWith('\n'));
  const lines = text.slice(0, -1).split('\n').map((l) => parseLogLine(l));
  const router = lines.filter((p) => p.proc === 'router').map((p) => parseRouterLine(p));
  const n = summary.requests.arrived;
  const se = Math.sqrt(n * 0.01 * 0.99);
  t.true(Math.abs(router.length - 0.01 * n) <= 4 * se, `${router.length} router lines of ${n} requests`);
  // Every dyno line is logged, sampled or not: the crash at 10m and the restart.
  const dyno = lines.filter((p) => p.proc !== 'router').map((p) => p.message);
  t.deepEqual(dyno.slice(0, 2), ['Process exited with status 1', 'State changed from up to crashed']);
  t.true(dyno.includes('State changed from starting to up'));
});

test('run: a run that fails leaves no log file and an earlier log as it was', (t) => {
  const dir = scratch();
  const bad = writeScenario(dir, 'bad.yaml', GOOD_YAML.replace('crash: web.1', 'crash: web.9'));
  const r = dynosim(['run', bad, '--logs', 'x.log'], dir);
  t.is(r.status, 2);
  t.false(existsSync(join(dir, 'x.log')));
  t.deepEqual(readdirSync(dir), ['bad.yaml']);

  writeFileSync(join(dir, 'x.log'), 'earlier\n');
  const again = dynosim(['run', bad, '--logs', 'x.log', '--log-format', 'drain'], dir);
  t.is(again.status, 2);
  t.is(readFileSync(join(dir, 'x.log'), 'utf8'), 'earlier\n');
  t.deepEqual(readdirSync(dir).sort(), ['bad.yaml', 'x.log']);
});

test('eco and basic run one dyno per process type, scaling included', async (t) => {
  const e = await t.throwsAsync(
    scenarioFromObject({
      name: 'eco',
      duration: '1h',
      formation: { web: { count: 1, size: 'eco' } },
      traffic: { rate: '1/s', service: { distribution: 'exponential', mean: '100ms' } },
      events: [{ at: '10m', scale: { web: 2 } }],
    }),
  );
  t.deepEqual((e as ScenarioError).problems, [{ path: 'formation.web.count', message: 'expected at most 1: eco dynos run one per process type, got 2' }]);
});
