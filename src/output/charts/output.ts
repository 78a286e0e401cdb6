/**
 * A command's charts and report, written into its results folder: `charts/<name>.vl.json`,
 * `.svg` and `.png`, and `report.html` beside the other results.
 */
import type { Chart, ReportPage } from './chart.ts';
import { writeCharts, type ChartSink } from './render.ts';
import { reportHtml } from './html.ts';

export interface ReportOptions {
  /** Draw PNGs too (default true). */
  png?: boolean;
}

/** Writes the charts and the page; returns the names written, for the command's "wrote …" line. */
export async function writeReport(sink: ChartSink, charts: readonly Chart[], page: ReportPage, opts: ReportOptions = {}): Promise<string[]> {
  await writeCharts(charts, { write: (name, content) => sink.write(`charts/${name}`, content) }, { png: opts.png !== false });
  sink.write('report.html', reportHtml(page, { chartDir: 'charts' }));
  return ['report.html', `charts/ (${charts.length} chart${charts.length === 1 ? '' : 's'})`];
}
