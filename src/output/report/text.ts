/**
 * The readable summary a run prints: label/value lines and a table of the latency figures,
 * aligned, a unit on every number, fitting 100 columns. Styled only for a terminal
 * (report/style.ts): without colour it is the same text.
 */
import type { Summary } from '../../model/run/results.ts';
import { formatDuration } from '../../engine/units/duration.ts';
import { PLAIN, visibleWidth, type Styler } from './style.ts';
import { tableLines, wrapWords, type Cell, type Column } from './table.ts';

/** Lines keep within this many columns where they can. */
export const WIDTH = 100;

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const usd = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

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
  return `${x < 0 ? '-' : ''}$${usd.format(Math.abs(x))}`;
}

/** Wraps text to `width` columns with an indent. */
export function wrap(text: string, width: number, indent = ''): string {
  const words = text.trim();
  return words === '' ? '' : wrapWords(words, width - indent.length).map((l) => indent + l).join('\n');
}

/** "2 restarts": a count with its noun, singular or plural. */
function count(n: number, one: string, many = `${one}s`): string {
  return `${fmtInt(n)} ${n === 1 ? one : many}`;
}

/** Parts of a line (styled or not) joined with `sep` into lines of at most `width` visible columns. */
export function packParts(parts: readonly string[], width: number, sep = ' · '): string[] {
  const lines: string[] = [];
  let line = '';
  for (const p of parts) {
    if (line !== '' && visibleWidth(line) + sep.length + visibleWidth(p) > width) {
      // A separator such as '; ' keeps its mark at the end of the line; ' · ' is dropped.
      lines.push(sep.startsWith(' ') ? line : line + sep.trimEnd());
      line = p;
    } else {
      line = line === '' ? p : `${line}${sep}${p}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A labelled block: its first line beside the label, the others under the first. */
interface Block {
  readonly label: string;
  /** Parts packed into lines (joined with ' · '), or lines laid out already. */
  readonly parts?: readonly string[];
  readonly lines?: readonly string[];
}

function blocksText(blocks: readonly Block[], labelWidth: number, st: Styler): string[] {
  const out: string[] = [];
  const room = WIDTH - labelWidth - 2;
  for (const b of blocks) {
    const lines = b.lines ?? packParts(b.parts ?? [], room);
    lines.forEach((line, i) => {
      const label = i === 0 ? b.label : '';
      out.push(`${st.bold(label)}${' '.repeat(labelWidth - label.length + 2)}${line}`.trimEnd());
    });
  }
  return out;
}

function platformParts(p: Summary['platform']): string[] {
  const parts: string[] = [];
  const add = (n: number, one: string, many: string): void => void (n > 0 && parts.push(count(n, one, many)));
  add(p.hostFailures, 'host failure', 'host failures');
  add(p.dynoCrashes, 'crash', 'crashes');
  add(p.relocations, 'relocation', 'relocations');
  add(p.restarts, 'restart', 'restarts');
  add(p.cycles, 'daily cycle', 'daily cycles');
  for (const code of ['r10', 'r12', 'r14', 'r15'] as const) add(p[code], code.toUpperCase(), code.toUpperCase());
  if (p.placementWaitS > 0) parts.push(`${formatDuration(Math.round(p.placementWaitS) * 1e6)} waiting for a host`);
  return parts.length === 0 ? ['no failures, crashes or restarts'] : parts;
}

/** Right-aligned columns of latency figures. */
export const TIME_HEADERS = ['mean', 'p50', 'p95', 'p99', 'p99.9', 'max'] as const;
const TIME_COLUMNS: readonly Column[] = [{}, ...TIME_HEADERS.map((header): Column => ({ header, align: 'right' })), {}];

type Times = { meanMs?: number | null; p50Ms?: number | null; p95Ms?: number | null; p99Ms?: number | null; p999Ms?: number | null; maxMs?: number | null };

/** A row of the time table: figures a summary does not have are left blank. */
function timeRow(label: Cell, t: Times, note: Cell = ''): Cell[] {
  const f = (x: number | null | undefined): string => (x === undefined ? '' : fmtMs(x));
  return [label, f(t.meanMs), f(t.p50Ms), f(t.p95Ms), f(t.p99Ms), f(t.p999Ms), f(t.maxMs), note];
}

/** Response time, by class, time in the router's queue and each job queue's wait. */
function timeTable(s: Summary, labelWidth: number, st: Styler): string[] {
  const bold = (text: string): Cell => ({ text, style: 'bold' });
  const rows: Cell[][] = [timeRow(bold('latency'), s.latency)];
  for (const [name, c] of Object.entries(s.classes ?? {})) {
    const errors = c.errors > 0 ? ` · ${st.red(count(c.errors, 'error'))}` : '';
    rows.push(timeRow(`  ${name}`, c, `${count(c.arrived, 'request')}${errors}`));
  }
  rows.push(timeRow(bold('queue'), { meanMs: s.queue.meanMs, p95Ms: s.queue.p95Ms, p99Ms: s.queue.p99Ms }, `${fmtPct(s.queue.fractionQueued)} of requests waited`));
  const queues = Object.entries(s.queues ?? {});
  if (queues.length > 0) {
    rows.push([bold('job wait')]);
    for (const [name, q] of queues) rows.push(timeRow(`  ${name}`, q.wait, count(q.enqueued, 'job')));
  }
  return tableLines([{ minWidth: labelWidth }, ...TIME_COLUMNS.slice(1)], rows, { styler: st });
}

function requestParts(s: Summary, st: Styler): string[] {
  const errTotal = Object.values(s.requests.errors).reduce((a, b) => a + b, 0);
  const codes = Object.entries(s.requests.errors).filter(([, n]) => n > 0).map(([code, n]) => `${code} ${fmtInt(n)}`);
  const errors = `${count(errTotal, 'error')} (${fmtPct(s.requests.errorRate, 3)})${codes.length > 0 ? ': ' + codes.join(', ') : ''}`;
  return [`${fmtInt(s.requests.arrived)} arrived`, `${fmtInt(s.requests.completed)} completed`, errTotal > 0 ? st.red(errors) : errors];
}

function replayParts(r: NonNullable<Summary['replay']>, st: Styler): string[] {
  const parts = [`${r.file}: ${count(r.used, 'request')} from ${count(r.lines, 'line')} since ${r.start}`];
  if (r.malformed > 0) parts.push(st.yellow(`${fmtInt(r.malformed)} malformed (first at line ${r.problems[0]?.line})`));
  if (r.imputed > 0) parts.push(`${fmtInt(r.imputed)} without a service time`);
  if (r.outOfOrder > 0) parts.push(st.yellow(`${fmtInt(r.outOfOrder)} out of order (skipped)`));
  if (r.beforeStart > 0) parts.push(`${fmtInt(r.beforeStart)} before time zero`);
  if (r.beyondEnd > 0) parts.push(`${fmtInt(r.beyondEnd)} after the end of the run`);
  return parts;
}

/**
 * What a run says on stderr of its replay, one line each: the requests skipped as out of
 * order (none: no line). `reorderWindowUs` is the scenario's traffic.replay.reorderWindow.
 */
export function replayWarnings(r: Summary['replay'], reorderWindowUs: number): string[] {
  if (r === undefined || r.outOfOrder === 0) return [];
  const one = r.outOfOrder === 1;
  return [
    `${r.file}: ${count(r.outOfOrder, 'line')} out of order beyond the ${formatDuration(reorderWindowUs)} reorder window ${one ? 'was' : 'were'} skipped (see summary.json replay.outOfOrder)`,
  ];
}


export function summaryText(s: Summary, st: Styler = PLAIN): string {
  const sc = s.scenario;
  const top: Block[] = [];
  if (s.replay !== undefined) top.push({ label: 'replay', parts: replayParts(s.replay, st) });
  const served = s.requests.servedAfterTimeout;
  top.push({ label: 'requests', parts: requestParts(s, st) });
  if (served > 0) top.push({ label: '', parts: [st.yellow(`${fmtInt(served)} timed out (H12) and were still served by their dyno`)] });
  // No request: nothing to be available to (a scenario of workers and jobs only).
  if (s.requests.arrived > 0) top.push({ label: 'availability', parts: [`${fmtPct(s.availability, 3)} of requests answered by a dyno within the timeout`] });
  else top.push({ label: 'availability', parts: ['no requests arrived, so none to answer'] });

  const bottom: Block[] = [];
  /** A block whose lines are a table without a header. */
  const tableBlock = (label: string, columns: readonly Column[], rows: readonly (readonly Cell[])[]): Block => ({ label, lines: tableLines(columns, rows, { styler: st }) });
  const formation = Object.entries(s.dynos).filter(([type, d]) => type === 'web' || d.count > 0 || s.scaling?.[type] !== undefined);
  // An autoscaled type as it ran (fewest–most, and the mean), not as it started.
  const counts = formation.map(([type, d]) => {
    const x = s.scaling?.[type];
    return x === undefined ? String(d.count) : `${x.min}–${x.max}`;
  });
  const countWidth = Math.max(...counts.map((c) => c.length));
  bottom.push(
    tableBlock(
      'dynos',
      [{}, {}, {}, { align: 'right' }],
      formation.map(([type, d], i) => {
        const x = s.scaling?.[type];
        const sizes = x === undefined ? d.size : Object.keys(x.dynoHours).join(', ') || d.size;
        const row = [type, `${counts[i]!.padStart(countWidth)} × ${sizes}`, `concurrency ${d.concurrency}`, `${fmtPct(d.busyFraction)} busy`];
        return x === undefined ? row : [...row, `autoscaled, ${x.mean.toFixed(2)} on average`];
      }),
    ),
  );
  const queues = Object.entries(s.queues ?? {});
  if (queues.length > 0) {
    bottom.push(
      tableBlock(
        'queues',
        [{}, { align: 'right' }, {}],
        queues.map(([name, q]) => {
          const notes = [`${q.lengthMean.toFixed(1)} jobs waiting on average`];
          if (q.lost > 0) notes.push(st.red(`${fmtInt(q.lost)} lost`));
          if (q.redelivered > 0) notes.push(`${fmtInt(q.redelivered)} delivered again`);
          if (q.stranded > 0) notes.push(st.yellow(`${fmtInt(q.stranded)} never taken`));
          if (q.workers === null) notes.push(st.yellow('no process type works this queue'));
          return [name, count(q.enqueued, 'job'), notes.join(' · ')];
        }),
      ),
    );
  }
  const scaling = Object.entries(s.scaling ?? {});
  if (scaling.length > 0) {
    bottom.push(
      tableBlock(
        'scaling',
        [{}, {}, { align: 'right' }, { align: 'right' }, {}],
        scaling.map(([type, x]) => [
          type,
          x.strategy,
          count(x.changes, 'change'),
          `${x.min}–${x.max} dynos`,
          `${x.mean.toFixed(2)} dynos on average · ${dynoHoursText(x.dynoHours)}`,
        ]),
      ),
    );
  }
  if (s.oneOffs !== undefined) {
    const o = s.oneOffs;
    const parts = [`${fmtInt(o.started)} started`, `${fmtInt(o.completed)} completed`];
    if (o.interrupted > 0) parts.push(st.yellow(`${fmtInt(o.interrupted)} lost with their host`));
    if (o.missed > 0) parts.push(st.yellow(`${fmtInt(o.missed)} scheduler runs missed`));
    if (o.stoppedAtLimit > 0) parts.push(st.yellow(`${fmtInt(o.stoppedAtLimit)} stopped at the one-off limit`));
    if (o.running > 0) parts.push(`${fmtInt(o.running)} still running at the end`);
    bottom.push({ label: 'one-offs', parts });
  }
  if (s.eco !== undefined) {
    const e = s.eco;
    const parts = [count(e.sleeps, 'sleep'), count(e.wakes, 'wake') + (e.meanWakeMs === null ? '' : ` (${fmtMs(e.meanWakeMs)} to up)`), `${e.appPoolHours.toFixed(1)} pool hours used by the app`];
    parts.push(e.poolsUsedUp > 0 ? st.yellow(`pool used up ${e.poolsUsedUp === 1 ? 'once' : `${e.poolsUsedUp} times`}`) : `${e.poolUsedHours.toFixed(1)} h of the month's pool used`);
    bottom.push({ label: 'eco', parts });
  }
  const platform = platformParts(s.platform);
  const troubled = s.platform.hostFailures + s.platform.dynoCrashes + s.platform.r14 + s.platform.r15 + s.platform.r10 > 0;
  bottom.push({ label: 'platform', parts: troubled ? platform.map((p) => st.yellow(p)) : platform });
  const c = s.cost;
  bottom.push({
    label: 'cost',
    parts: [`${c.dynoHours.toFixed(1)} dyno-hours (${c.freeHours.toFixed(1)} h free${c.freeHours > 0 ? ', 1X-equivalent;' : ','} ${c.billableHours.toFixed(1)} h billable)`, `bill ${fmtUsd(c.totalUsd)}`, `${fmtUsd(c.monthlyUsd)} a month`],
  });

  const labelWidth = Math.max(...[...top, ...bottom].map((b) => b.label.length));
  const head = [
    st.bold(sc.name),
    ...(sc.description ? [st.dim(wrap(sc.description, 88, '  '))] : []),
    `${sc.platform} · seed ${sc.seed} · ${formatDuration(sc.durationS * 1e6)} simulated, ${warmupWords(s)} · router ${sc.routerPolicy}`,
  ];
  return [...head, '', ...blocksText(top, labelWidth, st), '', ...timeTable(s, labelWidth, st), '', ...blocksText(bottom, labelWidth, st)].join('\n') + '\n';
}

/**
 * The warm-up as the summary's head line says it: "warm-up 10m" as given, or with
 * `warmup: auto`, "warm-up 25m (MSER-5: 5 of 24 batches of 5 min)".
 */
export function warmupWords(s: Summary): string {
  const given = `warm-up ${formatDuration(s.scenario.warmupS * 1e6)}`;
  const w = s.warmup;
  return w === undefined ? given : `${given} (${w.rule}: ${w.truncatedBatches} of ${w.batches} batches of ${w.batchMinutes} min)`;
}

/** The report's sentence on how the warm-up was found ('' for a fixed one). */
export function warmupSentence(s: Summary): string {
  const w = s.warmup;
  if (w === undefined) return '';
  return `The warm-up, ${formatDuration(w.detectedS * 1e6)}, was found by ${w.rule} (White 1997) on the web tier's requests waiting per minute (timeseries.csv queue_mean): ${w.truncatedBatches} of its ${w.batches} batches of ${w.batchMinutes} minutes cut off, the truncation that minimises the batch means' squared standard error over the first half of the run; the run was then made again with that warm-up.`;
}

/**
 * The last lines of a command: the folder and the files written (wrapped to WIDTH, dim on
 * a terminal), then what it took.
 *   wrote results/x/: summary.json, timeseries.csv, …, report.html
 *     7.22 M requests in 1.11 s, 6.5 M requests/s
 */
export function wroteText(dir: string, files: readonly string[], tail: string, s: Styler = PLAIN): string {
  // Wrapped between file names, never inside one ("charts/ (6 charts)" stays whole).
  const lines = [`wrote ${dir}/:`];
  files.forEach((f, i) => {
    const item = i < files.length - 1 ? `${f},` : f;
    if (lines.at(-1)!.length + 1 + item.length > WIDTH) lines.push(`  ${item}`);
    else lines[lines.length - 1] += ` ${item}`;
  });
  return [...lines, ...(tail === '' ? [] : [s.dim(`  ${tail}`)])].join('\n') + '\n';
}

/** Dyno-hours by size in words: `77.7 dyno-hours of performance-m`, or each size's hours and the unit once. */
export function dynoHoursText(bySize: Readonly<Record<string, number>>): string {
  const sizes = Object.entries(bySize);
  if (sizes.length === 0) return 'no dyno-hours';
  if (sizes.length === 1) return `${sizes[0]![1].toFixed(1)} dyno-hours of ${sizes[0]![0]}`;
  const each = sizes.map(([size, h]) => `${h.toFixed(1)} h of ${size}`);
  return `${each.slice(0, -1).join(', ')} and ${each.at(-1)} dyno-hours`;
}
