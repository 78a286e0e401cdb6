/** The chart options every command that writes a report shares, and the scenario text its report ends with. */
import { readFileSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { ScenarioSource } from '../../output/charts/pages.ts';
import type { ReportOptions } from '../../output/charts/output.ts';
import { UsageError } from './UsageError.ts';

export interface ChartOptions {
  /** --no-charts: no charts/ folder and no report.html. */
  charts?: boolean;
  /** --no-png: charts as vega-lite specs and SVG only. */
  png?: boolean;
  /** --interactive-report: also report-interactive.html, the charts drawn live with the libraries inline. */
  interactiveReport?: boolean;
}

/** The help of --interactive-report, the same for every command that writes a report. */
export const INTERACTIVE_HELP = 'also write report-interactive.html: the report with live charts (tooltips, export) and vega inlined, a page that opens on its own (about 1 MB)';

export function addChartOptions(cmd: Command): Command {
  return cmd
    .option('--no-charts', 'write no charts/ folder and no report.html')
    .option('--no-png', 'charts as vega-lite specs and SVG only, no PNG')
    .option('--interactive-report', INTERACTIVE_HELP);
}

/** The chart options checked before any work: the interactive page is made of the charts, so it cannot go with --no-charts. */
export function checkChartOptions(opts: ChartOptions): void {
  if (opts.interactiveReport === true && opts.charts === false) throw new UsageError('--interactive-report draws the charts: it cannot go with --no-charts');
}

/** What writeReport is asked for. */
export function reportOptions(opts: ChartOptions): ReportOptions {
  return { png: opts.png, interactive: opts.interactiveReport === true };
}

/** The scenario files as the report shows them: each file's text, headed by its name when there are several. */
export function scenarioSource(files: readonly string[], set: readonly string[]): ScenarioSource {
  const unique = [...new Set(files)];
  const text = unique.length === 1 ? readFileSync(unique[0]!, 'utf8') : unique.map((f) => `# ---- ${basename(f)} ----\n${readFileSync(f, 'utf8')}`).join('\n');
  return { file: unique.map((f) => basename(f)).join(', '), text, set };
}

/** A file as the user would type it from here, for the report's "regenerate with" line. */
export function shownPath(file: string): string {
  return relative(process.cwd(), resolve(file)) || file;
}
