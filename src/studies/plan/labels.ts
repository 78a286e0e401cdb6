/** How a plan names its combinations and formations, in the text, the charts and the report. */
import type { Combination } from './search.ts';

/** "fixed", "heroku-autoscale", or "variant (strategy)" when the variant's name does not say it. */
export function strategyLabel(c: Combination): string {
  const kind = c.autoscaler ?? 'fixed';
  return c.strategy === 'base' || c.strategy === kind ? kind : `${c.strategy} (${kind})`;
}

/**
 * "4 × performance-m, concurrency 8, fixed"; "up to 6 × …" under an autoscaler; a worker
 * type named after its size ("3 × standard-1x worker, concurrency 5, fixed"), and the
 * formations an earlier stage fixed after a semicolon ("…; with 3 × standard-1x worker, …").
 * Without n, the combination alone.
 */
export function formationLabel(c: Combination, n?: number): string {
  const type = c.process === undefined || c.process === 'web' ? '' : ` ${c.process}`;
  const head = n === undefined ? `${c.size}${type}` : `${c.autoscaler === null ? '' : 'up to '}${n} × ${c.size}${type}`;
  const others = c.with === undefined || c.with.length === 0 ? '' : `; with ${c.with.join('; ')}`;
  return `${head}, concurrency ${c.concurrency}, ${strategyLabel(c)}${others}`;
}
