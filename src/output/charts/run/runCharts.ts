/**
 * The charts of one run: what a capacity planner shows their team. Each is a pure function
 * of the run's results and the series gathered while it went (RunSeries), so the same run
 * gives the same specs to the byte.
 */
import type { Chart } from '../chart.ts';
import { autoscaleCharts } from './autoscaleCharts.ts';
import { balanceChart, dynosChart, memoryChart } from './dynoCharts.ts';
import { costBreakdownChart, costMonthChart } from './costCharts.ts';
import { errorsChart, latencyChart } from './requestCharts.ts';
import type { RunChartInput } from './common.ts';

export type { RunChartInput };

/** Every chart of a run, in report order. Charts with nothing to show (no memory model) are left out. */
export function runCharts(input: RunChartInput): Chart[] {
  const charts = [latencyChart(input), errorsChart(input), dynosChart(input), balanceChart(input), costMonthChart(input), costBreakdownChart(input)];
  const memory = memoryChart(input);
  if (memory !== null) charts.push(memory);
  charts.push(...autoscaleCharts(input));
  return charts;
}
