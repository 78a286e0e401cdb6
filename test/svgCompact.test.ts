/**
 * The chart files' SVG, written shorter (src/charts/svgCompact.ts): path data with the
 * same numbers written shorter, lines that keep a coordinate as H or V; default opacities,
 * empty foregrounds and repeated fonts dropped.
 * Real charts come out smaller and rasterise to the very same PNG bytes as vega's SVG;
 * what the compactor does not read it leaves alone; the notebook's SVG is vega's, as it is.
 */
import test from 'ava';
import { join } from 'node:path';
import { compactPath, compactSvg } from '../src/output/charts/svgCompact.ts';
import { renderPng, renderSvg, writeCharts } from '../src/output/charts/render.ts';
import { cost, run } from '../src/index.ts';
import { show } from '../src/interfaces/notebook/display.ts';
import type { Chart } from '../src/output/charts/chart.ts';
import { ROOT } from './helpers/cli.ts';

test('a step line: a segment that keeps a coordinate is H or V; every number its own value, absolute and relative as written', (t) => {
  t.is(compactPath('M0,137.917L1,137.917L1,137.601L2,137.601'), 'M0,137.917H1V137.601H2');
  t.is(compactPath('M10,10L20,10L20,20ZL10,20'), 'M10,10H20V20ZV20', 'Z goes back to the start of the subpath');
  t.is(compactPath('M0,0 10,0 10,10'), 'M0,0H10V10', 'pairs after M are lines');
  t.is(compactPath('m5,5l10,0l0,10z'), 'm5,5h10v10z', 'relative segments stay relative');
  t.is(compactPath('M1,1l2,3L5,4'), 'M1,1l2,3L5,4', 'after a sum the renderer did, no coordinate is taken as known');
  t.is(compactPath('M1,1h2L3,1'), 'M1,1h2H3', 'but a move along one axis keeps the other');
  t.is(compactPath('M0,0L3.5,-4.25'), 'M0,0L3.5-4.25', 'a minus sign separates numbers');
  t.is(compactPath('M0.5,0.25L100.5,0.25'), 'M.5,.25H100.5', 'no leading zero');
  t.is(compactPath('M+1.50,-0.0L2,-0'), 'M1.5,0H2', 'numbers written shorter, not changed');
  t.is(compactPath('M1e-7,0L1,0'), 'M1e-7,0H1', 'nothing is rounded');
  t.is(compactPath('M0,27.3L245.83333333333337,27.3L245.83333333333337,30'), 'M0,27.3H245.83333333333337V30');
  t.is(compactPath('M0,1.3000000000000007h354.00000000000006v23.400000000000002h-354.00000000000006Z'), 'M0,1.3000000000000007h354.00000000000006v23.400000000000002h-354.00000000000006Z', "a bar's path stays as it is");
  t.is(compactPath('M0,0h720v240h-720Z'), 'M0,0h720v240h-720Z');
  t.is(compactPath('M2.5,0A2.5,2.5,0,1,1,-2.5,0A2.5,2.5,0,1,1,2.5,0'), 'M2.5,0A2.5,2.5,0,1,1-2.5,0A2.5,2.5,0,1,1,2.5,0', 'arcs keep their flags');
  t.is(compactPath('M0,0C1.0,2.0,3.0,4.0,5.0,6.0L5,7'), 'M0,0C1,2,3,4,5,6V7', 'a curve ends where its last pair says');
});

test('path data it does not read is left as it is', (t) => {
  for (const d of ['M1,2L3', 'M1,2X3,4', 'M0,0A1,1,0,11,2,3', 'L1', '1,2', 'M1,2L3,4;', '']) t.is(compactPath(d), d, JSON.stringify(d));
});

