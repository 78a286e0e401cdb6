/**
 * The documentation says what dynosim does: every field of the scenario schema is
 * documented in docs/scenario.md and every field documented there is one of the schema;
 * every command and option `dynosim --help` lists is documented in docs/commands.md,
 * and nothing more; every relative link in README.md and docs/*.md reaches a file of the
 * repository (and a heading, when it names one); every docs page can be reached from the
 * README and the docs index.
 *
 * docs/scenario.md names each field in the first cell of a table headed `field`, as its
 * path in backticks: names joined by dots (`traffic.rate`), `<name>` for a key the user
 * chooses (`formation.<process>.size`), `[]` after a list whose items have fields
 * (`events[].at`). A field with several forms (`platform`: a profile's name or a mapping)
 * is one path, the fields of every form below it. A service-time distribution's fields
 * are listed once, under `traffic.service`; every other field taking a distribution is
 * one path, and must take exactly the distribution documented there.
 */
import test from 'ava';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { scenarioJsonSchema } from '../src/index.ts';
import { dynosim, ROOT } from './helpers/cli.ts';

type Schema = { [key: string]: unknown };

/** Where a distribution's fields are documented. */
const DISTRIBUTION_HOME = 'traffic.service';
const SCENARIO_DOC = 'docs/scenario.md';

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The forms a schema node can take: itself and its anyOf/oneOf/allOf branches, $refs followed. */
function forms(node: Schema, root: Schema, seen: Set<Schema> = new Set()): Schema[] {
  if (seen.has(node)) return [];
  seen.add(node);
  let self = node;
  if (typeof node['$ref'] === 'string') {
    const target = (node['$ref'] as string)
      .replace(/^#\/?/, '')
      .split('/')
      .filter((p) => p !== '')
      .reduce<unknown>((at, key) => (isObject(at) ? at[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), root);
    if (!isObject(target)) throw new Error(`unresolved $ref ${node['$ref']}`);
    self = target;
  }
  const out = [self];
  for (const k of ['anyOf', 'oneOf', 'allOf']) {
    const branches = self[k];
    if (Array.isArray(branches)) for (const b of branches) if (isObject(b)) out.push(...forms(b, root, seen));
  }
  return out;
}

/** A service-time distribution: a choice among objects told apart by a constant `distribution`. */
function isDistribution(node: Schema): boolean {
  const branches = node['oneOf'] ?? node['anyOf'];
  return (
    Array.isArray(branches) &&
    branches.length > 0 &&
    branches.every((b) => isObject(b) && isObject(b['properties']) && isObject((b['properties'] as Schema)['distribution']) && ((b['properties'] as Schema)['distribution'] as Schema)['const'] !== undefined)
  );
}

/** Every field path of a JSON Schema, in the notation above with `<>` for a chosen key; and the distributions met, by path. */
function schemaFields(root: Schema): { fields: Set<string>; distributions: Map<string, Schema> } {
  const fields = new Set<string>();
  const distributions = new Map<string, Schema>();
  const walk = (node: Schema, path: string, depth: number): void => {
    if (depth > 40) throw new Error(`schema nested too deep at ${path}`);
    const all = forms(node, root);
    const dist = all.find(isDistribution);
    if (dist !== undefined && path !== '') {
      distributions.set(path, dist);
      if (path !== DISTRIBUTION_HOME) return;
    }
    for (const form of all) {
      if (isObject(form['properties'])) {
        for (const [name, sub] of Object.entries(form['properties'] as Schema)) {
          const p = path === '' ? name : `${path}.${name}`;
          fields.add(p);
          if (isObject(sub)) walk(sub, p, depth + 1);
        }
      }
      const extra = form['additionalProperties'];
      // A record of anything ({}) has no fields of its own to document.
      if (isObject(extra) && Object.keys(extra).length > 0) {
        const p = `${path}.<>`;
        fields.add(p);
        walk(extra, p, depth + 1);
      }
      const items = form['items'];
      if (isObject(items)) walk(items, `${path}[]`, depth + 1);
    }
  };
  walk(root, '', 0);
  return { fields, distributions };
}

const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\[\])*(\.(<[a-z][a-z-]*>|[A-Za-z_][A-Za-z0-9_]*)(\[\])*)*$/;

/** Blank out fenced code blocks, keeping line numbers. */
const withoutFences = (markdown: string): string[] => {
  let fenced = false;
  return markdown.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line;
  });
};

