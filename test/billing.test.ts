import test from 'ava';
import { bill, billedSeconds } from '../src/model/billing/bill.ts';
import type { DynoUsage } from '../src/model/billing/bill.ts';
import { heroku2013 } from '../src/model/platform/heroku2013.ts';
import { heroku2025 } from '../src/model/platform/heroku2025.ts';
import type { PlatformProfile } from '../src/model/platform/profile.ts';

const S = 1_000_000;
const H = 3_600 * S;
const MONTH = 30 * 24 * H;

function usage(dyno: string, size: string, startUs: number, endUs: number): DynoUsage {
  return { processType: dyno.split('.')[0], dyno, size, startUs, endUs };
}

function withBilling(p: PlatformProfile, billing: Partial<PlatformProfile['billing']>): PlatformProfile {
  return { ...p, billing: { ...p.billing, ...billing } };
}

test('2013: two 1X dynos for a 30-day month cost (1440 − 750) h × $0.05 = $34.50', (t) => {
  const r = bill([usage('web.1', '1X', 0, MONTH), usage('web.2', '1X', 0, MONTH)], heroku2013, MONTH);
  t.is(r.dynoHours, 1440);
  t.is(r.freeHours, 750);
  t.is(r.billableHours, 690);
  t.is(r.totalUsd, 34.5);
  t.is(r.monthlyUsd, 34.5);
  t.deepEqual(r.lines, [
    { processType: 'web', size: '1X', dynos: 2, dynoHours: 1440, freeHours: 750, billableHours: 690, totalUsd: 34.5, monthlyUsd: 34.5 },
  ]);
});

test('billed time is rounded up to the whole second, and float noise does not add one', (t) => {
  t.is(billedSeconds(0, 3600.4 * S), 3601);
  t.is(billedSeconds(0, 3600 * S), 3600);
  t.is(billedSeconds(0.1 + 0.2, 0.3 + 3600 * S), 3600);
  t.is(billedSeconds(5 * S, 4 * S), 0);
  // Within 1 µs of a whole second counts as that second; 2 µs past it starts the next.
  t.is(billedSeconds(0, 2), 1);
  t.is(billedSeconds(0, 3600 * S + 1), 3600);
  t.is(billedSeconds(0, 3600 * S + 2), 3601);

  // No free hours, so the bill is the price of 3601 s.
  const p = withBilling(heroku2013, { freeHoursPerMonth: 0 });
  const r = bill([usage('web.1', 'PX', 0, 3600.4 * S)], p, H);
  t.is(r.dynoHours, 1.000278);
  t.is(r.totalUsd, Math.round(0.8 * 3601 / 3600 * 100) / 100);
  // On a 2025 monthly price too: $500 × 3601 s / month.
  const r25 = bill([usage('web.1', 'performance-l', 0, 3600.4 * S)], heroku2025, H);
  t.is(r25.totalUsd, Math.round((500 * 3601) / (MONTH / S) * 100) / 100);
  t.is(r25.totalUsd, 0.69);
});

test('2013: a 2X uses the free hours twice as fast', (t) => {
  const all = bill([usage('web.1', '2X', 0, 375 * H)], heroku2013, MONTH);
  t.is(all.freeHours, 750);
  t.is(all.billableHours, 0);
  t.is(all.totalUsd, 0);
  // Ten more hours are all billable at the 2X price.
  const more = bill([usage('web.1', '2X', 0, 385 * H)], heroku2013, MONTH);
  t.is(more.freeHours, 750);
  t.is(more.billableHours, 10);
  t.is(more.totalUsd, 1);
  // The same 385 h on 1X stay inside the allowance.
  t.is(bill([usage('web.1', '1X', 0, 385 * H)], heroku2013, MONTH).totalUsd, 0);
  // PX: 16 free hours per hour.
  const px = bill([usage('web.1', 'PX', 0, 50 * H)], heroku2013, MONTH);
  t.is(px.freeHours, 750);
  t.is(px.billableHours, 50 - 750 / 16);
  t.is(px.totalUsd, Math.round((50 - 750 / 16) * 0.8 * 100) / 100);
});

test('2025: prorated by the month and capped at the monthly price', (t) => {
  const half = bill([usage('web.1', 'standard-1x', 0, MONTH / 2)], heroku2025, MONTH);
  t.is(half.totalUsd, 12.5);
  t.is(half.freeHours, 0);
  t.is(half.billableHours, 360);
  const whole = bill([usage('web.1', 'standard-1x', 0, MONTH)], heroku2025, MONTH);
  t.is(whole.totalUsd, 25);
  // A dyno stopped and started again in one month is one dyno: still capped at $25.
  const overlapping = bill(
    [usage('web.1', 'standard-1x', 0, MONTH), usage('web.1', 'standard-1x', 0, MONTH / 2)],
    heroku2025,
    MONTH,
  );
  t.is(overlapping.totalUsd, 25);
  // Two dynos each pay their own cap.
  const two = bill([usage('web.1', 'standard-2x', 0, MONTH), usage('web.2', 'standard-2x', 0, MONTH)], heroku2025, MONTH);
  t.is(two.totalUsd, 100);
});

test('2025: free hours apply when a profile overrides them', (t) => {
  const p = withBilling(heroku2025, { freeHoursPerMonth: 360 });
  const r = bill([usage('web.1', 'standard-1x', 0, MONTH)], p, MONTH);
  t.is(r.freeHours, 360);
  t.is(r.billableHours, 360);
  t.is(r.totalUsd, 12.5);
});

