/**
 * The showcase in results/ never goes stale and stays small enough to carry: one shipped
 * scenario is run and priced again as `npm run results` does it, and every committed file
 * of its folder must come out byte-identical; every shipped scenario has its results, cost
 * and reports committed, each report with the chart images it shows; and what the
 * repository carries is what scripts/results.ts says it should (notCommitted: wall-clock
 * files, PNGs, vega-lite specs, interactive pages and files over 200 kB stay out), .gitignore
 * agrees, and it all weighs less than RESULTS_BUDGET_BYTES.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { dynosim, ROOT } from './helpers/cli.ts';
import { registerSystemTests } from './helpers/systemPackages.ts';
import { COMPARED, LARGE_FILE_BYTES, RESULTS_BUDGET_BYTES, notCommitted, resultChains, resultJobs, shippedScenarios } from '../scripts/results.ts';

/** Folders other commands write inside a run's results. */
const OTHER_COMMANDS = new Set(['compare', 'plan', 'sweep', 'cost']);

/**
 * Every file under `dir`, relative to `top`, sorted; other commands' folders at the top
 * left out unless `keep` names them, and hidden ones (a killed run's `.dynosim-*`) always.
 */
function files(dir: string, top = dir, keep: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!(dir === top && OTHER_COMMANDS.has(name) && !keep.has(name))) out.push(...files(path, top, keep));
    } else out.push(relative(top, path));
  }
  return out;
}

/** The files of a results folder the repository carries. */
function committed(dir: string, keep: ReadonlySet<string> = new Set()): string[] {
  return files(dir, dir, keep).filter((f) => notCommitted(f, statSync(join(dir, f)).size) === null);
}

/** The paths .gitignore names one by one (no wildcard), under results/. */
function namedInGitignore(): Set<string> {
  const lines = readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n');
  return new Set(lines.filter((l) => /^\/results\/[^*]+$/.test(l)).map((l) => l.slice(1)));
}