/** The fields a page documents: the first cells of the tables headed `field`, with their lines. */
function documentedFields(markdown: string): { fields: { path: string; line: number }[]; problems: string[] } {
  const fields: { path: string; line: number }[] = [];
  const problems: string[] = [];
  const lines = withoutFences(markdown);
  const cells = (line: string): string[] => line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\|/.test(lines[i]!) || cells(lines[i]!)[0] !== 'field' || (i > 0 && /^\s*\|/.test(lines[i - 1]!))) continue;
    if (!/^\s*\|[\s|:-]+\|?\s*$/.test(lines[i + 1] ?? '')) continue; // not a table's header row
    for (let j = i + 2; j < lines.length && /^\s*\|/.test(lines[j]!); j++) {
      const first = cells(lines[j]!)[0]!;
      const m = /^`([^`]+)`$/.exec(first);
      if (m === null || !PATH.test(m[1]!)) problems.push(`line ${j + 1}: the first cell should be one field path in backticks, got ${first}`);
      else fields.push({ path: m[1]!, line: j + 1 });
    }
  }
  return { fields, problems };
}

const normalise = (path: string): string => path.replace(/<[^>]+>/g, '<>');

const SCHEMA = schemaFields(scenarioJsonSchema() as Schema);
const DOCUMENTED = documentedFields(readFileSync(join(ROOT, SCENARIO_DOC), 'utf8'));

test('the schema walk lists the fields of properties, records, list items and every branch of a union, and follows $refs', (t) => {
  const dist = {
    oneOf: [
      { type: 'object', properties: { distribution: { const: 'constant' }, value: { type: 'string' } } },
      { type: 'object', properties: { distribution: { const: 'exponential' }, mean: { type: 'string' } } },
    ],
  };
  const schema: Schema = {
    type: 'object',
    $defs: { job: { type: 'object', properties: { queue: { type: 'string' }, run: dist } } },
    properties: {
      name: { type: 'string' },
      formation: { type: 'object', additionalProperties: { type: 'object', properties: { count: { type: 'integer' } } } },
      events: { type: 'array', items: { type: 'object', properties: { at: { type: 'string' }, jobs: { type: 'array', items: { $ref: '#/$defs/job' } } } } },
      platform: { anyOf: [{ type: 'string' }, { type: 'object', properties: { profile: { type: 'string' } } }] },
      variants: { type: 'object', additionalProperties: { type: 'object', additionalProperties: {} } },
      zones: { type: 'array', items: { type: 'string' } },
      traffic: { type: 'object', properties: { service: dist } },
    },
  };
  const { fields, distributions } = schemaFields(schema);
  t.deepEqual(
    [...fields].sort(),
    [
      'events',
      'events[].at',
      'events[].jobs',
      'events[].jobs[].queue',
      'events[].jobs[].run',
      'formation',
      'formation.<>',
      'formation.<>.count',
      'name',
      'platform',
      'platform.profile',
      'traffic',
      'traffic.service',
      'traffic.service.distribution',
      'traffic.service.mean',
      'traffic.service.value',
      'variants',
      'variants.<>',
      'zones',
    ],
  );
  t.deepEqual([...distributions.keys()].sort(), ['events[].jobs[].run', 'traffic.service']);
});

test('the notation is parsed from tables headed `field` only, and a first cell that is not one path is reported', (t) => {
  const page = [
    '| field | meaning |',
    '|---|---|',
    '| `formation.<process>.size` | a size |',
    '| `events[].at` | when |',
    '| formation.web | no backticks |',
    '',
    '| variable | meaning |',
    '|---|---|',
    '| `hour` | not a field |',
    '',
    '```',
    '| field | meaning |',
    '|---|---|',
    '| `inside.a.fence` | not a field |',
    '```',
  ].join('\n');
  const { fields, problems } = documentedFields(page);
  t.deepEqual(fields, [
    { path: 'formation.<process>.size', line: 3 },
    { path: 'events[].at', line: 4 },
  ]);
  t.is(problems.length, 1);
  t.regex(problems[0]!, /^line 5: /);
});

test(`${SCENARIO_DOC} names every field in the notation, each once`, (t) => {
  t.deepEqual(DOCUMENTED.problems, []);
  t.true(DOCUMENTED.fields.length > 100, `only ${DOCUMENTED.fields.length} fields found: is the table header still \`field\`?`);
  const seen = new Map<string, number>();
  const twice: string[] = [];
  for (const f of DOCUMENTED.fields) {
    const n = normalise(f.path);
    if (seen.has(n)) twice.push(`${f.path} (lines ${seen.get(n)} and ${f.line})`);
    else seen.set(n, f.line);
  }
  t.deepEqual(twice, [], 'documented more than once');
  // A chosen key is named alike wherever it appears under the same path.
  const names = new Map<string, Set<string>>();
  for (const f of DOCUMENTED.fields) {
    const parts = f.path.split('.');
    parts.forEach((part, i) => {
      if (!part.startsWith('<')) return;
      const prefix = normalise(parts.slice(0, i).join('.'));
      names.set(prefix, (names.get(prefix) ?? new Set()).add(part.replace(/\[\]$/, '')));
    });
  }
  t.deepEqual(
    [...names].filter(([, n]) => n.size > 1).map(([p, n]) => `${p}: ${[...n].join(', ')}`),
    [],
    'one key named two ways',
  );
});

