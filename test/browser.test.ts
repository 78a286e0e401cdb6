/**
 * The HTML reports in a real browser: headless Chromium (Debian's, or CHROMIUM_PATH) opens a
 * report from disk with a laptop-sized window, offline, and must show every chart without
 * an error: report.html each chart's SVG file as an image, loaded and fitting the page;
 * report-interactive.html every chart drawn live by the inlined vega-embed. Checked on a
 * sample page with one chart of each kind dynosim draws (both pages), on a real run's and
 * cost's pages written with --interactive-report, then on every `results/**\/report.html`
 * in the repository. Full-page screenshots go to test/output/, with the sample pages
 * themselves. Without Chromium every test fails saying so under CI; elsewhere the file is
 * one skipped test naming what to install.
 */
import test, { type ExecutionContext } from 'ava';
import { existsSync, globSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { dynosim, ROOT } from './helpers/cli.ts';
import { registerSystemTests } from './helpers/systemPackages.ts';
import { topLevel, type Chart, type ReportPage, type VlSpec } from '../src/output/charts/chart.ts';
import { writeReport } from '../src/output/charts/output.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUTPUT = join(ROOT, 'test/output');
const HOSTILE = '</script><b>bold</b> & "quoted" <!--';
/**
 * How long a page may take to settle every chart, ms, and Chromium to start, a page to
 * load, a screenshot to be taken: a guard against one that never does, not a speed test.
 * The reports render side by side in one browser, so on a busy machine each takes several
 * times its 2-3 s alone (8-9 s with both cores kept busy).
 */
const SETTLE_MS = 120_000;

const MISSING = existsSync(CHROMIUM)
  ? null
  : `no Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium, as .ci/run does) or set CHROMIUM_PATH to a Chromium binary`;
// Without Chromium: one skipped test outside CI, every test failing with MISSING in CI.
const RUN = registerSystemTests(MISSING, 'browser tests: no Chromium — apt-get install chromium (as .ci/run does), or set CHROMIUM_PATH');

let browser: Promise<Browser>;

if (RUN) {
  test.before(() => {
    mkdirSync(OUTPUT, { recursive: true });
    browser =
      MISSING === null
        ? chromium.launch({
            executablePath: CHROMIUM,
            timeout: SETTLE_MS,
            args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
          })
        : Promise.reject(new Error(MISSING));
    browser.catch(() => {}); // each test awaits it and fails with the message
  });

  test.after.always(async () => {
    await (await browser.catch(() => null))?.close();
  });
}

// ---------------------------------------------------------------------------------------
// A sample page: one chart of each kind, data made up but shaped like a run's

const hours = Array.from({ length: 48 }, (_, i) => i);
const at = (h: number): string => new Date(Date.UTC(2025, 5, 3, 0, h * 30)).toISOString();
const wave = (h: number, base: number, amp: number): number => Math.round(base + amp * Math.sin((h / 48) * 2 * Math.PI - 1.5));

function samplePage(): ReportPage {
  const latency = hours.flatMap((h) => [
    { t: at(h), percentile: 'p50', ms: wave(h, 80, 20) },
    { t: at(h), percentile: 'p95', ms: wave(h, 300, 120) },
    { t: at(h), percentile: 'p99', ms: wave(h, 480, 200) },
  ]);
  const busy = hours.flatMap((h) => [
    { t: at(h), type: 'web', dynos: wave(h, 3, 2) },
    { t: at(h), type: 'worker', dynos: wave(h, 2, 1) },
  ]);
  const strategies = [
    { strategy: 'base', p95: 316, lo: 290, hi: 340 },
    { strategy: 'shared-queue', p95: 201, lo: 188, hi: 215 },
    { strategy: 'autoscale', p95: 254, lo: 230, hi: 281 },
  ];
  const histogram = Array.from({ length: 20 }, (_, i) => ({ from: i * 50, to: i * 50 + 50, share: Math.exp(-((i - 3) ** 2) / 8) / 5 }));
  const bill = [
    { type: 'web', dollars: 34.5 },
    { type: 'worker', dollars: 25 },
    { type: 'scheduler', dollars: 0.8 },
  ];
  const variants = ['random', 'shared-queue', 'least-busy'].flatMap((variant, v) =>
    hours.map((h) => ({ variant, hour: h / 2, p95: wave(h, 300 - v * 60, 100 - v * 20) })),
  );
  const plans = [
    { plan: '2 × 1X', cost: 34.5, p95: 316 },
    { plan: '4 × 1X', cost: 103.5, p95: 180 },
    { plan: '2 × 2X', cost: 69, p95: 240 },
    { plan: HOSTILE, cost: 140, p95: 150 },
  ];
  const time = { field: 't', type: 'temporal', title: null, axis: { format: '%H:%M' } };
  const q = (field: string, more: VlSpec = {}): VlSpec => ({ field, type: 'quantitative', ...more });
  const n = (field: string, more: VlSpec = {}): VlSpec => ({ field, type: 'nominal', ...more });
  const chart = (name: string, title: string, caption: string, body: VlSpec, subtitle?: string): Chart => ({ name, title, caption, spec: topLevel(title, subtitle, body) });

  const lineAndRule = chart('latency-percentiles', 'Latency percentiles', 'p50, p95 and p99 per half hour; the dashed rule is the 500 ms SLO.', {
    width: 720,
    height: 240,
    layer: [
      { data: { values: latency }, mark: 'line', encoding: { x: time, y: q('ms', { title: 'ms' }), color: n('percentile') } },
      { data: { values: [{ slo: 500 }] }, mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { y: q('slo') } },
    ],
  }, 'per half hour');
  const stackedArea = chart('busy-dynos', 'Busy dynos', 'Dynos serving a request, stacked by process type.', {
    width: 720,
    height: 200,
    data: { values: busy },
    mark: 'area',
    encoding: { x: time, y: q('dynos', { stack: 'zero' }), color: n('type') },
  });
  const barsWithErrors = chart('strategies-p95', 'p95 by strategy', 'Mean p95 over replications with its 95% interval.', {
    width: 360,
    height: 200,
    data: { values: strategies },
    encoding: { x: n('strategy', { sort: null }) },
    layer: [
      { mark: 'bar', encoding: { y: q('p95') } },
      { mark: 'errorbar', encoding: { y: q('lo', { title: 'p95 (ms)' }), y2: { field: 'hi' } } },
    ],
  });
  const hconcat = chart('latency-and-bill', 'Latency distribution and bill', 'Left: share of requests by latency. Right: the bill by process type.', {
    hconcat: [
      {
        width: 380,
        height: 200,
        data: { values: histogram },
        mark: 'bar',
        encoding: { x: q('from', { bin: { binned: true, step: 50 }, title: 'ms' }), x2: { field: 'to' }, y: q('share', { axis: { format: '%' } }) },
      },
      { width: 240, height: 200, data: { values: bill }, mark: 'bar', encoding: { y: n('type', { sort: '-x' }), x: q('dollars', { axis: { format: '$,.0f' } }) } },
    ],
  });
  const facet = chart('variants-p95', 'p95 by router policy', 'One panel per variant, same scales.', {
    data: { values: variants },
    facet: { column: n('variant', { sort: null, title: null }) },
    spec: { width: 220, height: 160, mark: 'line', encoding: { x: q('hour'), y: q('p95') } },
  });
  const labelledPoints = chart('plans', 'Cost against p95', `Each plan; labels name them (one is ${HOSTILE}).`, {
    width: 480,
    height: 240,
    data: { values: plans },
    encoding: { x: q('cost', { title: '$ a month' }), y: q('p95', { title: 'p95 (ms)' }) },
    layer: [{ mark: { type: 'point', filled: true, size: 60 } }, { mark: { type: 'text', align: 'left', dx: 8 }, encoding: { text: { field: 'plan' } } }],
  });

  return {
    title: 'sample-report',
    subtitle: 'dynosim run · heroku-2013 · seed 7 · 24h simulated',
    sections: [
      {
        heading: 'Latency',
        intro: 'How long requests took, minute by minute.\n\nThe dashed line is the SLO.',
        tables: [
          {
            caption: 'Latency percentiles over the run',
            columns: ['percentile', 'latency', 'requests', 'share', 'note'],
            rows: [
              ['p50', '73.0 ms', 2589143, '50%', 'median'],
              ['p95', '316 ms', 129457, '5.00%', HOSTILE],
              ['p99', '486 ms', 25891, '1.00%', ''],
            ],
          },
        ],
        charts: [lineAndRule, stackedArea],
      },
      {
        heading: 'Strategies',
        tables: [{ columns: ['strategy', 'p95 (ms)', 'cost'], rows: strategies.map((s, i) => [s.strategy, s.p95, ['$34.50', '$34.50', '$52.10'][i]]) }],
        charts: [barsWithErrors, hconcat, facet, labelledPoints],
      },
    ],
    scenario: { file: 'scenarios/sample.yaml', text: `name: sample-report\n# ${HOSTILE}\nformation:\n  web: { count: 2, size: 1X }\n` },
    footer: 'dynosim 0.1.0 · regenerate with: npx dynosim run scenarios/sample.yaml',
  };
}

// ---------------------------------------------------------------------------------------
// The checks, in the page

/** The few DOM members the in-page functions use (the project has no DOM types). */
interface El {
  id: string;
  className: unknown;
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  complete?: boolean;
  naturalWidth?: number;
  naturalHeight?: number;
  getAttribute(name: string): string | null;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El>;
}

interface ChartState {
  id: string;
  state: string | null;
  error: string | null;
  svg: boolean;
  /** Mark groups with drawn items, by kind: `mark-line`, `mark-rect`… */
  marks: string[];
  fits: boolean;
}

/** Runs in the page: whether every chart has finished, well or badly. */
function allSettled(): boolean {
  const doc = (globalThis as unknown as { document: El }).document;
  return Array.from(doc.querySelectorAll('figure.chart .vis')).every((v) => v.getAttribute('data-state') !== 'pending');
}

/** Runs in the page: each chart's state, its SVG and the data marks drawn in it. */
function inspect(): ChartState[] {
  const doc = (globalThis as unknown as { document: El }).document;
  return Array.from(doc.querySelectorAll('figure.chart')).map((figure) => {
    const vis = figure.querySelector('.vis');
    const svg = vis?.querySelector('svg.marks') ?? null;
    const groups = svg === null ? [] : Array.from(svg.querySelectorAll('g.role-mark'));
    const marks = groups
      .filter((g) => String(g.getAttribute('class')).startsWith('mark-') && g.querySelector('path, rect, line, text, circle') !== null)
      .map((g) => String(g.getAttribute('class')).split(' ')[0]);
    return {
      id: figure.id,
      state: vis?.getAttribute('data-state') ?? null,
      error: vis?.getAttribute('data-state') === 'error' ? vis.textContent : null,
      svg: svg !== null,
      marks,
      fits: vis !== null && vis.scrollWidth <= vis.clientWidth,
    };
  });
}

interface ImageState {
  id: string;
  src: string | null;
  loaded: boolean;
  /** The image's own size, and the size the page gave it before it loaded. */
  natural: string;
  declared: string;
  fits: boolean;
}

/** Runs in the page: each chart's image, whether it loaded, its sizes. */
function inspectImages(): ImageState[] {
  const doc = (globalThis as unknown as { document: El }).document;
  return Array.from(doc.querySelectorAll('figure.chart')).map((figure) => {
    const vis = figure.querySelector('.vis');
    const img = vis?.querySelector('img') ?? null;
    return {
      id: figure.id,
      src: img?.getAttribute('src') ?? null,
      loaded: img !== null && img.complete === true && (img.naturalWidth ?? 0) > 0,
      natural: img === null ? '' : `${img.naturalWidth}×${img.naturalHeight}`,
      declared: img === null ? '' : `${img.getAttribute('width')}×${img.getAttribute('height')}`,
      fits: vis !== null && vis.scrollWidth <= vis.clientWidth,
    };
  });
}

/** Opens a page from disk in a 1280×800 window, offline; returns what `inspect` finds once every chart settled, and the page's errors and requests. */
async function open<T>(t: ExecutionContext, file: string, screenshot: string, inspect: () => T): Promise<{ settled: boolean; states: T; errors: string[]; external: string[] }> {
  const context = await (await browser).newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(SETTLE_MS); // loading, screenshots: Playwright's 30 s is tight under load too
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    const external: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
      else if (m.type() === 'warning') t.log(`console.warn: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) external.push(r.url());
    });
    await page.route(/^(?!file:)/, (route) => route.abort()); // nothing leaves the machine, even if asked
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const settled = await page.waitForFunction(allSettled, undefined, { timeout: SETTLE_MS, polling: 50 }).then(
      () => true,
      () => false,
    );
    const states = await page.evaluate(inspect);
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    return { settled, states, errors, external };
  } finally {
    await context.close();
  }
}

/** Opens a report.html from disk and checks that every chart's image loaded, at its declared size, within the page's width. */
async function checkImages(t: ExecutionContext, file: string, charts: number, screenshot: string): Promise<ImageState[]> {
  const { states, errors, external } = await open(t, file, screenshot, inspectImages);
  t.deepEqual(errors, [], 'no console error, no page error, no failed request');
  t.deepEqual(external, [], 'no request other than file://');
  t.is(states.length, charts, 'every chart of the page is in the DOM');
  for (const c of states) {
    t.regex(c.src ?? '', /^charts\/[a-z0-9-]+\.svg$/, `${c.id} is its SVG file`);
    t.true(c.loaded, `${c.id}: ${c.src} loaded`);
    t.is(c.natural, c.declared, `${c.id} is as large as the page said`);
    t.true(c.fits, `${c.id} fits the page's width without scrolling`);
  }
  return states;
}

/** Opens a report from disk in a 1280×800 window and checks it; returns the charts' states. */
async function checkReport(t: ExecutionContext, file: string, charts: number, screenshot: string): Promise<ChartState[]> {
  const { settled, states, errors, external } = await open(t, file, screenshot, inspect);
  t.true(settled, `every chart done within ${SETTLE_MS / 1000} s; still pending: ${states.filter((c) => c.state === 'pending').map((c) => c.id).join(', ')}`);
  t.deepEqual(errors, [], 'no console error, no page error');
  t.deepEqual(external, [], 'no request other than file://');
  t.is(states.length, charts, 'every chart of the page is in the DOM');
  for (const c of states) {
    t.is(c.state, 'ok', `${c.id} embedded${c.error === null ? '' : `: ${c.error}`}`);
    t.true(c.svg, `${c.id} has an SVG`);
    t.true(c.marks.length > 0, `${c.id} draws marks`);
    t.true(c.fits, `${c.id} fits the page's width without scrolling`);
  }
  t.is(states.filter((c) => c.svg && c.marks.length > 0).length, charts, 'as many charts drawn as the page has');
  return states;
}

let sampleWritten: Promise<void> | null = null;

/** The sample page's files (charts/, report.html, report-interactive.html) in test/output/, as writeReport writes them: once, for the tests that open them. */
function writeSample(page: ReportPage): Promise<void> {
  sampleWritten ??= writeSampleFiles(page);
  return sampleWritten;
}

async function writeSampleFiles(page: ReportPage): Promise<void> {
  rmSync(join(OUTPUT, 'charts'), { recursive: true, force: true });
  const sink = {
    write: (name: string, content: string | Uint8Array): void => {
      mkdirSync(dirname(join(OUTPUT, name)), { recursive: true });
      writeFileSync(join(OUTPUT, name), content);
    },
  };
  await writeReport(sink, page.sections.flatMap((s) => s.charts ?? []), page, { png: false, interactive: true });
}

// ---------------------------------------------------------------------------------------

if (RUN) test('a sample interactive report draws every chart in headless Chromium, offline, without errors, its hostile text inert', async (t) => {
  const page = samplePage();
  await writeSample(page);
  const file = join(OUTPUT, 'report-interactive.html'); // kept beside its screenshot, to open by hand
  const count = page.sections.reduce((n, s) => n + (s.charts?.length ?? 0), 0);
  const states = await checkReport(t, file, count, join(OUTPUT, 'report-interactive.png'));

  const kinds = new Set(states.flatMap((c) => c.marks));
  for (const kind of ['mark-line', 'mark-rule', 'mark-area', 'mark-rect', 'mark-symbol', 'mark-text']) t.true(kinds.has(kind), `some chart draws ${kind}`);

  // The hostile text is text everywhere: no <b> element, and the scatter's label reads it literally.
  const context = await (await browser).newContext();
  context.setDefaultTimeout(SETTLE_MS);
  try {
    const tab = await context.newPage();
    await tab.route(/^(?!file:)/, (route) => route.abort());
    await tab.goto(pathToFileURL(file).href);
    await tab.waitForFunction(allSettled, undefined, { timeout: SETTLE_MS, polling: 50 });
    t.is(await tab.locator('b').count(), 0);
    t.is(await tab.locator('#chart-plans svg.marks text', { hasText: HOSTILE }).count(), 1);
    t.is(await tab.locator('td', { hasText: HOSTILE }).count(), 1);
    t.true((await tab.locator('details pre').textContent())!.includes(`# ${HOSTILE}\n`));
  } finally {
    await context.close();
  }
});

if (RUN) test('the sample report shows every chart as its SVG file, offline, without errors, its hostile text inert', async (t) => {
  const page = samplePage();
  await writeSample(page);
  const file = join(OUTPUT, 'report.html');
  const count = page.sections.reduce((n, s) => n + (s.charts?.length ?? 0), 0);
  await checkImages(t, file, count, join(OUTPUT, 'report.png'));
  const context = await (await browser).newContext();
  try {
    const tab = await context.newPage();
    await tab.route(/^(?!file:)/, (route) => route.abort());
    await tab.goto(pathToFileURL(file).href);
    t.is(await tab.locator('b').count(), 0);
    t.is(await tab.locator('td', { hasText: HOSTILE }).count(), 1);
    t.is(await tab.locator('#chart-plans img').getAttribute('alt'), 'Cost against p95');
    t.is(await tab.locator('header a[href="report-interactive.html"]').count(), 1, 'it links to the interactive page beside it');
  } finally {
    await context.close();
  }
});

if (RUN) test('a run\'s and a cost\'s pages written with --interactive-report: both open offline, every chart shown and drawn', async (t) => {
  const out = join(OUTPUT, 'interactive-run');
  rmSync(out, { recursive: true, force: true });
  const scenario = 'scenarios/random-vs-shared-queue/shared-queue.yaml';
  for (const [args, dir] of [[['run', scenario, '--no-progress'], out], [['cost', scenario], join(out, 'cost')]] as const) {
    const r = dynosim([...args, '-q', '--no-png', '--interactive-report', '--out', dir], ROOT);
    t.is(r.status, 0, r.stderr);
    const charts = readFileSync(join(dir, 'report.html'), 'utf8').split('<figure class="chart"').length - 1;
    t.true(charts >= 2);
    const name = args[0];
    await checkImages(t, join(dir, 'report.html'), charts, join(OUTPUT, `interactive-run_${name}_report.png`));
    await checkReport(t, join(dir, 'report-interactive.html'), charts, join(OUTPUT, `interactive-run_${name}_report-interactive.png`));
  }
});

// Every report the repository holds, shown the same way.
const reports = RUN ? globSync('results/**/report.html', { cwd: ROOT }).sort() : [];
for (const rel of reports) {
  test(`${rel} shows every chart in headless Chromium, offline, without errors`, async (t) => {
    const file = join(ROOT, rel);
    const charts = readFileSync(file, 'utf8').split('<figure class="chart"').length - 1;
    await checkImages(t, file, charts, join(OUTPUT, `${rel.replaceAll('/', '_')}.png`));
  });
}
