/**
 * Other apps' dynos on the shared hosts. Each host alternates between quiet and busy
 * periods (exponential lengths, busy for `busyShare` of the time on average); while it
 * is busy, shared-size dynos on it serve `slowdown` times slower. Requests already
 * dispatched keep the speed they were given.
 */
import type { Engine } from '../../engine/Engine.ts';
import type { Uniform } from '../../engine/streams.ts';
import type { NoisyNeighbours as Spec } from '../platform/profile.ts';

export class NoisyNeighbours {
  private readonly engine: Engine;
  private readonly spec: Spec;
  private readonly u: Uniform;
  private readonly busy: Uint8Array;
  private readonly kind: number;
  private readonly onChange: () => void;

  constructor(engine: Engine, hosts: number, spec: Spec, u: Uniform, onChange: () => void) {
    this.engine = engine;
    this.spec = spec;
    this.u = u;
    this.onChange = onChange;
    this.busy = new Uint8Array(hosts);
    this.kind = engine.register((h) => {
      this.busy[h] = this.busy[h] === 1 ? 0 : 1;
      this.schedule(h);
      this.onChange();
    });
  }

  /** Draws each host's state at time zero (busy with probability `busyShare`) and its first change. */
  start(): void {
    const share = this.spec.busyShare;
    if (share <= 0) return;
    for (let h = 0; h < this.busy.length; h++) {
      this.busy[h] = this.u.next() < share ? 1 : 0;
      if (share < 1) this.schedule(h);
    }
    this.onChange();
  }

  factor(h: number): number {
    return this.busy[h] === 1 ? this.spec.slowdown : 1;
  }

  private schedule(h: number): void {
    const share = this.spec.busyShare;
    const meanUs = this.busy[h] === 1 ? this.spec.busyPeriodUs : (this.spec.busyPeriodUs * (1 - share)) / share;
    this.engine.at(this.engine.nowUs - Math.log(1 - this.u.next()) * meanUs, this.kind, h);
  }
}
