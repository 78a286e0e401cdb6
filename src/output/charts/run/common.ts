/**
 * What the charts of a run share: their input, the half-height panels, the bins of the
 * scenario's duration, and the number formats of their labels.
 */
import type { Scenario } from '../../../model/Scenario.ts';
import type { RunResult } from '../../../model/run/results.ts';
import { HEIGHT, type VlSpec } from '../chart.ts';
import { wallMs } from '../time.ts';
import { formatDuration } from '../../../engine/units/duration.ts';
import { fmtUsd as fmtUsdSigned } from '../../report/text.ts';
import type { RunSeries } from './RunSeries.ts';

export interface RunChartInput {
  scenario: Scenario;
  result: RunResult;
  series: RunSeries;
}


export const HALF = Math.round(HEIGHT * 0.6);

/** Bins of the scenario's duration (the run goes on past it only to answer the last clients). */
export function runBins(scenario: Scenario, series: RunSeries): RunSeries['bins'] {
  return series.bins.filter((b) => b.startS * 1e6 < scenario.durationUs && b.lengthS > 0);
}

/** "1,234.50": dollars without the sign (labels put their own). */
export function fmtUsd(n: number): string {
  return fmtUsdSigned(n).replace('$', '');
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * The warm-up as a vertical rule with its label, for a time chart's layers: "warm-up
 * (MSER-5) 25 min" when `warmup: auto` found it, "warm-up 10 min" when the scenario gave
 * it; none with no warm-up. The statistics of summary.json leave out what is left of it.
 */
export function warmupMarks(scenario: Scenario, labelled = true): VlSpec[] {
  const label = warmupLabel(scenario);
  if (label === null) return [];
  const values = [{ t: wallMs(scenario.calendar, scenario.warmupUs / 1e6), label }];
  const rule: VlSpec = { mark: { type: 'rule', color: '#555', strokeDash: [2, 3], strokeWidth: 1.2 }, encoding: { x: { field: 't', type: 'temporal' }, tooltip: [{ field: 'label', title: 'warm-up' }] } };
  const text: VlSpec = { mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 2, color: '#555', fontSize: 10 }, encoding: { x: { field: 't', type: 'temporal' }, y: { value: 0 }, text: { field: 'label' } } };
  return [{ data: { values }, layer: labelled ? [rule, text] : [rule] }];
}

/** The words of the warm-up's mark, or null with no warm-up. */
export function warmupLabel(scenario: Scenario): string | null {
  if (!(scenario.warmupUs > 0)) return null;
  // A detected warm-up is whole batches of minutes: said in minutes, as the issue of it reads.
  if (scenario.warmupAuto?.detected) return `warm-up (${scenario.warmupAuto.rule}) ${scenario.warmupUs / 60e6} min`;
  return `warm-up ${formatDuration(scenario.warmupUs).replace(/^(\d+(?:\.\d+)?)m$/, '$1 min')}`;
}

/** A caption's sentence about the warm-up's mark ('' with no warm-up). */
export function warmupCaption(scenario: Scenario): string {
  if (warmupLabel(scenario) === null) return '';
  const how = scenario.warmupAuto?.detected ? ', found by MSER-5 on the per-minute queue (White 1997)' : '';
  return ` The dotted line ends the warm-up${how}: summary.json leaves out what came before it.`;
}
