/**
 * A report as an HTML page: title, contents, each section's text, tables and charts, the
 * scenario file and a footer, in one of two forms.
 *
 * - `reportHtml`, the default report.html: each chart is the SVG the command drew to its
 *   file (`<img src="charts/<name>.svg">`), so the page carries only its text and tables
 *   (tens of kilobytes), opens offline from disk beside its charts/ folder, and loads no
 *   script but the few lines that open the scenario file for printing.
 * - `interactiveReportHtml`, report-interactive.html (on request): self-contained. vega,
 *   vega-lite and vega-embed are inlined from node_modules and every chart's spec travels
 *   inside the page as JSON, so the file opens offline alone, mailed or archived, and draws
 *   its charts live (tooltips, export) in any current browser.
 *
 * Each page is a pure function of the ReportPage and its options: no dates, no random ids,
 * the same bytes for the same page. All text is escaped; inlined code and specs are
 * escaped so that no data can end a script element early.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { grouped } from '../../studies/fit/numbers.ts';
import type { Chart, ReportPage, ReportSection, ReportTable } from './chart.ts';

/** Options of the interactive page. */
export interface HtmlOptions {
  /** Folder of the chart files, relative to the page: each chart links to `<chartDir>/<name>.svg`, `.png` and `.vl.json`. */
  chartDir?: string;
}

/** Options of the default page, whose charts are images of their SVG files. */
export interface ReportHtmlOptions {
  /** Folder of the chart files, relative to the page (default `charts`): each chart shows `<chartDir>/<name>.svg` and links to it, its `.png` and `.vl.json`. */
  chartDir?: string;
  /** Each chart's SVG by name, as written to its file: the images get its width and height, so the page lays out before they load. */
  svgs?: ReadonlyMap<string, string>;
  /** The interactive page written beside this one (`report-interactive.html`), linked from the top; when absent the page says how to have one. */
  interactive?: string;
}

/** The file name of the interactive page, beside report.html. */
export const INTERACTIVE_REPORT = 'report-interactive.html';

/** The libraries the page draws with, in load order: package, and its browser build beside the package's main entry. */
const LIBRARIES = [
  ['vega', 'vega.min.js'],
  ['vega-lite', 'vega-lite.min.js'],
  ['vega-embed', 'vega-embed.min.js'],
] as const;

let inlined: string | null = null;

