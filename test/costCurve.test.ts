/**
 * The cost chart's curve (costCurve.ts) is built from tables made once, not by pricing the
 * usages anew at every point; it must still give, to the bit, what `bill` gives for the
 * usages cut off at each point. The reference here is the curve as `bill` itself draws it
 * (one `bill` per point, and the weighted hours summed over every usage at every instant),
 * compared exactly on many usage sets: both price books and variants of them (free hours on
 * the monthly book, a size the allowance does not count, short billing months so that a run
 * spans several, prices so high that the cents show the sums' last bits), runs shorter and longer than a month, usages that cross the points, start
 * or end on them, last under a second or a microsecond, run past the run's end.
 */
import test from 'ava';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { isDeepStrictEqual } from 'node:util';
import { bill, type DynoUsage } from '../src/model/billing/bill.ts';
import { costCurve, type CostCurve, type CostPoint } from '../src/output/charts/run/costCurve.ts';
import { heroku2013 } from '../src/model/platform/heroku2013.ts';
import { heroku2025 } from '../src/model/platform/heroku2025.ts';
import type { PlatformProfile } from '../src/model/platform/profile.ts';

const DAY_US = 86_400e6;
const MONTH_US = 30 * DAY_US;

/** The curve by one `bill` per point: the reference. */
function costCurveByBill(usages: readonly DynoUsage[], profile: PlatformProfile, runUs: number, steps = 90): CostCurve {
  const monthUs = profile.billing.monthUs;
  const spanUs = Math.max(runUs, monthUs);
  const all: DynoUsage[] = [];
  if (runUs > 0) {
    for (let offset = 0; offset < spanUs; offset += runUs) {
      for (const u of usages) {
        if (u.startUs + offset >= spanUs) continue;
        all.push({ ...u, startUs: u.startUs + offset, endUs: Math.min(spanUs, u.endUs + offset) });
      }
    }
  }
  const times = new Set<number>([runUs]);
  for (let k = 1; k <= steps; k++) times.add(Math.round((spanUs * k) / steps));
  const weight = (u: DynoUsage): number => profile.sizes[u.size]?.freeHoursWeight ?? 0;
  const weightedAt = (tUs: number): number => {
    let h = 0;
    for (const u of all) if (u.startUs < tUs) h += ((Math.min(u.endUs, tUs) - u.startUs) / 3.6e9) * weight(u);
    return h;
  };
  const points: CostPoint[] = [{ tS: 0, usd: 0, weightedHours: 0, simulated: true }];
  for (const tUs of [...times].sort((a, b) => a - b)) {
    if (tUs <= 0) continue;
    const cut = all.filter((u) => u.startUs < tUs).map((u) => (u.endUs <= tUs ? u : { ...u, endUs: tUs }));
    points.push({ tS: tUs / 1e6, usd: bill(cut, profile, tUs).totalUsd, weightedHours: Math.round(weightedAt(tUs) * 1000) / 1000, simulated: tUs <= runUs });
  }
  const free = profile.billing.freeHoursPerMonth;
  let freeRunOutS: number | null = null;
  if (free > 0 && weightedAt(Math.min(spanUs, monthUs)) > free) {
    let lo = 0;
    let hi = Math.min(spanUs, monthUs);
    while (hi - lo > 1e6) {
      const mid = (lo + hi) / 2;
      if (weightedAt(mid) > free) hi = mid;
      else lo = mid;
    }
    freeRunOutS = Math.round(hi / 1e6);
  }
  return { points, freeHours: free, freeRunOutS, spanS: spanUs / 1e6 };
}

function withBilling(profile: PlatformProfile, name: string, billing: Partial<PlatformProfile['billing']>): PlatformProfile {
  return { ...profile, name, billing: { ...profile.billing, ...billing } };
}

/** 2013 with a size the free allowance does not count (weight 0) and one that counts 16. */
const HOURLY_WEIGHT_0: PlatformProfile = {
  ...heroku2013,
  name: 'heroku-2013-weight-0',
  sizes: { ...heroku2013.sizes, W0: { ...heroku2013.sizes['1X'], name: 'W0', freeHoursWeight: 0, priceUsd: 0.03 } },
};

/** Prices so high that the bill's cents show its last bits: a sum in another order shows. */
function dear(profile: PlatformProfile): PlatformProfile {
  const sizes = Object.fromEntries(Object.entries(profile.sizes).map(([name, size]) => [name, { ...size, priceUsd: size.priceUsd * 1e13 }]));
  return { ...profile, name: `${profile.name}-dear`, sizes };
}

const PROFILES: readonly PlatformProfile[] = [
  heroku2013,
  heroku2025,
  HOURLY_WEIGHT_0,
  withBilling(heroku2025, 'heroku-2025-free-hours', { freeHoursPerMonth: 300 }),
  withBilling(heroku2013, 'heroku-2013-short-months', { monthUs: 2 * DAY_US, freeHoursPerMonth: 40 }),
  withBilling(heroku2025, 'heroku-2025-short-months', { monthUs: 1.5 * DAY_US }),
  withBilling(heroku2025, 'heroku-2025-odd-months', { monthUs: 7 * DAY_US + 333_333.5 }),
  dear(HOURLY_WEIGHT_0),
  dear(withBilling(heroku2025, 'heroku-2025-free-hours', { freeHoursPerMonth: 300 })),
  dear(withBilling(heroku2025, 'heroku-2025-short-months', { monthUs: 1.5 * DAY_US })),
];

const TYPES = ['web', 'worker', 'clock'] as const;

