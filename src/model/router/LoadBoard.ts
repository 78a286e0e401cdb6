/**
 * Load information that is late: the dynos' loads as a bulletin board that is refreshed
 * only every `intervalUs` (Mitzenmacher, "How useful is old information?", IEEE TPDS
 * 11(1), 2000). Every router reads the same board, which shows each dyno's true number of
 * requests (queued or in service) as it was at the last refresh, and nothing of what was
 * sent since. With a long interval every router sends to the dynos that looked idle at the
 * last refresh: the herd effect.
 *
 * The board is refreshed lazily and exactly: at the first request after a refresh time
 * t, nothing has arrived since t, so the tier can still tell each dyno's load at t.
 */
import type { DynoLoad } from './RouterPolicy.ts';

export class LoadBoard implements DynoLoad {
  private readonly tier: DynoLoad;
  private readonly intervalUs: number;
  private nextUs = 0;
  private loads: Float64Array;

  constructor(tier: DynoLoad, intervalUs: number, blocks: number) {
    this.tier = tier;
    this.intervalUs = intervalUs;
    this.loads = new Float64Array(blocks);
  }

  get routable(): Int32Array {
    return this.tier.routable;
  }

  get routableCount(): number {
    return this.tier.routableCount;
  }

  /** Dyno `d`'s load on the board (as of the last refresh at or before `nowUs`). */
  inSystem(d: number, nowUs: number): number {
    if (nowUs >= this.nextUs) this.refresh(nowUs);
    return d < this.loads.length ? this.loads[d]! : 0;
  }

  private refresh(nowUs: number): void {
    const atUs = this.nextUs + Math.floor((nowUs - this.nextUs) / this.intervalUs) * this.intervalUs;
    const { routable, routableCount } = this.tier;
    let top = 0;
    for (let i = 0; i < routableCount; i++) top = Math.max(top, routable[i]! + 1);
    if (top > this.loads.length) this.loads = new Float64Array(top * 2);
    this.loads.fill(0);
    for (let i = 0; i < routableCount; i++) this.loads[routable[i]!] = this.tier.inSystem(routable[i]!, atUs);
    this.nextUs = atUs + this.intervalUs;
  }
}
