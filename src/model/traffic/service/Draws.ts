/**
 * Successive draws of one distribution from one stream, a batch at a time (see
 * ServiceDistribution.filler): for parts of the model that need one value now and then
 * (a job's run time, a one-off's boot) rather than a buffer per request batch.
 */
import type { Filler } from './ServiceDistribution.ts';

export class Draws {
  private readonly buf: Float64Array;
  private pos: number;
  private readonly filler: Filler;

  constructor(filler: Filler, batch = 64) {
    this.filler = filler;
    this.buf = new Float64Array(batch);
    this.pos = batch;
  }

  next(): number {
    if (this.pos === this.buf.length) {
      this.filler.fill(this.buf);
      this.pos = 0;
    }
    return this.buf[this.pos++]!;
  }
}
