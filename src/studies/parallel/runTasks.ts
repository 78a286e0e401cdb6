/**
 * Runs many replications of scenarios: each task names a scenario (a file or its fields), a variant, `--set`
 * overrides and a seed, and yields an Outcome. Results come back in task order whatever
 * order they finish in, so that everything built on them is deterministic.
 *
 * Tasks run on a pool of worker threads (one per core by default): the next free worker
 * takes the next task, loads the scenario itself and sends back the Outcome, which is
 * plain JSON. A run is a function of its task alone, so the outcomes are the same whatever
 * the number of workers. With `jobs: 1` (or a single task) everything runs in this thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { loadRef } from '../../scenario/load.ts';
import { simulate } from '../../model/run/simulate.ts';
import { outcomeOf, type Outcome } from './outcome.ts';
import { errorFromWire, type ResultMessage, type Task, type TaskMessage, type WireError } from './wire.ts';

export type { Task } from './wire.ts';

export interface RunTasksOptions {
  /** Worker threads to use (default: every core, at most one per task). */
  readonly jobs?: number;
  /** Called as each task finishes, with the number finished and the total. */
  readonly onDone?: (done: number, total: number) => void;
}

/** Runs one task in this thread. */
export async function runTask(task: Task): Promise<Outcome> {
  const s = await loadRef(task, { set: task.set, seed: task.seed, variant: task.variant });
  const r = simulate(s, { onMinute: () => {}, onQueueMinute: () => {}, onMetrics: () => {} });
  return outcomeOf(r);
}

/**
 * Deno (the notebooks' Jupyter kernel) runs every task in its own thread: its kernel can
 * hang for good starting a worker thread once vega is loaded and its module cache is new.
 */
const IN_DENO = 'Deno' in globalThis;

/** The number of workers `runTasks` uses for `count` tasks. */
export function workerCount(count: number, jobs?: number): number {
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) throw new RangeError(`jobs must be a whole number of at least 1, got ${jobs}`);
  if (IN_DENO) return 1;
  return Math.max(1, Math.min(jobs ?? availableParallelism(), count));
}

/** Runs every task and returns their outcomes in task order. */
export async function runTasks(tasks: readonly Task[], options: RunTasksOptions = {}): Promise<Outcome[]> {
  const workers = workerCount(tasks.length, options.jobs);
  if (workers <= 1) return runHere(tasks, options);
  return runOnWorkers(tasks, workers, options);
}

async function runHere(tasks: readonly Task[], options: RunTasksOptions): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const t of tasks) {
    out.push(await runTask(t));
    options.onDone?.(out.length, tasks.length);
  }
  return out;
}

// The worker beside this file: worker.ts when dynosim runs from its sources, worker.js when compiled.
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);

/**
 * The threads, started once for the life of the process and reused by every later call:
 * a study that runs its tasks in batches (a plan's candidates, the batches of a precision
 * target) or a program that runs several studies starts each thread once. A thread does
 * not keep the process alive while it waits for work (it is unref'd between calls).
 */
const idle: Worker[] = [];
let started = 0;

/** How many threads this process has started for runTasks (the pool's reuse shows in it). */
export function threadsStarted(): number {
  return started;
}

/** A thread for one call: an idle one, or a new one. */
function takeWorker(): Worker {
  const w = idle.pop() ?? startWorker();
  w.ref();
  return w;
}

function startWorker(): Worker {
  const w = new Worker(WORKER_URL);
  started++;
  // A thread that fails or stops while it waits is dropped from the pool (a call's own
  // listeners report a failure during the call).
  const drop = (): void => {
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
  };
  w.on('error', drop);
  w.on('exit', drop);
  return w;
}

/** A thread whose call is over and whose task, if any, has finished: it waits for the next call. */
function giveBack(w: Worker): void {
  w.unref();
  idle.push(w);
}

/**
 * One call on the pool. When a task fails, no further task is handed out; the tasks
 * already running finish, and the error of the first failed task in task order is the one
 * thrown: the same error a run on one thread would have stopped at. A thread that dies
 * ends the call; its threads are stopped, not given back, since they may be in a task.
 */
function runOnWorkers(tasks: readonly Task[], size: number, options: RunTasksOptions): Promise<Outcome[]> {
  return new Promise<Outcome[]>((resolve, reject) => {
    const outcomes: Outcome[] = new Array<Outcome>(tasks.length);
    const mine: Worker[] = [];
    const detach: (() => void)[] = [];
    let next = 0;
    let done = 0;
    let running = 0;
    let settled = false;
    let failure: { index: number; error: WireError } | null = null;
    let crash: Error | null = null;

    const finish = (): void => {
      if (settled) return;
      settled = true;
      for (const off of detach) off();
      // Every task handed out has answered unless a thread died: then none is reused.
      for (const w of mine) {
        if (crash === null) giveBack(w);
        else void w.terminate();
      }
      if (crash !== null) reject(crash);
      else if (failure !== null) reject(errorFromWire(failure.error));
      else resolve(outcomes);
    };

    const handOut = (w: Worker): void => {
      if (failure !== null || crash !== null || next >= tasks.length) {
        if (running === 0) finish();
        return;
      }
      const index = next++;
      running++;
      w.postMessage({ index, task: tasks[index]! } satisfies TaskMessage);
    };

    const start = (): void => {
      const w = takeWorker();
      mine.push(w);
      const onMessage = (m: ResultMessage): void => {
        if (settled) return;
        running--;
        if (m.ok) {
          outcomes[m.index] = m.outcome;
          done++;
          options.onDone?.(done, tasks.length);
        } else if (failure === null || m.index < failure.index) {
          failure = { index: m.index, error: m.error };
        }
        handOut(w);
      };
      // A worker that dies (out of memory, an error outside any task) ends the whole run.
      const onError = (e: Error): void => {
        crash ??= new Error(`a worker thread failed: ${e.message}`);
        finish();
      };
      const onExit = (code: number): void => {
        if (!settled) {
          crash ??= new Error(`a worker thread stopped unexpectedly (exit code ${code})`);
          finish();
        }
      };
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      detach.push(() => {
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
      });
      handOut(w);
    };

    try {
      for (let i = 0; i < size; i++) start();
    } catch (e) {
      // A thread that cannot be started: stop those that were.
      crash ??= e instanceof Error ? e : new Error(String(e));
      finish();
    }
  });
}
