/**
 * What the charts of a run share: their input, the half-height panels, the bins of the
 * scenario's duration, and the number formats of their labels.
 */
import type { Scenario } from '../../../model/Scenario.ts';
import type { RunResult } from '../../../model/run/results.ts';
import { HEIGHT } from '../chart.ts';
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
