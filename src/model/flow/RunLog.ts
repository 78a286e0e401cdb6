/**
 * A run as Heroku log lines: router lines for a sample of requests, and every line the
 * dyno manager and the runtime metrics produce. A request's line is written only once
 * its outcome is final (a dyno dying can still turn a coming response into H13), and
 * lines go out in time order through a LineBuffer, as a log drain would deliver them.
 */
import { LineBuffer } from '../logs/LineBuffer.ts';
import { logLine, routerMessage, type RouterLogRecord } from '../logs/format.ts';
import { fwdAddress, logSampleUnit, requestId, responseBytes } from '../logs/ids.ts';
import type { Scenario } from '../Scenario.ts';
import type { DynoLog } from '../dynos/contracts.ts';
import type { RequestLogSink } from './RequestFlow.ts';
import { DROPPED, SERIES_CODES } from '../router/codes.ts';

export interface RunLogOptions {
  /** Receives the log text, in order, a chunk at a time. */
  write: (text: string) => void;
  /** Share of requests whose router line is written (0..1). */
  sampleRate: number;
  format: 'plain' | 'drain';
}

interface Pending {
  index: number;
  arrivalUs: number;
  dispatchUs: number;
  answeredUs: number;
  slot: number;
  code: number;
  cls: number;
}

export class RunLog implements DynoLog, RequestLogSink {
  private readonly opts: RunLogOptions;
  private readonly epochUs: number;
  private readonly seed: number;
  private readonly era: 'heroku-2013' | 'heroku-2025';
  private readonly appName: string;
  private readonly host: string;
  private readonly sampleRate: number;
  private readonly buffer = new LineBuffer();
  private readonly pending = new Map<number, Pending>();
  private nextTag = 0;
  private readonly routes: { method: string; path: string }[];

  constructor(s: Scenario, opts: RunLogOptions) {
    this.opts = opts;
    this.epochUs = s.platform.epochMs * 1000;
    this.seed = s.seed;
    this.era = s.platform.name === 'heroku-2013' ? 'heroku-2013' : 'heroku-2025';
    this.appName = s.name.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
    this.host = `${this.appName}.herokuapp.com`;
    this.sampleRate = opts.sampleRate;
    // A class named like a route ("POST /checkout") gives its requests' method and path.
    this.routes = s.traffic.classes.map((c) => {
      const m = /^([A-Z]+) (\/\S*)$/.exec(c.name);
      return m === null ? { method: 'GET', path: '/' } : { method: m[1]!, path: m[2]! };
    });
  }

  /** Whether request `index` is logged: a hash of the seed and index, so sampling draws no random numbers. */
  sampled(index: number): boolean {
    return this.sampleRate >= 1 || logSampleUnit(this.seed, index) < this.sampleRate;
  }

  record(index: number, arrivalUs: number, dispatchUs: number, answeredUs: number, slot: number, code: number, cls: number): number {
    const tag = this.nextTag++;
    this.pending.set(tag, { index, arrivalUs, dispatchUs, answeredUs, slot, code, cls });
    return tag;
  }

  amend(tag: number, code: number, answeredUs: number): void {
    const p = this.pending.get(tag);
    if (p === undefined) return;
    if (code === DROPPED) {
      this.pending.delete(tag);
      return;
    }
    p.code = code;
    p.answeredUs = answeredUs;
  }

  dyno(tUs: number, dyno: string, message: string): void {
    this.add(tUs, 'heroku', dyno, message);
  }

  /** Writes every line up to `nowUs` (the engine's time: outcomes answered by then are final). */
  flush(nowUs: number): void {
    for (const [tag, p] of this.pending) {
      if (p.answeredUs > nowUs) continue;
      this.pending.delete(tag);
      this.add(p.answeredUs, 'heroku', 'router', routerMessage(this.routerRecord(p), this.era));
    }
    this.buffer.flushThrough(this.epochUs + nowUs, this.opts.write);
  }

  /** Writes everything left, at the end of the run. */
  finish(): void {
    this.flush(Infinity);
    this.buffer.flushAll(this.opts.write);
  }

  private add(tUs: number, source: 'heroku' | 'app', proc: string, message: string): void {
    const epochUs = this.epochUs + Math.floor(tUs);
    this.buffer.add(epochUs, logLine(epochUs, source, proc, message, this.opts.format, this.appName));
  }

  private routerRecord(p: Pending): RouterLogRecord {
    const code = p.code < 0 ? null : SERIES_CODES[p.code]!;
    const reached = p.slot >= 0;
    const ms = (us: number): number => Math.round(us / 1000);
    return {
      epochUs: this.epochUs + Math.floor(p.answeredUs),
      method: this.routes[p.cls]?.method ?? 'GET',
      path: this.routes[p.cls]?.path ?? '/',
      host: this.host,
      requestId: requestId(this.seed, p.index),
      fwd: fwdAddress(this.seed, p.index),
      dyno: reached ? `web.${p.slot + 1}` : null,
      connectMs: reached ? ms(p.dispatchUs - p.arrivalUs) : null,
      serviceMs: reached ? ms(p.answeredUs - p.dispatchUs) : null,
      status: code === null ? 200 : 503,
      bytes: !reached ? null : code === null ? responseBytes(this.seed, p.index) : 0,
      protocol: 'https',
      code,
    };
  }
}
