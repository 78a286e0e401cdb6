/**
 * `dynosim cost`: what a scenario's formation costs a month in each price book (2013 by
 * the hour with 750 free dyno-hours, today's by the month), with and without free hours,
 * and what-ifs of other sizes, counts or hours, all without running the simulator: the
 * formations become the usages a run would bill (studies/cost, as the library's cost()
 * prices them). A table on stdout; cost.csv, cost.json and charts/ in
 * results/<scenario name>/cost/, written atomically.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CostInputError } from '../../studies/cost/CostInputError.ts';
import type { Command } from 'commander';
import { costFiles, costJob } from '../api/cost.ts';
import { scenarioSource } from '../api/report.ts';
import { wroteText } from '../../output/report/text.ts';
import { OutputDir } from './outputDir.ts';
import { checkChartOptions, INTERACTIVE_HELP, shownPath } from './chartOptions.ts';
import { FORMATION_HELP, withFormation } from './formationOption.ts';
import { clock, styler } from './terminal.ts';

export interface CostCommandOptions {
  set: string[];
  /** --formation: counts and sizes as heroku ps:scale takes them. */
  formation?: string;
  variant?: string;
  process: string;
  sizes?: string;
  counts?: string;
  hours?: string;
  /** --from-run: a run's results folder (or its summary.json). */
  fromRun?: string;
  out?: string;
  charts: boolean;
  png: boolean;
  interactiveReport?: boolean;
  json: boolean;
  quiet: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds `cost` to the program. */
export function registerCost(program: Command): void {
  program
    .command('cost')
    .description(
      "price the scenario's formation for a month in both price books (heroku-2013 by the hour with 750 free dyno-hours, heroku-2025 by the month), " +
        'with and without free hours, and what-ifs of other sizes and counts, without a simulation; writes cost.csv, cost.json and charts/',
    )
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('--set <path=value>', 'override a scenario field, e.g. --set formation.web.count=4 (repeatable)', collect, [])
    .option('--formation <spec>', FORMATION_HELP)
    .option('--variant <name>', "price one of the scenario's variants (results go to results/<scenario name>.<variant>/cost)")
    .option('--process <type>', 'the process type --sizes, --counts and --hours apply to', 'web')
    .option('--sizes <list>', 'also price these sizes, e.g. 2X,PX or standard-2x,performance-m (each in the price books that have it)')
    .option('--counts <list>', 'also price these dyno counts, e.g. 1..10 or 2,4,8 (each dyno up all month)')
    .option('--hours <h/period>', 'each dyno of the process type up this long, e.g. 8/day, 40h/week, 200h/month (a staging app)')
    .option('--from-run <dir>', "a run's results folder (or its summary.json): each autoscaled type's min, mean and max dynos and dyno-hours by size as that run found them")
    .option('--out <dir>', 'folder for the results (default results/<scenario name>/cost)')
    .option('--no-charts', 'write no charts/ folder and no report.html (cost.csv and cost.json only)')
    .option('--no-png', 'charts as vega-lite specs and SVG only, no PNG')
    .option('--interactive-report', INTERACTIVE_HELP)
    .option('--json', 'print cost.json instead of the table', false)
    .option('-q, --quiet', 'print nothing on success', false)
    .action(async (file: string, opts: CostCommandOptions) => {
      await costCommand(file, withFormation(opts));
    });
}

/** A run's summary.json, from its folder or the file itself: one line and exit 2 when it cannot be read. */
function readRunSummary(path: string): { summary: unknown; file: string } {
  const file = path.endsWith('.json') ? path : join(path, 'summary.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CostInputError(`--from-run ${path}: no ${file} to read (give the folder dynosim run wrote, or its summary.json)`);
  }
  try {
    return { summary: JSON.parse(text) as unknown, file };
  } catch {
    throw new CostInputError(`--from-run ${file}: not JSON`);
  }
}

export async function costCommand(file: string, opts: CostCommandOptions): Promise<void> {
  const t0 = clock();
  checkChartOptions(opts);
  // The options' mistakes are found before the scenario is read.
  const fromRun = opts.fromRun === undefined ? undefined : readRunSummary(opts.fromRun);
  const job = await costJob(file, { set: opts.set, variant: opts.variant, process: opts.process, sizes: opts.sizes, counts: opts.counts, hours: opts.hours, ...(fromRun === undefined ? {} : { fromRun }) });
  const table = job.table;
  const pricedS = (clock() - t0) / 1000;

  const outDir = new OutputDir(opts.out ?? join('results', job.scenario.name, 'cost'));
  let written;
  try {
    const command = ['dynosim cost', shownPath(file), ...(opts.variant === undefined ? [] : [`--variant ${opts.variant}`]), ...(opts.process === 'web' ? [] : [`--process ${opts.process}`]), ...(opts.sizes === undefined ? [] : [`--sizes ${opts.sizes}`]), ...(opts.counts === undefined ? [] : [`--counts ${opts.counts}`]), ...(opts.hours === undefined ? [] : [`--hours ${opts.hours}`]), ...(opts.fromRun === undefined ? [] : [`--from-run ${shownPath(opts.fromRun)}`]), ...opts.set.map((x) => `--set ${x}`)].join(' ');
    written = await costFiles(job, outDir, { charts: opts.charts, png: opts.png, interactive: opts.interactiveReport === true, command, source: scenarioSource([file], opts.set) });
    outDir.commit();
  } finally {
    outDir.abandon();
  }
  if (opts.json) {
    process.stdout.write(job.json);
  } else if (!opts.quiet) {
    const wallS = (clock() - t0) / 1000;
    process.stdout.write(job.text);
    process.stdout.write(
      '\n' +
        wroteText(
          relative(process.cwd(), outDir.target) || '.',
          [...written.files, ...written.report],
          `${table.rows.length} ${table.rows.length === 1 ? 'bill' : 'bills'} in ${(pricedS * 1000).toFixed(0)} ms` + (opts.charts ? `, charts in ${(wallS - pricedS).toFixed(2)} s` : ''),
          styler(process.stdout),
        ),
    );
  }
}
