/**
 * `npm run bench`: how fast dynosim runs the canonical benchmark (scenarios/bench/canonical.yaml,
 * whose description says what it is and what theory gives), against its targets and against
 * SimPy on the same model.
 *
 *  - whole process: `node dist/dynosim.js run canonical.yaml --no-charts` (the executable the
 *    package ships; `npm run bench` builds it first), three fresh processes, median (and once
 *    more with the charts and report, the default, to show what drawing costs);
 *  - start-up: `--version` and `run --no-charts` from the sources (`node src/interfaces/cli/main.ts`,
 *    Node 24 stripping the types) against the compiled executable, in turn, five processes
 *    each, medians and the median of the pairwise ratios; the compiled one also on the Node
 *    that runs npm (the machine's own);
 *  - in process: simulate() of the compiled library after three warm-up runs, five timed
 *    runs, median, with the JIT's inlining budget as the executable sets it
 *    (src/engine/jit.ts), in a fresh process of its own as the closed form runs (each
 *    variant and cliff too); once more with Node's default
 *    budget, to show what the tuning gives. These rows and the closed form run in three
 *    rounds, each row once a round: a figure is the median of its rounds, and a ratio (to
 *    the canonical rate, or the canonical rate to the closed form's) the median of the
 *    ratios within a round, so that a slow spell of a shared machine moves a round's rows
 *    together;
 *  - memory: the same model for 1×, 4× and 16× the duration, each in a fresh process;
 *  - the SimPy peer (scripts/peers/simpy_canonical.py) on a smaller N, three processes, median;
 *  - the JavaScript closed form (scripts/peers/closed_form.js: Lindley's recursion, no event
 *    list) on the same Node and N, one process a round, right after the canonical run,
 *    warm-up then three runs, median;
 *  - cliffs: the in-process rate at 5 000 dynos (load 0.8), with a queue-time autoscaler,
 *    with a rate expression and in overload (load 0.99, H11 shedding), each against the
 *    canonical rate;
 *  - with `npm run bench -- --month`, also a busy app's month: 30 days at 1 000 requests/s
 *    on 125 dynos (load 0.8, daily cycling on), about 2.6 G requests, in a fresh process.
 *  - a fixed small sweep (8 runs of scenarios/two-web-dynos.yaml) on 1 worker and on every
 *    core, three times each, median: the speed-up of worker threads.
 *
 * Prints a table and writes the figures to .bench/latest.json. It measures, it does not
 * judge: the exit code is 0 unless something crashes.
 *
 * Every row that times simulate() (in process, the cliffs, memory, the month) runs in a
 * fresh process of scripts/bench-child.js, plain JavaScript on the compiled library that
 * the package ships: a process that loads TypeScript sources runs the simulator some 4%
 * slower (the child's header says why), so this script, itself TypeScript, times none of
 * them in its own process. The sweep's speed-up is the one figure taken here, from the
 * sources: a ratio of the same code on one worker and on several. Every other process of
 * the bench, the JavaScript closed form's included, runs with the executable's JIT flags,
 * so each comparison is on the same compiler settings.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../src/scenario/load.ts';
import { VERSION } from '../src/engine/version.ts';
import { JIT_FLAGS, tuneJit } from '../src/engine/jit.ts';
import { runTasks } from '../src/studies/parallel/runTasks.ts';
import { parseVary, taskAt, taskCount, type SweepSpec } from '../src/studies/sweep/grid.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCENARIO = 'scenarios/bench/canonical.yaml';
/** The compiled executable (package.json's `bin`) and the sources it is built from. */
const CLI = 'dist/dynosim.js';
const SOURCE_CLI = 'src/interfaces/cli/main.ts';
const STARTUP_RUNS = 5;
const SIMPY_SCRIPT = 'scripts/peers/simpy_canonical.py';
const PYTHON = '/usr/bin/python3';
const SIMPY_N = 200_000;
const RUNS = 3;
/** The measuring child: simulate() from the compiled library, in a fresh process (see the script). */
const CHILD = 'scripts/bench-child.js';
/** Rounds of the in-process rows and the closed form (each row once a round, in a fresh process). */
const ROUNDS = 3;

const CLOSED_FORM_SCRIPT = 'scripts/peers/closed_form.js';

