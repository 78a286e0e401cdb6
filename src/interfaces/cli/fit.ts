/**
 * `dynosim fit LOGFILE`: a scenario fitted to a user's router logs, ready to run. The log
 * is streamed (files of any size), the fit is src/fit's, and the scenario is written
 * atomically; this file only handles options, files and printing.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { basename, dirname, parse as parsePath, relative, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { PROFILES, PROFILE_NAMES } from '../../model/platform/profiles.ts';
import { DEFAULT_MAX_CLASSES, fitLog } from '../../studies/fit/fitLog.ts';
import { FitError } from '../../studies/fit/FitError.ts';
import { scenarioText } from '../../studies/fit/scenarioText.ts';
import { fitSummaryText } from '../../output/report/fit.ts';
import { validTimeZone } from '../../model/traffic/calendar.ts';
import { grouped } from '../../studies/fit/numbers.ts';
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
/** Default dyno size per platform profile. */
const DEFAULT_SIZE: Readonly<Record<string, string>> = { 'heroku-2013': '1X', 'heroku-2025': 'standard-1x' };

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
  const size = opts.size ?? DEFAULT_SIZE[opts.platform]!;
  const sizes = Object.keys(PROFILES[opts.platform]!.sizes);
  if (!sizes.includes(size)) throw new UsageError(`--size ${size}: not a dyno size of ${opts.platform} (${sizes.join(', ')})`);
  const timeZone = validTimeZone(opts.timezone) ? opts.timezone : null;
  if (timeZone === null) throw new UsageError(`--timezone ${opts.timezone}: not a time zone this system knows (e.g. UTC, Europe/Paris, America/New_York)`);
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

  let fit;
  try {
    if (statSync(file).isDirectory()) throw new UsageError(`${file}: is a folder, not a log file`);
    const input = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
    const lines = createInterface({ input, crlfDelay: Infinity });
    fit = await fitLog(lines, { maxClasses: opts.maxClasses, timeZone });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof FitError) throw new UsageError(`${file}: ${e.message}`);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${file}: no such file`);
    if (typeof code === 'string') throw new UsageError(`${file}: cannot be read (${code})`);
    throw e;
  }

  if (fit.malformed > 0) {
    process.stderr.write(`${file}: skipped ${grouped(fit.malformed)} unreadable line${fit.malformed === 1 ? '' : 's'} of ${grouped(fit.lines)}${fit.malformed > fit.skipped.length ? '; the first' : ''}:\n`);
    for (const s of fit.skipped) process.stderr.write(`  line ${s.line}: ${s.reason}\n`);
  }

  const text = scenarioText(fit, { file: basename(file), name, platform: opts.platform, size, concurrency: opts.concurrency });
  const out = new AtomicFile(output);
  try {
    out.write(text);
    out.commit();
  } finally {
    out.abandon();
  }
  process.stdout.write(fitSummaryText(fit, basename(file), styler(process.stdout)));
  const arg = /^[\w./-]+$/.test(shown) ? shown : `'${shown.replace(/'/g, `'\\''`)}'`;
  process.stdout.write(`wrote ${shown}: run it with dynosim run ${arg}\n`);
}
