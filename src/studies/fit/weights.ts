/**
 * Shares as a scenario's class weights: thousandths that sum to exactly 1 (largest
 * remainders), every class with requests at least 0.001 so that none vanishes.
 */
export function weightsOf(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) throw new RangeError('weights need at least one request');
  const exact = counts.map((c) => (c * 1000) / total);
  const units = exact.map(Math.floor);
  let left = 1000 - units.reduce((a, b) => a + b, 0);
  const order = exact.map((_, i) => i).sort((a, b) => exact[b]! - units[b]! - (exact[a]! - units[a]!) || a - b);
  for (const i of order) {
    if (left === 0) break;
    units[i]!++;
    left--;
  }
  // A class with requests keeps at least one thousandth, taken from the largest.
  for (let i = 0; i < units.length; i++) {
    if (counts[i]! > 0 && units[i] === 0) {
      const largest = units.indexOf(Math.max(...units));
      units[largest]!--;
      units[i] = 1;
    }
  }
  return units.map((u) => u / 1000);
}