// Reference figures from benchmarks.md, and the targets of the speed work.
const TARGET_IN_PROCESS = 12e6;
const TARGET_VS_CLOSED_FORM = 0.6;
const TARGET_CYCLING = 0.8;
const TARGET_CLIFF = 0.5;
const TARGET_MONTH_S = 180;
const TARGET_VS_SIMPY = 100;
const TYPED_ARRAY_HEAP = 5.7e6;
const SIMPY_PUBLISHED = 0.11e6;

interface SimRun {
  requests: number;
  events: number;
  wallS: number;
}

function median(xs: readonly number[]): number {
  const a = [...xs].sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 === 1 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
}

function log(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}

// ---------------------------------------------------------------------------------------
// The measuring children.

/** The measuring child in a fresh process with `args` (one of its modes); its last line of output, as JSON. */
function child<T>(what: string, args: readonly string[]): T {
  const p = spawnSync(process.execPath, [CHILD, ...args], { cwd: ROOT, encoding: 'utf8' });
  if (p.error || p.status !== 0) throw new Error(`the bench's ${what} failed: ${p.error ?? p.stderr}`);
  return JSON.parse(p.stdout.trim().split('\n').pop()!) as T;
}

/** The in-process measurement of the canonical model with `set`, in a fresh process (with Node's default inlining budget: `untuned`). */
function inProcess(set: readonly string[], untuned = false): InProcess {
  const m: { warmupRuns: number; runs: SimRun[]; peakRssMb: number } = untuned
    ? child('untuned child', ['--untuned'])
    : child(`in-process child with ${set.join(' ') || 'nothing'} set`, ['--in-process', ...set]);
  const { runs } = m;
  const requests = runs[0]!.requests;
  const events = runs[0]!.events;
  return {
    ...m,
    requests,
    events,
    wallS: median(runs.map((r) => r.wallS)),
    requestsPerS: median(runs.map((r) => r.requests / r.wallS)),
    eventsPerS: median(runs.map((r) => r.events / r.wallS)),
    deterministic: runs.every((r) => r.requests === requests && r.events === events),
  };
}

/** One run of the canonical model with `set`, in a fresh process (the memory child). */
function childRun(set: readonly string[]): SimRun & { peakRssMb: number } {
  return child(`child with ${set.join(' ')}`, ['--memory', ...set]);
}

// ---------------------------------------------------------------------------------------
// The parts of the benchmark.

interface InProcess {
  warmupRuns: number;
  runs: SimRun[];
  requests: number;
  events: number;
  wallS: number;
  requestsPerS: number;
  eventsPerS: number;
  peakRssMb: number;
  deterministic: boolean;
}

/** One round of the in-process rows, each in a fresh process, and the closed form beside them. */
interface Round {
  canonical: InProcess;
  closedForm: ClosedForm;
  untuned: InProcess;
  cycling: InProcess;
  eightRouters: InProcess;
  cliffs: InProcess[];
}

/** Of an odd number of measurements, the one with the median rate. */
function middle<T extends { requestsPerS: number }>(xs: readonly T[]): T {
  return [...xs].sort((a, b) => a.requestsPerS - b.requestsPerS)[xs.length >> 1]!;
}

/** The median over the rounds of a row's rate to the canonical one's in the same round (`inverse`: the canonical's to the row's). */
function pairedRatio(rounds: readonly Round[], rate: (r: Round) => number, inverse = false): number {
  return median(rounds.map((r) => (inverse ? r.canonical.requestsPerS / rate(r) : rate(r) / r.canonical.requestsPerS)));
}

interface CliRunJson {
  version: string;
  wallS: number;
  processS: number;
  requests: number;
  events: number;
  requestsPerS: number;
  eventsPerS: number;
  peakRssMb: number;
}

interface WholeProcess {
  skipped: string | null;
  runs: (CliRunJson & { measuredWallS: number })[];
  /** Median process wall time measured from outside (spawn to exit), seconds. */
  measuredWallS: number | null;
  requests: number | null;
  /** requests / measured process wall time. */
  requestsPerS: number | null;
  /** Median in-process simulate() rate the CLI reported. */
  cliInProcessRequestsPerS: number | null;
  eventsPerS: number | null;
  peakRssMb: number | null;
}

