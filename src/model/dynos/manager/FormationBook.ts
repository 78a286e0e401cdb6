/**
 * The formation of a type (`heroku ps:scale web=N`) and its history for summary.json:
 * the fewest and most dynos it had, and its time integral, for the mean.
 */
export class FormationBook {
  /** Dynos of the type in the formation now. */
  count = 0;
  min = 0;
  max = 0;
  /** The formation's time integral up to `sinceUs`. */
  private integralUs = 0;
  private sinceUs = 0;

  /** The formation at time zero. */
  start(count: number): void {
    this.count = count;
    this.min = this.max = count;
  }

  /** The formation is about to become `count` at `nowUs` (the run's end at the latest); `count` itself is set by the caller once the slots have moved. */
  note(count: number, nowUs: number): void {
    this.integralUs += this.count * (nowUs - this.sinceUs);
    this.sinceUs = nowUs;
    if (count < this.min) this.min = count;
    if (count > this.max) this.max = count;
  }

  /** Mean number of dynos in the formation from time zero to `tUs`. */
  mean(tUs: number): number {
    const integral = this.integralUs + this.count * (tUs - this.sinceUs);
    return tUs > 0 ? integral / tUs : this.count;
  }
}
