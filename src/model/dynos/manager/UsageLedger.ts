/**
 * The usage ledger of a type's dynos, for the bill: a usage opens when a slot joins the
 * formation (or its crashed dyno restarts, when crashed time is not billed) and closes when
 * it leaves (or crashes), at the end of the run at the latest.
 */
import type { DynoUsage } from '../../billing/bill.ts';
import type { ProcessSpec } from '../../Scenario.ts';

export class UsageLedger {
  readonly usages: DynoUsage[] = [];
  private readonly proc: ProcessSpec;
  private readonly durationUs: number;
  private readonly name: (slot: number) => string;
  /** When each slot's open usage began, or −1. */
  private readonly openUs: Float64Array;

  constructor(proc: ProcessSpec, durationUs: number, name: (slot: number) => string) {
    this.proc = proc;
    this.durationUs = durationUs;
    this.name = name;
    this.openUs = new Float64Array(proc.maxCount).fill(-1);
  }

  open(slot: number, nowUs: number): void {
    this.openUs[slot] = nowUs;
  }

  close(slot: number, nowUs: number): void {
    const from = this.openUs[slot]!;
    if (from < 0) return;
    const to = Math.min(nowUs, this.durationUs);
    if (to > from) this.usages.push({ processType: this.proc.type, dyno: this.name(slot), size: this.proc.size.name, startUs: from, endUs: to });
    this.openUs[slot] = -1;
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
