/** The invariants every run keeps, checked by the property tests and the fuzz script. */
import type { RunResult } from '../../src/model/run/results.ts';
import { billedSeconds } from '../../src/model/billing/bill.ts';

/** The invariants every run keeps; a string saying which one broke, or null. */
export function brokenInvariant(r: RunResult): string | null {
  const q = r.summary.requests;
  const errors = Object.values(q.errors).reduce((a, b) => a + b, 0);
  // Every request exactly one outcome (no warm-up in the generated scenarios).
  if (q.completed + errors !== q.arrived) return `completed ${q.completed} + errors ${errors} ≠ arrived ${q.arrived}`;
  if (q.arrived !== r.requests) return `arrived ${q.arrived} ≠ requests simulated ${r.requests}`;
  // Billed dyno time is the integral of dyno time, each usage rounded up to the second.
  let rawS = 0;
  let billedS = 0;
  for (const u of r.usages) {
    if (u.endUs < u.startUs) return `a usage ends before it starts: ${u.dyno}`;
    rawS += (u.endUs - u.startUs) / 1e6;
    billedS += billedSeconds(u.startUs, u.endUs);
  }
  if (billedS < rawS - 1e-6 || billedS > rawS + r.usages.length) return `billed ${billedS} s against ${rawS} s of dyno time in ${r.usages.length} usages`;
  if (Math.abs(billedS / 3600 - r.cost.dynoHours) > 1e-5) return `cost.dynoHours ${r.cost.dynoHours} ≠ ${billedS / 3600}`;
  const rows = r.dynos.reduce((a, d) => a + Math.round(d.billedHours * 1e6), 0);
  if (rows !== Math.round(r.cost.dynoHours * 1e6)) return `dynos.csv adds up to ${rows / 1e6} h, the bill to ${r.cost.dynoHours} h`;
  // No dyno starts or comes up on a host while it is down.
  const down = new Set<string>();
  for (const e of r.lifecycle) {
    if (e.dyno === '') {
      if (e.to === 'failed' || e.to === 'down') down.add(e.host);
      else down.delete(e.host);
    } else if ((e.to === 'up' || e.to === 'starting') && e.host !== '' && down.has(e.host)) {
      return `${e.dyno} ${e.to} on ${e.host}, which is down, at ${e.timeUs / 1e6} s`;
    }
  }
  return null;
}

