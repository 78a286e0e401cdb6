/**
 * The HTML reports as text, without a browser. The default page: each chart the image of
 * its SVG file beside it, no library, nothing fetched from anywhere else, tens of kilobytes.
 * The interactive page: self-contained (the three libraries inlined, nothing fetched), specs
 * intact inside the page. Both: hostile text escaped everywhere it can appear, the same
 * bytes for the same page, ids unique, tables and links as documented. writeReport writes
 * the one, or both. test/browser.test.ts opens such pages in Chromium.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers/cli.ts';
import { topLevel, type Chart, type ReportPage } from '../src/output/charts/chart.ts';
import { reportHtml, INTERACTIVE_REPORT, interactiveReportHtml, svgSize } from '../src/output/charts/html.ts';
import { writeReport } from '../src/output/charts/output.ts';

const HOSTILE = '</script><b>bold</b> & "quoted" \'single\' <!-- <script>';
const ESCAPED = '&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; &#39;single&#39; &lt;!-- &lt;script&gt;';

function chart(name: string, title = name, caption = `About ${name}.`, label = 'a'): Chart {
  return { name, title, caption, spec: topLevel(title, undefined, { data: { values: [{ x: 1, y: 2, label }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } }) };
}

function page(overrides: Partial<ReportPage> = {}): ReportPage {
  return {
    title: 'two-web-dynos',
    subtitle: 'dynosim run · heroku-2013 · seed 7',
    sections: [
      {
        heading: 'Latency',
        intro: 'First paragraph,\nstill the first.\n\nSecond.\n  \t\nThird.\n\n\n',
        tables: [{ caption: 'Percentiles', columns: ['percentile', 'ms', 'requests', 'share'], rows: [['p50', 73, 2589143, '50%'], ['p95', 316.25, -1234567.5, '5.00%'], ['p99', Number.NaN, 0, '—']] }],
        charts: [chart('latency-percentiles'), chart('queue')],
      },
      { heading: 'Cost', charts: [chart('cost-cumulative')] },
    ],
    scenario: { file: 'scenarios/two-web-dynos.yaml', text: 'name: two-web-dynos\nformation:\n  web: { count: 2 }\n' },
    footer: 'dynosim 0.1.0 · npx dynosim run scenarios/two-web-dynos.yaml',
    ...overrides,
  };
}

/** The page as the HTML parser sees it outside script elements (each ends at the first `</script`). */
function markup(html: string): string {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script\s*>/gi, '');
}

/** The JSON of every chart spec in the page. */
function specs(html: string): string[] {
  return [...html.matchAll(/<script type="application\/json" class="spec">([\s\S]*?)<\/script>/g)].map((m) => m[1]);
}

function ids(html: string): string[] {
  return [...markup(html).matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);
}

const hostilePage = (): ReportPage =>
  page({
    title: HOSTILE,
    subtitle: HOSTILE,
    sections: [
      {
        heading: HOSTILE,
        intro: HOSTILE,
        tables: [{ caption: HOSTILE, columns: [HOSTILE, 'n'], rows: [[HOSTILE, 1]] }],
        charts: [chart(HOSTILE, HOSTILE, HOSTILE, HOSTILE)],
      },
    ],
    scenario: { file: HOSTILE, text: `# ${HOSTILE}\n` },
    footer: HOSTILE,
  });

