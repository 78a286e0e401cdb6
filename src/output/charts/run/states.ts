/**
 * Dynos by state over time, from the lifecycle events: for each bin, how many dynos of each
 * group (process type, or one-off/scheduler) were up, starting, crashed, or down waiting to
 * be placed on a host, as a mean over the bin. A dyno that goes down and never comes back
 * (scaled away, a one-off finished) is not counted as waiting.
 *
 * Marks: host failures, crashes and scaling changes, counted per bin.
 */
import type { LifecycleEvent } from '../../../model/dynos/contracts.ts';
import type { ScalingRow } from '../../../model/scaling/Scaler.ts';

export interface StateBin {
  group: string;
  startS: number;
  state: string;
  /** Mean number of dynos in the state over the bin. */
  dynos: number;
  order: number;
}

export interface EventMark {
  /** The group the mark belongs on, or null for every group (a host failure). */
  group: string | null;
  startS: number;
  kind: 'host failure' | 'crash' | 'scale up' | 'scale down';
  count: number;
  /** A line for the tooltip. */
  what: string;
}

const SHOWN: Record<string, { label: string; order: number }> = {
  up: { label: 'up', order: 0 },
  starting: { label: 'starting', order: 1 },
  crashed: { label: 'crashed', order: 2 },
  down: { label: 'down, waiting for a host', order: 3 },
};

/** Reasons a dyno goes down because its host went away. */
const FAILURE = /host failure|zone outage/;

/** The group of a dyno name: `web.3` → web. */
export function groupOf(dyno: string): string {
  const dot = dyno.lastIndexOf('.');
  return dot < 0 ? dyno : dyno.slice(0, dot);
}

/** Mean dynos per state per bin, for the groups that have events; bins up to `endS`. */
export function dynoStates(events: readonly LifecycleEvent[], binS: number, endS: number): StateBin[] {
  const nBins = Math.max(1, Math.ceil(endS / binS));
  // group → state → seconds per bin
  const acc = new Map<string, Map<string, Float64Array>>();
  const add = (group: string, state: string, fromS: number, toS: number): void => {
    if (!(state in SHOWN) || toS <= fromS) return;
    let g = acc.get(group);
    if (g === undefined) acc.set(group, (g = new Map()));
    let a = g.get(state);
    if (a === undefined) g.set(state, (a = new Float64Array(nBins)));
    for (let b = Math.floor(fromS / binS); b < nBins && b * binS < toS; b++) {
      const lo = Math.max(fromS, b * binS);
      const hi = Math.min(toS, (b + 1) * binS);
      if (hi > lo) a[b]! += hi - lo;
    }
  };
  const current = new Map<string, { state: string; sinceS: number }>();
  const groups: string[] = [];
  for (const e of events) {
    // Events of a host itself (no dyno: failed, repaired) are marks, not dyno states.
    if (e.dyno === '') continue;
    const tS = e.timeUs / 1e6;
    const group = groupOf(e.dyno);
    if (!groups.includes(group)) groups.push(group);
    const cur = current.get(e.dyno);
    // Down counts only when a host failure put it there and it comes back: waiting for a host, not scaled away.
    if (cur !== undefined) add(group, cur.state, cur.sinceS, tS);
    current.set(e.dyno, { state: e.to === 'down' && !FAILURE.test(e.reason) ? 'gone' : e.to, sinceS: tS });
  }
  for (const [dyno, cur] of current) if (cur.state !== 'down') add(groupOf(dyno), cur.state, cur.sinceS, endS);
  // Every state of a group in every bin (zeros included), so stacked areas line up.
  const out: StateBin[] = [];
  for (const group of groups) {
    const g = acc.get(group);
    if (g === undefined) continue;
    for (const [state, a] of [...g].sort((x, y) => SHOWN[x[0]]!.order - SHOWN[y[0]]!.order)) {
      for (let b = 0; b < nBins; b++) {
        const len = Math.min(binS, endS - b * binS);
        if (len > 0) out.push({ group, startS: b * binS, state: SHOWN[state]!.label, dynos: Math.round((a[b]! / len) * 1000) / 1000, order: SHOWN[state]!.order });
      }
      // The last bin's value again at the end, so a step drawing covers the last bin.
      const last = out.at(-1);
      if (last !== undefined && last.group === group && last.state === SHOWN[state]!.label) out.push({ ...last, startS: endS });
    }
  }
  return out;
}

/** Host failures (one per failure, however many dynos it took down), crashes and scaling changes, per bin. */
export function eventMarks(events: readonly LifecycleEvent[], scaling: readonly ScalingRow[], binS: number): EventMark[] {
  const marks = new Map<string, EventMark & { details: string[] }>();
  const mark = (group: string | null, tS: number, kind: EventMark['kind'], detail: string): void => {
    const startS = Math.floor(tS / binS) * binS;
    const key = `${group}\u0000${startS}\u0000${kind}`;
    let m = marks.get(key);
    if (m === undefined) marks.set(key, (m = { group, startS, kind, count: 0, what: '', details: [] }));
    m.count++;
    if (m.details.length < 3) m.details.push(detail);
  };
  const failures = new Set<string>();
  for (const e of events) {
    const tS = e.timeUs / 1e6;
    if (e.to === 'down' && FAILURE.test(e.reason)) {
      const key = `${e.timeUs}\u0000${e.host}`;
      if (!failures.has(key)) {
        failures.add(key);
        mark(null, tS, 'host failure', `${e.reason}: ${e.host} (${e.zone})`);
      }
    } else if (e.to === 'crashed') {
      mark(groupOf(e.dyno), tS, 'crash', `${e.dyno} ${e.reason}`);
    }
  }
  for (const r of scaling) mark(r.process, r.timeUs / 1e6, r.to > r.from ? 'scale up' : 'scale down', `${r.process} ${r.from} → ${r.to} (${r.reason})`);
  return [...marks.values()]
    .sort((a, b) => a.startS - b.startS || a.kind.localeCompare(b.kind) || String(a.group).localeCompare(String(b.group)))
    .map(({ details, ...m }) => ({ ...m, what: `${m.count} × ${m.kind}: ${details.join('; ')}${m.count > details.length ? '; …' : ''}` }));
}
