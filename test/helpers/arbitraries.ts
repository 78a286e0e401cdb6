/**
 * Generators of scenarios for the property tests (test/properties.test.ts) and the fuzz
 * script (scripts/fuzz.ts): valid ones across routers, sizes, concurrency, workers, events
 * and scaling, small enough to run in a fraction of a second; and invalid ones, a valid
 * one with one field made wrong.
 */
import fc from 'fast-check';

const SIZES_2013 = ['1X', '2X', 'PX'];
const SIZES_2025 = ['standard-1x', 'standard-2x', 'performance-m', 'performance-l'];
const POLICIES = ['random', 'round-robin', 'least-connections', 'power-of-two', 'power-of-d', 'shared-queue'];
const SERVICES = [
  { distribution: 'exponential', mean: '80ms' },
  { distribution: 'lognormal', median: '60ms', p99: '900ms' },
  { distribution: 'constant', value: '40ms' },
  { distribution: 'weibull', shape: 0.6, scale: '70ms' },
];

/** A valid scenario as a user would write it (a plain object, YAML-shaped). */
export const validScenario = fc
  .record({
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    era: fc.constantFrom('heroku-2013', 'heroku-2025'),
    sizeIx: fc.nat({ max: 3 }),
    count: fc.integer({ min: 1, max: 6 }),
    concurrency: fc.integer({ min: 1, max: 6 }),
    policy: fc.constantFrom(...POLICIES),
    routers: fc.constantFrom(1, 1, 2, 4),
    ratePerS: fc.double({ min: 0.5, max: 60, noNaN: true }),
    service: fc.constantFrom(...SERVICES),
    minutes: fc.integer({ min: 3, max: 20 }),
    worker: fc.option(fc.record({ count: fc.integer({ min: 1, max: 3 }), concurrency: fc.integer({ min: 1, max: 4 }), share: fc.double({ min: 0.05, max: 1, noNaN: true }) })),
    events: fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('restart'), atS: fc.nat({ max: 170 }) }),
        fc.record({ kind: fc.constant('release'), atS: fc.nat({ max: 170 }), crashOnBoot: fc.constantFrom(0, 0, 0.5) }),
        fc.record({ kind: fc.constant('crash'), atS: fc.nat({ max: 170 }), dyno: fc.integer({ min: 1, max: 6 }) }),
        fc.record({ kind: fc.constant('scale'), atS: fc.nat({ max: 170 }), to: fc.integer({ min: 0, max: 8 }) }),
        fc.record({ kind: fc.constant('failHost'), atS: fc.nat({ max: 170 }), host: fc.integer({ min: 1, max: 30 }) }),
      ),
      { maxLength: 4 },
    ),
    crashRate: fc.constantFrom(null, '2/h', '20/h'),
    preboot: fc.boolean(),
  })
  .map((g) => {
    const sizes = g.era === 'heroku-2013' ? SIZES_2013 : SIZES_2025;
    const size = sizes[g.sizeIx % sizes.length]!;
    const routers = g.policy === 'shared-queue' ? 1 : g.routers;
    const maxWeb = Math.max(g.count, ...g.events.map((e) => (e.kind === 'scale' ? e.to : 0)));
    const formation: Record<string, unknown> = {
      web: { count: g.count, size, concurrency: g.concurrency, ...(g.crashRate === null ? {} : { crashRate: g.crashRate }), ...(g.preboot && g.era === 'heroku-2025' ? { preboot: true } : {}) },
    };
    const classes: Record<string, unknown>[] = [{ name: 'GET /', weight: 1, service: g.service }];
    if (g.worker !== null) {
      formation['worker'] = { count: g.worker.count, size, concurrency: g.worker.concurrency };
      classes[0] = { ...classes[0], jobs: [{ queue: 'default', probability: g.worker.share, run: { distribution: 'exponential', mean: '300ms' } }] };
    }
    const events = g.events
      .map((e) => {
        const at = `${(e.atS / 180) * g.minutes * 60}s`;
        switch (e.kind) {
          case 'restart':
            return { at, restart: 'web' };
          case 'release':
            return { at, release: { crashOnBoot: e.crashOnBoot } };
          case 'crash':
            return e.dyno <= maxWeb ? { at, crash: `web.${e.dyno}` } : null;
          case 'scale':
            return { at, scale: { web: e.to } };
          case 'failHost':
            return { at, failHost: e.host };
        }
      })
      .filter((e) => e !== null);
    return {
      name: 'generated',
      seed: g.seed,
      duration: `${g.minutes}m`,
      dynoAges: 'zero',
      platform: { profile: g.era, router: { routers } },
      formation,
      router: { policy: g.policy },
      traffic: { rate: `${g.ratePerS.toFixed(3)}/s`, classes },
      events,
    };
  });

/** A field made wrong, with the path the problem must name. */
const BREAKS: ReadonlyArray<readonly [path: string, value: unknown]> = [
  ['duration', 30],
  ['duration', '-5m'],
  ['seed', 'abc'],
  ['formation.web.count', -1],
  ['formation.web.count', 'two'],
  ['formation.web.size', 'Standard-9X'],
  ['formation.web.concurrency', 0],
  ['router.policy', 'smart'],
  ['traffic.rate', '200rps'],
  ['traffic.rate', 'hourr * 3'],
  ['traffic.classes.0.service.distribution', 'gaussian'],
  ['events.0.at', 'tomorrow'],
  ['platform.router.routers', 0],
  ['platform.profile', 'heroku-2099'],
  ['dynoAges', 'old'],
];

/** An invalid scenario: a valid one with one field of BREAKS set wrong (events made to exist when the path needs one). */
export const invalidScenario = fc.tuple(validScenario, fc.nat({ max: BREAKS.length - 1 })).map(([s, k]) => {
  const [path, value] = BREAKS[k]!;
  const obj = structuredClone(s) as Record<string, unknown>;
  if (path.startsWith('events.') && (obj['events'] as unknown[]).length === 0) (obj['events'] as unknown[]).push({ at: '1m', restart: 'web' });
  setPath(obj, path, value);
  return { scenario: obj, path: path.startsWith('platform.profile') ? 'platform' : path };
});

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at: Record<string, unknown> = obj;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  at[keys.at(-1)!] = value;
}
