/**
 * The fitted scenario as YAML text, with comments saying what was fitted from what: a
 * header for the whole file and, per class, its counts and both fits. Written by hand
 * rather than through a YAML emitter so the comments sit where a reader looks for them.
 */
import { stringify } from 'yaml';
import type { LogFit } from './fitLog.ts';
import { familyText, serviceYaml } from './describe.ts';
import { HOURLY_MIN_SPAN_US, MIN_COVER_S, rateText } from './rateProfile.ts';
import { MAX_ROUTES, } from './readLog.ts';
import { MIN_SAMPLES, MIN_SHARE } from './classes.ts';
import { grouped, isoSecond, minutesText } from './numbers.ts';

const MINUTE_US = 60_000_000;

export interface ScenarioTextOptions {
  /** The log's file name, without folders. */
  readonly file: string;
  readonly name: string;
  readonly platform: string;
  readonly size: string;
  readonly concurrency: number;
}

/** Time zero: the first arrival floored to the minute, epoch µs. */
export function calendarStartUs(fit: LogFit): number {
  return Math.floor(fit.firstArrivalUs / MINUTE_US) * MINUTE_US;
}

/** The run's length in whole minutes: from time zero to past the last arrival, at least 1. */
export function durationMinutes(fit: LogFit): number {
  return Math.floor((fit.lastArrivalUs - calendarStartUs(fit)) / MINUTE_US) + 1;
}

/** A scalar as YAML writes it on one line: plain when it can be, quoted when it must. */
function scalar(s: string): string {
  return stringify(s, { lineWidth: 0 }).trimEnd();
}

/** Hours as ranges: [0,1,2,5,13,14] → "0-2, 5, 13-14". */
function hourRanges(hours: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < hours.length; ) {
    let j = i;
    while (j + 1 < hours.length && hours[j + 1] === hours[j]! + 1) j++;
    out.push(i === j ? `${hours[i]}` : `${hours[i]}-${hours[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}

export function scenarioText(fit: LogFit, o: ScenarioTextOptions): string {
  const first = isoSecond(fit.firstArrivalUs);
  const last = isoSecond(fit.lastArrivalUs);
  const web = fit.webDynos;
  const count = Math.max(1, web.length);
  const L: string[] = [];

  L.push(`# Fitted by dynosim fit from ${o.file}: ${grouped(fit.lines)} lines, ${grouped(fit.routerLines)} of them router lines;`);
  L.push(`#   ${grouped(fit.otherLines)} lines of other processes and ${grouped(fit.malformed)} unreadable lines skipped.`);
  L.push(`# Requests: ${grouped(fit.requests)}, arriving from ${first} to ${last}; ${grouped(fit.answered)} answered by a dyno.`);
  L.push(
    web.length === 0
      ? '# Formation: no web dyno is named in the log, so one is assumed; size and concurrency from the command line.'
      : `# Formation: ${web.length} web dyno${web.length === 1 ? '' : 's'} seen in the log (${web.length === 1 ? web[0] : `${web[0]} to ${web[web.length - 1]}`}); size and concurrency from the command line.`,
  );
  if (fit.rate.kind === 'hourly') {
    const uncovered = fit.rate.covered.flatMap((c, h) => (c ? [] : [h]));
    L.push(`# Rate: requests per second by hour of day (${fit.timeZone}), each hour's arrivals over the time the log covers it.`);
    if (uncovered.length > 0) {
      L.push(`#   Hours covered less than ${MIN_COVER_S / 60} minutes (${hourRanges(uncovered)}) take the mean of the others.`);
    }
  } else {
    L.push(`# Rate: constant, the log's requests over its span (logs under ${HOURLY_MIN_SPAN_US / 3_600_000_000} hours get no hourly profile).`);
  }
  L.push('# Service times: per route (ids in paths read as :id), the answered requests (no router error,');
  L.push('#   status below 500) fitted by maximum likelihood as lognormal and as Weibull; the fit of higher');
  L.push('#   log-likelihood is used (AIC below, of times in ms). KS D is the largest gap between the');
  L.push('#   sample\'s CDF and the fitted CDF (0: a perfect fit). A logged service=Nms is read as N + 0.5 ms.');
  L.push(`#   Each route keeps a seeded uniform sample of at most ${grouped(fit.sampleCap)} service times; counts are exact.`);
  L.push(`#   Routes under ${MIN_SHARE * 100}% of requests or ${MIN_SAMPLES} answers, or past the most frequent, are pooled into "other".`);
  if (fit.overflowRequests > 0) {
    L.push(`#   ${grouped(fit.overflowRequests)} requests of routes first seen after ${grouped(MAX_ROUTES)} others went to "other" directly.`);
  }
  L.push(`name: ${o.name}`);
  L.push(`description: ${JSON.stringify(`Fitted by dynosim fit from ${o.file}: ${fit.requests} requests, ${first} to ${last}`)}`);
  L.push(`platform: ${o.platform}`);
  L.push('seed: 1');
  L.push(`duration: ${minutesText(durationMinutes(fit))}`);
  L.push('calendar:');
  L.push(`  start: ${isoSecond(calendarStartUs(fit))}`);
  L.push(`  timezone: ${scalar(fit.timeZone)}`);
  L.push('formation:');
  L.push(`  web: { count: ${count}, size: ${o.size}, concurrency: ${o.concurrency} }`);
  L.push('router: { policy: random }');
  L.push('traffic:');
  L.push(`  rate: ${rateText(fit.rate)}`);
  L.push('  classes:');
  for (const c of fit.classes) {
    const pooled = c.name === 'other' ? ` from ${grouped(c.routes)} route${c.routes === 1 ? '' : 's'}` : '';
    const sample = c.sampleSize < c.answered ? `, fitted on a sample of ${grouped(c.sampleSize)}` : '';
    L.push(`    # ${c.name}: ${grouped(c.requests)} requests (${(c.share * 100).toFixed(1)}%)${pooled}, ${grouped(c.answered)} answered${sample}`);
    if (c.fittedOnAll) L.push('    #   too few answered to fit on their own: fitted on every answered request of the log');
    const s = c.service;
    if (s.kind === 'constant') {
      L.push('    #   every answer took the same logged time: a constant');
    } else {
      L.push(`    #   chosen: ${familyText(s.chosen)}; KS D ${s.chosen.ksD.toFixed(4)}, AIC ${s.chosen.aic.toFixed(1)}`);
      L.push(`    #   other:  ${familyText(s.other)}; KS D ${s.other.ksD.toFixed(4)}, AIC ${s.other.aic.toFixed(1)}`);
    }
    L.push(`    - name: ${scalar(c.name)}`);
    L.push(`      weight: ${c.weight.toFixed(3)}`);
    L.push(`      service: ${serviceYaml(s)}`);
  }
  return L.join('\n') + '\n';
}