test('the interactive page is self-contained: vega, vega-lite and vega-embed inlined, nothing to fetch', (t) => {
  const html = interactiveReportHtml(page(), { chartDir: 'charts' });
  for (const [pkg, file] of [['vega', 'vega.min.js'], ['vega-lite', 'vega-lite.min.js'], ['vega-embed', 'vega-embed.min.js']]) {
    const code = readFileSync(join(ROOT, 'node_modules', pkg, 'build', file), 'utf8').replace(/\s*\/\/# sourceMappingURL=\S+\s*$/, '');
    t.true(code.length > 50_000, `${file} is the real build`);
    t.true(html.includes(code.replace(/<\/script/gi, '<\\/script')), `${pkg} inlined whole`);
  }
  t.notRegex(html, /sourceMappingURL/);
  t.notRegex(html, /(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  t.notRegex(html, /<link\b/i);
  const outside = markup(html);
  t.notRegex(outside, /\ssrc\s*=/i, 'no element loads anything');
  t.notRegex(outside, /@import|url\(/i, 'the CSS loads nothing');
  for (const [, href] of outside.matchAll(/\shref="([^"]*)"/g)) t.regex(href, /^(#[a-z0-9-]+|charts\/[a-z0-9-]+\.(svg|png|vl\.json))$/, href);
  t.regex(html, /renderer: 'svg', actions: \{ export: true, source: false, compiled: false, editor: false \}/);
});

test('the default page carries no library and no spec: its charts are the SVG files beside it, nothing else is loaded', (t) => {
  const html = reportHtml(page(), { chartDir: 'charts' });
  t.true(html.length < 20_000, `${html.length} bytes`);
  t.notRegex(html, /vegaEmbed|vega-lite@|class="spec"|application\/json/, "no library, no spec");
  t.is((html.match(/<script\b/gi) ?? []).length, 1, 'one script: opening the scenario file for printing');
  t.regex(html, /<script>\naddEventListener\('beforeprint', function \(\) \{\n/);
  t.notRegex(html, /(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  t.notRegex(html, /<link\b/i);
  const outside = markup(html);
  t.notRegex(outside, /@import|url\(/i, 'the CSS loads nothing');
  const srcs = [...outside.matchAll(/\ssrc="([^"]*)"/g)].map((m) => m[1]);
  t.deepEqual(srcs, ['charts/latency-percentiles.svg', 'charts/queue.svg', 'charts/cost-cumulative.svg'], 'each chart its SVG file, nothing else loaded');
  t.is((outside.match(/<img /g) ?? []).length, 3);
  for (const [, href] of outside.matchAll(/\shref="([^"]*)"/g)) t.regex(href, /^(#[a-z0-9-]+|charts\/[a-z0-9-]+\.(svg|png|vl\.json))$/, href);
  t.is(reportHtml(page()), html, 'the chart files are in charts/ unless chartDir says otherwise');
});

test('hostile text is escaped wherever it appears and cannot end a script early, on either page', (t) => {
  const p = hostilePage();
  const html = interactiveReportHtml(p, { chartDir: HOSTILE });
  const outside = markup(html);
  t.notRegex(outside, /<b>|<!--/, 'no markup from the data');
  t.is((html.match(/<script\b/gi) ?? []).length, (html.match(/<\/script/gi) ?? []).length, 'every </script closes a script the page opened');
  t.is(specs(html).length, 1);
  // title, h1, subtitle, toc entry, h2, intro, table caption, header, cell, h3, caption, summary, pre (with "# "), footer
  t.true(outside.split(ESCAPED).length - 1 >= 14, 'every text shows the hostile string literally');
  t.true(outside.includes(`<pre># ${ESCAPED}\n</pre>`), 'the scenario verbatim');
  t.true(outside.includes(`<td>${ESCAPED}</td>`));
  t.true(outside.includes(`<p class="caption">${ESCAPED}</p>`));
  t.regex(outside, /data-name="&lt;\/script&gt;/);
  for (const [, href] of outside.matchAll(/\shref="([^"]*)"/g)) t.notRegex(href, /[<>"]/);

  const plain = reportHtml(p, { chartDir: HOSTILE, interactive: HOSTILE });
  t.notRegex(plain, /<b>|<!--/, 'no markup from the data');
  t.is((plain.match(/<script\b/gi) ?? []).length, 1);
  t.is((plain.match(/<\/script/gi) ?? []).length, 1);
  // as above, and the image's alt text
  t.true(plain.split(ESCAPED).length - 1 >= 15, 'every text shows the hostile string literally');
  t.true(plain.includes(`alt="${ESCAPED}"`));
  for (const [, attr] of plain.matchAll(/\s(?:href|src)="([^"]*)"/g)) t.notRegex(attr, /[<>"]/);
});

test('each spec travels as JSON with every < escaped, and parses back to the same spec less its title (the heading above says it)', (t) => {
  const p = hostilePage();
  p.sections[0].charts![0].spec.description = 'line\u2028separator\u2029and </SCRIPT > too';
  const [json] = specs(interactiveReportHtml(p));
  t.false(json.includes('<'));
  t.false(/[\u2028\u2029]/.test(json));
  t.true(json.includes('\\u003c/script>\\u003cb>'));
  const { title: _, ...untitled } = p.sections[0].charts![0].spec;
  t.deepEqual(JSON.parse(json), untitled);
});

test('a chart in the page keeps its subtitle, not its title', (t) => {
  const p = page();
  p.sections[0].charts![0].spec.title = { text: 'Response time', subtitle: 'per 2 m' };
  const [json] = specs(interactiveReportHtml(p));
  t.deepEqual(JSON.parse(json).title, { text: '', subtitle: 'per 2 m' });
});

test('the same page gives the same bytes', (t) => {
  for (const html of [interactiveReportHtml, reportHtml]) {
    const a = html(page(), { chartDir: 'charts' });
    t.is(html(structuredClone(page()), { chartDir: 'charts' }), a);
    t.is(html(page(), { chartDir: 'charts/' }), a, 'a trailing slash on chartDir changes nothing');
    t.notRegex(a, /\b20\d\d-\d\d-\d\d/, 'no date');
  }
});

test('ids are unique, safe and from the names, also when names collide or share a prefix', (t) => {
  const html = reportHtml(
    page({
      sections: [
        { heading: 'Latency', charts: [chart('latency'), chart('latency'), chart('latency-2'), chart('Latency!'), chart('latency-2-2')] },
        { heading: 'latency', charts: [chart(''), chart('ÜBER ünïcode'), chart('s-latency')] },
        { heading: 'Scenario', charts: [chart('---')] },
      ],
    }),
  );
  const all = ids(html);
  t.is(new Set(all).size, all.length, `unique: ${all.join(' ')}`);
  for (const id of all) t.regex(id, /^[a-z]+-[a-z0-9-]*[a-z0-9]$/);
  t.deepEqual(
    all.filter((id) => id.startsWith('chart-')),
    ['chart-latency', 'chart-latency-2', 'chart-latency-2-2', 'chart-latency-3', 'chart-latency-2-2-2', 'chart-x', 'chart-uber-unicode', 'chart-s-latency', 'chart-x-2'],
  );
  t.deepEqual(all.filter((id) => id.startsWith('s-')), ['s-latency', 's-latency-2', 's-scenario', 's-scenario-2']);
  const toc = [...markup(html).matchAll(/<li><a href="#([^"]+)">/g)].map((m) => m[1]);
  t.deepEqual(toc, ['s-latency', 's-latency-2', 's-scenario', 's-scenario-2']);
  t.deepEqual(ids(interactiveReportHtml(page({ sections: [{ heading: 'Latency', charts: [chart('latency'), chart('latency')] }] }))), ['s-latency', 'chart-latency', 'chart-latency-2', 's-scenario'], 'the interactive page names them the same');
});

test('intro paragraphs split on blank lines; tables right-align numbers in tabular figures', (t) => {
  const html = markup(reportHtml(page()));
  t.true(html.includes('<h2>Latency</h2>\n<p>First paragraph,\nstill the first.</p>\n<p>Second.</p>\n<p>Third.</p>\n'));
  t.true(html.includes('<caption>Percentiles</caption>'));
  t.true(html.includes('<tr><th scope="col">percentile</th><th scope="col" class="num">ms</th><th scope="col" class="num">requests</th><th scope="col" class="num">share</th></tr>'));
  t.true(html.includes('<tr><td>p50</td><td class="num">73</td><td class="num">2,589,143</td><td class="num">50%</td></tr>'));
  t.true(html.includes('<tr><td>p95</td><td class="num">316.25</td><td class="num">-1,234,567.5</td><td class="num">5.00%</td></tr>'));
  t.true(html.includes('<tr><td>p99</td><td class="num">—</td><td class="num">0</td><td class="num">—</td></tr>'));
  t.regex(html, /\.num\{text-align:right;font-variant-numeric:tabular-nums/);

  const mixed = markup(reportHtml(page({ sections: [{ heading: 'S', tables: [{ columns: ['size', 'cost', 'short'], rows: [['1X', '$34.50', 'a'], ['Performance-M', '316 ms']] }] }] })));
  t.true(mixed.includes('<tr><td>1X</td><td class="num">$34.50</td><td>a</td></tr>'), 'a column with text stays left-aligned');
  t.true(mixed.includes('<tr><td>Performance-M</td><td class="num">316 ms</td><td></td></tr>'), 'a short row gets empty cells');
});

test('interactive charts: heading, caption, container, spec; links to their files only with chartDir', (t) => {
  const withDir = markup(interactiveReportHtml(page(), { chartDir: 'out/charts' }));
  t.true(
    withDir.includes(
      '<figure class="chart" id="chart-queue" data-name="queue">\n<h3>queue</h3>\n<p class="caption">About queue.</p>\n<div class="vis" data-state="pending"></div>\n' +
        '<p class="files"><a href="out/charts/queue.svg">SVG</a> · <a href="out/charts/queue.png">PNG</a> · <a href="out/charts/queue.vl.json">vega-lite spec</a></p>\n',
    ),
  );
  t.is((withDir.match(/<figure class="chart"/g) ?? []).length, 3);
  t.is((withDir.match(/<div class="vis"/g) ?? []).length, 3);
  const without = markup(interactiveReportHtml(page()));
  t.notRegex(without, /class="files"|\.svg"/);
  t.is(specs(interactiveReportHtml(page())).length, 3);
});

test('charts on the default page: heading, caption, the SVG file as an image at its size, links to its files', (t) => {
  const svgs = new Map([['queue', '<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="927" height="542" viewBox="0 0 927 542"><rect/></svg>\n']]);
  const html = markup(reportHtml(page(), { chartDir: 'out/charts', svgs }));
  t.true(
    html.includes(
      '<figure class="chart" id="chart-queue" data-name="queue">\n<h3>queue</h3>\n<p class="caption">About queue.</p>\n' +
        '<div class="vis"><img src="out/charts/queue.svg" alt="queue" width="927" height="542"></div>\n' +
        '<p class="files"><a href="out/charts/queue.svg">SVG</a> · <a href="out/charts/queue.png">PNG</a> · <a href="out/charts/queue.vl.json">vega-lite spec</a></p>\n</figure>\n',
    ),
  );
  t.true(html.includes('<div class="vis"><img src="out/charts/latency-percentiles.svg" alt="latency-percentiles"></div>'), 'without its SVG, an image without a size');
  t.is((html.match(/<figure class="chart"/g) ?? []).length, 3);
  t.regex(html, /\.vis img\{display:block;max-width:100%;height:auto\}/);
  t.deepEqual(svgSize(svgs.get('queue')!), { width: 927, height: 542 });
  t.is(svgSize('<svg width="100%">'), null);
});

test('the default page says where the interactive page is, or how to have one; a page without charts says nothing', (t) => {
  const linked = markup(reportHtml(page(), { interactive: INTERACTIVE_REPORT }));
  t.true(linked.includes('<p class="subtitle">dynosim run · heroku-2013 · seed 7</p>\n<p class="note">The charts are the SVG files in charts/. <a href="report-interactive.html">The interactive page</a> draws them live, with tooltips and export, and opens on its own.</p>\n</header>'));
  const hint = markup(reportHtml(page()));
  t.regex(hint, /<p class="note">The charts are the SVG files in charts\/\. For charts with tooltips and export, on a page that opens on its own, run the command again with --interactive-report: it writes report-interactive\.html beside this page\.<\/p>\n<\/header>/);
  t.notRegex(markup(reportHtml(page({ sections: [{ heading: 'S', intro: 'text' }] }))), /class="note"/);
  t.notRegex(markup(interactiveReportHtml(page())), /class="note"/);
});

test('writeReport: the charts, report.html without the libraries, and report-interactive.html only on request', async (t) => {
  const written = (interactive: boolean | undefined) => {
    const files = new Map<string, string | Uint8Array>();
    return { files, sink: { write: (name: string, content: string | Uint8Array) => void files.set(name, content) }, interactive };
  };
  const p = page();
  const plain = written(undefined);
  t.deepEqual(await writeReport(plain.sink, p.sections.flatMap((s) => s.charts ?? []), p, { png: false }), ['report.html', 'charts/ (3 charts)']);
  t.deepEqual([...plain.files.keys()].sort(), ['charts/cost-cumulative.svg', 'charts/cost-cumulative.vl.json', 'charts/latency-percentiles.svg', 'charts/latency-percentiles.vl.json', 'charts/queue.svg', 'charts/queue.vl.json', 'report.html']);
  const svg = String(plain.files.get('charts/queue.svg'));
  const size = svgSize(svg)!;
  t.true(size.width > 0 && size.height > 0);
  const html = String(plain.files.get('report.html'));
  t.true(html.includes(`<img src="charts/queue.svg" alt="queue" width="${size.width}" height="${size.height}">`));
  t.true(html.includes('run the command again with --interactive-report'));
  t.notRegex(html, /vegaEmbed|class="spec"/);

  const both = written(true);
  t.deepEqual(await writeReport(both.sink, p.sections.flatMap((s) => s.charts ?? []), p, { png: false, interactive: true }), ['report.html', 'report-interactive.html', 'charts/ (3 charts)']);
  t.is(both.files.get('report-interactive.html'), interactiveReportHtml(p, { chartDir: 'charts' }));
  t.true(String(both.files.get('report.html')).includes('<a href="report-interactive.html">The interactive page</a>'));
  t.is(both.files.get('charts/queue.svg'), svg, 'the same charts either way');
});

test('the scenario file comes last, in a details block, and only when there is one', (t) => {
  const html = markup(reportHtml(page()));
  t.true(html.includes('<li><a href="#s-scenario">Scenario file</a></li>'));
  t.true(
    html.includes(
      '<section id="s-scenario">\n<h2>Scenario file</h2>\n<details class="scenario">\n<summary>scenarios/two-web-dynos.yaml</summary>\n' +
        '<pre>name: two-web-dynos\nformation:\n  web: { count: 2 }\n</pre>\n</details>\n</section>\n</main>\n<footer><p>dynosim 0.1.0 · npx dynosim run scenarios/two-web-dynos.yaml</p></footer>\n',
    ),
  );
  const none = markup(reportHtml(page({ scenario: undefined })));
  t.notRegex(none, /Scenario file|<details|<pre/);
  t.regex(none, /<h1>two-web-dynos<\/h1>\n<p class="subtitle">dynosim run · heroku-2013 · seed 7<\/p>/);
  t.regex(markup(reportHtml(page({ sections: [], scenario: undefined }))), /<\/header>\n<\/main>/, 'no contents for an empty page');
});