test('opacity="1", empty foregrounds and repeated font attributes go; everything else stays', (t) => {
  t.is(compactSvg('<svg width="2"><line x2="1" opacity="1"/><line x2="1" opacity="0.5" stroke-opacity="1" fill-opacity="1"/></svg>'), '<svg width="2"><line x2="1"/><line x2="1" opacity="0.5" stroke-opacity="1" fill-opacity="1"/></svg>');
  t.is(compactSvg('<svg><g><path class="foreground" aria-hidden="true" d="" pointer-events="none" display="none"/><path class="foreground" aria-hidden="true" d="" display="none"/></g></svg>'), '<svg><g></g></svg>');
  t.is(compactSvg('<svg><path class="foreground" aria-hidden="true" d="M0,0h1" display="none"/></svg>'), '<svg><path class="foreground" aria-hidden="true" d="M0,0h1" display="none"/></svg>', 'a foreground that has a shape stays');
  const f = 'font-family="DejaVu Sans, Verdana, sans-serif"';
  t.is(compactSvg(`<svg width="9"><text ${f} font-size="11px">a</text><text x="1" ${f}>b</text></svg>`), `<svg ${f} width="9"><text font-size="11px">a</text><text x="1">b</text></svg>`);
  for (const svg of [
    `<svg><text ${f}>a</text><text>b</text></svg>`,
    `<svg><g ${f}><text ${f}>a</text></g></svg>`,
    `<svg font-family="serif"><text ${f}>a</text></svg>`,
  ]) t.is(compactSvg(svg), svg, 'fonts stay where not every text names one, or something else names one');
  t.is(compactSvg(`<svg><text ${f}>a</text><text font-family="serif">b</text></svg>`), `<svg ${f}><text>a</text><text font-family="serif">b</text></svg>`, 'of values as common, the first');
  t.is(
    compactSvg(`<svg><text ${f} font-size="14px">T</text><text ${f} font-size="11px">a</text><text ${f} font-size="11px">b</text></svg>`),
    `<svg font-size="11px" ${f}><text font-size="14px">T</text><text>a</text><text>b</text></svg>`,
    'the most common size on the root, the others where they were',
  );
  const sized = `<svg><g font-size="12px"><text font-size="11px">a</text></g></svg>`;
  t.is(compactSvg(sized), sized);
});

async function someCharts(): Promise<Chart[]> {
  const leak = await run(join(ROOT, 'scenarios/memory-leak.yaml'), { set: ['duration=2h'] });
  const day = await run(join(ROOT, 'scenarios/black-friday.yaml'), { set: ['duration=6h'] });
  const bill = await cost(join(ROOT, 'scenarios/nightly-jobs.yaml'));
  return [...leak.charts, ...day.charts, ...bill.charts];
}

test('real charts: smaller files that rasterise to the same PNG, byte for byte, as vega\'s SVG; compacting twice changes nothing more', async (t) => {
  let before = 0;
  let after = 0;
  for (const c of await someCharts()) {
    const svg = await renderSvg(c.spec);
    const small = compactSvg(svg);
    before += svg.length;
    after += small.length;
    t.true(small.length < svg.length, c.name);
    t.is(compactSvg(small), small, `${c.name}: compacting is done in one go`);
    t.true(Buffer.from(await renderPng(small)).equals(Buffer.from(await renderPng(svg))), `${c.name} draws the same pixels`);
    t.is((small.match(/<(path|line|rect|text)\b/g) ?? []).length + (svg.match(/<path class="foreground" aria-hidden="true" d=""/g) ?? []).length, (svg.match(/<(path|line|rect|text)\b/g) ?? []).length, `${c.name}: only empty foregrounds dropped`);
  }
  t.true(after < before * 0.8, `${after} of ${before} bytes`);
});

test('writeCharts writes the compacted SVG and the PNG of vega\'s; the notebook shows vega\'s SVG as it is', async (t) => {
  const c = (await cost(join(ROOT, 'scenarios/two-web-dynos.yaml'))).charts[0]!;
  const files = new Map<string, string | Uint8Array>();
  await writeCharts([c], { write: (name, content) => void files.set(name, content) });
  const svg = await renderSvg(c.spec);
  t.is(files.get(`${c.name}.svg`), compactSvg(svg));
  t.true(Buffer.from(files.get(`${c.name}.png`) as Uint8Array).equals(Buffer.from(await renderPng(svg))));
  t.is((await show(c)).bundle['image/svg+xml'], svg);
});
