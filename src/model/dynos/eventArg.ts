/**
 * Platform events carry one number: an index (a dyno slot, a block, a host) and the epoch
 * it was scheduled in. A handler that finds the epoch moved on ignores the event, which
 * is how events of a process that has since died are dropped without being cancelled.
 */
const CAP = 1 << 16;

export function pack(index: number, epoch: number): number {
  return index + CAP * epoch;
}

export function indexOf(arg: number): number {
  return arg % CAP;
}

export function epochOf(arg: number): number {
  return Math.floor(arg / CAP);
}
