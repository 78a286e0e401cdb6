/**
 * The conformance suite every price rule runs (in the manner of Hono's shared router
 * tests), under every platform profile and on every one of its sizes: no time costs
 * nothing; more time never costs less; a usage is billed for its length rounded up to the
 * second, at what the rule's published price says for that many seconds; the rule is
 * additive where it is linear; the free allowance is free; the monthly cap holds where
 * the rule has one; one usage list gives one bill. Then the published worked example of
 * 2013. Rules are keyed by `billing.pricePer`, so a new kind of price fails to
 * type-check here until it has an entry, and every profile is checked against its rule.
 */
import test from 'ava';
import { bill, type DynoUsage } from '../src/model/billing/bill.ts';
import { hourly } from '../src/model/billing/hourly.ts';
import { monthly } from '../src/model/billing/monthly.ts';
import type { MonthPiece, PriceRule } from '../src/model/billing/priceRule.ts';
import { Streams } from '../src/engine/streams.ts';
import { heroku2013 } from '../src/model/platform/heroku2013.ts';
import { heroku2025 } from '../src/model/platform/heroku2025.ts';
import type { BillingRules, DynoSize, PlatformProfile } from '../src/model/platform/profile.ts';
import { PROFILES } from '../src/model/platform/profiles.ts';

const S = 1_000_000;
const H = 3_600 * S;

interface RuleSpec {
  readonly rule: PriceRule;
  /** What one dyno running `seconds` of one month costs with no free hours, from the rule's published terms. */
  readonly publishedUsd: (size: DynoSize, seconds: number, billing: BillingRules) => number;
  /** Whether a dyno pays at most its size's price in one billing month. */
  readonly capped: boolean;
}

const RULES: Readonly<Record<BillingRules['pricePer'], RuleSpec>> = {
  // 2013: a price per dyno-hour, no cap.
  hour: { rule: hourly, publishedUsd: (size, s) => (size.priceUsd * s) / 3_600, capped: false },
  // Today: a price per dyno-month, prorated to the second, capped at one month's price.
  month: {
    rule: monthly,
    publishedUsd: (size, s, billing) => size.priceUsd * Math.min(1, (s * S) / billing.monthUs),
    capped: true,
  },
};

/** Cents as the bill rounds them. */
const cents = (usd: number): number => Math.round(usd * 100) / 100;
/** Half a cent, the most cent rounding moves a sum, and float slack. */
const ROUNDING = 0.005 + 1e-9;

function usage(dyno: string, size: string, startUs: number, endUs: number): DynoUsage {
  return { processType: dyno.split('.')[0]!, dyno, size, startUs, endUs };
}

function withBilling(p: PlatformProfile, billing: Partial<BillingRules>): PlatformProfile {
  return { ...p, billing: { ...p.billing, ...billing } };
}

/** A profile whose sizes cost $1 a second (per hour: $3600; per month: a month's seconds). */
function pricy(p: PlatformProfile): PlatformProfile {
  const perSecond = p.billing.pricePer === 'hour' ? 3_600 : p.billing.monthUs / S;
  const sizes = Object.fromEntries(Object.entries(p.sizes).map(([k, s]) => [k, { ...s, priceUsd: perSecond }]));
  return { ...withBilling(p, { freeHoursPerMonth: 0 }), sizes };
}

function piece(dyno: string, size: DynoSize, hours: number): MonthPiece {
  return { processType: dyno.split('.')[0]!, dyno, size, hours };
}

test('every kind of price the profiles use has a rule here', (t) => {
  for (const p of Object.values(PROFILES)) t.true(Object.hasOwn(RULES, p.billing.pricePer), p.name);
  t.deepEqual(Object.keys(RULES).sort(), ['hour', 'month']);
});

