/**
 * Interruption and a second writer: SIGINT and SIGTERM leave nothing half-written and exit
 * 130 and 143; what SIGKILL leaves is cleared by the next command into the folder; a
 * second command writing the same results fails at once with one line naming the first,
 * never replacing its results. Every wait here is for a file to appear or a process to
 * end, never for an amount of time: a long run is simply one that cannot end first.
 */
import test from 'ava';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynosim, MAIN } from './helpers/cli.ts';
import { SMALL } from './helpers/small.ts';
import { scenarioFromObject } from '../src/scenario/load.ts';
import { simulate, simulatePausing } from '../src/model/run/simulate.ts';


/** A run no machine finishes in the life of a test (10^9 requests), yet not a runaway. */
const LONG = ['--set', 'duration=30d', '--set', 'traffic.rate=400/s', '--no-charts', '-q'];

function folder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `dynosim-${prefix}-`));
  writeFileSync(join(dir, 'small.yaml'), SMALL);
  return dir;
}

const started: ChildProcess[] = [];
// A test that fails midway leaves no long run behind.
test.after.always(() => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function start(args: readonly string[], cwd: string): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  started.push(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((ok) => child.on('close', (code, signal) => ok({ code, signal, stderr })));
  return { child, done };
}

/** Waits until `dir` holds a file whose name matches (the command has begun writing). */
async function appears(dir: string, name: RegExp, child: ChildProcess): Promise<string> {
  for (;;) {
    const hit = readdirSync(dir).find((f) => name.test(f));
    if (hit !== undefined) return hit;
    if (child.exitCode !== null) throw new Error(`the command ended (${child.exitCode}) before ${name} appeared`);
    await new Promise((go) => setTimeout(go, 20));
  }
}

const hidden = (dir: string): string[] => readdirSync(dir).filter((f) => f.startsWith('.dynosim-'));

for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test.serial(`${signal} during a run removes its hidden folder and lock, keeps earlier results and exits ${status}`, async (t) => {
    const dir = folder(signal.toLowerCase());
    const first = dynosim(['run', 'small.yaml', '--out', 'out', '-q', '--no-charts'], dir);
    t.is(first.status, 0, first.stderr);
    const before = readFileSync(join(dir, 'out', 'summary.json'), 'utf8');
    const run = start(['run', 'small.yaml', '--out', 'out', ...LONG], dir);
    await appears(dir, /^\.dynosim-out-\d+\.tmp$/, run.child);
    run.child.kill(signal);
    const r = await run.done;
    t.is(r.code, status, r.stderr);
    t.regex(r.stderr, new RegExp(`^dynosim: interrupted \\(${signal}\\): nothing written, earlier results left as they were\\n$`));
    t.deepEqual(hidden(dir), []);
    t.is(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'), before);
  });
}

test.serial('SIGINT removes a log file half-written with the results', async (t) => {
  const dir = folder('sigint-logs');
  const run = start(['run', 'small.yaml', '--out', 'out', '--logs', 'run.log', ...LONG], dir);
  await appears(dir, /^\.dynosim-out-\d+\.tmp$/, run.child);
  run.child.kill('SIGINT');
  t.is((await run.done).code, 130);
  t.deepEqual(readdirSync(dir).sort(), ['small.yaml']);
});

test.serial('SIGINT during compare stops its worker threads and writes nothing', async (t) => {
  const dir = folder('sigint-compare');
  const run = start(['compare', 'small.yaml', 'small.yaml', '--replications', '2', '--jobs', '2', '--out', 'cmp', ...LONG], dir);
  // The lock is taken before any replication starts.
  await appears(dir, /^\.dynosim-cmp\.lock$/, run.child);
  run.child.kill('SIGINT');
  const r = await run.done;
  t.is(r.code, 130, r.stderr);
  t.deepEqual(readdirSync(dir).sort(), ['small.yaml']);
});

test.serial("SIGKILL's leftovers (hidden folder, stale lock) are cleared by the next run into the folder", async (t) => {
  const dir = folder('sigkill');
  const run = start(['run', 'small.yaml', '--out', 'out', ...LONG], dir);
  await appears(dir, /^\.dynosim-out-\d+\.tmp$/, run.child);
  run.child.kill('SIGKILL');
  t.is((await run.done).signal, 'SIGKILL');
  t.deepEqual(hidden(dir).map((f) => f.replace(/\d+/, 'PID')).sort(), ['.dynosim-out-PID.tmp', '.dynosim-out.lock']);
  const next = dynosim(['run', 'small.yaml', '--out', 'out', '-q', '--no-charts'], dir);
  t.is(next.status, 0, next.stderr);
  t.deepEqual(hidden(dir), []);
  t.true(existsSync(join(dir, 'out', 'summary.json')));
});

test.serial('a second run into the same folder fails at once with one line naming the first; the first finishes', async (t) => {
  const dir = folder('second-writer');
  const run = start(['run', 'small.yaml', '--out', 'out', ...LONG], dir);
  await appears(dir, /^\.dynosim-out\.lock$/, run.child);
  const second = dynosim(['run', 'small.yaml', '--out', 'out', '-q', '--no-charts'], dir);
  t.is(second.status, 2);
  t.is(second.stderr, `dynosim: out: another dynosim (pid ${run.child.pid}) is writing these results; wait for it to end or give another --out (its lock: .dynosim-out.lock)\n`);
  t.false(existsSync(join(dir, 'out')));
  // The same for compare, plan and sweep into a locked folder.
  for (const args of [
    ['compare', 'small.yaml', 'small.yaml', '--replications', '2', '--out', 'out', '-q', '--no-charts'],
    ['plan', 'small.yaml', '--slo', 'p95<1s', '--max-count', '3', '--replications', '2', '--out', 'out', '-q', '--no-charts'],
    ['sweep', 'small.yaml', '--vary', 'formation.web.count=1,2', '--replications', '1', '--out', 'out', '-q', '--no-charts'],
  ]) {
    const r = dynosim(args, dir);
    t.is(r.status, 2, args[0]);
    t.regex(r.stderr, /^dynosim: out: another dynosim \(pid \d+\) is writing these results/, args[0]);
  }
  run.child.kill('SIGTERM');
  t.is((await run.done).code, 143);
  t.deepEqual(hidden(dir), []);
});

test.serial('a lock left by a process that is gone is taken over', (t) => {
  const dir = folder('stale-lock');
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  writeFileSync(join(dir, '.dynosim-out.lock'), `${gone.stdout}\n`);
  const r = dynosim(['run', 'small.yaml', '--out', 'out', '-q', '--no-charts'], dir);
  t.is(r.status, 0, r.stderr);
  t.deepEqual(hidden(dir), []);
});

test.serial('plan and sweep refuse a runaway before any run, naming the point, and go ahead with --force', (t) => {
  const dir = folder('runaway-studies');
  const sweep = dynosim(['sweep', 'small.yaml', '--vary', 'duration=1d,100000d', '--set', 'traffic.rate=1000/s', '--replications', '1', '--out', 'sw', '-q'], dir);
  t.is(sweep.status, 2);
  t.regex(sweep.stderr, /^dynosim: small\.yaml at duration=100000d: this run would take about [\d.e]+ requests and jobs .*pass --force to run it anyway\n$/);
  const plan = dynosim(['plan', 'small.yaml', '--slo', 'p95<1s', '--set', 'duration=100000d', '--set', 'traffic.rate=1000/s', '--out', 'pl', '-q'], dir);
  t.is(plan.status, 2);
  t.regex(plan.stderr, /^dynosim: small\.yaml: this run would take about/);
  t.deepEqual(readdirSync(dir).sort(), ['small.yaml']);
  const forced = dynosim(['sweep', 'small.yaml', '--vary', 'formation.web.count=1,2', '--set', 'duration=1m', '--replications', '1', '--out', 'sw', '-q', '--no-charts', '--force'], dir);
  t.is(forced.status, 0, forced.stderr);
});

test.serial('a run that hands the thread back between minutes gives exactly the results of one that does not', async (t) => {
  // 2 000 requests a second: a pause at the end of every minute (past 100 000 requests).
  const s = await scenarioFromObject({
    name: 'pausing',
    platform: 'heroku-2013',
    seed: 3,
    duration: '10m',
    formation: { web: { count: 100, size: '2X', concurrency: 2 } },
    events: [{ at: '7m', crash: 'web.3' }],
    traffic: { rate: '2000/s', service: { distribution: 'lognormal', median: '40ms', p99: '300ms' } },
  });
  let pauses = 0;
  const paused = await simulatePausing(s, {}, async () => {
    pauses++;
  });
  const straight = simulate(s);
  t.true(pauses >= 9);
  t.is(JSON.stringify(paused.summary), JSON.stringify(straight.summary));
  t.deepEqual(paused.dynos, straight.dynos);
  t.deepEqual(paused.lifecycle, straight.lifecycle);
});
