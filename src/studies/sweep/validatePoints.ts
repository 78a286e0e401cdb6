/**
 * A sweep's grid points checked before anything runs: every point's scenario loaded once,
 * so that a bad value fails before the first run (the library's sweep, and `dynosim sweep`).
 */
import { basename } from 'node:path';
import { loadRef, type ScenarioRef } from '../../scenario/load.ts';
import type { Scenario } from '../../model/Scenario.ts';
import { ScenarioError, type Problem } from '../../scenario/problems.ts';
import { pointCount, pointSets, pointValues, type SweepSpec } from './grid.ts';

/**
 * Loads every grid point's scenario once (no run), so that a bad value fails before
 * anything runs. Problems come back as one ScenarioError, each line saying which --vary
 * value it comes from. `onPoint` sees each point's scenario that loads (`dynosim sweep`
 * checks it for a runaway).
 */
export async function validatePoints(ref: ScenarioRef, spec: SweepSpec, onPoint?: (s: Scenario, sets: readonly string[]) => void): Promise<void> {
  // One line per problem: the same problem at several values of one --vary is one line listing them.
  const found = new Map<string, { path: string; message: string; axis: string | null; values: string[] }>();
  let label = basename(ref.file);
  const points = pointCount(spec.axes);
  for (let p = 0; p < points; p++) {
    const sets = pointSets(spec.axes, p);
    const values = pointValues(spec.axes, p);
    try {
      const s = await loadRef(ref, { set: [...spec.set, ...sets], seed: spec.seed, variant: spec.variant, study: 'sweep' });
      onPoint?.(s, sets);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      label = e.file;
      for (const problem of e.problems) {
        const from = spec.axes.flatMap((a, k) => (problem.path === '' || concerns(problem.path, a.path) ? [k] : []));
        const k = from.length === 1 ? from[0]! : null;
        const key = `${problem.path}\n${problem.message}\n${k === null ? sets.join(', ') : spec.axes[k]!.path}`;
        const entry = found.get(key) ?? { path: problem.path, message: problem.message, axis: k === null ? null : spec.axes[k]!.path, values: [] };
        found.set(key, entry);
        const v = k === null ? sets.join(', ') : values[k]!;
        if (!entry.values.includes(v)) entry.values.push(v);
      }
    }
  }
  if (found.size === 0) return;
  const problems: Problem[] = [...found.values()].map((f) => ({
    path: f.path,
    message: `${f.message} (${f.axis === null ? `at ${f.values[0]}` : `--vary ${f.axis}=${f.values.join(',')}`})`,
  }));
  throw new ScenarioError(label, problems);
}

/** Whether a problem at field `problem` concerns the varied field `varied` (one is inside the other). */
function concerns(problem: string, varied: string): boolean {
  return problem === varied || problem.startsWith(`${varied}.`) || varied.startsWith(`${problem}.`);
}