function wholeProcess(extra: readonly string[]): WholeProcess {
  const none = { runs: [], measuredWallS: null, requests: null, requestsPerS: null, cliInProcessRequestsPerS: null, eventsPerS: null, peakRssMb: null };
  if (!existsSync(join(ROOT, CLI))) return { skipped: `${CLI} does not exist yet`, ...none };
  const runs: WholeProcess['runs'] = [];
  for (let i = 0; i < RUNS; i++) {
    const out = mkdtempSync(join(tmpdir(), 'dynosim-bench-'));
    try {
      const t0 = performance.now();
      const p = spawnSync(process.execPath, [CLI, 'run', SCENARIO, '--out', out, '--quiet', ...extra], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
      const measuredWallS = (performance.now() - t0) / 1000;
      if (p.error || p.status !== 0) {
        const why = p.error ? String(p.error) : `exit ${p.status ?? p.signal}: ${(p.stderr || p.stdout).trim().split('\n').slice(-3).join(' | ')}`;
        return { skipped: `the CLI failed (${why})`, ...none };
      }
      const runFile = join(out, 'run.json');
      if (!existsSync(runFile)) return { skipped: `the CLI wrote no run.json into ${out}`, ...none };
      const run = JSON.parse(readFileSync(runFile, 'utf8')) as CliRunJson;
      log(`whole process${extra.length === 0 ? ' with charts' : ''} run ${i + 1}/${RUNS}: ${run.requests} requests, ${measuredWallS.toFixed(3)} s wall (simulate ${run.wallS.toFixed(3)} s)`);
      runs.push({ ...run, measuredWallS });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  const measuredWallS = median(runs.map((r) => r.measuredWallS));
  return {
    skipped: null,
    runs,
    measuredWallS,
    requests: runs[0]!.requests,
    requestsPerS: median(runs.map((r) => r.requests / r.measuredWallS)),
    cliInProcessRequestsPerS: median(runs.map((r) => r.requestsPerS)),
    eventsPerS: median(runs.map((r) => r.eventsPerS)),
    peakRssMb: median(runs.map((r) => r.peakRssMb)),
  };
}

interface StartupRow {
  what: string;
  sourceS: number;
  compiledS: number;
  /** Median of compiled / source, pair by pair. */
  ratio: number;
  /** The compiled executable on the machine's own Node (the one running npm), if it is another. */
  machineNode: { version: string; seconds: number } | null;
}

/** Wall seconds of one process, from spawn to exit; throws if it fails. */
function processSeconds(node: string, args: readonly string[]): number {
  const t0 = performance.now();
  const p = spawnSync(node, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  const s = (performance.now() - t0) / 1000;
  if (p.error || p.status !== 0) throw new Error(`${[node, ...args].join(' ')} failed: ${String(p.error ?? p.stderr.trim().split('\n').pop())}`);
  return s;
}

/** The machine's own Node, when npm runs on another than the one running this script. */
function machineNode(): { path: string; version: string } | null {
  const path = process.env['npm_node_execpath'];
  if (path === undefined || path === process.execPath || !existsSync(path)) return null;
  const v = spawnSync(path, ['--version'], { encoding: 'utf8' });
  return v.status === 0 ? { path, version: v.stdout.trim() } : null;
}

function startup(): StartupRow[] {
  const other = machineNode();
  const out = mkdtempSync(join(tmpdir(), 'dynosim-bench-'));
  try {
    const cases: [string, string[]][] = [
      ['--version', ['--version']],
      ['run --no-charts', ['run', SCENARIO, '--out', out, '--quiet', '--no-charts', '--no-progress']],
    ];
    return cases.map(([what, args]) => {
      const src: number[] = [];
      const bin: number[] = [];
      const mine: number[] = [];
      processSeconds(process.execPath, [CLI, ...args]); // warm the file cache
      for (let i = 0; i < STARTUP_RUNS; i++) {
        src.push(processSeconds(process.execPath, [SOURCE_CLI, ...args]));
        bin.push(processSeconds(process.execPath, [CLI, ...args]));
        if (other !== null) mine.push(processSeconds(other.path, [CLI, ...args]));
      }
      log(`start-up ${what}: sources ${median(src).toFixed(3)} s, compiled ${median(bin).toFixed(3)} s${other ? `, compiled on ${other.version} ${median(mine).toFixed(3)} s` : ''}`);
      return {
        what,
        sourceS: median(src),
        compiledS: median(bin),
        ratio: median(bin.map((b, i) => b / src[i]!)),
        machineNode: other === null ? null : { version: other.version, seconds: median(mine) },
      };
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

interface MemoryPoint {
  factor: number;
  duration: string;
  requests: number;
  wallS: number;
  requestsPerS: number;
  peakRssMb: number;
}

function memoryCheck(baseDurationS: number): MemoryPoint[] {
  const points: MemoryPoint[] = [];
  for (const factor of [1, 4, 16]) {
    const duration = `${baseDurationS * factor}s`;
    const r = childRun([`duration=${duration}`]);
    log(`memory ${factor}×: ${r.requests} requests, peak RSS ${r.peakRssMb.toFixed(1)} MB`);
    points.push({ factor, duration, requests: r.requests, wallS: r.wallS, requestsPerS: r.requests / r.wallS, peakRssMb: r.peakRssMb });
  }
  return points;
}

interface SimPyResult {
  /** Why the peer was not run, if it was not; then requestsPerS is the published figure. */
  skipped: string | null;
  published: boolean;
  version: string | null;
  requests: number | null;
  requestsPerS: number;
  meanResponseMs: number | null;
  runs: { seconds: number; requestsPerS: number; meanResponseMs: number; h12: number }[];
}

function simpyPeer(): SimPyResult {
  const published = (why: string): SimPyResult => ({ skipped: why, published: true, version: null, requests: null, requestsPerS: SIMPY_PUBLISHED, meanResponseMs: null, runs: [] });
  if (!existsSync(PYTHON)) return published(`${PYTHON} not found`);
  const probe = spawnSync(PYTHON, ['-c', 'try:\n import simpy\nexcept ImportError:\n import SimPy'], { encoding: 'utf8' });
  if (probe.status !== 0) return published(`${PYTHON} cannot import simpy (apt-get install python3-simpy)`);
  const runs: SimPyResult['runs'] = [];
  let version: string | null = null;
  for (let i = 0; i < RUNS; i++) {
    const p = spawnSync(PYTHON, [SIMPY_SCRIPT, String(SIMPY_N)], { cwd: ROOT, encoding: 'utf8' });
    if (p.error || p.status !== 0) return published(`the SimPy script failed: ${String(p.error ?? p.stderr.trim().split('\n').pop())}`);
    const r = JSON.parse(p.stdout.trim().split('\n').pop()!) as SimPyResult['runs'][number] & { simpy: string };
    version = r.simpy;
    log(`SimPy run ${i + 1}/${RUNS}: ${SIMPY_N} requests in ${r.seconds.toFixed(3)} s`);
    runs.push({ seconds: r.seconds, requestsPerS: r.requestsPerS, meanResponseMs: r.meanResponseMs, h12: r.h12 });
  }
  return {
    skipped: null,
    published: false,
    version,
    requests: SIMPY_N,
    requestsPerS: median(runs.map((r) => r.requestsPerS)),
    meanResponseMs: median(runs.map((r) => r.meanResponseMs)),
    runs,
  };
}

interface ClosedForm {
  skipped: string | null;
  requests: number | null;
  requestsPerS: number | null;
  meanResponseMs: number | null;
  runs: { seconds: number; requestsPerS: number }[];
}

/** The JavaScript closed form on this Node, as many requests as the canonical run. */
function closedFormPeer(requests: number): ClosedForm {
  const p = spawnSync(process.execPath, [...JIT_FLAGS, CLOSED_FORM_SCRIPT, String(requests), String(RUNS)], { cwd: ROOT, encoding: 'utf8' });
  if (p.error || p.status !== 0) return { skipped: `the closed form failed: ${String(p.error ?? p.stderr.trim().split('\n').pop())}`, requests: null, requestsPerS: null, meanResponseMs: null, runs: [] };
  const r = JSON.parse(p.stdout.trim().split('\n').pop()!) as ClosedForm;
  log(`closed form: ${r.runs.map((x) => `${x.seconds.toFixed(3)} s`).join(', ')}`);
  return { skipped: null, requests: r.requests, requestsPerS: r.requestsPerS, meanResponseMs: r.meanResponseMs, runs: r.runs };
}

/** The variants of the canonical model where a simulator's speed tends to fall off a cliff. */
const FIVE_THOUSAND = ['formation.web.count=5000', 'platform.limits.dynosPerApp=5000', 'traffic.rate=40000/s', 'duration=50s'];
const CYCLING = ['platform.dynoManager.cycling=true', 'dynoAges=random'];
const CLIFFS: { name: string; what: string; set: string[] }[] = [
  { name: '5 000 dynos', what: '40 000 requests/s for 50 s, load 0.8', set: FIVE_THOUSAND },
  { name: '5 000 dynos, cycling on', what: 'the same, daily cycling on (a request recorded if a stop could catch it)', set: [...FIVE_THOUSAND, ...CYCLING] },
  { name: 'autoscaled', what: 'queue-time autoscaler, 50 to 60 dynos', set: ['scaling.web.strategy=queue-time', 'scaling.web.up=50ms', 'scaling.web.down=5ms', 'scaling.web.min=50', 'scaling.web.max=60'] },
  { name: 'rate expression', what: '400 × (1 + 0.25 sin(2πt / 1 h)) per second', set: ['traffic.rate=400*(1+0.25*sin(2*pi*t/3600))'] },
  { name: 'overload', what: 'load 0.99, 20 a dyno at once, backlog 5 a dyno, H11 shedding', set: ['traffic.rate=495/s', 'platform.router.maxActivePerDyno=20', 'platform.router.backlogPerDyno=5'] },
];

// The month of a busy app: 1 000 requests/s on 125 dynos (load 0.8) for 30 days, daily cycling on.
const MONTH_SET = ['duration=30d', 'traffic.rate=1000/s', 'formation.web.count=125', 'platform.limits.dynosPerApp=125', ...CYCLING];

// ---------------------------------------------------------------------------------------
// A sweep on one worker and on every core: the same 8 runs (2 points × 4 replications of
// the two-web-dynos month at 3 requests/s, about 1 s each, as a sweep's runs usually
// are), timed from the call to the last outcome. The threads are started once, in the
// first call on several workers, and reused by the later ones, as a plan's candidates or
// a precision target's batches reuse them; this thread's JIT is warm after its first
// call too. The median of the three is thus a warm call on both sides; the first call's
// speed-up, thread start-up included, is printed beside it.

const SWEEP_SCENARIO = 'scenarios/two-web-dynos.yaml';
const SWEEP_SPEC: SweepSpec = { axes: [parseVary('formation.web.count=2,3')], replications: 4, seed: 7, set: ['traffic.rate=3/s'] };

interface SweepSpeed {
  tasks: number;
  workers: number;
  oneWorkerS: number;
  allWorkersS: number;
  speedup: number;
  /** The speed-up of the first call, which starts the threads. */
  firstSpeedup: number;
  /** The outcomes on one worker and on several are the same. */
  identical: boolean;
}

async function sweepSpeed(): Promise<SweepSpeed> {
  const tasks = Array.from({ length: taskCount(SWEEP_SPEC) }, (_, i) => taskAt(SWEEP_SPEC, { file: join(ROOT, SWEEP_SCENARIO) }, i));
  const workers = Math.min(availableParallelism(), tasks.length);
  const one: number[] = [];
  const all: number[] = [];
  let identical = true;
  for (let i = 0; i < RUNS; i++) {
    let t0 = performance.now();
    const a = await runTasks(tasks, { jobs: 1 });
    one.push((performance.now() - t0) / 1000);
    t0 = performance.now();
    const b = await runTasks(tasks, { jobs: workers });
    all.push((performance.now() - t0) / 1000);
    identical &&= JSON.stringify(a) === JSON.stringify(b);
    log(`sweep ${i + 1}/${RUNS}: ${tasks.length} tasks, 1 worker ${one[i]!.toFixed(2)} s, ${workers} workers ${all[i]!.toFixed(2)} s`);
  }
  const oneWorkerS = median(one);
  const allWorkersS = median(all);
  return { tasks: tasks.length, workers, oneWorkerS, allWorkersS, speedup: oneWorkerS / allWorkersS, firstSpeedup: one[0]! / all[0]!, identical };
}

// ---------------------------------------------------------------------------------------
// Formatting.

const M = (x: number | null): string => (x === null ? 'n/a' : `${(x / 1e6).toFixed(2)} M`);
const MB = (x: number | null): string => (x === null ? 'n/a' : `${x.toFixed(1)} MB`);
const X = (x: number | null): string => (x === null ? 'n/a' : `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`);
const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : a / b);

function table(rows: [string, string, string][]): string {
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  return rows.map(([a, b, c]) => (a === '' && b === '' ? '' : `  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`.trimEnd())).join('\n');
}

// ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const s = await loadScenario(join(ROOT, SCENARIO));
  const baseDurationS = s.durationUs / 1e6;

  // The simulation and its CSVs, as SimPy's figure is a simulation alone; then the same run
  // with its charts and report.html, the default, to show what drawing costs.
  const whole = wholeProcess(['--no-charts']);
  if (whole.skipped) log(`whole process skipped: ${whole.skipped}`);
  const drawn = wholeProcess([]);
  const starts = startup();
  const memory = memoryCheck(baseDurationS);
  const simpy = simpyPeer();
  if (simpy.skipped) log(`SimPy skipped: ${simpy.skipped}; using the published ${M(SIMPY_PUBLISHED)} req/s`);
  // The in-process rows and the closed form, in rounds: each row once a round, each in a
  // fresh process. A row's figure is its median over the rounds, and each ratio the median
  // of its ratios within a round, so that a slow spell of a shared machine weighs on the
  // rows of one round together instead of on one row against the others.
  const rounds: Round[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    log(`in-process round ${r}/${ROUNDS}: the canonical model, then the closed form:`);
    const canonical = inProcess([]);
    const closedForm = closedFormPeer(canonical.requests);
    log('in-process, Node\'s default inlining budget, in a fresh process:');
    const untunedRun = inProcess([], true);
    // The same model with the platform's daily cycling on: the web tier then remembers the
    // requests a stopping dyno could still hold.
    log('in-process, daily cycling on:');
    const cycling = inProcess(CYCLING);
    // The same model behind 8 uncoordinated routers: random routing, each router keeping its own backlog.
    log('in-process, 8 routers:');
    const eightRouters = inProcess(['platform.router.routers=8']);
    const cliffRuns: InProcess[] = [];
    for (const c of CLIFFS) {
      log(`in-process, ${c.name}:`);
      cliffRuns.push(inProcess(c.set));
    }
    rounds.push({ canonical, closedForm, untuned: untunedRun, cycling, eightRouters, cliffs: cliffRuns });
  }
  const inProc = middle(rounds.map((r) => r.canonical));
  const untuned = middle(rounds.map((r) => r.untuned));
  const faulty = middle(rounds.map((r) => r.cycling));
  const routed = middle(rounds.map((r) => r.eightRouters));
  const cliffs = CLIFFS.map((c, i) => ({ name: c.name, what: c.what, run: middle(rounds.map((r) => r.cliffs[i]!)), vsCanonical: pairedRatio(rounds, (r) => r.cliffs[i]!.requestsPerS) }));
  // A round whose closed form failed stands for it, so that the table says why.
  const closedRuns = rounds.map((r) => r.closedForm);
  const failedClosed = closedRuns.find((c) => c.requestsPerS === null);
  const closed = failedClosed ?? middle(closedRuns as (ClosedForm & { requestsPerS: number })[]);
  const vsClosed = failedClosed !== undefined ? null : pairedRatio(rounds, (r) => r.closedForm.requestsPerS!, true);
  const vsUntuned = pairedRatio(rounds, (r) => r.untuned.requestsPerS, true);
  const vsCycling = pairedRatio(rounds, (r) => r.cycling.requestsPerS);
  const vsRouters = pairedRatio(rounds, (r) => r.eightRouters.requestsPerS);
  const sweep = await sweepSpeed();
  let month: (SimRun & { peakRssMb: number }) | null = null;
  if (process.argv.includes('--month')) {
    log('a busy month (30 d at 1 000 requests/s), in a fresh process: minutes');
    month = childRun(MONTH_SET);
    log(`month: ${month.requests} requests in ${month.wallS.toFixed(1)} s`);
  }

  const simpyLabel = simpy.published ? 'published, benchmarks.md' : `${simpy.version}, N=${SIMPY_N}, median of ${RUNS}`;
  const mem1 = memory[0]!.peakRssMb;
  const rows: [string, string, string][] = [
    ['in-process req/s (median)', M(inProc.requestsPerS), `simulate() in a fresh process, ${inProc.requests} requests, ${inProc.wallS.toFixed(3)} s, after ${inProc.warmupRuns} warm-up runs, median of ${inProc.runs.length}; the median of ${ROUNDS} rounds, as every row to the closed form's`],
    ['in-process events/s', M(inProc.eventsPerS), `${inProc.events} events per run`],
    ['  default JIT budget', M(untuned.requestsPerS), `Node's default inlining budget: the tuning (${JIT_FLAGS.join(' ')}) gives ${X(vsUntuned)}`],
    ['  with daily cycling', M(faulty.requestsPerS), `faults on: ${X(vsCycling)} the faults-off rate (target ≥ ${TARGET_CYCLING}×)`],
    ['  behind 8 routers', M(routed.requestsPerS), `random routing, each router its own backlog: ${X(vsRouters)} the one-router rate`],
    ...cliffs.map((c): [string, string, string] => [`  ${c.name}`, M(c.run.requestsPerS), `${c.what}: ${X(c.vsCanonical)} the canonical rate (target ≥ ${TARGET_CLIFF}×)`]),
    ['JS closed form req/s', M(closed.requestsPerS), closed.skipped ?? `${CLOSED_FORM_SCRIPT}, Lindley's recursion, ${closed.requests} requests, mean ${closed.meanResponseMs!.toFixed(1)} ms, warm, median of ${RUNS}; each round beside the canonical run`],
    ['whole-process req/s', M(whole.requestsPerS), whole.skipped ? `skipped: ${whole.skipped}` : `requests / process wall (${whole.measuredWallS!.toFixed(3)} s), median of ${RUNS} fresh processes`],
    ['  process overhead', whole.runs.length ? `${median(whole.runs.map((r) => r.measuredWallS - r.wallS)).toFixed(3)} s` : 'n/a', 'process wall − simulate(): start-up, loading, writing results'],
    ['  CLI simulate() req/s', M(whole.cliInProcessRequestsPerS), 'run.json requestsPerS (cold process, no warm-up)'],
    ['  CLI events/s', M(whole.eventsPerS), 'run.json eventsPerS'],
    ['  CLI peak RSS', MB(whole.peakRssMb), 'run.json peakRssMb'],
    ['  with charts and report', drawn.measuredWallS === null ? 'n/a' : `${drawn.measuredWallS.toFixed(3)} s`, drawn.skipped ? `skipped: ${drawn.skipped}` : `process wall, the default: +${(drawn.measuredWallS! - (whole.measuredWallS ?? 0)).toFixed(3)} s for 6 charts (vega-lite, SVG, PNG) and report.html, peak RSS ${MB(drawn.peakRssMb)}`],
    ...starts.map((r): [string, string, string] => [
      `  start-up: ${r.what}`,
      `${r.compiledS.toFixed(3)} s`,
      `compiled, ${process.version}; from the sources ${r.sourceS.toFixed(3)} s (compiled ${X(r.ratio)} of it)${r.machineNode ? `; compiled on ${r.machineNode.version} ${r.machineNode.seconds.toFixed(3)} s` : ''}; median of ${STARTUP_RUNS}`,
    ]),
    ['SimPy req/s', M(simpy.requestsPerS), simpyLabel + (simpy.skipped ? ` (skipped: ${simpy.skipped})` : '')],
    ['', '', ''],
    ...memory.map((m): [string, string, string] => [
      `peak RSS ${m.factor}× (${m.duration})`,
      MB(m.peakRssMb),
      `${m.requests} requests, ${M(m.requestsPerS)} req/s, ${m.factor === 1 ? 'fresh process' : `${X(m.peakRssMb / mem1)} the 1× RSS`}`,
    ]),
    ['', '', ''],
    ['in-process vs 12 M target', X(ratio(inProc.requestsPerS, TARGET_IN_PROCESS)), 'target ≥ 1×'],
    ['in-process vs JS closed form', X(vsClosed), `the same run, the same Node, paired in each round, median of ${ROUNDS}; target ≥ ${TARGET_VS_CLOSED_FORM}×`],
    ['whole-process vs SimPy', X(ratio(whole.requestsPerS, simpy.requestsPerS)), `target ≥ ${TARGET_VS_SIMPY}×`],
    ['in-process vs typed-array heap', X(ratio(inProc.requestsPerS, TYPED_ARRAY_HEAP)), '5.7 M req/s, benchmarks.md'],
    ['whole-process vs typed-array heap', X(ratio(whole.requestsPerS, TYPED_ARRAY_HEAP)), '5.7 M req/s, benchmarks.md'],
    ['', '', ''],
    [
      `sweep: ${sweep.tasks} tasks`,
      `×${sweep.speedup.toFixed(2)}`,
      `1 worker ${sweep.oneWorkerS.toFixed(1)} s, ${sweep.workers} workers ${sweep.allWorkersS.toFixed(1)} s (${SWEEP_SCENARIO}, median of ${RUNS}; the first call, starting the threads, ×${sweep.firstSpeedup.toFixed(2)})`,
    ],
    ...(month === null
      ? []
      : [['', '', ''] as [string, string, string], ['a busy month', `${month.wallS.toFixed(1)} s`, `${month.requests} requests (30 d, 1 000/s, 125 dynos, cycling on), ${M(month.requests / month.wallS)} req/s, peak RSS ${MB(month.peakRssMb)}, fresh process; target ≤ ${TARGET_MONTH_S} s`] as [string, string, string]]),
  ];
  const header = `dynosim ${VERSION} bench: ${SCENARIO} — node ${process.version}, ${cpus().length} CPU ${cpus()[0]?.model.trim() ?? ''}`;
  process.stdout.write(`\n${header}\n\n${table(rows)}\n`);
  if (!sweep.identical) process.stdout.write('\n  note: the sweep on one worker and on several did not give the same outcomes\n');
  if (!inProc.deterministic) process.stdout.write('\n  note: the in-process runs did not all simulate the same number of requests and events\n');

  const latest = {
    date: new Date().toISOString(),
    dynosim: VERSION,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? null,
    scenario: SCENARIO,
    inProcess: inProc,
    inProcessDefaultJit: untuned,
    jitFlags: JIT_FLAGS,
    inProcessCycling: faulty,
    inProcessEightRouters: routed,
    cliffs: cliffs.map((c) => ({ name: c.name, what: c.what, ...c.run, vsCanonical: c.vsCanonical })),
    closedForm: closed,
    rounds,
    month,
    sweep,
    wholeProcess: whole,
    wholeProcessWithCharts: drawn,
    startup: starts,
    memory,
    simpy,
    ratios: {
      inProcessVsTarget: ratio(inProc.requestsPerS, TARGET_IN_PROCESS),
      inProcessVsClosedForm: vsClosed,
      cyclingVsFaultsOff: vsCycling,
      tunedVsDefaultJit: vsUntuned,
      eightRoutersVsOne: vsRouters,
      wholeProcessVsSimpy: ratio(whole.requestsPerS, simpy.requestsPerS),
      inProcessVsTypedArrayHeap: ratio(inProc.requestsPerS, TYPED_ARRAY_HEAP),
      wholeProcessVsTypedArrayHeap: ratio(whole.requestsPerS, TYPED_ARRAY_HEAP),
    },
    references: { targetInProcess: TARGET_IN_PROCESS, targetVsClosedForm: TARGET_VS_CLOSED_FORM, targetCycling: TARGET_CYCLING, targetCliff: TARGET_CLIFF, targetMonthS: TARGET_MONTH_S, targetVsSimpy: TARGET_VS_SIMPY, typedArrayHeap: TYPED_ARRAY_HEAP, simpyPublished: SIMPY_PUBLISHED },
  };
  mkdirSync(join(ROOT, '.bench'), { recursive: true });
  writeFileSync(join(ROOT, '.bench', 'latest.json'), `${JSON.stringify(latest, null, 2)}\n`);
  process.stdout.write(`\n  figures written to .bench/latest.json\n`);
}

// The sweep runs in this process, and its worker threads share its flags: tuned, as `dynosim sweep` runs.
tuneJit();
await main();
