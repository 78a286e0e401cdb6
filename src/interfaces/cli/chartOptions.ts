/** The chart options every command that writes a report shares, and how its report names the files it read. */
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
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


/**
 * A file as the report's "regenerate with" line names it: from the root of its project (the
 * nearest folder above it with a package.json or .git), else by its name alone. Never from
 * the folder the command ran in, so the same scenario gives the same report from anywhere.
 */
export function shownPath(file: string): string {
  const path = resolve(file);
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) || existsSync(join(dir, '.git'))) return relative(dir, path);
    if (dirname(dir) === dir) return basename(path);
  }
}
