/** `dynosim run`: one scenario, a readable summary on stdout, the result files in a folder. */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { scenario } from '../api/scenario.ts';
import { runFiles } from '../api/run.ts';
import { scenarioSource } from '../api/report.ts';
import { VERSION } from '../../engine/version.ts';
import { runProgress } from '../../studies/parallel/progress.ts';
import { wroteText } from '../../output/report/text.ts';
import { AtomicFile, OutputDir } from './outputDir.ts';
import { UsageError } from './UsageError.ts';
import { BAR, clock, styler, wantBar } from './terminal.ts';
import { checkChartOptions } from './chartOptions.ts';

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
}

export async function runCommand(file: string, opts: RunCommandOptions): Promise<void> {
  checkChartOptions(opts);
  const s = await scenario(file, { set: opts.set, seed: opts.seed, variant: opts.variant });
  if (opts.logs !== undefined) {
    const parent = dirname(resolve(opts.logs));
    if (!existsSync(parent) || !statSync(parent).isDirectory()) throw new UsageError(`--logs ${opts.logs}: the folder ${relative(process.cwd(), parent) || '.'} does not exist`);
    if (existsSync(opts.logs) && statSync(opts.logs).isDirectory()) throw new UsageError(`--logs ${opts.logs}: is a folder, not a file`);
  }
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
            `${logFile === null ? '' : `logs in ${relative(process.cwd(), logFile.target)}; `}${(r.result.requests / 1e6).toFixed(2)} M requests in ${wallS.toFixed(2)} s, ${(run.requestsPerS / 1e6).toFixed(1)} M requests/s`,
            st,
          ),
      );
    }
  } finally {
    outDir.abandon();
    logFile?.abandon();
  }
}

/** The command that makes these results again, for the report's last line. */
function runCommandLine(file: string, opts: RunCommandOptions): string {
  const parts = ['dynosim run', relative(process.cwd(), resolve(file)) || file];
  if (opts.variant !== undefined) parts.push(`--variant ${opts.variant}`);
  if (opts.seed !== undefined) parts.push(`--seed ${opts.seed}`);
  for (const s of opts.set) parts.push(`--set ${s}`);
  return parts.join(' ');
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