test('a run longer than one month gets the free hours again each month', (t) => {
  // Two 1X dynos for 60 days: each month is 1440 h − 750 free.
  const r = bill([usage('web.1', '1X', 0, 2 * MONTH), usage('web.2', '1X', 0, 2 * MONTH)], heroku2013, 2 * MONTH);
  t.is(r.freeHours, 1500);
  t.is(r.billableHours, 1380);
  t.is(r.totalUsd, 69);
  t.is(r.monthlyUsd, 34.5);
  // One 1X for 45 days: 720 h in month 0 (free) and 360 h in month 1 (free).
  t.is(bill([usage('web.1', '1X', 0, 1.5 * MONTH)], heroku2013, 1.5 * MONTH).totalUsd, 0);
  // 2025: a dyno across two months pays each month's cap once.
  t.is(bill([usage('web.1', 'standard-1x', 0, 2 * MONTH)], heroku2025, 2 * MONTH).totalUsd, 50);
  // Straddling a boundary: 20 days either side of day 30 is two thirds of a month in each,
  // so 40 days cost more than one month's cap.
  const twenty = 20 * 24 * H;
  t.is(bill([usage('web.1', 'standard-1x', MONTH - twenty, MONTH + twenty)], heroku2025, 2 * MONTH).totalUsd, 33.33);
});

test('monthlyUsd projects the run to a billing month at its average formation', (t) => {
  const r = bill([usage('web.1', '1X', 0, H), usage('web.2', '1X', 0, H)], heroku2013, H);
  t.is(r.totalUsd, 0);
  t.is(r.dynoHours, 2);
  t.is(r.freeHours, 2);
  t.is(r.monthlyUsd, 34.5);
  // 2025: a dyno running half of a one-hour run projects to half the monthly price.
  const r25 = bill([usage('web.1', 'standard-1x', 0, H / 2)], heroku2025, H);
  t.is(r25.monthlyUsd, 12.5);
  // An empty or zero-length run projects to nothing.
  t.is(bill([], heroku2013, 0).monthlyUsd, 0);
  t.is(bill([usage('web.1', '1X', 0, H)], heroku2013, 0).monthlyUsd, 0);
});

test('mixed sizes: free hours spread by weighted hours, each size at its own price', (t) => {
  // 500 h of 1X and 250 h of 2X = 1000 weighted hours; 750 free cover 75% of each.
  const r = bill(
    [usage('web.1', '1X', 0, 500 * H), usage('worker.1', '2X', 0, 250 * H)],
    heroku2013,
    MONTH,
  );
  t.is(r.dynoHours, 750);
  t.is(r.freeHours, 750);
  t.is(r.billableHours, 125 + 62.5);
  t.is(r.totalUsd, 125 * 0.05 + 62.5 * 0.1);
  t.deepEqual(
    r.lines.map((l) => [l.processType, l.size, l.freeHours, l.billableHours, l.totalUsd]),
    [
      ['web', '1X', 375, 125, 6.25],
      ['worker', '2X', 375, 62.5, 6.25],
    ],
  );
});

test('lines are sorted by process type then size, whatever the input order', (t) => {
  const usages = [
    usage('worker.1', 'standard-1x', 0, H),
    usage('web.2', 'standard-2x', 0, H),
    usage('web.1', 'standard-1x', 0, H),
    usage('web.3', 'standard-1x', 0, H),
  ];
  const a = bill(usages, heroku2025, H);
  const b = bill([...usages].reverse(), heroku2025, H);
  t.deepEqual(a.lines.map((l) => `${l.processType}/${l.size}/${l.dynos}`), ['web/standard-1x/2', 'web/standard-2x/1', 'worker/standard-1x/1']);
  t.is(JSON.stringify(a), JSON.stringify(b));
});

test('a scale-up mid-run bills the new dyno only from its start', (t) => {
  // web.1 all 720 h; web.2 added at hour 600. 840 h − 750 free = 90 h × $0.05.
  const r = bill([usage('web.1', '1X', 0, MONTH), usage('web.2', '1X', 600 * H, MONTH)], heroku2013, MONTH);
  t.is(r.dynoHours, 840);
  t.is(r.totalUsd, 4.5);
  t.is(r.lines[0].dynos, 2);
  // 2025: the late dyno pays for 120 h of 720 h.
  const r25 = bill(
    [usage('web.1', 'standard-1x', 0, MONTH), usage('web.2', 'standard-1x', 600 * H, MONTH)],
    heroku2025,
    MONTH,
  );
  t.is(r25.totalUsd, Math.round((25 + (25 * 120) / 720) * 100) / 100);
  t.is(r25.monthlyUsd, r25.totalUsd);
});

test('unknown size and bad month length are rejected', (t) => {
  t.throws(() => bill([usage('web.1', 'standard-1x', 0, H)], heroku2013, H), { message: /unknown dyno size "standard-1x"/ });
  t.throws(() => bill([], withBilling(heroku2013, { monthUs: 0 }), H), { instanceOf: RangeError });
});

// Invariants every price rule must keep.
for (const profile of [heroku2013, heroku2025]) {
  const size = Object.keys(profile.sizes)[0];
  test(`${profile.name}: no usage costs nothing; more time never costs less`, (t) => {
    t.deepEqual(bill([], profile, MONTH), { dynoHours: 0, freeHours: 0, billableHours: 0, totalUsd: 0, monthlyUsd: 0, lines: [] });
    let last = -1;
    for (const hours of [0, 1, 100, 500, 749, 750, 751, 1000, 1440, 2000]) {
      const r = bill([usage('web.1', size, 0, hours * H), usage('web.2', size, 0, hours * H)], profile, 3 * MONTH);
      t.true(r.totalUsd >= last, `${hours} h`);
      t.true(Math.abs(r.dynoHours - (r.billableHours + r.freeHours / profile.sizes[size].freeHoursWeight)) < 1e-5);
      last = r.totalUsd;
    }
  });
}
