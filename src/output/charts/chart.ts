/**
 * A chart as dynosim writes it: a vega-lite spec with its data inline, named for its files
 * (`<name>.vl.json`, `<name>.svg`, `<name>.png`) and captioned for the report.
 *
 * Specs are plain JSON built by pure functions of a command's results, so the same results
 * give the same bytes; every chart shares `THEME` for its look.
 */

/** A vega-lite top-level spec (kept loose: specs are built as JSON, checked by vega-lite when compiled). */
export type VlSpec = Record<string, unknown>;

export interface Chart {
  /** File stem, kebab-case: `cost-cumulative` → cost-cumulative.vl.json, .svg, .png. */
  name: string;
  /** Heading in the report. */
  title: string;
  /** A sentence or two under the heading: what the chart shows and what to look for. */
  caption: string;
  spec: VlSpec;
}

/** A table in the report: header and rows of text or numbers (numbers are right-aligned). */
export interface ReportTable {
  caption?: string;
  columns: string[];
  rows: Array<Array<string | number>>;
}

export interface ReportSection {
  heading: string;
  /** Plain text (no markup); paragraphs split on blank lines. */
  intro?: string;
  tables?: ReportTable[];
  charts?: Chart[];
}

/** One HTML page: a command's results, their tables and charts (report.html, and report-interactive.html on request). */
export interface ReportPage {
  /** The page title: the scenario or study name. */
  title: string;
  /** One line under it: what command, platform, seed, simulated time. */
  subtitle: string;
  sections: ReportSection[];
  /** The scenario file as run, shown verbatim at the end of the page. */
  scenario?: { file: string; text: string };
  /** A last line: dynosim's version and how to regenerate the page. */
  footer: string;
}

/** Default size of a chart's plotting area, in CSS pixels: fits a laptop screen beside nothing else. */
export const WIDTH = 720;
export const HEIGHT = 240;

/** Shared vega-lite config: one font (DejaVu Sans is what PNGs are drawn with), quiet axes, a readable size. */
export const THEME = {
  font: 'DejaVu Sans, Verdana, sans-serif',
  background: 'white',
  padding: 8,
  title: { fontSize: 14, anchor: 'start', subtitleFontSize: 11, subtitleColor: '#555' },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal' },
  view: { stroke: null },
  range: { category: ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'] },
} as const;

/** Wraps a layer, concat or single-view spec with the schema, theme and title every chart has. */
export function topLevel(title: string, subtitle: string | undefined, body: VlSpec): VlSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: subtitle === undefined ? title : { text: title, subtitle },
    config: THEME,
    ...body,
  };
}
