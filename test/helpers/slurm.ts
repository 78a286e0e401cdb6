/**
 * A throwaway single-node Slurm cluster for a test, from Debian's packages (slurmctld,
 * slurmd, slurm-client, munge): everything lives in one temporary folder, with its own
 * slurm.conf, its own MUNGE key and socket, its own ports, state, spool, pid and log
 * files. Nothing of the system's Slurm or MUNGE configuration is read or touched: the
 * clients find the cluster through SLURM_CONF, which `env` carries.
 *
 * slurmd starts each job as the user who submitted it, which only root can do: the
 * daemons run as the current user, who must be root (CI is).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, hostname, tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';

/** The Debian packages the cluster needs (.ci/run installs them). */
export const SLURM_PACKAGES = ['slurmctld', 'slurmd', 'slurm-client', 'munge'];

const COMMANDS = ['munged', 'slurmctld', 'slurmd', 'slurmstepd', 'sbatch', 'sinfo', 'scontrol', 'scancel'] as const;
type CommandName = (typeof COMMANDS)[number];

/** A command's path: on PATH, or in the sbin folders a non-root PATH often leaves out. */
function which(name: string): string | null {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/sbin'];
  for (const d of dirs) {
    if (d === '') continue;
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

/** What keeps a cluster from starting here (null: nothing). */
export function slurmProblem(): string | null {
  const missing = COMMANDS.filter((c) => which(c) === null);
  if (missing.length > 0) return `no ${missing.join(', ')} on this machine`;
  if (process.getuid?.() !== 0) return `slurmd must run as root to start jobs, and this is ${userInfo().username}`;
  return null;
}

export interface SlurmCluster {
  /** The cluster's folder (slurm.conf, munge/, state/, spool/, log/). */
  readonly dir: string;
  /** The environment for its clients: this process's, with SLURM_CONF and without any other SLURM_ variable. */
  readonly env: NodeJS.ProcessEnv;
  /** Runs a Slurm client (sbatch, squeue, scontrol…) against the cluster; its stdout, or an error with its stderr. */
  client(command: string, args: readonly string[]): string;
  /** The cluster's logs, for a failure's message. */
  logs(): string;
  /** Cancels every job, stops the daemons and removes the folder. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tail(file: string, lines = 15): string {
  if (!existsSync(file)) return `${file}: not written\n`;
  const text = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  return `--- ${file}\n${text}\n`;
}

/**
 * Starts munged, slurmctld and slurmd, and waits (up to `timeoutMs`) until sinfo shows
 * the node idle. On failure the daemons are stopped and the error carries their logs.
 */
export async function startSlurmCluster(timeoutMs = 120_000): Promise<SlurmCluster> {
  const problem = slurmProblem();
  if (problem !== null) throw new Error(`cannot start a Slurm cluster: ${problem} (apt-get install ${SLURM_PACKAGES.join(' ')}, as .ci/run does)`);
  const bin = Object.fromEntries(COMMANDS.map((c) => [c, which(c)!])) as Record<CommandName, string>;

  const dir = mkdtempSync(join(tmpdir(), 'dynosim-slurm-'));
  // munged wants every folder above its socket searchable by all, and its key private.
  chmodSync(dir, 0o755);
  for (const d of ['munge', 'state', 'spool', 'log']) mkdirSync(join(dir, d), { mode: 0o755 });
  const key = join(dir, 'munge', 'munge.key');
  writeFileSync(key, randomBytes(1024), { mode: 0o400 });
  const socket = join(dir, 'munge', 'munge.socket');

  const host = hostname().split('.')[0]!;
  const user = userInfo().username;
  const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=dynosim-test',
      `SlurmctldHost=${host}(127.0.0.1)`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      `SlurmUser=${user}`,
      `SlurmdUser=${user}`,
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${socket}`,
      `StateSaveLocation=${join(dir, 'state')}`,
      `SlurmdSpoolDir=${join(dir, 'spool')}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(dir, 'log', 'slurmctld.log')}`,
      `SlurmdLogFile=${join(dir, 'log', 'slurmd.log')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      'SchedulerType=sched/backfill',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'MpiDefault=none',
      'ReturnToService=2',
      `NodeName=${host} NodeAddr=127.0.0.1 CPUs=${availableParallelism()} RealMemory=1000 State=UNKNOWN`,
      'PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP',
      '',
    ].join('\n'),
  );

  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLURM_')));
  env['SLURM_CONF'] = conf;

  const daemons: ChildProcess[] = [];
  const start = (command: string, args: string[]) => {
    const child = spawn(command, args, { env, stdio: 'ignore', detached: true });
    child.on('error', () => {});
    daemons.push(child);
  };
  // Should this process end without stop(), the daemons end with it.
  const killAll = () => {
    for (const d of daemons) if (d.exitCode === null && d.signalCode === null) d.kill('SIGKILL');
  };
  process.once('exit', killAll);

  const client = (command: string, args: readonly string[]): string => {
    const r = spawnSync(bin[command as CommandName] ?? command, args, { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${r.error?.message ?? `exit status ${r.status}`}\n${r.stderr}`);
    return r.stdout;
  };
  const logs = () => tail(join(dir, 'munge', 'munged.log')) + tail(join(dir, 'log', 'slurmctld.log')) + tail(join(dir, 'log', 'slurmd.log'));

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    spawnSync(bin.scancel, ['--quiet', `--user=${user}`], { env });
    // slurmd first, so that it does not report a missing controller; munged last.
    for (const d of [...daemons].reverse()) {
      if (d.exitCode !== null || d.signalCode !== null) continue;
      const exited = new Promise((r) => d.once('exit', r));
      d.kill('SIGTERM');
      if ((await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)])) === false) d.kill('SIGKILL');
    }
    process.removeListener('exit', killAll);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const mungeFiles = ['pid', 'log', 'seed'].map((x) => join(dir, 'munge', `munged.${x}`));
    start(bin.munged, ['--foreground', `--socket=${socket}`, `--key-file=${key}`, `--pid-file=${mungeFiles[0]}`, `--log-file=${mungeFiles[1]}`, `--seed-file=${mungeFiles[2]}`]);
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(socket)) {
      if (Date.now() > deadline || daemons[0]!.exitCode !== null) throw new Error('munged did not start');
      await sleep(100);
    }
    start(bin.slurmctld, ['-D', '-i']);
    start(bin.slurmd, ['-D', '-N', host]);
    for (;;) {
      const r = spawnSync(bin.sinfo, ['--noheader', '--nodes', host, '--format=%t'], { env, encoding: 'utf8' });
      if (r.status === 0 && r.stdout.trim() === 'idle') break;
      const gone = daemons.find((d) => d.exitCode !== null || d.signalCode !== null);
      if (gone !== undefined) throw new Error(`${gone.spawnfile} stopped (exit status ${gone.exitCode ?? gone.signalCode})`);
      if (Date.now() > deadline) throw new Error(`the node is not idle after ${timeoutMs / 1000} s: sinfo says ${JSON.stringify(r.stdout.trim() || r.stderr.trim())}`);
      await sleep(250);
    }
  } catch (e) {
    const message = `${(e as Error).message}\n${logs()}`;
    await stop();
    throw new Error(message);
  }
  return { dir, env, client, logs, stop };
}
