/**
 * `dynosim fit LOGFILE`: a scenario fitted to a user's router logs, ready to run. The log
 * is streamed (files of any size) and fitted by the library (interfaces/api/fit.ts, as
 * fit() does); this file handles options, the output file and printing.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, parse as parsePath, relative, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { fitJob, fitSettings } from '../api/fit.ts';
import { PROFILE_NAMES } from '../../model/platform/profiles.ts';
import { DEFAULT_MAX_CLASSES } from '../../studies/fit/fitLog.ts';
import { AtomicFile } from './outputDir.ts';
import { UsageError } from './UsageError.ts';
import { styler } from './terminal.ts';

export interface FitCommandOptions {
  output?: string;
  size?: string;
  concurrency: number;
  platform: string;
  maxClasses: number;
  name?: string;
  timezone: string;
  force: boolean;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function atLeastOne(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Adds `fit` to the program. */
export function registerFit(program: Command): void {
  program
    .command('fit')
    .description('fit a scenario to Heroku router logs: service times per route, arrival rate by hour of day, web dyno count')
    .argument('<logfile>', 'router log: `heroku logs` output or log drain frames, of either era')
    .option('-o, --output <file>', 'scenario file to write (default <log name>.fitted.yaml in the current folder)')
    .option('--size <size>', 'dyno size (default standard-1x; 1X on heroku-2013)')
    .option('--concurrency <n>', 'requests one dyno serves at once', atLeastOne, 1)
    .addOption(new Option('--platform <profile>', 'platform profile').choices(PROFILE_NAMES as string[]).default('heroku-2025'))
    .option('--max-classes <n>', 'request classes at most, "other" included', atLeastOne, DEFAULT_MAX_CLASSES)
    .option('--name <name>', 'scenario name (default the log file name)')
    .option('--timezone <zone>', 'time zone whose hours of day the rate follows, e.g. Europe/Paris', 'UTC')
    .option('--force', 'replace the output file if it exists', false)
    .action(async (file: string, opts: FitCommandOptions) => {
      await fitCommand(file, opts);
    });
}

/** A scenario name from a file name: `prod-router.log` → `prod-router`. */
function nameFromFile(stem: string): string {
  const name = stem.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return name === '' ? 'fitted' : name;
}

export async function fitCommand(file: string, opts: FitCommandOptions): Promise<void> {
  const settings = fitSettings({ size: opts.size, platform: opts.platform, concurrency: opts.concurrency, maxClasses: opts.maxClasses, timeZone: opts.timezone }, (f) => (f === 'size' ? '--size' : '--timezone'));
  const stem = parsePath(basename(file)).name;
  const name = opts.name ?? nameFromFile(stem);
  if (!NAME.test(name)) throw new UsageError(`--name ${JSON.stringify(name)}: expected letters, digits, dots, dashes and underscores, starting with a letter or digit`);

  const output = resolve(opts.output ?? `${stem}.fitted.yaml`);
  const shown = relative(process.cwd(), output);
  if (!existsSync(dirname(output)) || !statSync(dirname(output)).isDirectory()) throw new UsageError(`${shown}: the folder ${relative(process.cwd(), dirname(output)) || '.'} does not exist`);
  if (existsSync(output)) {
    if (statSync(output).isDirectory()) throw new UsageError(`${shown}: is a folder, not a file`);
    if (!opts.force) throw new UsageError(`${shown}: already exists (use --force to replace it)`);
  }

  const st = styler(process.stdout);
  const job = await fitJob(file, settings, { name, label: file, style: st });
  if (job.skipped !== '') process.stderr.write(job.skipped);

  const out = new AtomicFile(output);
  try {
    out.write(job.yaml);
    out.commit();
  } finally {
    out.abandon();
  }
  process.stdout.write(job.text);
  const arg = /^[\w./-]+$/.test(shown) ? shown : `'${shown.replace(/'/g, `'\\''`)}'`;
  process.stdout.write(`wrote ${shown}: run it with dynosim run ${arg}\n`);
}
