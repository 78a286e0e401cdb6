/**
 * A scenario fitted to a router log: service times per route, the arrival rate by hour of
 * day, the web dynos seen. `fit()` for a program or a notebook; `fitSettings()` and
 * `fitJob()` are `dynosim fit`'s: the same fit, whose scenario text the command writes.
 * The log is streamed, so it may be of any size.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ScenarioInput } from '../../scenario/schema.ts';
import { InputError } from '../../scenario/InputError.ts';
import { PROFILES } from '../../model/platform/profiles.ts';
import { validTimeZone } from '../../model/traffic/calendar.ts';
import { fitLog, DEFAULT_MAX_CLASSES, type LogFit } from '../../studies/fit/fitLog.ts';
import { logFileLines } from '../../studies/fit/readLog.ts';
import { FitError } from '../../studies/fit/FitError.ts';
import { scenarioText } from '../../studies/fit/scenarioText.ts';
import { fitSkippedText, fitSummaryText } from '../../output/report/fit.ts';
import { PLAIN, type Styler } from '../../output/report/style.ts';

export interface FitOptions {
  /** Dyno size of the fitted formation (default standard-1x; 1X on heroku-2013). */
  readonly size?: string;
  readonly concurrency?: number;
  /** Platform profile of the fitted scenario (default heroku-2025). */
  readonly platform?: 'heroku-2013' | 'heroku-2025';
  /** Request classes at most, "other" included (default 8). */
  readonly maxClasses?: number;
  /** Time zone whose hours of day the rate follows (default UTC). */
  readonly timeZone?: string;
  /** The scenario's name (default: the log file's name). */
  readonly name?: string;
}

export interface FitResult {
  readonly fit: LogFit;
  /** The fitted scenario, as `dynosim fit` writes it (with comments). */
  readonly yaml: string;
  /** The same scenario's fields: run it, or change it first. */
  readonly fields: ScenarioInput;
  /** What `dynosim fit` prints. */
  readonly text: string;
}

/** A router log: a file (either era's `heroku logs` or drain frames), or its lines. */
export type Log = string | Iterable<string> | AsyncIterable<string>;

/** A scenario fitted to a router log: a file (either era's `heroku logs` or drain frames), or its lines. */
export async function fit(log: string | Iterable<string> | AsyncIterable<string>, opts: FitOptions = {}): Promise<FitResult> {
  const settings = fitSettings(opts);
  const file = typeof log === 'string' ? basename(log) : 'log';
  const name = opts.name ?? (file.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'fitted');
  const job = await fitJob(log, settings, { name, label: file });
  return { fit: job.fit, yaml: job.yaml, fields: parseYaml(job.yaml) as ScenarioInput, text: job.text };
}

/** A fit's options, checked and completed with their defaults. */
export interface FitSettings {
  readonly platform: string;
  readonly size: string;
  readonly concurrency: number;
  readonly maxClasses: number;
  readonly timeZone: string;
}

/**
 * Checks a fit's options: the size is one of the platform's, the time zone one this
 * system knows. Messages name the options as `optionName` gives them (the command line:
 * --size, --timezone).
 */
export function fitSettings(opts: Omit<FitOptions, 'platform' | 'name'> & { readonly platform?: string }, optionName: (field: 'size' | 'timeZone') => string = (f) => f): FitSettings {
  const platform = opts.platform ?? 'heroku-2025';
  const size = opts.size ?? (platform === 'heroku-2013' ? '1X' : 'standard-1x');
  const sizes = Object.keys(PROFILES[platform]!.sizes);
  if (!sizes.includes(size)) throw new InputError(`${optionName('size')} ${size}: not a dyno size of ${platform} (${sizes.join(', ')})`);
  const timeZone = opts.timeZone ?? 'UTC';
  if (!validTimeZone(timeZone)) throw new InputError(`${optionName('timeZone')} ${timeZone}: not a time zone this system knows (e.g. UTC, Europe/Paris, America/New_York)`);
  return { platform, size, concurrency: opts.concurrency ?? 1, maxClasses: opts.maxClasses ?? DEFAULT_MAX_CLASSES, timeZone };
}

export interface FitJob {
  readonly fit: LogFit;
  /** The fitted scenario's text, with comments. */
  readonly yaml: string;
  /** The readable table of the classes fitted. */
  readonly text: string;
  /** The lines skipped as unreadable, with why ('' when none was). */
  readonly skipped: string;
}

/**
 * Fits the log. `name` is the scenario's; `label` names the log in what the fit says of it
 * (a fault in the log, the lines skipped). A file that cannot be read is an InputError
 * naming it, as is a log with nothing to fit.
 */
export async function fitJob(log: Log, settings: FitSettings, names: { readonly name: string; readonly label: string; readonly style?: Styler }): Promise<FitJob> {
  const file = typeof log === 'string' ? basename(log) : 'log';
  let f: LogFit;
  try {
    f = await fitLog(typeof log === 'string' ? logLines(log) : log, { maxClasses: settings.maxClasses, timeZone: settings.timeZone });
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (e instanceof FitError) throw new InputError(`${names.label}: ${e.message}`);
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof log === 'string' && code === 'ENOENT') throw new InputError(`${log}: no such file`);
    if (typeof log === 'string' && typeof code === 'string') throw new InputError(`${log}: cannot be read (${code})`);
    throw e;
  }
  const yaml = scenarioText(f, { file, name: names.name, platform: settings.platform, size: settings.size, concurrency: settings.concurrency });
  return { fit: f, yaml, text: fitSummaryText(f, file, names.style ?? PLAIN), skipped: fitSkippedText(f, names.label) };
}

/** The lines of a log file, streamed in bounded memory (a line over 64 KiB is an InputError naming the file). */
function logLines(path: string): Iterable<string> {
  if (statSync(path).isDirectory()) throw new InputError(`${path}: is a folder, not a log file`);
  return logFileLines(path);
}
