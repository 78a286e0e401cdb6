/**
 * Writes src/scenario/schema/descriptions.ts: the description of every scenario field, for
 * the JSON Schema editors show on hover, taken from the tables of docs/scenario.md (the
 * field's meaning, then its default), so that the two say the same. Run it after changing
 * a field's row in docs/scenario.md:
 *
 *   node scripts/schema-descriptions.ts
 *
 * test/schemaDescriptions.test.ts fails while the file and the page disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SCENARIO_DOC = 'docs/scenario.md';
export const DESCRIPTIONS_FILE = 'src/scenario/schema/descriptions.ts';

/** A link's target from the repository's root: `#x` is docs/scenario.md's, `model.md#y` docs/model.md's. */
function target(href: string): string {
  return href.startsWith('#') ? `${SCENARIO_DOC}${href}` : href.startsWith('http') ? href : `docs/${href}`;
}

/** Markdown of a table cell as plain text: links to their text and where they lead, no backticks, † spelt out. */
function plain(cell: string): string {
  return cell
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, (_, text: string, href: string) => (text === 'below' || text === 'above' ? `see ${target(href)}` : `${text}: ${target(href)}`))
    .replace(/`/g, '')
    .replace(/\s*†/g, ' (a number Heroku does not publish)')
    .replace(/\s+/g, ' ')
    .trim();
}

/** One description from a row's meaning and default cells. */
function description(meaning: string, dflt: string): string {
  const m = plain(meaning).replace(/[.…]$/, (c) => (c === '…' ? '…' : ''));
  const d = plain(dflt);
  if (d === '') return `${m}.`.replace(/….$/, '…');
  const tail = /^required\b/.test(d) ? `${d.charAt(0).toUpperCase()}${d.slice(1)}.` : `Default: ${d}.`;
  return `${m}${m.endsWith('…') ? '' : '.'} ${tail}`;
}

/**
 * The descriptions the page gives, by field path with `<>` for a key the user chooses
 * (`formation.<>.count`): from every table headed `field | meaning | default`.
 */
export function descriptionsFromDocs(markdown: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = markdown.split('\n');
  const cells = (line: string): string[] => line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*(```|~~~)/.test(lines[i]!)) fenced = !fenced;
    if (fenced) continue;
    const head = cells(lines[i]!);
    if (!/^\s*\|/.test(lines[i]!) || head[0] !== 'field' || head[1] !== 'meaning') continue;
    for (let j = i + 2; j < lines.length && /^\s*\|/.test(lines[j]!); j++) {
      const [first, meaning = '', dflt = ''] = cells(lines[j]!);
      const m = /^`([^`]+)`$/.exec(first ?? '');
      if (m === null) continue;
      out[m[1]!.replace(/<[^>]+>/g, '<>')] = description(meaning, head[2] === 'default' ? dflt : '');
    }
  }
  return out;
}

/** The text of descriptions.ts for these descriptions. */
export function descriptionsSource(d: Record<string, string>): string {
  const entries = Object.entries(d).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  return [
    '/**',
    ' * What each scenario field means, by field path (`<>` for a key the user chooses), as',
    ' * docs/scenario.md says it: the descriptions of the JSON Schema (schema/describe.ts).',
    ' * Written by scripts/schema-descriptions.ts from the page; do not edit by hand.',
    ' */',
    'export const FIELD_DESCRIPTIONS: Readonly<Record<string, string>> = {',
    ...entries,
    '};',
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const d = descriptionsFromDocs(readFileSync(`${ROOT}${SCENARIO_DOC}`, 'utf8'));
  writeFileSync(`${ROOT}${DESCRIPTIONS_FILE}`, descriptionsSource(d));
  process.stdout.write(`wrote ${DESCRIPTIONS_FILE}: ${Object.keys(d).length} fields\n`);
}
