/**
 * The scenario's JSON Schema describes every field, as docs/scenario.md does: each
 * property and each record's value has a description, and descriptions.ts holds what the
 * page's tables say (scripts/schema-descriptions.ts writes it from them).
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioJsonSchema } from '../src/index.ts';
import { FIELD_DESCRIPTIONS } from '../src/scenario/schema/descriptions.ts';
import { describeFields } from '../src/scenario/schema/describe.ts';
import { DESCRIPTIONS_FILE, SCENARIO_DOC, descriptionsFromDocs, descriptionsSource } from '../scripts/schema-descriptions.ts';
import { ROOT } from './helpers/cli.ts';

type Node = { [key: string]: unknown };
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const forms = (n: Node): Node[] => [n, ...['anyOf', 'oneOf', 'allOf'].flatMap((k) => (Array.isArray(n[k]) ? (n[k] as unknown[]).filter(isNode).flatMap(forms) : []))];

/** Every field of a JSON Schema (properties, a record's values, list items' fields, in every branch) with its description. */
function fields(root: Node): Array<{ path: string; description: unknown }> {
  const out: Array<{ path: string; description: unknown }> = [];
  const walk = (node: Node, path: string): void => {
    for (const f of forms(node)) {
      if (isNode(f['properties'])) {
        for (const [k, v] of Object.entries(f['properties'] as Node)) {
          if (!isNode(v)) continue;
          const p = path === '' ? k : `${path}.${k}`;
          out.push({ path: p, description: v['description'] });
          walk(v, p);
        }
      }
      const extra = f['additionalProperties'];
      if (isNode(extra) && Object.keys(extra).length > 0) {
        out.push({ path: `${path}.<>`, description: extra['description'] });
        walk(extra, `${path}.<>`);
      }
      if (isNode(f['items'])) walk(f['items'] as Node, `${path}[]`);
    }
  };
  walk(root, '');
  return out;
}

const SCHEMA = scenarioJsonSchema() as Node;

test('every field of the scenario JSON Schema has a description', (t) => {
  const all = fields(SCHEMA);
  t.true(all.length > 250, `${all.length} fields walked`);
  const missing = all.filter((f) => typeof f.description !== 'string' || f.description.trim() === '').map((f) => f.path);
  t.deepEqual([...new Set(missing)], []);
  t.is(typeof SCHEMA['description'], 'string');
});

test('the walk finds a field without a description', (t) => {
  const bare = { type: 'object', properties: { a: { type: 'object', additionalProperties: { type: 'object', properties: { b: { type: 'number' } } } } } };
  const missing = fields(bare).filter((f) => f.description === undefined).map((f) => f.path);
  t.deepEqual(missing, ['a', 'a.<>', 'a.<>.b']);
  // describeFields describes only the fields it knows.
  t.deepEqual(fields(describeFields({ type: 'object', properties: { seed: { type: 'integer' }, nope: { type: 'string' } } }, 'x')), [
    { path: 'seed', description: FIELD_DESCRIPTIONS['seed'] },
    { path: 'nope', description: undefined },
  ]);
});

test('descriptions.ts says what docs/scenario.md says (run node scripts/schema-descriptions.ts after changing the page)', (t) => {
  const fromDocs = descriptionsFromDocs(readFileSync(join(ROOT, SCENARIO_DOC), 'utf8'));
  t.deepEqual(FIELD_DESCRIPTIONS, fromDocs);
  t.is(readFileSync(join(ROOT, DESCRIPTIONS_FILE), 'utf8'), descriptionsSource(fromDocs));
});

test('descriptions read as the page\'s rows: meaning, then default; links lead somewhere; † spelt out', (t) => {
  const at = (path: string): string => fields(SCHEMA).find((f) => f.path === path)!.description as string;
  t.is(at('formation.<>.count'), 'dynos of the type (web 0: H14 for every request). Required.');
  t.is(at('calendar.timezone'), "IANA zone of the calendar's clock (Europe/Paris); daylight saving followed. Default: UTC.");
  t.regex(at('platform'), /\(see docs\/scenario\.md#overriding-the-platform\)/);
  t.regex(at('platform.hosts.mtbf'), /\(a number Heroku does not publish\)\. Default: never\.$/);
  // A distribution's fields are described as traffic.service's, wherever one is taken.
  const serviceMean = at('traffic.service.mean');
  t.is(serviceMean, 'exponential: the mean; lognormal: the mean (or give median). Required for exponential.');
  for (const p of ['platform.sizes.<>.boot.mean', 'jobs[].run.mean', 'scheduler[].run.mean', 'events[].run.for.mean', 'traffic.classes[].jobs[].run.mean']) t.is(at(p), serviceMean, p);
  t.is(at('platform.sizes.<>.boot'), 'the boot time, a distribution as traffic.service. Default: log-normal, median 35 s, p99 55 s (a number Heroku does not publish).');
});
