/** A fitted service time in words (for comments and the table) and as a scenario's `service:` value. */
import type { FamilyFit } from './mle.ts';
import type { FittedService } from './classes.ts';
import { durationText, sig3 } from './numbers.ts';

/** `lognormal median 45.2ms sigma 0.812`, `weibull shape 1.42 scale 310ms`; fits are in ms. */
export function familyText(f: FamilyFit): string {
  return f.family === 'lognormal'
    ? `lognormal median ${durationText(Math.exp(f.mu) * 1000)} sigma ${sig3(f.sigma)}`
    : `weibull shape ${sig3(f.shape)} scale ${durationText(f.scale * 1000)}`;
}

export function serviceText(s: FittedService): string {
  return s.kind === 'constant' ? `constant ${durationText(s.valueMs * 1000)}` : familyText(s.chosen);
}

/** The flow mapping a scenario's `service:` takes: `{ distribution: lognormal, median: 45.2ms, sigma: 0.812 }`. */
export function serviceYaml(s: FittedService): string {
  if (s.kind === 'constant') return `{ distribution: constant, value: ${durationText(s.valueMs * 1000)} }`;
  const f = s.chosen;
  return f.family === 'lognormal'
    ? `{ distribution: lognormal, median: ${durationText(Math.exp(f.mu) * 1000)}, sigma: ${sig3(f.sigma)} }`
    : `{ distribution: weibull, shape: ${sig3(f.shape)}, scale: ${durationText(f.scale * 1000)} }`;
}