test(`every field of the scenario schema is documented in ${SCENARIO_DOC}`, (t) => {
  const documented = new Set(DOCUMENTED.fields.map((f) => normalise(f.path)));
  const missing = [...SCHEMA.fields].filter((f) => !documented.has(f));
  t.deepEqual(missing, [], `fields of the schema that ${SCENARIO_DOC} does not document (<> is a key of your choice)`);
});

test(`every field ${SCENARIO_DOC} documents is a field of the scenario schema`, (t) => {
  const bogus = DOCUMENTED.fields.filter((f) => !SCHEMA.fields.has(normalise(f.path))).map((f) => `${f.path} (line ${f.line})`);
  t.deepEqual(bogus, [], `fields ${SCENARIO_DOC} documents that the schema does not have`);
});

test(`every field taking a distribution takes the one documented under ${DISTRIBUTION_HOME}`, (t) => {
  const home = SCHEMA.distributions.get(DISTRIBUTION_HOME);
  if (home === undefined) return t.fail(`${DISTRIBUTION_HOME} is no longer a distribution: move the distribution's fields in ${SCENARIO_DOC} and DISTRIBUTION_HOME here`);
  t.true(SCHEMA.distributions.size >= 7, `distributions found at ${[...SCHEMA.distributions.keys()].join(', ')}`);
  // The field's own description (boot time, run time …) is not the distribution's.
  const own = ({ description: _, ...d }: Schema): Schema => d;
  const differ = [...SCHEMA.distributions].filter(([, d]) => !isDeepStrictEqual(own(d), own(home))).map(([p]) => p);
  t.deepEqual(differ, [], `these take a distribution whose fields differ from ${DISTRIBUTION_HOME}'s: document them apart`);
});

// Commands.

/** The options a `--help` text lists under "Options:", and the commands under "Commands:". */
function helpOf(text: string): { options: string[]; commands: string[] } {
  const options: string[] = [];
  const commands: string[] = [];
  let section = '';
  for (const line of text.split('\n')) {
    const head = /^(\w[\w ]*):\s*$/.exec(line);
    if (head !== null) {
      section = head[1]!;
      continue;
    }
    if (section === 'Options') {
      const m = /^  (-\w, )?(--[\w-]+)/.exec(line);
      if (m !== null) options.push(...(m[1] === undefined ? [] : [m[1].slice(0, -2)]), m[2]!);
    } else if (section === 'Commands') {
      const m = /^  ([a-z][\w-]*)/.exec(line);
      if (m !== null && m[1] !== 'help') commands.push(m[1]!);
    }
  }
  return { options, commands };
}

