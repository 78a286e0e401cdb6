/**
 * `npm run results`: regenerates results/, the outputs of every shipped scenario (a run of
 * each, the cost of each (results/<name>/cost), and the comparisons of the scenarios with variants), with the
 * commands a user would type. Runs two commands at a time per core pair; every output is
 * deterministic, so a second regeneration changes nothing but the wall-clock files.
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

/** Scenarios whose variants are compared in results/<name>/compare (10 replications each). */
const COMPARED = ['scenarios/black-friday.yaml', 'scenarios/workers-vs-dynos.yaml'];

export function resultJobs(): string[][] {
  const jobs: string[][] = [];
  for (const f of shippedScenarios()) jobs.push(['run', f, '-q'], ['cost', f, '-q']);
  for (const f of COMPARED) jobs.push(['compare', f, '--replications', '10', '-q']);
  return jobs;
}

/**
 * The jobs grouped by the scenario they read, each group in its order (run, cost, compare):
 * a run replaces its whole results folder, so the jobs that write inside it (cost/,
 * compare/) must not run beside it. The groups with a comparison, the longest, go first.
 */
export function jobGroups(jobs: readonly string[][]): string[][][] {
  const groups = new Map<string, string[][]>();
  for (const j of jobs) groups.set(j[1]!, [...(groups.get(j[1]!) ?? []), j]);
  return [...groups.values()].sort((a, b) => Number(b.some((j) => j[0] === 'compare')) - Number(a.some((j) => j[0] === 'compare')));
}

async function main(): Promise<void> {
  const filter = process.argv.slice(2);
  const jobs = resultJobs().filter((j) => filter.every((w) => j.join(' ').includes(w)));
  // Each compare uses every core itself; runs go two at a time.
  const width = Math.max(1, Math.min(2, availableParallelism()));
  const t0 = performance.now();
  const groups = jobGroups(jobs);
  let next = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < groups.length) {
      for (const job of groups[next++]!) {
        const started = performance.now();
        const code = await new Promise<number>((done) => {
          const child = spawn(process.execPath, ['dist/dynosim.js', ...job, ...(job[0] === 'cost' ? [] : ['--no-progress'])], { stdio: ['ignore', 'inherit', 'inherit'] });
          child.on('exit', (c) => done(c ?? 1));
        });
        if (code !== 0) failed++;
        process.stdout.write(`${code === 0 ? 'ok  ' : 'FAIL'} dynosim ${job.join(' ')} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  process.stdout.write(`${jobs.length - failed} of ${jobs.length} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  if (failed > 0) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
