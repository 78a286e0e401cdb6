/**
 * A wired run driven to its end: the formation up at time zero, the scripted events, each
 * minute of the time series as it becomes final, the measured window's edges, and the
 * event loop until every client has its answer.
 */
import { MINUTE_US } from '../flow/MinuteSeries.ts';
import type { RunParts } from './wire.ts';

/** Runs the wired parts to the end: time zero, the scripted events, the minutes and the measured window, then the loop; closes the books. */
export function runRun(p: RunParts): void {
  const run = startRun(p, null);
  while (run.go()) {
    // paused: go on at once
  }
  run.finish();
}

/**
 * The same run, handing the thread back to `pause` now and then between minutes (about
 * every PAUSE_REQUESTS requests or PAUSE_MINUTES simulated minutes), so that a command
 * can answer a signal mid-run. A pause only stops the loop after an event and goes on
 * with the next: the run's events, and so its results, are exactly runRun's.
 */
export async function runRunPausing(p: RunParts, pause: () => Promise<void>): Promise<void> {
  const run = startRun(p, { requests: PAUSE_REQUESTS, minutes: PAUSE_MINUTES });
  while (run.go()) await pause();
  run.finish();
}

/** A pause at the end of a minute once this many requests have arrived since the last one… */
const PAUSE_REQUESTS = 100_000;
/** …or this many simulated minutes have passed (a run with few or no requests). */
const PAUSE_MINUTES = 60;

interface StartedRun {
  /** Runs the loop until the end (false) or a pause (true). */
  go(): boolean;
  /** Closes the books, once the loop has ended. */
  finish(): void;
}

function startRun(p: RunParts, pauseEvery: { requests: number; minutes: number } | null): StartedRun {
  const { s, options, engine, hosts, tier, replay, series, onMinute, onQueueMinute, flow, log, manager, workerTiers, queues, managers, scalers, dispatcher, oneOffs } = p;
  const warmupUs = s.warmupUs;
  const durationUs = s.durationUs;
  const web = s.web;

  // Time zero: the formation up, then the scripted events, host failures, jobs and schedules.
  for (const m of managers) m.start();
  const scripted = engine.register((i) => {
    const e = s.events[i]!;
    switch (e.kind) {
      case 'fail-host':
        return hosts.fail(e.host, 'host failure', e.forUs);
      case 'zone-down':
        return hosts.zoneDown(e.zone, e.forUs);
      case 'release':
        for (const m of managers) m.release(e.crashOnBoot);
        return;
      case 'restart':
        return managers[e.process]!.restart(e.dyno);
      case 'crash':
        return managers[e.process]!.crash(e.dyno);
      case 'scale':
        return managers[e.process]!.scale(e.count, e.size);
      case 'resize':
        return managers[e.process]!.resize(e.size);
      case 'run':
        return oneOffs!.runScripted(s.oneOffs[e.index]!);
    }
  });
  s.events.forEach((e, i) => engine.at(e.atUs, scripted, i));
  hosts.start();
  for (const sc of scalers) sc.start();
  dispatcher?.start();
  oneOffs?.start();
  p.eco?.start();

  // Busy and queue time are read off the tier at instants no earlier than the last
  // arrival (scheduled events run before arrivals at the same time): at each minute's
  // end, and at the ends of the measured window for the per-dyno figures.
  const last = { requests: 0, busyUs: 0, queueUs: 0 };
  const sincePause = { requests: 0, minutes: 0 };
  let paused = false;
  const minuteKind = engine.register((m, tUs) => {
    const busyUs = tier.totalBusyUs(tUs);
    const queueUs = tier.queueIntegralUs(tUs);
    const totals = { arrivals: flow.requests - last.requests, busyUs: busyUs - last.busyUs, queueUs: queueUs - last.queueUs, dynosUp: manager.upCount };
    last.requests = flow.requests;
    last.busyUs = busyUs;
    last.queueUs = queueUs;
    onMinute(series.take(m, totals, web.concurrency, options.onMinuteLatency));
    for (const q of queues) onQueueMinute(q.takeMinute(m, tUs, MINUTE_US));
    log?.flush(tUs);
    options.onProgress?.(engine.nowUs, durationUs, flow.requests);
    // Follow the run until every client has its answer and every job is on its queue.
    const horizonUs = Math.max(durationUs, flow.lastResponseUs, dispatcher?.lastEnqueueUs ?? 0);
    if ((m + 1) * MINUTE_US < horizonUs || flow.waitingAtRouter > 0) engine.at((m + 2) * MINUTE_US, minuteKind, m + 1);
    else return engine.stop();
    if (pauseEvery !== null && (flow.requests - sincePause.requests >= pauseEvery.requests || ++sincePause.minutes >= pauseEvery.minutes)) {
      sincePause.requests = flow.requests;
      sincePause.minutes = 0;
      paused = true;
      engine.stop();
    }
  });
  engine.at(MINUTE_US, minuteKind, 0);
  const tiers = [tier, ...workerTiers.values()];
  const windowKind = engine.register((edge, tUs) => {
    for (const t of tiers) {
      if (edge === 0) t.openWindow(tUs);
      else t.closeWindow(tUs);
    }
    for (const q of queues) q.window(edge, tUs);
  });
  engine.at(warmupUs, windowKind, 0);
  engine.at(durationUs, windowKind, 1);
  return {
    go(): boolean {
      paused = false;
      engine.run(flow);
      return paused;
    },
    finish(): void {
      for (const m of managers) m.finish();
      oneOffs?.finish();
      p.eco?.finish();
      log?.finish();
      replay?.close();
    },
  };
}