/** Usages of a run of `runUs`, some cut at the curve's points or at month boundaries. */
function randomUsages(rand: () => number, profile: PlatformProfile, runUs: number, count: number, steps: number): DynoUsage[] {
  const sizes = Object.keys(profile.sizes);
  const spanUs = Math.max(runUs, profile.billing.monthUs);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const grid = (): number => Math.round((spanUs * Math.ceil(rand() * steps)) / steps);
  const instant = (): number => {
    const r = rand();
    if (r < 0.15) return Math.min(runUs, grid());
    if (r < 0.25) return Math.min(runUs, Math.floor(rand() * 4) * profile.billing.monthUs);
    if (r < 0.35) return rand() * runUs; // fractions of a microsecond
    return Math.floor(rand() * runUs);
  };
  const usages: DynoUsage[] = [];
  for (let i = 0; i < count; i++) {
    const processType = pick(TYPES);
    const startUs = instant();
    const r = rand();
    const endUs =
      r < 0.05 ? startUs // nothing billed
      : r < 0.1 ? startUs + pick([0.5, 1, 999_999, 1_000_000, 1_000_001, 2_000_000.5])
      : r < 0.2 ? runUs + rand() * runUs // past the run's end
      : r < 0.4 ? Math.max(startUs, instant())
      : startUs + Math.floor(rand() * rand() * runUs);
    usages.push({
      processType,
      dyno: `${processType}.${1 + Math.floor(rand() * 4)}`,
      size: pick(sizes.slice(0, 4)),
      startUs,
      endUs,
      ...(rand() < 0.1 ? { overlap: true } : {}),
    });
  }
  return usages;
}

const RUNS_US = [5000e6, DAY_US, 7.3 * DAY_US, MONTH_US, 45 * DAY_US, 71.7 * DAY_US + 0.25];

for (const profile of PROFILES) {
  test(`${profile.name}: the curve is what bill gives at every point, for random usages`, (t) => {
    const rand = seedrandom(`costCurve ${profile.name}`);
    for (const runUs of RUNS_US) {
      for (const count of [0, 1, 3, 12, 40]) {
        for (const steps of [90, 7]) {
          // Few usages for a short run: it is repeated to fill the month.
          const n = runUs < DAY_US ? Math.min(count, 3) : count;
          const usages = randomUsages(rand, profile, runUs, n, steps);
          t.deepEqual(costCurve(usages, profile, runUs, steps), costCurveByBill(usages, profile, runUs, steps), `${runUs} µs, ${n} usages, ${steps} steps`);
        }
      }
    }
  });
}

test('the canonical benchmark\'s shape: 50 dynos for 5000 s, repeated over the 2013 month', (t) => {
  const usages = Array.from({ length: 50 }, (_, i) => ({ processType: 'web', dyno: `web.${i + 1}`, size: '1X', startUs: 0, endUs: 5000e6 }));
  const c = costCurve(usages, heroku2013, 5000e6);
  t.deepEqual(c, costCurveByBill(usages, heroku2013, 5000e6));
  t.is(c.points.at(-1)!.usd, 1762.5);
  t.is(c.freeRunOutS, 54_000);
});

test('no usages, and a run of no length', (t) => {
  for (const profile of PROFILES) {
    t.deepEqual(costCurve([], profile, MONTH_US), costCurveByBill([], profile, MONTH_US));
    const one = [{ processType: 'web', dyno: 'web.1', size: Object.keys(profile.sizes)[1], startUs: 0, endUs: DAY_US }];
    t.deepEqual(costCurve(one, profile, 0), costCurveByBill(one, profile, 0));
  }
});

test('an unknown size throws as bill does', (t) => {
  const usages = [{ processType: 'web', dyno: 'web.1', size: 'XL', startUs: 0, endUs: DAY_US }];
  const expected = t.throws(() => costCurveByBill(usages, heroku2013, DAY_US));
  t.throws(() => costCurve(usages, heroku2013, DAY_US), { instanceOf: RangeError, message: expected!.message });
});

test('property: the curve is what bill gives at every point', (t) => {
  const profileArb = fc.constantFrom(...PROFILES);
  const caseArb = profileArb.chain((profile) => {
    const sizes = Object.keys(profile.sizes).slice(0, 4);
    return fc.record({
      profile: fc.constant(profile),
      runUs: fc.oneof(fc.integer({ min: 3_600e6, max: 3 * MONTH_US }), fc.constantFrom(...RUNS_US)),
      steps: fc.integer({ min: 1, max: 40 }),
      usages: fc.array(
        fc.record({
          processType: fc.constantFrom(...TYPES),
          n: fc.integer({ min: 1, max: 3 }),
          size: fc.constantFrom(...sizes),
          a: fc.double({ min: 0, max: 1, noNaN: true }),
          b: fc.double({ min: 0, max: 1.3, noNaN: true }),
          overlap: fc.boolean(),
        }),
        { maxLength: 8 },
      ),
    });
  });
  fc.assert(
    fc.property(caseArb, ({ profile, runUs, steps, usages }) => {
      const us: DynoUsage[] = usages.map((u) => {
        const startUs = Math.floor(u.a * runUs);
        return { processType: u.processType, dyno: `${u.processType}.${u.n}`, size: u.size, startUs, endUs: Math.max(startUs, Math.floor(u.b * runUs)), overlap: u.overlap };
      });
      return isDeepStrictEqual(costCurve(us, profile, runUs, steps), costCurveByBill(us, profile, runUs, steps));
    }),
    { numRuns: 150, seed: 20_261_204 },
  );
  t.pass();
});