for (const [profileName, profile] of Object.entries(PROFILES)) {
  const spec = RULES[profile.billing.pricePer];
  const monthUs = profile.billing.monthUs;
  const monthHours = monthUs / H;
  const noFree = withBilling(profile, { freeHoursPerMonth: 0 });
  // Eco is a flat subscription, not priced by the rule (its own test is below).
  const sizes = Object.keys(profile.sizes).filter((z) => z !== profile.eco?.size);
  const title = `${profileName} (per ${profile.billing.pricePer})`;

  test(`${title}: a zero-length usage costs nothing, and so does a reversed one`, (t) => {
    for (const size of sizes) {
      for (const p of [profile, noFree]) {
        const r = bill([usage('web.1', size, 5 * H, 5 * H), usage('web.2', size, 7 * H, 6 * H)], p, monthUs);
        t.is(r.totalUsd, 0, size);
        t.is(r.dynoHours, 0, size);
        t.is(r.monthlyUsd, 0, size);
      }
      t.is(spec.rule([piece('web.1', profile.sizes[size]!, 0)], noFree.billing)[0]!.usd, 0);
    }
    t.is(bill([], profile, monthUs).totalUsd, 0);
  });

  test(`${title}: more time never costs less, and some time costs something`, (t) => {
    const lengthsS = [0, 1, 2, 59, 60, 3_599, 3_600, 86_400, 375 * 3_600, 750 * 3_600, 751 * 3_600, 720 * 3_600, 1.5 * 720 * 3_600, 2.5 * 720 * 3_600];
    lengthsS.sort((a, b) => a - b);
    for (const size of sizes) {
      for (const p of [profile, noFree]) {
        let prev = -Infinity;
        for (const s of lengthsS) {
          const usd = bill([usage('web.1', size, 0, s * S)], p, monthUs).totalUsd;
          t.true(usd >= prev, `${size}: ${s} s costs ${usd} after ${prev}`);
          prev = usd;
        }
        // (One 2013 1X dyno stays inside the 750 free hours of every 720 h month.)
        if (p === noFree) t.true(prev > 0, size);
      }
      // Unrounded, at the rule itself, hour by hour through two months' worth of one month's pieces.
      let prev = -Infinity;
      for (let h = 0; h <= 2 * monthHours; h += 7.5) {
        const usd = spec.rule([piece('web.1', profile.sizes[size]!, h)], profile.billing)[0]!.usd;
        t.true(usd >= prev, `${size}: ${h} h costs ${usd} after ${prev}`);
        prev = usd;
      }
    }
  });

  test(`${title}: a usage is billed for its seconds, rounded up, at the published price`, (t) => {
    const u = new Streams(7).stream('billing');
    for (const size of sizes) {
      for (let k = 0; k < 50; k++) {
        const seconds = 1 + Math.floor(u.next() * (monthUs / S - 1));
        const startUs = Math.floor(u.next() * 10) * S;
        const want = spec.publishedUsd(profile.sizes[size]!, seconds, profile.billing);
        // Within one billing month, so the whole usage is one piece.
        const exact = bill([usage('web.1', size, startUs, startUs + seconds * S)], noFree, monthUs + 10 * S);
        const within = (x: number): boolean => Math.abs(x - want) <= ROUNDING;
        t.true(within(exact.totalUsd) && exact.totalUsd === cents(exact.totalUsd), `${size} ${seconds} s: ${exact.totalUsd} vs ${want}`);
        t.is(exact.dynoHours, Math.round((seconds / 3_600) * 1e6) / 1e6);
        // A part of a second is billed as a whole one.
        const part = bill([usage('web.1', size, startUs, startUs + (seconds - 0.6) * S)], noFree, monthUs + 10 * S);
        t.is(part.totalUsd, exact.totalUsd, `${size} ${seconds - 0.6} s`);
      }
    }
    // At $1 a second no rounding to cents can hide a second.
    const p = pricy(profile);
    for (const seconds of [1, 2, 61, 3_601, 86_399]) {
      t.is(bill([usage('web.1', sizes[0]!, 0, seconds * S)], p, monthUs).totalUsd, seconds);
      t.is(bill([usage('web.1', sizes[0]!, 0, (seconds - 0.5) * S)], p, monthUs).totalUsd, seconds);
      t.is(bill([usage('web.1', sizes[0]!, 0, (seconds + 0.5) * S)], p, monthUs).totalUsd, seconds + 1);
    }
  });

  test(`${title}: additive over disjoint usages where the rule is linear`, (t) => {
    const u = new Streams(11).stream('billing');
    for (let trial = 0; trial < 20; trial++) {
      // Different dynos, each under a month (both rules are linear there), any sizes.
      const pieces = Array.from({ length: 2 + Math.floor(u.next() * 6) }, (_, i) =>
        piece(`web.${i + 1}`, profile.sizes[sizes[Math.floor(u.next() * sizes.length)]!]!, u.next() * monthHours * 0.9));
      const together = spec.rule(pieces, noFree.billing).reduce((a, c) => a + c.usd, 0);
      const apart = pieces.reduce((a, pc) => a + spec.rule([pc], noFree.billing)[0]!.usd, 0);
      t.true(Math.abs(together - apart) <= 1e-9 * Math.max(1, apart), `${together} vs ${apart}`);
      // One dyno stopped and started: its pieces add up while the month is not full.
      const parts = [0.1, 0.3, 0.25].map((f) => piece('web.1', pieces[0]!.size, f * monthHours * u.next()));
      const one = spec.rule(parts, noFree.billing).reduce((a, c) => a + c.usd, 0);
      const sum = parts.reduce((a, pc) => a + spec.rule([pc], noFree.billing)[0]!.usd, 0);
      t.true(Math.abs(one - sum) <= 1e-9 * Math.max(1, sum), `${one} vs ${sum}`);
    }
    // Through the bill, with disjoint usages of many dynos over three months: the cents add up.
    const usages = Array.from({ length: 12 }, (_, i) => {
      const start = Math.floor(u.next() * 2.5 * monthUs / S) * S;
      return usage(`web.${i + 1}`, sizes[i % sizes.length]!, start, start + Math.floor(u.next() * 0.4 * monthUs / S) * S);
    });
    const total = bill(usages, noFree, 3 * monthUs).totalUsd;
    const sum = usages.reduce((a, x) => a + bill([x], noFree, 3 * monthUs).totalUsd, 0);
    t.true(Math.abs(total - sum) <= ROUNDING * (usages.length + 1), `${total} vs ${sum}`);
  });

  test(`${title}: hours inside the free allowance cost nothing; past it, each hour costs its price`, (t) => {
    const free = withBilling(profile, { freeHoursPerMonth: 100 });
    for (const size of sizes) {
      const s = profile.sizes[size]!;
      if (s.freeHoursWeight <= 0) continue;
      const coveredH = 100 / s.freeHoursWeight;
      const inside = bill([usage('web.1', size, 0, coveredH * H)], free, monthUs);
      t.is(inside.totalUsd, 0, size);
      t.is(inside.freeHours, 100, size);
      // Ten hours past the allowance cost what ten hours cost with no allowance at all.
      const past = bill([usage('web.1', size, 0, (coveredH + 10) * H)], free, monthUs);
      t.is(past.billableHours, 10, size);
      const tenHours = spec.rule([piece('web.1', s, 10)], noFree.billing)[0]!.usd;
      t.true(Math.abs(past.totalUsd - tenHours) <= ROUNDING, `${size}: ${past.totalUsd} vs ${tenHours}`);
    }
  });

  test(`${title}: ${spec.capped ? 'a dyno never pays more than its monthly price in a month' : 'no monthly cap: a month costs every hour of it'}`, (t) => {
    for (const size of sizes) {
      const s = profile.sizes[size]!;
      const month = spec.rule([piece('web.1', s, monthHours)], noFree.billing)[0]!.usd;
      const doubled = spec.rule([piece('web.1', s, monthHours), piece('web.1', s, monthHours)], noFree.billing).reduce((a, c) => a + c.usd, 0);
      const twoDynos = spec.rule([piece('web.1', s, monthHours), piece('web.2', s, monthHours)], noFree.billing).reduce((a, c) => a + c.usd, 0);
      // 85 % of the month, run in three stretches with gaps, through the bill.
      const stretches = [usage('web.1', size, 0, 0.2 * monthUs), usage('web.1', size, 0.3 * monthUs, 0.7 * monthUs), usage('web.1', size, 0.75 * monthUs, monthUs)];
      const inStretches = bill(stretches, noFree, monthUs).totalUsd;
      const twoMonths = bill([usage('web.1', size, 0, 2 * monthUs)], noFree, 2 * monthUs).totalUsd;
      if (spec.capped) {
        t.true(Math.abs(month - s.priceUsd) <= 1e-9 * s.priceUsd, size);
        t.true(Math.abs(doubled - s.priceUsd) <= 1e-9 * s.priceUsd, `${size}: ${doubled}`);
        t.true(inStretches < s.priceUsd, size);
        t.is(cents(spec.publishedUsd(s, 0.85 * monthUs / S, noFree.billing)), inStretches, size);
      } else {
        t.true(Math.abs(month - s.priceUsd * monthHours) <= 1e-9 * month, size);
        t.true(Math.abs(doubled - 2 * month) <= 1e-9 * month, `${size}: ${doubled}`);
        t.is(inStretches, cents(s.priceUsd * 0.85 * monthHours), size);
      }
      // Each dyno has its own cap, and each month its own.
      t.true(Math.abs(twoDynos - 2 * month) <= 1e-9 * month, size);
      t.true(Math.abs(twoMonths - 2 * cents(month)) <= 2 * ROUNDING, `${size}: ${twoMonths}`);
    }
  });

  test(`${title}: one usage list gives one bill`, (t) => {
    const u = new Streams(3).stream('billing');
    const usages = Array.from({ length: 20 }, (_, i) => {
      const start = u.next() * 2 * monthUs;
      return usage(`${i % 3 === 0 ? 'worker' : 'web'}.${i}`, sizes[i % sizes.length]!, start, start + u.next() * monthUs);
    });
    const a = bill(usages, profile, 2 * monthUs);
    t.deepEqual(bill(usages, profile, 2 * monthUs), a);
    t.deepEqual(bill(usages.map((x) => ({ ...x })), profile, 2 * monthUs), a);
    t.true(a.totalUsd > 0);
  });
}

