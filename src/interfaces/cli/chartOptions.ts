/** The chart options every command that writes a report shares, and how its report names the files it read. */
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';

export interface ChartOptions {
  /** --no-charts: no charts/ folder and no report.html. */
  charts?: boolean;
  /** --no-png: charts as vega-lite specs and SVG only. */
  png?: boolean;
}

export function addChartOptions(cmd: Command): Command {
  return cmd.option('--no-charts', 'write no charts/ folder and no report.html').option('--no-png', 'charts as vega-lite specs and SVG only, no PNG');
}

/** A file as the user would type it from here, for the report's "regenerate with" line. */
export function shownPath(file: string): string {
  return relative(process.cwd(), resolve(file)) || file;
}