/** The three libraries as `<script>` elements, read from node_modules once. */
function libraryScripts(): string {
  if (inlined === null) {
    const require = createRequire(import.meta.url);
    // The packages export only their module entries; the browser builds sit beside them in build/.
    inlined = LIBRARIES.map(([pkg, file]) => {
      // The source map comment goes: the map is not inlined, and a browser's tools would look for it beside the page.
      const code = readFileSync(join(dirname(require.resolve(pkg)), file), 'utf8').replace(/\s*\/\/# sourceMappingURL=\S+\s*$/, '');
      return `<script>/* ${pkg} */\n${scriptSafe(code)}\n</script>\n`;
    }).join('');
  }
  return inlined;
}

/** Inlined code with every `</script` written `<\/script`, which means the same in JavaScript strings and regexes. */
function scriptSafe(code: string): string {
  const safe = code.replace(/<\/(script)/gi, '<\\/$1');
  if (/<!--|<script/i.test(safe)) throw new Error('reportHtml: an inlined library contains "<!--" or "<script", which would change how the page parses');
  return safe;
}

/** Text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * A chart as the page draws it: the heading above already says what its title says, so
 * only the subtitle stays (the files keep the whole title, for use on their own).
 */
function inPage(spec: Chart['spec']): Chart['spec'] {
  const title = spec['title'];
  if (title === undefined) return spec;
  const { title: _, ...rest } = spec;
  const sub = typeof title === 'object' && title !== null && 'subtitle' in title ? (title as { subtitle: unknown }).subtitle : undefined;
  return sub === undefined ? rest : { ...rest, title: { text: '', subtitle: sub } };
}

/** A spec as JSON that can sit inside a script element: every `<` is `\u003c`, so nothing in the data can close it. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Hands out ids that are safe in HTML and URLs and unique within one page, from any text. */
class Ids {
  private readonly used = new Set<string>();

  take(prefix: string, text: string): string {
    const slug = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 60).replace(/^-+|-+$/g, '');
    const base = `${prefix}-${slug || 'x'}`;
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}-${n}`;
    this.used.add(id);
    return id;
  }
}

/** Paragraphs of plain text, split on blank lines. */
function paragraphs(text: string | undefined, cls?: string): string {
  if (text === undefined) return '';
  const attr = cls === undefined ? '' : ` class="${cls}"`;
  return text
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => `<p${attr}>${escapeHtml(p)}</p>\n`)
    .join('');
}

/** A number as a table shows it: the integer part grouped by thousands, the rest as JavaScript prints it; NaN as a dash. */
function formatNumber(n: number): string {
  if (Number.isNaN(n)) return '—';
  const s = String(Math.abs(n));
  if (!Number.isFinite(n) || /e/.test(s)) return String(n);
  const dot = s.indexOf('.');
  return (n < 0 ? '-' : '') + grouped(Number(dot < 0 ? s : s.slice(0, dot))) + (dot < 0 ? '' : s.slice(dot));
}

/** Text that reads as a number, perhaps with a unit: `2,589,143`, `316 ms`, `4.99%`, `$34.50`, `−2.1`, `2.5×`, `1.2e-5 s` (not `1X`). */
const NUMERIC_TEXT = /^[-+−]?\$?(\d[\d,]*)?\.?\d+(e[-+]?\d+)?(\s?[%×]|\s\S+)?$/i;
const EMPTY_CELL = /^(|—|–|-|n\/a)$/i;

function isNumericCell(cell: string | number): boolean {
  return typeof cell === 'number' || NUMERIC_TEXT.test(cell.trim());
}

/** A table; a column whose cells are all numbers (or numbers as text) is right-aligned in tabular figures. */
export function tableHtml(t: ReportTable): string {
  const numeric = t.columns.map((_, i) => {
    const cells = t.rows.map((r) => r[i]).filter((c) => c !== undefined && !(typeof c === 'string' && EMPTY_CELL.test(c.trim())));
    return cells.length > 0 && cells.every(isNumericCell);
  });
  const cls = (i: number): string => (numeric[i] ? ' class="num"' : '');
  const cell = (c: string | number | undefined): string => (c === undefined ? '' : escapeHtml(typeof c === 'number' ? formatNumber(c) : c));
  const caption = t.caption === undefined ? '' : `<caption>${escapeHtml(t.caption)}</caption>\n`;
  const head = `<thead><tr>${t.columns.map((c, i) => `<th scope="col"${cls(i)}>${escapeHtml(c)}</th>`).join('')}</tr></thead>\n`;
  const body = t.rows.map((r) => `<tr>${t.columns.map((_, i) => `<td${cls(i)}>${cell(r[i])}</td>`).join('')}</tr>\n`).join('');
  return `<div class="table"><table>\n${caption}${head}<tbody>\n${body}</tbody>\n</table></div>\n`;
}

/** A chart's file with extension `ext` in `chartDir`, as an attribute value. */
function chartFile(c: Chart, chartDir: string, ext: string): string {
  const dir = chartDir.replace(/\/+$/, '');
  return escapeHtml(`${dir === '' ? '' : encodeURI(dir) + '/'}${encodeURIComponent(c.name)}${ext}`);
}

function fileLinks(c: Chart, chartDir: string | undefined): string {
  if (chartDir === undefined) return '';
  return `<p class="files">${[['.svg', 'SVG'], ['.png', 'PNG'], ['.vl.json', 'vega-lite spec']].map(([ext, label]) => `<a href="${chartFile(c, chartDir, ext!)}">${label}</a>`).join(' · ')}</p>\n`;
}

/** How a page draws a chart: the figure's contents between its caption and its links, and after them. */
interface Drawing {
  vis(c: Chart): string;
  after(c: Chart): string;
}

/** The interactive page: an empty container vega-embed fills from the spec that follows it. */
const LIVE: Drawing = {
  vis: () => `<div class="vis" data-state="pending"></div>\n`,
  after: (c) => `<script type="application/json" class="spec">${jsonForScript(inPage(c.spec))}</script>\n`,
};

/** The width and height an SVG's root element declares, when it declares both in pixels. */
export function svgSize(svg: string): { width: number; height: number } | null {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0];
  const width = root === undefined ? undefined : /\swidth="(\d+(?:\.\d+)?)(?:px)?"/.exec(root)?.[1];
  const height = root === undefined ? undefined : /\sheight="(\d+(?:\.\d+)?)(?:px)?"/.exec(root)?.[1];
  return width === undefined || height === undefined ? null : { width: Number(width), height: Number(height) };
}

/** The default page: the chart's SVG file as an image, at its size when known. */
function images(chartDir: string, svgs: ReadonlyMap<string, string> | undefined): Drawing {
  return {
    vis: (c) => {
      const svg = svgs?.get(c.name);
      const size = svg === undefined ? null : svgSize(svg);
      const dims = size === null ? '' : ` width="${size.width}" height="${size.height}"`;
      return `<div class="vis"><img src="${chartFile(c, chartDir, '.svg')}" alt="${escapeHtml(c.title)}"${dims}></div>\n`;
    },
    after: () => '',
  };
}

function chartFigure(c: Chart, id: string, chartDir: string | undefined, drawing: Drawing): string {
  return (
    `<figure class="chart" id="${id}" data-name="${escapeHtml(c.name)}">\n` +
    `<h3>${escapeHtml(c.title)}</h3>\n` +
    paragraphs(c.caption, 'caption') +
    drawing.vis(c) +
    fileLinks(c, chartDir) +
    drawing.after(c) +
    `</figure>\n`
  );
}

function section(s: ReportSection, id: string, ids: Ids, chartDir: string | undefined, drawing: Drawing): string {
  return (
    `<section id="${id}">\n<h2>${escapeHtml(s.heading)}</h2>\n` +
    paragraphs(s.intro) +
    (s.tables ?? []).map(tableHtml).join('') +
    (s.charts ?? []).map((c) => chartFigure(c, ids.take('chart', c.name), chartDir, drawing)).join('') +
    `</section>\n`
  );
}

const CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#fff;color:#1f2328;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","DejaVu Sans",sans-serif}
main{max-width:1040px;margin:0 auto;padding:28px 24px 40px}
h1{font-size:26px;line-height:1.25;margin:0 0 4px}
h2{font-size:20px;line-height:1.3;margin:36px 0 10px;padding-bottom:4px;border-bottom:1px solid #d8dee4}
h3{font-size:16px;margin:28px 0 2px}
p{margin:0 0 10px;max-width:78ch}
a{color:#0b5cad}
.subtitle{color:#57606a;margin:0 0 18px}
nav{background:#f6f8fa;border:1px solid #d8dee4;border-radius:6px;padding:8px 16px;margin:0 0 8px}
nav h2{font-size:13px;font-weight:600;text-transform:uppercase;letter-spacing:.04em;color:#57606a;border:0;margin:0;padding:0}
nav ol{margin:4px 0 2px;padding-left:22px}
nav ol.long{columns:3 240px;column-gap:32px}
.table{overflow-x:auto;margin:6px 0 18px}
table{border-collapse:collapse;font-size:14px}
caption{caption-side:top;text-align:left;color:#57606a;padding:0 0 4px}
th,td{padding:4px 12px 4px 0;text-align:left;vertical-align:top;border-bottom:1px solid #eaeef2}
th{font-weight:600;border-bottom:1px solid #afb8c1;white-space:nowrap}
td+td,th+th{padding-left:12px}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
figure{margin:0 0 20px}
.caption{color:#424a53;font-size:14px;margin:0 0 6px}
.vis{max-width:100%;overflow-x:auto;overflow-y:hidden;vertical-align:top}
.vis svg.marks{display:block}
.vis.error{color:#b3261e;background:#fdecea;border:1px solid #b3261e;border-radius:4px;padding:8px 12px;white-space:pre-wrap;font-size:14px}
.files{font-size:12px;color:#57606a;margin:4px 0 0}
details.scenario{margin:8px 0}
.scenario summary{cursor:pointer;color:#0b5cad}
pre{background:#f6f8fa;border:1px solid #d8dee4;border-radius:6px;padding:12px;overflow-x:auto;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace}
footer{max-width:1040px;margin:0 auto;padding:10px 24px 28px;color:#57606a;font-size:13px}
footer p{border-top:1px solid #d8dee4;padding-top:10px;max-width:none}
@media print{
body{font-size:11pt}
main{max-width:none;padding:0}
nav,.files,.vega-embed details{display:none}
figure,table{break-inside:avoid}
h2,h3{break-after:avoid}
.vis,.table,pre{overflow:visible}
pre{white-space:pre-wrap}
a{color:inherit;text-decoration:none}
}
`;

/** The CSS of the default page: the same, for images, and the line saying where the interactive page is. */
const IMAGE_CSS = `${CSS}.vis img{display:block;max-width:100%;height:auto}
.note{color:#57606a;font-size:13px;margin:-10px 0 18px}
@media print{.note{display:none}}
`;

/** Opens the details (the scenario file) for printing; the default page's only script. */
const PRINT = `
addEventListener('beforeprint', function () {
  var details = document.querySelectorAll('details');
  for (var j = 0; j < details.length; j++) details[j].open = true;
});
`;

/** Draws every chart with vega-embed; a chart that fails shows its error in place and logs it with console.error. */
const EMBED = `
(function () {
  var options = { renderer: 'svg', actions: { export: true, source: false, compiled: false, editor: false } };
  var figures = document.querySelectorAll('figure.chart');
  for (var i = 0; i < figures.length; i++) (function (figure) {
    var vis = figure.querySelector('.vis');
    function fail(error) {
      var message = error && error.message ? error.message : String(error);
      vis.className = 'vis error';
      vis.textContent = 'This chart could not be drawn: ' + message;
      vis.setAttribute('data-state', 'error');
      console.error('dynosim: chart "' + figure.getAttribute('data-name') + '" could not be drawn: ' + message);
    }
    try {
      var spec = JSON.parse(figure.querySelector('script.spec').textContent);
      var opts = Object.assign({ downloadFileName: figure.getAttribute('data-name') }, options);
      vegaEmbed(vis, spec, opts).then(function () { vis.setAttribute('data-state', 'ok'); }, fail);
    } catch (error) {
      fail(error);
    }
  })(figures[i]);
  addEventListener('beforeprint', function () {
    var details = document.querySelectorAll('details');
    for (var j = 0; j < details.length; j++) details[j].open = true;
  });
})();
`;

/** The parts both pages share, laid out around a page's own head and foot. */
function layout(page: ReportPage, chartDir: string | undefined, drawing: Drawing, css: string, note: string, scripts: string): string {
  const ids = new Ids();
  const sectionIds = page.sections.map((s) => ids.take('s', s.heading));
  const scenarioId = page.scenario === undefined ? '' : ids.take('s', 'scenario');
  const toc = [
    ...page.sections.map((s, i) => `<li><a href="#${sectionIds[i]}">${escapeHtml(s.heading)}</a></li>`),
    ...(page.scenario === undefined ? [] : [`<li><a href="#${scenarioId}">Scenario file</a></li>`]),
  ];
  const body = page.sections.map((s, i) => section(s, sectionIds[i], ids, chartDir, drawing)).join('');
  const scenario =
    page.scenario === undefined
      ? ''
      : `<section id="${scenarioId}">\n<h2>Scenario file</h2>\n<details class="scenario">\n<summary>${escapeHtml(page.scenario.file)}</summary>\n` +
        `<pre>${escapeHtml(page.scenario.text)}</pre>\n</details>\n</section>\n`;
  return (
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<meta name="generator" content="dynosim">\n` +
    `<title>${escapeHtml(page.title)}</title>\n<style>${css}</style>\n</head>\n<body>\n<main>\n` +
    `<header>\n<h1>${escapeHtml(page.title)}</h1>\n<p class="subtitle">${escapeHtml(page.subtitle)}</p>\n${note}</header>\n` +
    (toc.length > 1 ? `<nav aria-label="Contents">\n<h2>Contents</h2>\n<ol${toc.length > 8 ? ' class="long"' : ''}>\n${toc.join('\n')}\n</ol>\n</nav>\n` : '') +
    body +
    scenario +
    `</main>\n<footer><p>${escapeHtml(page.footer)}</p></footer>\n` +
    scripts +
    `</body>\n</html>\n`
  );
}

/**
 * The default report (UTF-8 text): every chart the image of its SVG file in `chartDir`, no
 * library, nothing inlined but text; it opens from disk beside its charts/ folder. The same
 * page and options give the same bytes.
 */
export function reportHtml(page: ReportPage, opts: ReportHtmlOptions = {}): string {
  const chartDir = opts.chartDir ?? 'charts';
  const charted = page.sections.some((s) => (s.charts ?? []).length > 0);
  const note = !charted
    ? ''
    : opts.interactive !== undefined
      ? `<p class="note">The charts are the SVG files in ${escapeHtml(chartDir.replace(/\/+$/, '') || '.')}/. <a href="${escapeHtml(encodeURI(opts.interactive))}">The interactive page</a> draws them live, with tooltips and export, and opens on its own.</p>\n`
      : `<p class="note">The charts are the SVG files in ${escapeHtml(chartDir.replace(/\/+$/, '') || '.')}/. For charts with tooltips and export, on a page that opens on its own, run the command again with --interactive-report: it writes ${INTERACTIVE_REPORT} beside this page.</p>\n`;
  return layout(page, chartDir, images(chartDir, opts.svgs), IMAGE_CSS, note, `<script>${PRINT}</script>\n`);
}

/** The interactive report as one self-contained HTML page (UTF-8 text), the libraries inline; the same page gives the same bytes. */
export function interactiveReportHtml(page: ReportPage, opts: HtmlOptions = {}): string {
  return layout(page, opts.chartDir, LIVE, CSS, '', libraryScripts() + `<script>${EMBED}</script>\n`);
}
