#!/usr/bin/env node
/**
 * The dynosim command. Only this layer touches files, the wall clock and `process`;
 * everything it does is a call into the library. Exit status: 0 done, 2 bad input
 * (scenario, option or file), 1 anything unexpected.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ScenarioError } from '../../scenario/problems.ts';
import { scenarioJsonSchema } from '../../scenario/schema.ts';
import { validate } from '../api/validate.ts';
import { VERSION } from '../../engine/version.ts';
import { runCommand } from './run.ts';
import { registerFit } from './fit.ts';
import { registerCompare } from './compare.ts';
import { registerSweep } from './sweep.ts';
import { registerPlan } from './plan.ts';
import { registerCost } from './cost.ts';
import { INTERACTIVE_HELP } from './chartOptions.ts';
import { FORMATION_HELP, withFormation } from './formationOption.ts';

import { InputError } from '../../scenario/InputError.ts';
import { problemLine } from './terminal.ts';

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** A share such as 0.01 or 1%. */
function share(value: string): number {
  const m = /^(\d+(?:\.\d+)?|\.\d+)(%?)$/.exec(value.trim());
  const x = m === null ? NaN : Number(m[1]) / (m[2] === '%' ? 100 : 1);
  if (!(x > 0 && x <= 1)) throw new InvalidArgumentError(`expected a share above 0 and at most 1 (such as 0.01 or 1%), got ${JSON.stringify(value)}`);
  return x;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('dynosim')
    .description('Deterministic simulator of the Heroku dyno platform: latency, errors and cost of a formation under a workload.')
    .version(VERSION, '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(problemLine(text)) })
    .exitOverride();

  program
    .command('run')
    .description('run a scenario: print a summary and write summary.json, timeseries.csv, dynos.csv, events.csv, metrics.csv, cost.csv and run.json')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('--seed <n>', 'override the scenario seed', wholeNumber)
    .option('--set <path=value>', 'override a scenario field, e.g. --set formation.web.count=4 (repeatable)', collect, [])
    .option('--formation <spec>', FORMATION_HELP)
    .option('--variant <name>', "run one of the scenario's variants (results go to results/<scenario name>.<variant>)")
    .option('--out <dir>', 'folder for the results (default results/<scenario name>)')
    .option('--json', 'print summary.json instead of the readable summary', false)
    .option('--logs <file>', 'also write the run as Heroku log lines (router, dyno lifecycle, runtime metrics)')
    .option('--log-sample <share>', 'log the router lines of this share of requests (0.01 or 1%); other lines are all logged', share, 1)
    .addOption(new Option('--log-format <format>', 'plain: as `heroku logs` prints; drain: RFC 5424 frames as a syslog drain receives').choices(['plain', 'drain']).default('plain'))
    .addOption(new Option('-q, --quiet', 'print nothing on success').default(false))
    .option('--no-charts', 'write no charts/ folder and no report.html')
    .option('--no-png', 'charts as vega-lite specs and SVG only, no PNG')
    .option('--interactive-report', INTERACTIVE_HELP)
    .option('--progress', 'show a progress bar on stderr even when it is not a terminal (runs longer than a second)')
    .option('--no-progress', 'never show a progress bar')
    .option('--force', 'run even a scenario whose estimate (requests, memory, series) is far past what a run takes: more than 10 minutes, 8 GB or 1 GB of series')
    .action(async (file: string, opts) => {
      await runCommand(file, withFormation(opts));
    });

  program
    .command('validate')
    .description('check a scenario file and list every problem, without running it')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('--set <path=value>', 'override a scenario field (repeatable)', collect, [])
    .action(async (file: string, opts: { set: string[] }) => {
      // Every variant is checked too, and all their problems reported at once.
      const { scenario: s, variants: names, problems } = await validate(file, opts.set);
      if (problems.length > 0) {
        for (const line of problems) process.stderr.write(`${problemLine(line)}\n`);
        process.exitCode = 2;
        return;
      }
      const variants = names.length === 0 ? '' : `; variants ${names.join(', ')}`;
      const web = s.web.sizes.length === 0 ? 'no web dynos' : `${s.web.count} × ${s.web.size.name} web`;
      process.stdout.write(`${file}: ok (${s.name}, ${s.platform.name}, ${web}${variants})\n`);
    });

  registerFit(program);
  registerCompare(program);
  registerSweep(program);
  registerPlan(program);
  registerCost(program);

  program
    .command('schema')
    .description('print the JSON Schema of scenario files, for editors')
    .action(() => {
      process.stdout.write(JSON.stringify(scenarioJsonSchema(), null, 2) + '\n');
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    // A command may have reported problems itself (validate: every variant's) and set the status.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; commander has already printed its message.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof ScenarioError) {
      for (const line of e.lines()) process.stderr.write(`${problemLine(line)}\n`);
      return 2;
    }
    if (e instanceof InputError) {
      process.stderr.write(`${problemLine(`dynosim: ${e.message}`)}\n`);
      return 2;
    }
    const err = e as Error;
    if (err instanceof RangeError && /allocation failed|Invalid (typed )?array length/.test(err.message)) {
      process.stderr.write(`${problemLine(`dynosim: out of memory: the run's tables do not fit (${err.message}); lower the dyno counts, concurrency or duration`)}\n`);
      return 2;
    }
    if ((err as NodeJS.ErrnoException).code === 'EACCES' || (err as NodeJS.ErrnoException).code === 'ENOSPC') {
      process.stderr.write(`${problemLine(`dynosim: cannot write results: ${err.message}`)}\n`);
      return 2;
    }
    process.stderr.write(`${problemLine(`dynosim: internal error: ${err.message}`)}\n`);
    if (process.env['DYNOSIM_DEBUG']) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

// A reader that stops early (`dynosim run … | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}
process.exitCode = await main(process.argv);
