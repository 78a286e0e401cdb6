/** The short table `dynosim fit` prints: one row per class with its fit and KS D. */
import type { LogFit } from './fitLog.ts';
import { serviceText } from './describe.ts';
import { grouped, isoSecond, sig3 } from './numbers.ts';
import { rateText } from './rateProfile.ts';

function table(rows: readonly string[][], right: ReadonlySet<number>): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (right.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

export function fitSummaryText(fit: LogFit, file: string): string {
  const out: string[] = [];
  const web = Math.max(1, fit.webDynos.length);
  out.push(`${file}: ${grouped(fit.requests)} requests from ${isoSecond(fit.firstArrivalUs)} to ${isoSecond(fit.lastArrivalUs)} · ${web} web dyno${web === 1 ? '' : 's'}`);
  const rate = fit.rate.kind === 'constant'
    ? rateText(fit.rate)
    : `by hour of day (${fit.timeZone}), ${sig3(Math.min(...fit.rate.ratesPerS))} to ${sig3(Math.max(...fit.rate.ratesPerS))}/s`;
  out.push(`rate ${rate}`);
  const rows: string[][] = [['class', 'requests', 'share', 'service time', 'KS D', 'other fit']];
  for (const c of fit.classes) {
    const s = c.service;
    rows.push([
      c.name,
      grouped(c.requests),
      `${(c.share * 100).toFixed(1)}%`,
      serviceText(s),
      s.kind === 'fit' ? s.chosen.ksD.toFixed(4) : '-',
      s.kind === 'fit' ? `${s.other.family} ${s.other.ksD.toFixed(4)}` : '-',
    ]);
  }
  out.push(...table(rows, new Set([1, 2, 4])));
  return out.join('\n') + '\n';
}
