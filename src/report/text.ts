/** The readable summary a run prints: aligned label/value lines, a unit on every number. */
import type { Summary } from '../sim/results.ts';
import { formatDuration } from '../units/duration.ts';

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function fmtInt(n: number): string {
  return int.format(n);
}

export function fmtMs(ms: number | null): string {
  if (ms === null) return '—';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  if (ms === 0) return '0 ms';
  return `${ms.toFixed(3)} ms`;
}

export function fmtPct(x: number | null, digits = 2): string {
  return x === null ? '—' : `${(x * 100).toFixed(digits)}%`;
}

export function fmtUsd(x: number): string {
  return `$${x.toFixed(2)}`;
}

/** Lays out rows of cells so that columns line up. */
export function table(rows: readonly (readonly string[])[], gap = '  '): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join(gap).trimEnd()).join('\n');
}

/** Wraps text to `width` columns with an indent. */
export function wrap(text: string, width: number, indent = ''): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      out.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') out.push(indent + line);
  return out.join('\n');
}

function platformLine(p: Summary['platform']): string {
  const parts: string[] = [];
  const add = (n: number, one: string, many: string): void => void (n > 0 && parts.push(`${fmtInt(n)} ${n === 1 ? one : many}`));
  add(p.hostFailures, 'host failure', 'host failures');
  add(p.dynoCrashes, 'crash', 'crashes');
  add(p.relocations, 'relocation', 'relocations');
  add(p.restarts, 'restart', 'restarts');
  add(p.cycles, 'daily cycle', 'daily cycles');
  for (const code of ['r10', 'r12', 'r14', 'r15'] as const) add(p[code], code.toUpperCase(), code.toUpperCase());
  if (p.placementWaitS > 0) parts.push(`${formatDuration(Math.round(p.placementWaitS) * 1e6)} waiting for a host`);
  return parts.length === 0 ? 'no failures, crashes or restarts' : parts.join(' · ');
}

export function summaryText(s: Summary): string {
  const sc = s.scenario;
  const errTotal = Object.values(s.requests.errors).reduce((a, b) => a + b, 0);
  const errParts = Object.entries(s.requests.errors).filter(([, n]) => n > 0).map(([code, n]) => `${code} ${fmtInt(n)}`);
  const formation = Object.entries(s.dynos)
    .filter(([type, d]) => type === 'web' || d.count > 0)
    .map(([type, d]) => `${type} ${d.count} × ${d.size}, ${d.concurrency} at once each · busy ${fmtPct(d.busyFraction)}`);
  const rows: string[][] = [
    ['requests', `${fmtInt(s.requests.arrived)} arrived · ${fmtInt(s.requests.completed)} completed · ${fmtInt(errTotal)} errors (${fmtPct(s.requests.errorRate, 3)})${errParts.length > 0 ? ': ' + errParts.join(', ') : ''}`],
    ['latency', `mean ${fmtMs(s.latency.meanMs)} · p50 ${fmtMs(s.latency.p50Ms)} · p95 ${fmtMs(s.latency.p95Ms)} · p99 ${fmtMs(s.latency.p99Ms)} · p99.9 ${fmtMs(s.latency.p999Ms)} · max ${fmtMs(s.latency.maxMs)}`],
    ['queue', `mean ${fmtMs(s.queue.meanMs)} · p95 ${fmtMs(s.queue.p95Ms)} · p99 ${fmtMs(s.queue.p99Ms)} · ${fmtPct(s.queue.fractionQueued)} of requests waited`],
    ['availability', `${fmtPct(s.availability, 3)} of requests answered by a dyno within the timeout`],
    ...formation.map((line, i) => [i === 0 ? 'dynos' : '', line]),
    ...Object.entries(s.queues ?? {}).map(([name, q], i) => [
      i === 0 ? 'queues' : '',
      `${name}: ${fmtInt(q.enqueued)} jobs · wait mean ${fmtMs(q.wait.meanMs)} · p95 ${fmtMs(q.wait.p95Ms)} · p99 ${fmtMs(q.wait.p99Ms)} · ${q.lengthMean.toFixed(1)} waiting on average` +
        (q.lost > 0 ? ` · ${fmtInt(q.lost)} lost` : '') +
        (q.redelivered > 0 ? ` · ${fmtInt(q.redelivered)} delivered again` : '') +
        (q.stranded > 0 ? ` · ${fmtInt(q.stranded)} never taken` : '') +
        (q.workers === null ? ' · no process type works this queue' : ''),
    ]),
    ...Object.entries(s.scaling ?? {}).map(([type, sc], i) => [
      i === 0 ? 'scaling' : '',
      `${type}: ${sc.strategy}, ${fmtInt(sc.changes)} changes, ${sc.min}–${sc.max} dynos, ${sc.mean.toFixed(2)} on average`,
    ]),
    ...(s.oneOffs === undefined
      ? []
      : [['one-offs', `${fmtInt(s.oneOffs.started)} started · ${fmtInt(s.oneOffs.completed)} completed` + (s.oneOffs.interrupted > 0 ? ` · ${fmtInt(s.oneOffs.interrupted)} lost with their host` : '') + (s.oneOffs.missed > 0 ? ` · ${fmtInt(s.oneOffs.missed)} scheduler runs missed` : '') + (s.oneOffs.running > 0 ? ` · ${fmtInt(s.oneOffs.running)} still running at the end` : '')]]),
    ['platform', platformLine(s.platform)],
    ['cost', `${s.cost.dynoHours.toFixed(1)} dyno-hours (${s.cost.freeHours.toFixed(1)} free, ${s.cost.billableHours.toFixed(1)} billable) · bill ${fmtUsd(s.cost.totalUsd)} · a month ${fmtUsd(s.cost.monthlyUsd)}`],
  ];
  if (s.classes !== undefined) {
    const classRows = Object.entries(s.classes).map(([name, c], i) => [
      i === 0 ? 'by class' : '',
      `${name}: ${fmtInt(c.arrived)} · p50 ${fmtMs(c.p50Ms)} · p95 ${fmtMs(c.p95Ms)} · p99 ${fmtMs(c.p99Ms)}${c.errors > 0 ? ` · ${fmtInt(c.errors)} errors` : ''}`,
    ]);
    rows.splice(2, 0, ...classRows);
  }
  if (s.requests.servedAfterTimeout > 0) {
    rows.splice(1, 0, ['', `${fmtInt(s.requests.servedAfterTimeout)} timed out (H12) and were still served by their dyno`]);
  }
  if (s.replay !== undefined) {
    const r = s.replay;
    rows.unshift([
      'replay',
      `${r.file}: ${fmtInt(r.used)} requests from ${fmtInt(r.lines)} lines since ${r.start}` +
        (r.malformed > 0 ? ` · ${fmtInt(r.malformed)} malformed (first at line ${r.problems[0]?.line})` : '') +
        (r.imputed > 0 ? ` · ${fmtInt(r.imputed)} without a service time` : '') +
        (r.beyondEnd > 0 ? ` · ${fmtInt(r.beyondEnd)} after the end of the run` : ''),
    ]);
  }
  const head =
    `${sc.name}\n` +
    (sc.description ? wrap(sc.description, 88, '  ') + '\n' : '') +
    `${sc.platform} · seed ${sc.seed} · ${formatDuration(sc.durationS * 1e6)} simulated, warm-up ${formatDuration(sc.warmupS * 1e6)} · router ${sc.routerPolicy}\n`;
  return head + '\n' + table(rows) + '\n';
}
