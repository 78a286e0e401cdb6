/**
 * The Slurm recipe of docs/studies.md, on a real cluster: a single-node Slurm cluster
 * (Debian's slurmctld, slurmd and munge, started in a temporary folder by
 * helpers/slurm.ts) runs scripts/slurm-sweep.sh, the very file the docs show, as a job
 * array of shards and a job that merges them; the merged sweep.csv, runs.csv and charts
 * are byte-identical to the sweep run in one go. The grid is the docs' with fewer points
 * and replications, to keep the test short; the command is the same.
 *
 * Where Slurm is not installed, or the user is not root (slurmd must be), the test stands
 * aside outside CI; in CI (which installs the packages and runs as root) it fails.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN, ROOT } from './helpers/cli.ts';
import { SLURM_PACKAGES, slurmProblem, startSlurmCluster, type SlurmCluster } from './helpers/slurm.ts';
import { registerSystemTests } from './helpers/systemPackages.ts';

const SCRIPT = 'scripts/slurm-sweep.sh';

/** The recipe's sweep: the docs' scenario and axes, with the dyno counts and replications given. */
function sweepArgs(counts: string, replications: number): string[] {
  return ['scenarios/two-web-dynos.yaml', '--vary', `formation.web.count=${counts}`, '--vary', 'router.policy=random,least-connections', '--replications', String(replications)];
}

/** The recipe's command line: N shards into OUT. */
function recipe(n: number, out: string, counts: string, replications: number): string[] {
  return [SCRIPT, String(n), out, ...sweepArgs(counts, replications)];
}

test('docs/studies.md shows scripts/slurm-sweep.sh verbatim and runs it as the test does', (t) => {
  const doc = readFileSync(join(ROOT, 'docs/studies.md'), 'utf8');
  const script = readFileSync(join(ROOT, SCRIPT), 'utf8');
  t.true(doc.includes('```sh\n' + script + '```\n'), `docs/studies.md has ${SCRIPT} in a sh block, byte for byte`);
  t.true(doc.includes('```sh\n' + recipe(8, 'results/web-count', '2..20/2', 20).join(' ') + '\n'), 'and the command that submits the sweep of its example');
});

const PROBLEM = slurmProblem();
const RUN = registerSystemTests(PROBLEM, `slurm test: ${PROBLEM ?? ''} — as root, apt-get install ${SLURM_PACKAGES.join(' ')} (as .ci/run does)`);

/** Runs dynosim; resolves with its exit status and output. */
function dynosimAsync(args: string[]): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('close', (status) => resolve({ status, output }));
  });
}

/** Each job's state, by its id (array tasks as `ARRAY_K`), from scontrol. */
function jobStates(cluster: SlurmCluster, id: string): Map<string, string> {
  const states = new Map<string, string>();
  for (const line of cluster.client('scontrol', ['show', 'job', '--oneliner', id]).split('\n')) {
    const state = /\bJobState=(\S+)/.exec(line)?.[1];
    if (state === undefined) continue;
    const task = /\bArrayTaskId=(\d+)\b/.exec(line)?.[1];
    states.set(task === undefined ? id : `${id}_${task}`, state);
  }
  return states;
}

const ENDED = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'BOOT_FAIL', 'DEADLINE', 'PREEMPTED']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (RUN) {
  test('the Slurm recipe, as a job array on a single-node cluster, merges into the very files of the unsharded sweep', async (t) => {
    if (PROBLEM !== null) return t.fail(`${PROBLEM}: CI installs ${SLURM_PACKAGES.join(' ')} (.ci/run) and runs as root`);
    t.timeout(10 * 60_000);
    const began = Date.now();
    const base = mkdtempSync(join(tmpdir(), 'dynosim-slurm-sweep-'));
    t.teardown(() => rmSync(base, { recursive: true, force: true }));
    const cluster = await startSlurmCluster();
    t.teardown(() => cluster.stop());
    t.log(`cluster up in ${((Date.now() - began) / 1000).toFixed(1)} s`);

    // 2 dyno counts × 2 routers × 2 replications = 8 runs, in 3 shards of 3, 3 and 2 runs.
    const counts = '2..4/2';
    const replications = 2;
    const shards = 3;
    const out = join(base, 'web-count');
    const whole = dynosimAsync(['sweep', ...sweepArgs(counts, replications), '--jobs', '2', '--out', join(base, 'whole'), '-q']);

    const submitted = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const [command, ...args] = recipe(shards, out, counts, replications);
      const child = spawn(join(ROOT, command!), args, { cwd: ROOT, env: cluster.env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    t.is(submitted.status, 0, submitted.stderr);
    const ids = submitted.stdout.trim().split('\n');
    t.is(ids.length, 2, `the script prints the array's and the merge job's ids: ${JSON.stringify(submitted.stdout)}`);
    const [array, merge] = ids as [string, string];
    t.regex(array, /^\d+$/);
    t.regex(merge, /^\d+$/);

    // Wait (up to 5 minutes, however slow the machine) for the merge job to end.
    const deadline = Date.now() + 5 * 60_000;
    let state = '';
    for (;;) {
      state = jobStates(cluster, merge).get(merge) ?? 'UNKNOWN';
      if (ENDED.has(state) || Date.now() > deadline) break;
      await sleep(250);
    }
    const tasks = jobStates(cluster, array);
    const jobLogs = existsSync(join(out, 'slurm')) ? readdirSync(join(out, 'slurm')).map((f) => `--- ${f}\n${readFileSync(join(out, 'slurm', f), 'utf8')}`).join('') : 'no job output';
    const why = `array ${JSON.stringify([...tasks])}, merge job ${state}\n${jobLogs}\n${cluster.logs()}`;
    t.deepEqual([...tasks.values()], Array(shards).fill('COMPLETED'), why);
    t.is(state, 'COMPLETED', why);
    t.log(`jobs done ${((Date.now() - began) / 1000).toFixed(1)} s after the start`);

    const w = await whole;
    t.is(w.status, 0, w.output);
    const wholeDir = join(base, 'whole');
    t.deepEqual(
      readdirSync(out).sort(),
      ['charts', 'report.html', 'runs.csv', ...Array.from({ length: shards }, (_, i) => `shard-${i + 1}-of-${shards}.json`), 'slurm', 'sweep.csv'].sort(),
    );
    t.deepEqual(readdirSync(join(out, 'slurm')).sort(), ['merge.out', ...Array.from({ length: shards }, (_, i) => `shard-${i + 1}.out`)].sort());
    t.regex(readFileSync(join(out, 'slurm', 'merge.out'), 'utf8'), new RegExp(`merged ${shards} shards of two-web-dynos\\.yaml`));
    // Compared as text (UTF-8 CSV), so that a difference is shown line by line: once, in a
    // full suite, sweep.csv differed, and a bare byte comparison said no more than that.
    for (const f of ['sweep.csv', 'runs.csv']) t.is(readFileSync(join(out, f), 'utf8'), readFileSync(join(wholeDir, f), 'utf8'), `${f} byte-identical to the unsharded sweep's`);
    t.deepEqual(readdirSync(join(out, 'charts')).sort(), readdirSync(join(wholeDir, 'charts')).sort());
    for (const f of readdirSync(join(wholeDir, 'charts'))) t.true(readFileSync(join(out, 'charts', f)).equals(readFileSync(join(wholeDir, 'charts', f))), `charts/${f}`);
    t.log(`wall time ${((Date.now() - began) / 1000).toFixed(1)} s`);
  });
}
