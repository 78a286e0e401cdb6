/**
 * Service-time distributions made ready to draw from: a parsed spec becomes a
 * ServiceDistribution, its samples read (empirical) by the caller's reader.
 */
import type { ServiceSpec } from '../schema/service.ts';
import type { Problem } from '../schema/problems.ts';
import type { ServiceDistribution } from '../../model/traffic/service/ServiceDistribution.ts';
import { constant } from '../../model/traffic/service/constant.ts';
import { exponential } from '../../model/traffic/service/exponential.ts';
import { lognormal, lognormalParams } from '../../model/traffic/service/lognormal.ts';
import { weibull } from '../../model/traffic/service/weibull.ts';
import { empirical } from '../../model/traffic/service/empirical.ts';

/** Reads the samples of an empirical distribution; supplied by the caller, so that this module does no I/O. */
export type SampleReader = (spec: Extract<ServiceSpec, { distribution: 'empirical' }>) => Float64Array | string;

export function resolveService(spec: ServiceSpec, path: string, readSamples: SampleReader, problems: Problem[]): ServiceDistribution {
  switch (spec.distribution) {
    case 'constant':
      return constant(spec.value);
    case 'exponential':
      return exponential(spec.mean);
    case 'lognormal': {
      const p = lognormalParams({ meanUs: spec.mean, medianUs: spec.median, sigma: spec.sigma, p99Us: spec.p99 });
      if (typeof p === 'string') {
        problems.push({ path, message: p });
        return exponential(1);
      }
      return lognormal(p.mu, p.sigma);
    }
    case 'weibull':
      return weibull(spec.shape, spec.scale);
    case 'empirical': {
      const samples = readSamples(spec);
      if (typeof samples === 'string') {
        problems.push({ path: `${path}.file`, message: samples });
        return exponential(1);
      }
      return empirical(samples);
    }
  }
}
