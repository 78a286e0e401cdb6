/**
 * Successive draws of one distribution from one stream, a batch at a time (see
 * ServiceDistribution.filler): for parts of the model that need one value now and then
 * (a job's run time, a one-off's boot) rather than a buffer per request batch.
 */
export class Draws {
  private readonly buf: Float64Array;
  private pos: number;
  private readonly fill: (out: Float64Array) => void;

  constructor(fill: (out: Float64Array) => void, batch = 64) {
    this.fill = fill;
    this.buf = new Float64Array(batch);
    this.pos = batch;
  }

  next(): number {
    if (this.pos === this.buf.length) {
      this.fill(this.buf);
      this.pos = 0;
    }
    return this.buf[this.pos++]!;
  }
}
