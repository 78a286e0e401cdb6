/**
 * Runs many replications of scenarios: each task names a scenario file, a variant, `--set`
 * overrides and a seed, and yields an Outcome. Results come back in task order whatever
 * order they finish in, so that everything built on them is deterministic.
 */
import { loadScenario } from '../scenario/load.ts';
import { simulate } from '../sim/simulate.ts';
import { outcomeOf, type Outcome } from '../experiment/outcome.ts';

export interface Task {
  /** Scenario file (a path the process can open). */
  readonly file: string;
  readonly variant?: string;
  /** `path=value` overrides, applied after the variant. */
  readonly set: readonly string[];
  readonly seed: number;
}

export interface RunTasksOptions {
  /** Worker threads to use (default: every core). */
  readonly jobs?: number;
  /** Called as each task finishes, with the number finished and the total. */
  readonly onDone?: (done: number, total: number) => void;
}

/** Runs one task in this thread. */
export async function runTask(task: Task): Promise<Outcome> {
  const s = await loadScenario(task.file, { set: task.set, seed: task.seed, variant: task.variant });
  const r = simulate(s, { onMinute: () => {}, onQueueMinute: () => {}, onMetrics: () => {} });
  return outcomeOf(r);
}

/** Runs every task and returns their outcomes in task order. */
export async function runTasks(tasks: readonly Task[], options: RunTasksOptions = {}): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const t of tasks) {
    out.push(await runTask(t));
    options.onDone?.(out.length, tasks.length);
  }
  return out;
}
