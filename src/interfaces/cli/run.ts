/** `dynosim run`: one scenario, a readable summary on stdout, the result files in a folder. */
import { existsSync, statSync } from 'node:fs';
import { totalmem } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { estimateRun, runawayReasons } from '../../model/run/estimate.ts';
import { tuneJitFor } from '../../engine/jit.ts';
import type { Scenario } from '../../model/Scenario.ts';
import { scenario } from '../api/scenario.ts';
import { runFiles } from '../api/run.ts';
import { scenarioSource } from '../api/report.ts';
import { VERSION } from '../../engine/version.ts';
import { runProgress } from '../../studies/parallel/progress.ts';
import { wroteText } from '../../output/report/text.ts';
import { AtomicFile, OutputDir } from './outputDir.ts';
import { UsageError } from './UsageError.ts';
import { detectWarmupPausing, WarmupError } from '../../model/run/warmup.ts';
import { ScenarioError } from '../../scenario/problems.ts';
import { BAR, clock, styler, wantBar } from './terminal.ts';
import { checkChartOptions, shownPath } from './chartOptions.ts';

export interface RunCommandOptions {
  seed?: number;
  set: string[];
  /** --formation: counts and sizes as heroku ps:scale takes them (laid under --set by the command line). */
  formation?: string;
  variant?: string;
  out?: string;
  json: boolean;
  quiet: boolean;
  logs?: string;
  logSample: number;
  logFormat: 'plain' | 'drain';
  /** --no-charts: no charts/ folder and no report.html. */
  charts?: boolean;
  /** --no-png: charts as vega-lite specs and SVG only. */
  png?: boolean;
  /** --interactive-report: also report-interactive.html. */
  interactiveReport?: boolean;
  /** --progress / --no-progress; by default a bar on a terminal only. */
  progress?: boolean;
  /** --force: run even a runaway scenario (see checkRunaway). */
  force?: boolean;
}

/**
 * A scenario whose estimate is far past what a run takes (a thousand years, a billion
 * workers) is refused before time zero with the estimate, unless --force: never an
 * allocation failure half an hour in.
 */
export function checkRunaway(file: string, s: Scenario, force: boolean | undefined, at: readonly string[] = []): void {
  if (force === true) return;
  const reasons = runawayReasons(estimateRun(s), totalmem() / 2);
  if (reasons.length > 0) throw new UsageError(`${basename(file)}${at.length === 0 ? '' : ` at ${at.join(', ')}`}: this run would take ${reasons.join('; ')}: check duration, the rate and the counts, or pass --force to run it anyway`);
}

export async function runCommand(file: string, opts: RunCommandOptions): Promise<void> {
  checkChartOptions(opts);
  const s0 = await scenario(file, { set: opts.set, seed: opts.seed, variant: opts.variant });
  checkRunaway(file, s0, opts.force);
  const estimate = estimateRun(s0);
  tuneJitFor(estimate.requests + estimate.jobs);
  if (opts.logs !== undefined) {
    const parent = dirname(resolve(opts.logs));
    if (!existsSync(parent) || !statSync(parent).isDirectory()) throw new UsageError(`--logs ${opts.logs}: the folder ${relative(process.cwd(), parent) || '.'} does not exist`);
    if (existsSync(opts.logs) && statSync(opts.logs).isDirectory()) throw new UsageError(`--logs ${opts.logs}: is a folder, not a file`);
  }
  // After the options are checked: the first pass of warmup: auto may take as long as the run.
  const s = await withWarmup(file, opts.variant, s0);
  const outDir = new OutputDir(opts.out ?? join('results', s.name));
  const logFile = opts.logs === undefined ? null : new AtomicFile(opts.logs);
  try {
    const st = styler(process.stdout);
    const r = await runFiles(s, outDir, {
      charts: opts.charts,
      png: opts.png,
      interactive: opts.interactiveReport === true,
      command: runCommandLine(file, opts),
      source: scenarioSource([file], opts.set),
      log: logFile === null ? undefined : { write: (text) => logFile.write(text), sampleRate: opts.logSample, format: opts.logFormat },
      progress: !opts.quiet && wantBar(opts.progress) ? runProgress(s.name, BAR) : undefined,
      now: clock,
      style: st,
    });
    const wallS = r.wallS!;
    const run = {
      version: VERSION,
      wallS: round(wallS, 4),
      processS: round(process.uptime(), 4),
      requests: r.result.requests,
      events: r.result.events,
      requestsPerS: Math.round(r.result.requests / wallS),
      eventsPerS: Math.round(r.result.events / wallS),
      peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
    };
    outDir.write('run.json', JSON.stringify(run, null, 2) + '\n');
    outDir.commit();
    logFile?.commit();
    if (!opts.quiet) for (const line of r.warnings) process.stderr.write(`${line}\n`);

    if (opts.json) {
      process.stdout.write(r.json);
    } else if (!opts.quiet) {
      process.stdout.write(r.text);
      process.stdout.write(
        '\n' +
          wroteText(
            relative(process.cwd(), outDir.target) || '.',
            [...r.files, 'run.json', ...r.report],
            `${logFile === null ? '' : `logs in ${relative(process.cwd(), logFile.target)}; `}${speedText(r.result.requests, r.result.events, wallS)}`,
            st,
          ),
      );
    }
  } finally {
    outDir.abandon();
    logFile?.abandon();
  }
}

/**
 * The scenario with its `warmup: auto` detected (a first pass of the run), before any
 * folder is made: a run too short to detect one is a problem of the file's warmup field.
 */
export async function withWarmup(file: string, variant: string | undefined, s: Scenario): Promise<Scenario> {
  try {
    return await detectWarmupPausing(s, () => new Promise((go) => setImmediate(go)));
  } catch (e) {
    if (e instanceof WarmupError) throw new ScenarioError(variant === undefined ? basename(file) : `${basename(file)} (variant ${variant})`, [{ path: e.path, message: e.problem }]);
    throw e;
  }
}

/** The command that makes these results again, for the report's last line. */
function runCommandLine(file: string, opts: RunCommandOptions): string {
  const parts = ['dynosim run', shownPath(file)];
  if (opts.variant !== undefined) parts.push(`--variant ${opts.variant}`);
  if (opts.seed !== undefined) parts.push(`--seed ${opts.seed}`);
  for (const s of opts.set) parts.push(`--set ${s}`);
  return parts.join(' ');
}

/** What the run took: requests and their rate, or the events of a run without requests (workers and jobs only). */
function speedText(requests: number, events: number, wallS: number): string {
  if (requests === 0) return `no requests; ${events.toLocaleString('en-US')} events in ${wallS.toFixed(2)} s`;
  return `${(requests / 1e6).toFixed(2)} M requests in ${wallS.toFixed(2)} s, ${(requests / wallS / 1e6).toFixed(1)} M requests/s`;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
