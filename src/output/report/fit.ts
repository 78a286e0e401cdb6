/** What `dynosim fit` prints: a short table, one row per class with its fit and KS D, and the lines it skipped. */
import type { LogFit } from '../../studies/fit/fitLog.ts';
import { serviceText } from '../../studies/fit/describe.ts';
import { grouped, isoSecond, sig3 } from '../../studies/fit/numbers.ts';
import { rateText } from '../../studies/fit/rateProfile.ts';
import { PLAIN, type Styler } from './style.ts';
import { tableLines, type Column } from './table.ts';

const COLUMNS: readonly Column[] = [
  { header: 'class' },
  { header: 'requests', align: 'right' },
  { header: 'share', align: 'right' },
  { header: 'service time' },
  { header: 'KS D', align: 'right' },
  { header: 'other fit' },
  { header: 'its KS D', align: 'right' },
];

export function fitSummaryText(fit: LogFit, file: string, st: Styler = PLAIN): string {
  const out: string[] = [];
  const web = Math.max(1, fit.webDynos.length);
  out.push(`${st.bold(file)}: ${grouped(fit.requests)} requests from ${isoSecond(fit.firstArrivalUs)} to ${isoSecond(fit.lastArrivalUs)} · ${web} web dyno${web === 1 ? '' : 's'}`);
  const rate = fit.rate.kind === 'constant'
    ? rateText(fit.rate).replace('/', ' requests/')
    : `by hour of day (${fit.timeZone}), ${sig3(Math.min(...fit.rate.ratesPerS))} to ${sig3(Math.max(...fit.rate.ratesPerS))} requests/s`;
  out.push(`rate ${rate}`, '');
  const rows = fit.classes.map((c) => {
    const s = c.service;
    return [
      c.name,
      grouped(c.requests),
      `${(c.share * 100).toFixed(1)}%`,
      serviceText(s),
      s.kind === 'fit' ? s.chosen.ksD.toFixed(4) : '–',
      s.kind === 'fit' ? s.other.family : '–',
      s.kind === 'fit' ? s.other.ksD.toFixed(4) : '–',
    ];
  });
  out.push(...tableLines(COLUMNS, rows, { styler: st }));
  return out.join('\n') + '\n';
}

/** The lines of a log skipped as unreadable: how many, then the first few with why ('' when none was). */
export function fitSkippedText(fit: LogFit, file: string): string {
  if (fit.malformed === 0) return '';
  const head = `${file}: skipped ${grouped(fit.malformed)} unreadable line${fit.malformed === 1 ? '' : 's'} of ${grouped(fit.lines)}${fit.malformed > fit.skipped.length ? '; the first' : ''}:\n`;
  return head + fit.skipped.map((s) => `  line ${s.line}: ${s.reason}\n`).join('');
}
