/**
 * The scenario's JSON Schema with a description on every field, for editors to show on
 * hover: each property (and each record's value, under `<>`) gets its field's text from
 * descriptions.ts, as docs/scenario.md gives it. A service-time distribution's own fields
 * (`distribution`, `mean`, `p99` …) are described once, under `traffic.service`, wherever
 * a distribution is taken (`platform.sizes.<>.boot`, `jobs[].run` …).
 */
import { FIELD_DESCRIPTIONS } from './descriptions.ts';

type Node = { [key: string]: unknown };

/** Where a distribution's fields are described. */
const DISTRIBUTION_HOME = 'traffic.service';

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The forms a node takes: itself and every branch of its unions. */
function forms(node: Node): Node[] {
  const out = [node];
  for (const k of ['anyOf', 'oneOf', 'allOf']) {
    const branches = node[k];
    if (Array.isArray(branches)) for (const b of branches) if (isNode(b)) out.push(...forms(b));
  }
  return out;
}

/** A distribution: a choice of objects told apart by a constant `distribution`. */
function isDistribution(node: Node): boolean {
  const branches = forms(node).slice(1).filter((b) => isNode(b['properties']));
  return branches.length > 1 && branches.every((b) => isNode((b['properties'] as Node)['distribution']) && ((b['properties'] as Node)['distribution'] as Node)['const'] !== undefined);
}

/** The description of a field path, or of the field a distribution's field stands for. */
function describedAs(path: string, inDistribution: boolean): string | undefined {
  if (inDistribution) return FIELD_DESCRIPTIONS[`${DISTRIBUTION_HOME}.${path.slice(path.lastIndexOf('.') + 1)}`];
  return FIELD_DESCRIPTIONS[path];
}

/** Puts a description on every field of `schema` (a zod-made JSON Schema, changed in place) and returns it. */
export function describeFields<T extends object>(schema: T, top: string): T {
  const walk = (node: Node, path: string): void => {
    const dist = path !== '' && isDistribution(node);
    for (const form of forms(node)) {
      const set = (sub: unknown, p: string): void => {
        if (!isNode(sub)) return;
        const text = describedAs(p, dist);
        if (text !== undefined) sub['description'] = text;
        walk(sub, p);
      };
      if (isNode(form['properties'])) for (const [name, sub] of Object.entries(form['properties'] as Node)) set(sub, path === '' ? name : `${path}.${name}`);
      const extra = form['additionalProperties'];
      if (isNode(extra) && Object.keys(extra).length > 0) set(extra, `${path}.<>`);
      if (isNode(form['items'])) walk(form['items'] as Node, `${path}[]`);
    }
  };
  (schema as Node)['description'] = top;
  walk(schema as Node, '');
  return schema;
}