/** The chart images a report shows, relative to its folder. */
function images(html: string): string[] {
  return [...html.matchAll(/<img src="([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!));
}

function scenarioName(file: string): string | undefined {
  return /^name:\s*(\S+)/m.exec(readFileSync(file, 'utf8'))?.[1];
}

test('every shipped scenario has its results, cost, report and charts committed, and every image its reports show', (t) => {
  const large = namedInGitignore();
  for (const f of shippedScenarios(join(ROOT, 'scenarios'))) {
    const name = scenarioName(f);
    t.truthy(name, `${f} has a name`);
    const dir = join(ROOT, 'results', name!);
    const listed = committed(dir, new Set(['cost', 'compare']));
    const musts = ['summary.json', 'timeseries.csv', 'dynos.csv', 'events.csv', 'cost.csv', 'report.html', 'charts/latency.svg', 'charts/cost-month.svg'];
    const cost = ['cost/cost.csv', 'cost/cost.json', 'cost/report.html', 'cost/charts/cost-by-count.svg', 'cost/charts/cost-by-process.svg'];
    const compare = COMPARED.includes(relative(ROOT, f)) ? ['compare/compare.csv', 'compare/compare.json', 'compare/report.html'] : [];
    for (const must of [...musts, ...cost, ...compare]) {
      // A file too large to carry is named in .gitignore instead (two-web-dynos' month of minutes).
      const ok = listed.includes(must) || (must.endsWith('.csv') && large.has(`results/${name}/${must}`));
      t.true(ok, `results/${name}/${must}`);
    }
    for (const report of listed.filter((x) => x.endsWith('report.html'))) {
      const folder = report.slice(0, -'report.html'.length);
      const shown = images(readFileSync(join(dir, report), 'utf8'));
      t.true(shown.length > 0, `results/${name}/${report} shows charts`);
      for (const img of shown) t.true(listed.includes(folder + img), `results/${name}/${report} shows ${img}, committed beside it`);
    }
  }
  t.true(resultJobs().some((j) => j[0] === 'compare'));
});

test('npm run results runs a scenario\'s commands one after another, the run first', (t) => {
  const chains = resultChains();
  t.is(chains.flat().length, resultJobs().length);
  for (const chain of chains) {
    t.is(new Set(chain.map((j) => j[1])).size, 1, 'one scenario file a chain');
    if (chain.some((j) => j[0] === 'run')) t.is(chain[0]![0], 'run');
  }
  t.deepEqual(chains.slice(0, COMPARED.length).map((c) => c[0]![1]), COMPARED, 'the scenarios with a compare first');
});

test('what results/ carries: small files only, wall-clock files, PNGs, specs and interactive pages left out', (t) => {
  t.is(notCommitted('two-web-dynos/run.json', 200), 'wall-clock figures, different every run');
  t.truthy(notCommitted('black-friday/compare/compare-run.json', 290));
  t.truthy(notCommitted('x/charts/latency.png', 1000));
  t.truthy(notCommitted('x/charts/latency.vl.json', 1000));
  t.truthy(notCommitted('x/report-interactive.html', 1000));
  t.truthy(notCommitted('two-web-dynos/timeseries.csv', LARGE_FILE_BYTES + 1));
  for (const f of ['x/report.html', 'x/charts/latency.svg', 'x/summary.json', 'x/timeseries.csv', 'x/cost/cost.json', 'x/compare/compare.csv']) t.is(notCommitted(f, LARGE_FILE_BYTES), null, f);
});

// The committed set as git has it: needs git and a checkout (CI has both).
const git = (args: string[], input?: string) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8', input, maxBuffer: 1 << 26 });
const probe = git(['rev-parse', '--is-inside-work-tree']);
const NO_GIT = probe.error !== undefined ? 'no git on the PATH' : probe.status !== 0 || probe.stdout.trim() !== 'true' ? 'not a git checkout' : null;
if (registerSystemTests(NO_GIT, 'results/ against git: not a git checkout, or no git — install git (apt-get install git) and test in a clone')) {
  test('git carries exactly the results files scripts/results.ts names, .gitignore leaves out the others, and they weigh less than the budget', (t) => {
    t.is(NO_GIT, null, NO_GIT ?? '');
    const tracked = git(['ls-files', '-z', '--', 'results']).stdout.split('\0').filter((f) => f !== '');
    const onDisk = files(join(ROOT, 'results')).map((f) => `results/${f}`);
    const want = onDisk.filter((f) => notCommitted(f, statSync(join(ROOT, f)).size) === null);
    t.deepEqual([...tracked].sort(), [...want].sort(), 'git ls-files results: run npm run results, then git add results (or git rm what it no longer writes)');
    const left = onDisk.filter((f) => !want.includes(f));
    const ignored = new Set(git(['check-ignore', '--no-index', '--stdin'], left.join('\n') + '\n').stdout.split('\n').filter((f) => f !== ''));
    for (const f of left) t.true(ignored.has(f), `${f} is not committed (${notCommitted(f, statSync(join(ROOT, f)).size)}): .gitignore must leave it out`);
    const bytes = tracked.reduce((sum, f) => sum + (existsSync(join(ROOT, f)) ? statSync(join(ROOT, f)).size : 0), 0);
    t.true(bytes < RESULTS_BUDGET_BYTES, `results/ as committed: ${bytes} bytes in ${tracked.length} files, over ${RESULTS_BUDGET_BYTES}`);
  });
}

test('a shipped scenario run and priced again gives its committed results byte for byte', (t) => {
  const scenario = 'scenarios/random-vs-shared-queue/shared-queue.yaml';
  const dir = join(ROOT, 'results', 'random-vs-shared-queue.shared-queue');
  const out = join(mkdtempSync(join(tmpdir(), 'dynosim-results-')), 'r');
  // As scripts/results.ts runs them, from the repository's root, the run first, without PNGs (not committed).
  const run = dynosim(['run', scenario, '-q', '--no-progress', '--no-png', '--out', out], ROOT);
  t.is(run.status, 0, run.stderr);
  const cost = dynosim(['cost', scenario, '-q', '--no-png', '--out', join(out, 'cost')], ROOT);
  t.is(cost.status, 0, cost.stderr);
  const keep = new Set(['cost']);
  const expected = committed(dir, keep);
  t.true(expected.includes('report.html') && expected.includes('cost/report.html'));
  t.deepEqual(committed(out, keep), expected, 'the same files');
  for (const f of expected) t.true(readFileSync(join(out, f)).equals(readFileSync(join(dir, f))), `${f} differs from the committed copy: run npm run results`);
  // What is not committed is still written: the specs, run.json.
  t.true(files(out).includes('charts/latency.vl.json') && files(out).includes('run.json'));
});
