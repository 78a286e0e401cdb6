/**
 * An autoscaled run reported as it ran: the summary's fewest, most and mean dynos and its
 * dyno-hours by size against the run's own scaling trace and bill; the text summary and
 * the report page showing the formation as it ran, not as it started; the autoscaler's
 * chart (its metric against both thresholds, one mark per decision, told apart); and the
 * work-per-dyno caption naming what the spread comes from.
 */
import test from 'ava';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynosim } from './helpers/cli.ts';
import { run, type ScenarioInput } from '../src/index.ts';
import { STEP } from './helpers/step.ts';


const { scaling: _scaling, events: _events, ...steady } = STEP;
const FIXED: ScenarioInput = { ...steady, name: 'fixed', formation: { web: { count: 3, size: 'performance-m', concurrency: 4 } } };

type Spec = { vconcat: { layer: { data?: { values: Record<string, unknown>[] }; encoding?: Record<string, { scale?: { domain?: string[]; range?: unknown[] } }>; layer?: unknown[] }[] }[] };

test('summary.scaling: fewest, most and mean dynos and dyno-hours by size, as the scaling trace and the bill say', async (t) => {
  const r = await run(STEP);
  const rows = r.result.scaling;
  t.true(rows.length >= 3, `${rows.length} changes`);
  const trace = [2, ...rows.map((x) => x.to)];
  const sc = r.summary.scaling!['web']!;
  t.is(sc.min, Math.min(...trace));
  t.is(sc.max, Math.max(...trace));
  t.true(sc.max > 2);
  t.deepEqual(Object.keys(sc.dynoHours), ['performance-m']);
  // Every dyno-hour of the run is web's, all on one size: the bill's dyno-hours.
  t.true(Math.abs(sc.dynoHours['performance-m']! - r.summary.cost.dynoHours) < 0.002, `${sc.dynoHours['performance-m']} vs ${r.summary.cost.dynoHours}`);
  // The mean formation from the trace, weighted by how long each count held.
  const endUs = 80 * 60e6;
  let area = 0;
  let at = 0;
  let count = 2;
  for (const x of rows) {
    area += count * (x.timeUs - at);
    at = x.timeUs;
    count = x.to;
  }
  area += count * (endUs - at);
  t.true(Math.abs(sc.mean - area / endUs) < 0.001, `mean ${sc.mean} vs ${area / endUs}`);
});

test('the text summary shows the autoscaled formation as it ran, and a fixed one as before', async (t) => {
  const r = await run(STEP);
  const sc = r.summary.scaling!['web']!;
  const dynos = r.text.split('\n').find((l) => l.startsWith('dynos'))!;
  t.regex(dynos, new RegExp(`web\\s+${sc.min}–${sc.max} × performance-m`));
  t.true(dynos.includes(`autoscaled, ${sc.mean.toFixed(2)} on average`), dynos);
  t.false(/\b2 × performance-m/.test(dynos), dynos);
  const scaling = r.text.split('\n').find((l) => l.startsWith('scaling'))!;
  t.true(scaling.includes(`${sc.dynoHours['performance-m']!.toFixed(1)} dyno-hours of performance-m`), scaling);
  const fixed = await run(FIXED);
  t.regex(fixed.text.split('\n').find((l) => l.startsWith('dynos'))!, /web\s+3 × performance-m\s+concurrency 4\s+[\d.]+% busy$/);
});

test("the autoscaler's chart: its metric against both thresholds, one mark per decision, up and down told apart", async (t) => {
  const r = await run(STEP);
  const chart = r.chart('autoscaler-web');
  const spec = chart.spec as unknown as Spec;
  const [metricPanel, countPanel] = spec.vconcat;
  const metric = metricPanel!.layer[0]!.data!.values as { t: number; series: string; ms: number }[];
  t.true(metric.length > 20);
  // In each bin, the highest look is at least the mean of the looks.
  const byT = new Map<number, Record<string, number>>();
  for (const m of metric) byT.set(m.t, { ...byT.get(m.t), [m.series]: m.ms });
  for (const [, v] of byT) t.true(v['highest look']! >= v['mean of its looks']!);
  // The two threshold lines, at the scenario's 50 ms and 5 ms, labelled.
  const lines = metricPanel!.layer.slice(1, 3).map((l) => l.data!.values[0] as { ms: number; label: string });
  t.deepEqual(
    lines.map((l) => l.ms),
    [50, 5],
  );
  t.deepEqual(
    lines.map((l) => l.label),
    ['scale up above 50 ms', 'scale down under 5 ms'],
  );
  // One mark per decision, its kind as the trace says.
  const rows = r.result.scaling;
  const marks = metricPanel!.layer[3]!.data!.values as { kind: string }[];
  t.deepEqual(
    marks.map((m) => m.kind),
    rows.map((x) => (x.to > x.from ? 'scale up' : 'scale down')),
  );
  t.true(marks.some((m) => m.kind === 'scale up') && marks.some((m) => m.kind === 'scale down'));
  const stroke = metricPanel!.layer[3]!.encoding!['stroke']!.scale!;
  t.deepEqual(stroke.domain, ['scale up', 'scale down']);
  t.not(stroke.range![0], stroke.range![1]);
  // Below, the count the decisions gave, from the start to the end.
  const counts = countPanel!.layer[0]!.data!.values as { dynos: number }[];
  t.deepEqual(
    counts.map((c) => c.dynos),
    [2, ...rows.map((x) => x.to), rows[rows.length - 1]!.to],
  );
  t.true(chart.caption.includes(`${rows.length} decisions`), chart.caption);
});