test('heroku-2013, the published example at the rule: two 1X dynos for a 30-day month, (1440 − 750) h × $0.05 = $34.50', (t) => {
  // bill() on the same month is test/billing.test.ts's; here the hourly rule alone gives the figure.
  t.is(heroku2013.billing.monthUs, 30 * 24 * H);
  const size = heroku2013.sizes['1X']!;
  const costs = hourly([piece('web.1', size, 720), piece('web.2', size, 720)], heroku2013.billing);
  t.true(Math.abs(costs.reduce((a, c) => a + c.usd, 0) - 34.5) < 1e-9);
});

test('heroku-2025, Eco: a month in which any Eco dyno ran costs the flat price once, whatever the hours and the dynos', (t) => {
  const p = heroku2025;
  const month = p.billing.monthUs;
  const price = p.sizes['eco']!.priceUsd;
  t.is(bill([usage('web.1', 'eco', 0, S)], p, month).totalUsd, price);
  t.is(bill([usage('web.1', 'eco', 0, month)], p, month).totalUsd, price);
  // Web and worker on Eco, and stopped and started again: one subscription, shared by their hours.
  const two = bill([usage('web.1', 'eco', 0, 100 * H), usage('worker.1', 'eco', 0, 300 * H), usage('web.1', 'eco', 200 * H, 300 * H)], p, month);
  t.is(two.totalUsd, price);
  t.deepEqual(two.lines.map((l) => [l.processType, l.totalUsd]), [['web', 2], ['worker', 3]]);
  // Each month its own subscription; no usage, no charge; other sizes as before.
  t.is(bill([usage('web.1', 'eco', 0, 2 * month)], p, 2 * month).totalUsd, 2 * price);
  t.is(bill([usage('web.1', 'eco', 0, 0)], p, month).totalUsd, 0);
  t.is(bill([usage('web.1', 'eco', 0, month), usage('worker.1', 'standard-1x', 0, month)], p, month).totalUsd, price + p.sizes['standard-1x']!.priceUsd);
});
