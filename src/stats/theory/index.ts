/**
 * Closed-form queueing theory that simulated results are checked against. Pure functions,
 * times in seconds and rates per second.
 */

export { mm1 } from './mm1.ts';
export type { Mm1Result } from './mm1.ts';
export { erlangB, erlangC, erlangCFromB } from './erlangC.ts';
export { mmc, mmcResponseTail } from './mmc.ts';
export type { MmcResult } from './mmc.ts';
export { md1 } from './md1.ts';
export type { Md1Result } from './md1.ts';
export { mg1 } from './mg1.ts';
export type { Mg1Result } from './mg1.ts';
export { lognormalMean, lognormalVariance } from './lognormalMoments.ts';
export { minServersForMeanWait, minServersForWaitQuantile } from './minDynosForWait.ts';
