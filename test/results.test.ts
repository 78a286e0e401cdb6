/**
 * The showcase in results/ never goes stale: one shipped scenario is run again as
 * `npm run results` runs it, and every committed file of its folder must come out
 * byte-identical (wall-clock files and PNGs, which are not committed, aside).
 */
import test from 'ava';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { dynosim, ROOT } from './helpers/cli.ts';
import { resultJobs, shippedScenarios } from '../scripts/results.ts';

/** Folders other commands write inside a run's results. */
const OTHER_COMMANDS = new Set(['compare', 'plan', 'sweep', 'cost']);

function files(dir: string, top = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!(dir === top && OTHER_COMMANDS.has(name))) out.push(...files(path, top));
    } else if (name !== 'run.json' && !name.endsWith('.png')) out.push(relative(top, path));
  }
  return out;
}

test('every shipped scenario has its results, report and charts committed', (t) => {
  for (const f of shippedScenarios(join(ROOT, 'scenarios'))) {
    const text = readFileSync(f, 'utf8');
    const name = /^name:\s*(\S+)/m.exec(text)?.[1];
    t.truthy(name, `${f} has a name`);
    const listed = files(join(ROOT, 'results', name!));
    for (const must of ['summary.json', 'timeseries.csv', 'cost.csv', 'report.html', 'charts/latency.svg', 'charts/cost-month.vl.json']) t.true(listed.includes(must), `results/${name}/${must}`);
  }
  t.true(resultJobs().some((j) => j[0] === 'compare'));
});

test('a shipped scenario regenerated gives its committed results byte for byte', (t) => {
  const scenario = 'scenarios/random-vs-shared-queue/shared-queue.yaml';
  const committed = join(ROOT, 'results', 'random-vs-shared-queue.shared-queue');
  const out = join(mkdtempSync(join(tmpdir(), 'dynosim-results-')), 'r');
  // As scripts/results.ts runs it, from the repository's root, without PNGs (not committed).
  const r = dynosim(['run', scenario, '-q', '--no-progress', '--no-png', '--out', out], ROOT);
  t.is(r.status, 0, r.stderr);
  const expected = files(committed);
  t.deepEqual(files(out), expected, 'the same files');
  for (const f of expected) t.true(readFileSync(join(out, f)).equals(readFileSync(join(committed, f))), `${f} differs from the committed copy: run npm run results`);
});
