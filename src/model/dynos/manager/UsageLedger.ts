/**
 * The usage ledger of a type's dynos, for the bill: a usage opens when a slot joins the
 * formation (or its crashed dyno restarts, when crashed time is not billed) and closes when
 * it leaves (or crashes), at the end of the run at the latest.
 */
import type { DynoUsage } from '../../billing/bill.ts';
import type { DynoSize } from '../../platform/profile.ts';
import type { ProcessSpec } from '../../Scenario.ts';

export class UsageLedger {
  readonly usages: DynoUsage[] = [];
  private readonly proc: ProcessSpec;
  private readonly durationUs: number;
  private readonly name: (slot: number) => string;
  private readonly sizeNow: () => DynoSize;
  /** When each slot's open usage began, or −1, and the size it is billed at. */
  private readonly openUs: Float64Array;
  private readonly openSize: string[];

  constructor(proc: ProcessSpec, durationUs: number, name: (slot: number) => string, sizeNow: () => DynoSize) {
    this.proc = proc;
    this.durationUs = durationUs;
    this.name = name;
    this.sizeNow = sizeNow;
    this.openUs = new Float64Array(proc.maxCount).fill(-1);
    this.openSize = new Array<string>(proc.maxCount).fill(proc.size.name);
  }

  open(slot: number, nowUs: number): void {
    this.openUs[slot] = nowUs;
    this.openSize[slot] = this.sizeNow().name;
  }

  /** The type is resized at `nowUs`: every open usage ends there and goes on at the new size. */
  resized(nowUs: number): void {
    for (let slot = 0; slot < this.openUs.length; slot++) {
      if (this.openUs[slot]! < 0) continue;
      this.close(slot, nowUs);
      this.open(slot, nowUs);
    }
  }

  close(slot: number, nowUs: number): void {
    const from = this.openUs[slot]!;
    if (from < 0) return;
    const to = Math.min(nowUs, this.durationUs);
    if (to > from) this.usages.push({ processType: this.proc.type, dyno: this.name(slot), size: this.openSize[slot]!, startUs: from, endUs: to });
    this.openUs[slot] = -1;
  }

  /** The slot's old process served on beside its new one (preboot) from `fromUs` to `toUs`, at size `size`. */
  overlap(slot: number, fromUs: number, toUs: number, size: string): void {
    const to = Math.min(toUs, this.durationUs);
    if (to > fromUs) this.usages.push({ processType: this.proc.type, dyno: this.name(slot), size, startUs: fromUs, endUs: to, overlap: true });
  }

  /** Closes the books at the end of the run: every open usage closed, all in time order. */
  finish(nowUs: number): void {
    for (let slot = 0; slot < this.openUs.length; slot++) this.close(slot, nowUs);
    this.usages.sort((a, b) => a.startUs - b.startUs || slotOf(a.dyno) - slotOf(b.dyno));
  }
}

/** web.12 → 12. */
function slotOf(dyno: string): number {
  return Number(dyno.slice(dyno.lastIndexOf('.') + 1));
}