/** The options docs/commands.md documents, by section (`dynosim run` …): the flags in the first cells of tables headed `option`. */
function documentedOptions(markdown: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let section = '';
  let inTable = false;
  for (const line of withoutFences(markdown)) {
    const h = /^##\s+`([^`]+)`/.exec(line);
    if (h !== null) {
      section = h[1]!;
      if (!out.has(section)) out.set(section, []);
    } else if (/^#{1,2}\s/.test(line)) section = '';
    if (/^\|\s*option\s*\|/.test(line)) {
      inTable = true;
      continue;
    }
    if (!/^\s*\|/.test(line)) inTable = false;
    if (!inTable || /^\s*\|[\s|:-]+\|?\s*$/.test(line)) continue;
    const first = line.trim().replace(/^\|/, '').split('|')[0]!;
    const flags = [...first.matchAll(/`(--?[\w-]+)/g)].map((m) => m[1]!);
    out.set(section, [...(out.get(section) ?? []), ...flags]);
  }
  return out;
}

test('every command and option of `dynosim --help` is documented in docs/commands.md, and no other', (t) => {
  const documented = documentedOptions(readFileSync(join(ROOT, 'docs/commands.md'), 'utf8'));
  const top = dynosim(['--help']);
  t.is(top.status, 0, top.stderr);
  const { commands, options } = helpOf(top.stdout);
  t.true(commands.length >= 9, `commands found: ${commands.join(', ')}`);
  const problems: string[] = [];
  const against = (what: string, listed: readonly string[], doc: readonly string[] | undefined): void => {
    if (doc === undefined) return void problems.push(`${what}: no section headed \`${what}\``);
    for (const o of listed) if (!doc.includes(o)) problems.push(`${what}: ${o} is not documented`);
    for (const o of doc) if (!listed.includes(o)) problems.push(`${what}: ${o} is documented but --help does not list it`);
  };
  against('dynosim', options, documented.get('dynosim'));
  for (const command of commands) {
    const help = dynosim([command, '--help']);
    t.is(help.status, 0, help.stderr);
    // --help is every command's, documented once for dynosim itself.
    against(`dynosim ${command}`, helpOf(help.stdout).options.filter((o) => o !== '--help' && o !== '-h'), documented.get(`dynosim ${command}`));
  }
  for (const section of documented.keys()) {
    if (section !== 'dynosim' && !commands.includes(section.replace(/^dynosim /, ''))) problems.push(`${section}: documented, but --help lists no such command`);
  }
  t.deepEqual(problems, []);
});

// Links.

/** README.md and every page of docs/. */
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

/** GitHub's anchors for a page's headings: lower case, punctuation dropped, spaces as dashes, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  const count = new Map<string, number>();
  for (const line of withoutFences(markdown)) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h === null) continue;
    const text = h[1]!.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]+>/g, '');
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const n = count.get(slug) ?? 0;
    count.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

/** The targets of a page's inline links and images, and of its link definitions, outside code. */
function links(markdown: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  withoutFences(markdown).forEach((raw, i) => {
    const line = raw.replace(/`[^`]*`/g, 'code');
    for (const m of line.matchAll(/!?\[(?:[^\]]|\][^(])*?\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ target: m[1]!, line: i + 1 });
    const def = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(\s|$)/.exec(line);
    if (def !== null) out.push({ target: def[1]!, line: i + 1 });
  });
  return out;
}

test('link and anchor parsing: inline links, images, definitions and code spans', (t) => {
  const page = ['# Commands', '## `dynosim run`', '## What a month costs: `dynosim cost`', '## Commands', 'See [run](#dynosim-run), ![chart](a.svg "t") and `[not](a link)`.', '[def]: other.md#x', '```', '[fenced](nope.md)', '```'].join('\n');
  t.deepEqual([...anchors(page)], ['commands', 'dynosim-run', 'what-a-month-costs-dynosim-cost', 'commands-1']);
  t.deepEqual(links(page), [
    { target: '#dynosim-run', line: 5 },
    { target: 'a.svg', line: 5 },
    { target: 'other.md#x', line: 6 },
  ]);
});

test('every relative link in README.md and docs/*.md reaches a file of the repository, and its heading', (t) => {
  const broken: string[] = [];
  let checked = 0;
  for (const page of PAGES) {
    const text = readFileSync(join(ROOT, page), 'utf8');
    for (const { target, line } of links(text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …
      checked++;
      const [path, anchor] = target.split('#', 2) as [string, string | undefined];
      const file = path === '' ? join(ROOT, page) : resolve(dirname(join(ROOT, page)), decodeURIComponent(path));
      const where = `${page}:${line}: ${target}`;
      if (relative(ROOT, file).startsWith('..')) broken.push(`${where} (outside the repository)`);
      else if (!existsSync(file)) broken.push(`${where} (no such file)`);
      else if (anchor !== undefined && anchor !== '' && file.endsWith('.md') && statSync(file).isFile() && !anchors(readFileSync(file, 'utf8')).has(anchor)) {
        broken.push(`${where} (no heading #${anchor} in ${relative(ROOT, file)})`);
      }
    }
  }
  t.deepEqual(broken, []);
  t.true(checked > 50, `only ${checked} relative links found`);
});

test('every docs page is linked from README.md and from docs/README.md', (t) => {
  const linked = (page: string): Set<string> =>
    new Set(links(readFileSync(join(ROOT, page), 'utf8')).map(({ target }) => relative(ROOT, resolve(dirname(join(ROOT, page)), target.split('#')[0]!))));
  const fromReadme = linked('README.md');
  const fromIndex = linked('docs/README.md');
  const pages = PAGES.filter((p) => p.startsWith('docs/'));
  t.deepEqual(pages.filter((p) => !fromReadme.has(p)), [], 'not linked from README.md');
  t.deepEqual(pages.filter((p) => p !== 'docs/README.md' && !fromIndex.has(p)), [], 'not linked from docs/README.md');
});