test('a fixed formation has no autoscaler chart; the work-per-dyno caption names what the spread comes from', async (t) => {
  const fixed = await run(FIXED);
  t.false(fixed.charts.some((c) => c.name.startsWith('autoscaler-')));
  t.true(fixed.chart('dyno-balance').caption.includes('Under random routing some dynos queue while others idle'));
  const scaled = await run(STEP);
  const caption = scaled.chart('dyno-balance').caption;
  t.true(caption.includes('ran for different lengths of time'), caption);
  t.false(caption.includes('some dynos queue while others idle'), caption);
});

test("dynosim cost --from-run: an autoscaled type's min, mean and max dynos and dyno-hours as the run found them; a run of another variant is one line, exit 2", (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dynosim-from-run-'));
  const runDir = join(dir, 'run');
  const args = ['scenarios/black-friday.yaml', '--variant', 'queue-time', '--set', 'duration=3h'];
  t.is(dynosim(['run', ...args, '--no-charts', '--out', runDir]).status, 0);
  const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as { scaling: Record<string, { min: number; mean: number; max: number; dynoHours: Record<string, number> }> };
  const web = summary.scaling['web']!;
  const priced = dynosim(['cost', ...args, '--from-run', runDir, '--no-charts', '--out', join(dir, 'cost')]);
  t.is(priced.status, 0, priced.stderr);
  t.true(priced.stdout.replace(/\s+/g, ' ').includes(`min ${web.min} · mean ${web.mean.toFixed(2)} · max ${web.max} dynos; ${web.dynoHours['performance-m']!.toFixed(1)} dyno-hours of performance-m over the run`), priced.stdout);
  const json = JSON.parse(readFileSync(join(dir, 'cost', 'cost.json'), 'utf8')) as { asRun: { processType: string; mean: number }[] };
  t.deepEqual(json.asRun.map((a) => [a.processType, a.mean]), [['web', web.mean]]);
  const other = dynosim(['cost', 'scenarios/black-friday.yaml', '--variant', 'fixed', '--set', 'duration=3h', '--from-run', runDir, '--out', join(dir, 'other')]);
  t.is(other.status, 2);
  t.regex(other.stderr.trim(), /^dynosim: --from-run \S+summary\.json: scenario\.name: the run is of black-friday\.queue-time, not black-friday\.fixed$/);
  t.false(existsSync(join(dir, 'other')));
  rmSync(dir, { recursive: true, force: true });
});

test("the report page: the formation as it ran (fewest–most, the mean, the sizes), the scaling table's dyno-hours by size, and the autoscaler's chart under Dynos", (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dynosim-autoscale-report-'));
  const file = join(dir, 'step.yaml');
  writeFileSync(file, stringify(STEP));
  const out = join(dir, 'out');
  const r = dynosim(['run', file, '-q', '--no-png', '--out', out]);
  t.is(r.status, 0, r.stderr);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { scaling: Record<string, { changes: number; min: number; max: number; mean: number; dynoHours: Record<string, number> }> };
  const web = summary.scaling['web']!;
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  const cells = (caption: string): string[][] => {
    const table = html.split('<table').find((x) => x.includes(caption));
    t.truthy(table, `no table captioned ${caption}`);
    return [...table!.split('</table>')[0]!.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) => [...row[1]!.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map((c) => c[1]!.trim()));
  };
  const formation = cells('The formation').find((row) => row[0] === 'web');
  t.deepEqual(formation?.slice(0, 3), ['web', `${web.min}–${web.max} (mean ${web.mean.toFixed(2)})`, 'performance-m']);
  const scaling = cells('Scaling strategies').find((row) => row[0] === 'web');
  t.deepEqual(scaling?.slice(1, 6), ['queue-time', String(web.changes), String(web.min), String(web.max), web.mean.toFixed(2)]);
  t.is(scaling?.[6], `${web.dynoHours['performance-m']!.toFixed(1)} performance-m`);
  // The autoscaler's chart is drawn and shown in the Dynos section, after the dyno charts.
  t.true(existsSync(join(out, 'charts', 'autoscaler-web.svg')));
  const dynos = html.slice(html.indexOf('<h2>Dynos</h2>'), html.indexOf('<h2>Cost</h2>'));
  t.true(dynos.includes('<img src="charts/autoscaler-web.svg"'), 'the Dynos section shows charts/autoscaler-web.svg');
  t.false(html.includes('>2 × performance-m<'), 'the starting formation is not shown as the run');
  rmSync(dir, { recursive: true, force: true });
});
