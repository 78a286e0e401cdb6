/**
 * A command's charts and report, written into its results folder: `charts/<name>.vl.json`,
 * `.svg` and `.png`, `report.html` beside the other results (the charts as images of their
 * SVG files) and, on request, `report-interactive.html` (the libraries and specs inline).
 */
import type { Chart, ReportPage } from './chart.ts';
import { writeCharts, type ChartSink } from './render.ts';
import { INTERACTIVE_REPORT, interactiveReportHtml, reportHtml } from './html.ts';

export interface ReportOptions {
  /** Draw PNGs too (default true). */
  png?: boolean;
  /** Also write report-interactive.html, the page with live charts and the libraries inline (default false). */
  interactive?: boolean;
}

/** Writes the charts and the pages; returns the names written, for the command's "wrote …" line. */
export async function writeReport(sink: ChartSink, charts: readonly Chart[], page: ReportPage, opts: ReportOptions = {}): Promise<string[]> {
  const svgs = new Map<string, string>();
  const keep = (name: string, content: string | Uint8Array): void => {
    if (name.endsWith('.svg') && typeof content === 'string') svgs.set(name.slice(0, -'.svg'.length), content);
    sink.write(`charts/${name}`, content);
  };
  await writeCharts(charts, { write: keep }, { png: opts.png !== false });
  const interactive = opts.interactive === true;
  sink.write('report.html', reportHtml(page, { chartDir: 'charts', svgs, ...(interactive ? { interactive: INTERACTIVE_REPORT } : {}) }));
  if (interactive) sink.write(INTERACTIVE_REPORT, interactiveReportHtml(page, { chartDir: 'charts' }));
  return ['report.html', ...(interactive ? [INTERACTIVE_REPORT] : []), `charts/ (${charts.length} chart${charts.length === 1 ? '' : 's'})`];
}
