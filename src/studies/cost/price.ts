/**
 * A scenario priced for a month: its formations (as written, an autoscaler's min and max,
 * the what-ifs asked for) turned into the usages a run would bill, priced in both price
 * books with and without free hours, and the cost-by-count curve. `dynosim cost` and the
 * library's `cost()` are both this; neither runs the simulator.
 */
import { basename } from 'node:path';
import type { Scenario } from '../../model/Scenario.ts';
import { VERSION } from '../../engine/version.ts';
import { costCurve, costTable, type CostTable, type CurvePoint } from './costTable.ts';
import { costSetup, type CostRequest, type CostSetup } from './formations.ts';
import { asRunOf, type AsRun } from './asRun.ts';

/** Where the scenario came from, for the report. */
export interface CostOrigin {
  readonly file: string;
  readonly variant?: string | null;
  readonly set?: readonly string[];
  /** A run's summary.json (parsed) and where it came from, for the autoscaled types' figures as run. */
  readonly fromRun?: { readonly summary: unknown; readonly file: string };
}

export function priceScenario(scenario: Scenario, request: CostRequest, origin: CostOrigin): CostResult {
  const setup = costSetup(scenario, request);
  const asRun = origin.fromRun === undefined ? [] : asRunOf(origin.fromRun.summary, origin.fromRun.file, scenario.name, setup.autoscaled);
  const table = costTable(setup.books, setup.alternatives);
  const curve = costCurve(setup.books, setup.curve.base, setup.curve.templates, setup.curve.counts, setup.curve.occupancyOf);
  return {
    version: VERSION,
    scenario: {
      name: scenario.name,
      description: scenario.description,
      file: basename(origin.file),
      platform: scenario.platform.name,
      variant: origin.variant ?? null,
      set: [...(origin.set ?? [])],
    },
    request,
    setup,
    table,
    curve,
    asRun,
  };
}

/** Everything a cost report is made of. */
export interface CostResult {
  readonly version: string;
  readonly scenario: {
    readonly name: string;
    readonly description: string;
    /** The file's name as given on the command line. */
    readonly file: string;
    readonly platform: string;
    readonly variant: string | null;
    readonly set: readonly string[];
  };
  readonly request: CostRequest;
  readonly setup: CostSetup;
  readonly table: CostTable;
  readonly curve: readonly CurvePoint[];
  /** The autoscaled types as a run found them (--from-run), else none. */
  readonly asRun: readonly AsRun[];
}

/** An autoscaled formation's bill between its min and its max, in one book. */
export interface CostRange {
  readonly book: string;
  readonly minUsd: number;
  readonly maxUsd: number;
}

/** Min..max bills per book, when the scenario autoscales (else none). */
export function autoscaleRanges(table: CostTable): CostRange[] {
  const out: CostRange[] = [];
  for (const lo of table.rows.filter((r) => r.kind === 'min')) {
    const hi = table.rows.find((r) => r.kind === 'max' && r.book === lo.book);
    if (hi !== undefined) out.push({ book: lo.book, minUsd: lo.monthlyUsd, maxUsd: hi.monthlyUsd });
  }
  return out;
}
