/**
 * The traffic rate made ready: a literal such as 150/s or an expression of t compiled,
 * the scripted traffic events multiplied in, and the whole probed across the run.
 */
import type { RateSpec } from '../../model/Scenario.ts';
import type { RateFunction } from '../../model/traffic/arrivals/varyingRate.ts';
import { looksLikeRateLiteral, parseRatePerS } from '../../engine/units/rate.ts';
import type { Problem } from '../schema/problems.ts';

/** Compiles a rate expression of t (seconds); supplied by the caller, which loads the expression engine. */
export type ExpressionCompiler = (text: string) => RateFunction | string;

/** A scripted change of the traffic rate: ×factor from atUs, for forUs (or to the end), every day when daily. */
export interface Multiplier {
  atUs: number;
  forUs: number | null;
  factor: number;
  daily: boolean;
}

/** The rate with the scripted multipliers applied (the product of those in force). */
function withMultipliers(base: RateFunction, ms: readonly Multiplier[]): RateFunction {
  if (ms.length === 0) return base;
  const day = 86_400;
  return (tS: number) => {
    let f = 1;
    for (const m of ms) {
      const at = m.atUs / 1e6;
      let since = tS - at;
      if (m.daily && since >= 0) since %= day;
      if (since >= 0 && (m.forUs === null || since < m.forUs / 1e6)) f *= m.factor;
    }
    return base(tS) * f;
  };
}

export function resolveRate(text: string, stepUs: number, durationUs: number, compile: ExpressionCompiler, multipliers: readonly Multiplier[], problems: Problem[]): RateSpec {
  let fn: RateFunction;
  if (looksLikeRateLiteral(text)) {
    const perS = parseRatePerS(text);
    if (perS === undefined) {
      problems.push({ path: 'traffic.rate', message: `expected a rate such as 150/s or 9000/min, got ${JSON.stringify(text)}` });
      return { kind: 'constant', perS: 0, text };
    }
    if (multipliers.length === 0) return { kind: 'constant', perS, text };
    fn = () => perS;
  } else {
    const compiled = compile(text);
    if (typeof compiled === 'string') {
      problems.push({ path: 'traffic.rate', message: compiled });
      return { kind: 'constant', perS: 0, text };
    }
    fn = compiled;
  }
  fn = withMultipliers(fn, multipliers);
  // Probe the expression across the run, so a rate that turns into nonsense fails now.
  const probes = 16;
  for (let i = 0; i <= probes; i++) {
    const tS = ((durationUs / 1e6) * i) / probes;
    const r = fn(tS);
    if (typeof r !== 'number' || !Number.isFinite(r)) {
      problems.push({ path: 'traffic.rate', message: `the rate expression gives ${String(r)} at t=${tS}s, not a number of requests per second`, needs: ['duration', 'events', 'traffic.rateStep'] });
      break;
    }
  }
  return { kind: 'expression', fn, stepUs, text };
}
