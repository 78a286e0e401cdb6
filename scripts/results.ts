/**
 * `npm run results`: regenerates results/, the outputs of every shipped scenario (a run of
 * each, the cost of each (results/<name>/cost), and the comparisons of the scenarios with variants), with the
 * commands a user would type. Runs two scenarios at a time, each scenario's commands one after
 * another (the run first: it replaces results/<name>/, inside which cost/ and compare/ are
 * written, and a command writing there while it does would lose its files); every output
 * is deterministic, so a second regeneration changes nothing but the wall-clock files
 * (run.json, compare-run.json, not committed).
 *
 *   npm run results                 everything
 *   npm run results -- two-web      only the jobs whose command mentions "two-web"
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The shipped scenarios: every YAML under scenarios/ except the benchmark's. */
export function shippedScenarios(dir = 'scenarios'): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'bench') out.push(...shippedScenarios(path));
    } else if (name.endsWith('.yaml')) out.push(path);
  }
  return out;
}

/** Bytes above which a file of results/ is not committed: each such file is named in .gitignore. */
export const LARGE_FILE_BYTES = 200_000;

/** What the committed results/ may weigh in all, bytes: a repository carries it in every clone. */
export const RESULTS_BUDGET_BYTES = 7_000_000;

/**
 * Why a file of results/ is not committed, or null when it is (.gitignore says the same;
 * test/results.test.ts checks that they agree). Everything left out but the wall-clock
 * figures, `npm run results` regenerates to the byte.
 */
export function notCommitted(path: string, bytes: number): string | null {
  const name = path.split('/').at(-1)!;
  if (name === 'run.json' || name.endsWith('-run.json')) return 'wall-clock figures, different every run';
  if (name.endsWith('.png')) return "the chart's SVG drawn at twice the size";
  if (name.endsWith('.vl.json')) return "the chart's vega-lite spec with all its data (report-interactive.html inlines it too)";
  if (name === 'report-interactive.html') return 'report.html with vega and every spec inline, about 1 MB a page';
  if (bytes > LARGE_FILE_BYTES) return `over ${LARGE_FILE_BYTES / 1000} kB`;
  return null;
}

/** Scenarios whose variants are compared in results/<name>/compare (10 replications each). */
export const COMPARED = ['scenarios/black-friday.yaml', 'scenarios/workers-vs-dynos.yaml', 'scenarios/rap-genius.yaml', 'scenarios/release-with-preboot.yaml'];

export function resultJobs(): string[][] {
  const jobs: string[][] = [];
  for (const f of COMPARED) jobs.push(['compare', f, '--replications', '10', '-q']);
  for (const f of shippedScenarios()) jobs.push(['run', f, '-q'], ['cost', f, '-q']);
  return jobs;
}

/**
 * The jobs in chains, one per scenario file: a chain's jobs run one after another, the run
 * first, the others (cost, compare) in the order given; chains in the order of their first
 * job, so the long compares start first.
 */
export function resultChains(jobs: readonly string[][] = resultJobs()): string[][][] {
  const chains = new Map<string, string[][]>();
  for (const job of jobs) {
    const file = job[1]!;
    if (!chains.has(file)) chains.set(file, []);
    chains.get(file)!.push(job);
  }
  const rank = (job: readonly string[]): number => (job[0] === 'run' ? 0 : 1);
  return [...chains.values()].map((chain) => [...chain].sort((a, b) => rank(a) - rank(b)));
}

async function main(): Promise<void> {
  const filter = process.argv.slice(2);
  const jobs = resultJobs().filter((j) => filter.every((w) => j.join(' ').includes(w)));
  const chains = resultChains(jobs);
  // Each compare uses every core itself; scenarios go two at a time.
  const width = Math.max(1, Math.min(2, availableParallelism()));
  const t0 = performance.now();
  let next = 0;
  let failed = 0;
  const one = async (job: string[]): Promise<void> => {
    const started = performance.now();
    const code = await new Promise<number>((done) => {
      const child = spawn(process.execPath, ['dist/dynosim.js', ...job, ...(job[0] === 'cost' ? [] : ['--no-progress'])], { stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('exit', (c) => done(c ?? 1));
    });
    if (code !== 0) failed++;
    process.stdout.write(`${code === 0 ? 'ok  ' : 'FAIL'} dynosim ${job.join(' ')} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  };
  const worker = async (): Promise<void> => {
    while (next < chains.length) {
      for (const job of chains[next++]!) await one(job);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  process.stdout.write(`${jobs.length - failed} of ${jobs.length} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  if (failed > 0) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
