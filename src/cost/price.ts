/**
 * A scenario priced for a month: its formations (as written, an autoscaler's min and max,
 * the what-ifs asked for) turned into the usages a run would bill, priced in both price
 * books with and without free hours, and the cost-by-count curve. `dynosim cost` and the
 * library's `cost()` are both this; neither runs the simulator.
 */
import { basename } from 'node:path';
import type { Scenario } from '../scenario/resolve.ts';
import { VERSION } from '../version.ts';
import { costCurve, costTable } from './costTable.ts';
import { costSetup, type CostRequest } from './formations.ts';
import type { CostResult } from './report.ts';

/** Where the scenario came from, for the report. */
export interface CostOrigin {
  readonly file: string;
  readonly variant?: string | null;
  readonly set?: readonly string[];
}

export function priceScenario(scenario: Scenario, request: CostRequest, origin: CostOrigin): CostResult {
  const setup = costSetup(scenario, request);
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
  };
}
