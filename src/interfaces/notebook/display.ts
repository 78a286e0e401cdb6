/**
 * What a notebook shows: charts, tables and text as Jupyter display bundles. `display(x)`
 * hands a bundle to Deno's kernel while the cell runs (`Deno.jupyter.display`), and prints
 * its plain text anywhere else; a value with a `Symbol.for('Jupyter.display')` method is
 * also drawn when it is a cell's last expression. The same objects are plain data, so this
 * module runs under Node too and reads Deno's globals only in `display`.
 *
 * A chart carries two forms: the SVG drawn here (what GitHub, nbviewer and any front end
 * show, and what a notebook committed with its outputs keeps) and its vega-lite spec,
 * which JupyterLab and VS Code draw interactively. Front ends know vega-lite by the v5
 * media type; dynosim's specs draw the same in vega-lite 5 and 6 (every chart of the
 * shipped results compiled and drew in vega-lite 5 with no warning when this was written).
 */
import { topLevel, type Chart, type ReportTable, type VlSpec } from '../../output/charts/chart.ts';
import { escapeHtml, tableHtml } from '../../output/charts/html.ts';
import { renderSvg } from '../../output/charts/render.ts';
import { formatTable, type Column } from '../../output/report/table.ts';
import { PLAIN } from '../../output/report/style.ts';

export const DISPLAY = Symbol.for('Jupyter.display');

/** Media types and their data, as the Jupyter protocol carries them. */
export type MimeBundle = Record<string, unknown>;

/** Something a notebook draws: its bundle, and its plain text anywhere else. */
export interface Displayable {
  readonly bundle: MimeBundle;
  [DISPLAY](): MimeBundle;
  toString(): string;
}

/** The media type JupyterLab, Notebook 7 and VS Code draw vega-lite from. */
export const VEGA_LITE_MIME = 'application/vnd.vegalite.v5+json';
const V5_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

export function displayable(bundle: MimeBundle): Displayable {
  const text = String(bundle['text/plain'] ?? '');
  return {
    bundle,
    [DISPLAY]: () => bundle,
    toString: () => text,
  };
}

function isChart(x: Chart | VlSpec): x is Chart {
  return typeof (x as Chart).name === 'string' && typeof (x as Chart).spec === 'object' && (x as Chart).spec !== null;
}

/**
 * A chart (one of dynosim's, or any vega-lite spec) drawn for the notebook. Throws if
 * vega-lite or vega reject the spec, or warn about it: a chart that draws wrong should not
 * pass unnoticed.
 */
export async function show(chart: Chart | VlSpec): Promise<Displayable> {
  const spec = isChart(chart) ? chart.spec : chart;
  const warnings: string[] = [];
  const svg = await renderSvg(spec, warnings);
  if (warnings.length > 0) throw new Error(`the chart draws with warnings: ${warnings.join('; ')}`);
  const title = isChart(chart) ? chart.title : typeof spec['title'] === 'string' ? spec['title'] : ((spec['title'] as { text?: string } | undefined)?.text ?? 'chart');
  return displayable({
    'image/svg+xml': svg,
    [VEGA_LITE_MIME]: { ...spec, $schema: V5_SCHEMA },
    'text/plain': `[chart: ${title}]`,
  });
}

/**
 * A vega-lite spec in dynosim's look (font, colours, sizes), with a title and a subtitle:
 * what a notebook's own charts start from. `body` is a single view, a layer or a concat.
 */
export function vegaLite(title: string, subtitle: string | undefined, body: VlSpec): VlSpec {
  return topLevel(title, subtitle, body);
}

type Value = string | number | boolean | null | undefined;

/** Options of `table`. */
export interface TableDisplayOptions {
  /** The columns to show, in order (default: every key of the first row). */
  readonly columns?: readonly string[];
  /** Decimals for numbers that are not whole, per column or for all (default 3 significant digits). */
  readonly decimals?: number | Readonly<Record<string, number>>;
  readonly caption?: string;
}

/** Rows of plain values as a table: HTML in a front end, aligned text elsewhere. */
export function table(rows: ReadonlyArray<Readonly<Record<string, Value>>>, opts: TableDisplayOptions = {}): Displayable {
  const columns = [...(opts.columns ?? Object.keys(rows[0] ?? {}))];
  const decimalsOf = (c: string): number | undefined => (typeof opts.decimals === 'number' ? opts.decimals : opts.decimals?.[c]);
  const text = (c: string, v: Value): string => {
    if (v === null || v === undefined) return '—';
    if (typeof v !== 'number') return String(v);
    if (!Number.isFinite(v)) return String(v);
    const d = decimalsOf(c);
    if (d !== undefined) return v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
    return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumSignificantDigits: 3 });
  };
  const cells = rows.map((r) => columns.map((c) => text(c, r[c])));
  const numeric = columns.map((c) => rows.some((r) => typeof r[c] === 'number'));
  const t: ReportTable = { columns, rows: cells, ...(opts.caption === undefined ? {} : { caption: opts.caption }) };
  const cols: Column[] = columns.map((c, i) => ({ header: c, align: numeric[i] ? 'right' : 'left' }));
  const plain = (opts.caption === undefined ? '' : `${opts.caption}\n`) + formatTable(cols, cells, { styler: PLAIN });
  return displayable({ 'text/html': tableHtml(t), 'text/plain': plain });
}

/** Text shown as it is, in a fixed-width font (dynosim's summaries and tables). */
export function text(s: string): Displayable {
  return displayable({ 'text/html': `<pre>${escapeHtml(s.replace(/\n$/, ''))}</pre>`, 'text/plain': s });
}

/** Markdown text (numbers computed in the cell, put in a sentence). */
export function markdown(s: string): Displayable {
  return displayable({ 'text/markdown': s, 'text/plain': s });
}

/** Deno's Jupyter API when this runs in its kernel (reading it anywhere else throws), or null. */
function denoJupyter(): { display(obj: unknown, options: { raw: boolean }): Promise<void> | void } | null {
  try {
    const deno = (globalThis as { Deno?: { jupyter?: unknown } }).Deno;
    const j = deno?.jupyter as { display?: unknown } | undefined;
    return typeof j?.display === 'function' ? (j as never) : null;
  } catch {
    return null;
  }
}

/** Where `display` writes the plain text outside a kernel (the library's `display` gives its process's stdout). */
export interface TextOut {
  write(text: string): unknown;
}

/**
 * Shows a chart, a table or a text in the cell's output now, before the cell ends (Deno's
 * kernel; the cell's last value is left empty), or writes its plain text to `out`
 * anywhere else. Cells that end with `await display(…)` keep their outputs in order,
 * however the kernel schedules its messages.
 */
export async function display(x: Displayable | Promise<Displayable>, out: TextOut): Promise<void> {
  const d = await x;
  const jupyter = denoJupyter();
  if (jupyter === null) {
    out.write(`${d.toString()}\n`);
    return;
  }
  await jupyter.display(d.bundle, { raw: true });
  // The kernel forwards displays to Jupyter from a queue of its own, and can report the
  // cell finished before the queue is flushed: a client that stops listening then (as
  // nbconvert does) loses the output. A moment's pause lets the queue drain first.
  await new Promise((resolve) => setTimeout(resolve, FLUSH_MS));
}

/** How long `display` waits for the kernel to send what it was given. */
const FLUSH_MS = 25;
