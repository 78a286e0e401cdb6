/**
 * Replayed traffic as the request flow's source: arrivals and service times streamed
 * from the user's file (see ReplayReader), each route given to the first request class
 * whose `match` fits it ("GET /orders/:id"), or to the last class when none does.
 */
import type { ReplayReport, ReplaySpec, RequestClass } from '../spec.ts';
import type { RequestSource } from '../RequestSource.ts';
import { ReplayReader } from './ReplayReader.ts';

export class ReplaySource implements RequestSource {
  private readonly reader: ReplayReader;
  private readonly spec: ReplaySpec;
  private readonly classes: readonly RequestClass[];
  private readonly routeBuf = new Int32Array(256);
  /** Class of each route the reader has met so far. */
  private classOfRoute = new Int32Array(64);
  private known = 0;
  private done = false;

  constructor(spec: ReplaySpec, classes: readonly RequestClass[], durationUs: number) {
    this.spec = spec;
    this.classes = classes;
    this.reader = new ReplayReader(spec.file, { format: spec.format, startMs: spec.startMs, endUs: durationUs, reorderWindowUs: spec.reorderWindowUs });
  }

  fill(arrivalUs: Float64Array, serviceUs: Float64Array, cls: Int32Array): void {
    let n = 0;
    if (!this.done) {
      const route = arrivalUs.length <= this.routeBuf.length ? this.routeBuf : new Int32Array(arrivalUs.length);
      n = this.reader.fill(arrivalUs, serviceUs, route);
      if (n === 0) this.done = true;
      this.learnRoutes();
      for (let i = 0; i < n; i++) cls[i] = this.classOfRoute[route[i]!]!;
    }
    for (let i = n; i < arrivalUs.length; i++) {
      arrivalUs[i] = Infinity;
      serviceUs[i] = 0;
      cls[i] = 0;
    }
  }

  private learnRoutes(): void {
    const routes = this.reader.routes;
    if (routes.length > this.classOfRoute.length) {
      const next = new Int32Array(Math.max(routes.length, this.classOfRoute.length * 2));
      next.set(this.classOfRoute);
      this.classOfRoute = next;
    }
    const last = this.classes.length - 1;
    for (; this.known < routes.length; this.known++) {
      const route = routes[this.known]!;
      const k = this.classes.findIndex((c) => c.match.test(route));
      this.classOfRoute[this.known] = k < 0 ? last : k;
    }
  }

  report(): ReplayReport {
    const r = this.reader;
    return {
      file: this.spec.name,
      format: r.format,
      start: new Date(r.startMs).toISOString(),
      lines: r.lines,
      used: r.used,
      malformed: r.malformed,
      skipped: r.skipped,
      imputed: r.imputed,
      outOfOrder: r.outOfOrder,
      beforeStart: r.beforeStart,
      beyondEnd: r.beyondEnd,
      problems: r.problems.slice(0, 5).map((p) => ({ line: p.line, message: p.message })),
    };
  }

  close(): void {
    this.reader.close();
  }
}
