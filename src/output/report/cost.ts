/**
 * What `dynosim cost` prints and writes: the table as aligned text (numbers right-aligned,
 * a unit on every figure), cost.csv (one row per process type and size of each formation
 * in each price book, then its total) and cost.json (everything, deterministic: no clock).
 */
import type { PlatformProfile } from '../../model/platform/profile.ts';
import { csv } from './csv.ts';
import { dynoHoursText, wrap } from './text.ts';
import { formatDuration } from '../../engine/units/duration.ts';
import type { CostFigures, CostRow, CostTable } from '../../studies/cost/costTable.ts';
import { monthHours } from '../../studies/cost/costTable.ts';
import { partTimeText } from '../../studies/cost/options.ts';
import { autoscaleRanges, type CostResult } from '../../studies/cost/price.ts';

const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const hours1 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** $1,234.56 */
export function usdText(x: number): string {
  return `${x < 0 ? '−' : ''}$${money.format(Math.abs(x))}`;
}

function hoursText(h: number): string {
  return `${hours1.format(h)} h`;
}

function dynosText(f: CostFigures): string {
  const parts: string[] = [];
  if (f.dynos > 0 || f.runs === 0) parts.push(`${whole.format(f.dynos)} ${f.dynos === 1 ? 'dyno' : 'dynos'}`);
  if (f.runs > 0) parts.push(`${whole.format(f.runs)} ${f.runs === 1 ? 'run' : 'runs'}`);
  return parts.join(' + ');
}

/** Lays out rows so that columns line up: text columns to the left, numeric ones to the right. */
function aligned(rows: readonly (readonly string[])[], right: readonly boolean[], gap = '  '): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  const pad = (c: string, i: number): string => {
    const fill = ' '.repeat(widths[i]! - [...c].length);
    return right[i] ? fill + c : c + fill;
  };
  return rows.map((r) => r.map(pad).join(gap).trimEnd()).join('\n');
}

const HEADER = ['formation', 'price book', 'process', 'dynos', 'size', 'dyno-hours', 'free (1X-equivalent h)', 'billable', '$ a month', '$ with no free hours', '$ per dyno-hour'];
const RIGHT = [false, false, false, true, false, true, true, true, true, true, true];

/** The readable report. */
export function costText(r: CostResult): string {
  const { setup, table } = r;
  const out: string[] = [];
  out.push(`${r.scenario.name}: the bill for a month, without a simulation`);
  if (r.scenario.description !== '') out.push(wrap(r.scenario.description, 92, '  '));
  out.push('');
  setup.formation.forEach((f, i) => out.push(`${i === 0 ? 'scenario' : '        '}  ${f}`));
  out.push('');

  // Size mappings get footnote marks: ¹ ² ³ …
  const marks = new Map<string, string>();
  const markOf = (from: string, book: string): string => {
    const k = `${from}\u0000${book}`;
    if (!marks.has(k)) marks.set(k, superscript(marks.size + 1));
    return marks.get(k)!;
  };
  const cells: string[][] = [HEADER];
  let lastAlt = '';
  for (const row of table.rows) {
    const first = row.alternative !== lastAlt;
    lastAlt = row.alternative;
    if (first && cells.length > 1) cells.push(HEADER.map(() => ''));
    const lines = row.lines.filter((l) => l.dynos > 0 || l.runs > 0 || row.lines.length === 1);
    lines.forEach((l, i) => {
      const size = l.mappedFrom === null ? l.size : `${l.size}${markOf(l.mappedFrom.size, row.book)}`;
      cells.push([i === 0 && first ? row.alternative : '', i === 0 ? row.book : '', l.processType, dynosText(l), size, ...figures(l, l.estimate)]);
    });
    if (lines.length > 1) cells.push(['', '', 'all', dynosText(row), '', ...figures(row, row.estimate)]);
  }
  out.push(aligned(cells, RIGHT));

  const footnotes = table.mappings
    .filter((m) => marks.has(`${m.from}\u0000${m.book}`))
    .map((m) => ({ mark: markOf(m.from, m.book), text: `${m.to} stands in for ${m.from} in ${m.book}: ${m.rule}` }))
    .sort((a, b) => fromSuperscript(a.mark) - fromSuperscript(b.mark))
    .map((f) => `${f.mark} ${f.text}`);
  if (footnotes.length > 0) out.push('', ...footnotes);

  const side: string[][] = [];
  const add = (label: string, text: string): void => {
    wrap(text, 92).split('\n').forEach((line, i) => side.push([i === 0 ? label : '', line]));
  };
  for (const book of setup.books) {
    const saved = table.rows.filter((x) => x.book === book.name && x.kind !== 'what-if' && x.monthlyUsdNoFree > x.monthlyUsd);
    if (saved.length === 0) continue;
    const pct = (x: CostRow): string => {
      const p = (100 * (x.monthlyUsdNoFree - x.monthlyUsd)) / x.monthlyUsdNoFree;
      return p >= 10 ? p.toFixed(0) : p.toFixed(1);
    };
    const each = saved.map((x) => `${usdText(x.monthlyUsdNoFree - x.monthlyUsd)} ${x.alternative} (${pct(x)}% of ${usdText(x.monthlyUsdNoFree)})`);
    add('free hours', `${book.name}'s ${whole.format(book.billing.freeHoursPerMonth)} free dyno-hours a month save ${each.join(', ')}.`);
  }
  const ranges = autoscaleRanges(table);
  if (ranges.length > 0) {
    const who = setup.autoscaled.map((a) => `${a.processType} ${a.min}..${a.max}`).join(', ');
    add('autoscaled', `${who}: ${ranges.map((g) => `${approx(table, g.book)}${usdText(g.minUsd)} to ${usdText(g.maxUsd)} a month on ${g.book}`).join('; ')}.`);
  }
  for (const text of asRunLines(r)) add('as run', text);
  if (table.rows.some((x) => x.kind === 'what-if')) {
    for (const book of setup.books) {
      const rows = table.rows.filter((x) => x.book === book.name);
      if (rows.length < 2) continue;
      const best = rows.reduce((a, b) => (b.monthlyUsd < a.monthlyUsd ? b : a));
      const mapped = best.lines.filter((l) => l.mappedFrom !== null).map((l) => `${l.size} for ${l.mappedFrom!.size}`);
      const as = mapped.length === 0 ? '' : ` (${[...new Set(mapped)].join(', ')})`;
      add('cheapest', `on ${book.name}: ${best.alternative}${as}, ${best.estimate ? '≈' : ''}${usdText(best.monthlyUsd)} a month.`);
    }
  }
  // Skipped formations, one line per book and reason; sizes a book lacks, one line per book.
  const skipped = new Map<string, string[]>();
  const push = (key: string, item: string): void => void skipped.set(key, [...new Set([...(skipped.get(key) ?? []), item])]);
  for (const sk of table.skipped) {
    if (sk.missingSize !== null) push(`${sk.book}\u0000`, sk.missingSize);
    else push(`${sk.book}\u0000${sk.reason}`, sk.alternative);
  }
  for (const [key, items] of skipped) {
    const [book, reason] = key.split('\u0000') as [string, string];
    if (reason === '') add('not priced', `on ${book}: it has no size ${items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`} (--sizes prices a size only in the books that have it).`);
    else add('not priced', `on ${book}: ${items.join(', ')}: ${reason}.`);
  }
  for (const n of setup.needsRun) add('needs a run', n);
  for (const n of allNotes(r)) add('note', n);
  if (side.length > 0) out.push('', aligned(side, [false, false]));
  return out.join('\n') + '\n';
}

/** Each autoscaled type as the run given with --from-run found it, one sentence each. */
export function asRunLines(r: CostResult): string[] {
  return r.asRun.map((a) => `${a.processType} (${a.strategy}, a run of ${formatDuration(a.durationS * 1e6)}, seed ${a.seed}): min ${a.min} · mean ${a.mean.toFixed(2)} · max ${a.max} dynos; ${dynoHoursText(a.dynoHours)} over the run.`);
}

function figures(f: CostFigures, estimate: boolean): string[] {
  const e = estimate ? '≈' : '';
  return [
    hoursText(f.dynoHours),
    hoursText(f.freeHours),
    hoursText(f.billableHours),
    e + usdText(f.monthlyUsd),
    e + usdText(f.monthlyUsdNoFree),
    f.usdPerDynoHour === null ? '—' : `${e}$${f.usdPerDynoHour.toFixed(4)}`,
  ];
}

function approx(table: CostTable, book: string): string {
  return table.rows.some((r) => r.book === book && r.kind !== 'what-if' && r.estimate) ? '≈' : '';
}

const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

function superscript(n: number): string {
  return [...String(n)].map((d) => SUPERSCRIPTS[Number(d)]).join('');
}

function fromSuperscript(text: string): number {
  return Number([...text].map((c) => SUPERSCRIPTS.indexOf(c)).join(''));
}

/** Eco's pool of hours a month (Heroku: $5 for 1000 dyno-hours shared by all eco dynos). */
const ECO_POOL_HOURS = 1000;

/**
 * How a book with free hours counts them, or null for a book without: in 1X-equivalent
 * hours (a size of weight w uses w of them an hour on the clock), while dyno-hours and
 * billable hours are on the clock. With the first size of weight above 1, a month of one
 * such dyno worked through: heroku-2013's 2X, 720 h using 1 440 free hours' worth.
 */
export function freeHoursNote(book: PlatformProfile): string | null {
  const free = book.billing.freeHoursPerMonth;
  if (free <= 0) return null;
  const sizes = Object.values(book.sizes);
  const uses = sizes.filter((z) => z.freeHoursWeight > 0).map((z) => `${whole.format(z.freeHoursWeight)} for a ${z.name}`);
  const heavier = sizes.filter((z) => z.freeHoursWeight > 1);
  let text = `${book.name}'s ${whole.format(free)} free hours a month are 1X-equivalent hours, used up per hour on the clock at ${uses.length === 1 ? uses[0] : `${uses.slice(0, -1).join(', ')} and ${uses[uses.length - 1]}`}`;
  text += '; dyno-hours and billable hours are on the clock';
  const z = heavier[0];
  const month = monthHours(book);
  if (z !== undefined && month * z.freeHoursWeight > free) {
    const covered = free / z.freeHoursWeight;
    text += ` (one ${z.name} dyno for a month: ${whole.format(month)} dyno-hours, ${whole.format(month * z.freeHoursWeight)} 1X-equivalent; the ${whole.format(free)} free hours cover ${hours1.format(covered)} of them, leaving ${hours1.format(month - covered)} billable)`;
  }
  return `${text}.`;
}

/** The setup's notes, how the free hours are counted, and what eco's pricing leaves out when eco dynos are priced. */
export function allNotes(r: CostResult): string[] {
  const notes = [...r.setup.notes];
  for (const book of r.setup.books) {
    const note = freeHoursNote(book);
    if (note !== null) notes.push(note);
  }
  const eco = r.table.rows.map((row) => ({ row, hours: row.lines.filter((l) => l.size === 'eco').reduce((h, l) => h + l.dynoHours, 0) })).filter((x) => x.hours > 0);
  if (eco.length > 0) {
    notes.push(`eco is priced as the simulator bills it, $5 a dyno-month; Heroku sells eco as one $5 pool of ${whole.format(ECO_POOL_HOURS)} dyno-hours a month shared by all of an account's eco dynos, which sleep when it runs out (not modelled).`);
    const over = eco.filter((x) => x.hours > ECO_POOL_HOURS);
    if (over.length > 0) notes.push(`eco dynos use more than the pool's ${whole.format(ECO_POOL_HOURS)} h a month in ${over.map((x) => `${x.row.alternative} (${hoursText(x.hours)})`).join(', ')}: on Heroku they would sleep for the rest of the month.`);
  }
  return notes;
}

/** cost.csv's columns; free hours are 1X-equivalent (see freeHoursNote), the other hours on the clock. */
const CSV_HEADER = ['formation', 'kind', 'book', 'process_type', 'size', 'mapped_from', 'dynos_count', 'runs_count', 'dyno_hours', 'free_1x_equivalent_hours', 'billable_hours', 'monthly_usd', 'monthly_no_free_hours_usd', 'usd_per_dyno_hour', 'estimate'];

/** cost.csv: each formation's lines in each book, then an `all` row with its totals. */
export function costCsv(table: CostTable): string {
  const record = (row: CostRow, type: string, size: string, mapped: string, f: CostFigures, estimate: boolean): Array<string | number> => [
    row.alternative,
    row.kind,
    row.book,
    type,
    size,
    mapped,
    f.dynos,
    f.runs,
    f.dynoHours,
    f.freeHours,
    f.billableHours,
    f.monthlyUsd,
    f.monthlyUsdNoFree,
    f.usdPerDynoHour ?? '',
    estimate ? 1 : 0,
  ];
  const rows: Array<Array<string | number>> = [CSV_HEADER];
  for (const row of table.rows) {
    for (const l of row.lines) rows.push(record(row, l.processType, l.size, l.mappedFrom?.size ?? '', l, l.estimate));
    rows.push(record(row, 'all', 'all', '', row, row.estimate));
  }
  return csv(rows);
}

/** cost.json's object. */
export function costJsonObject(r: CostResult): unknown {
  const { setup, table } = r;
  return {
    dynosim: { version: r.version },
    scenario: r.scenario,
    request: {
      process: r.request.process,
      sizes: r.request.sizes,
      counts: r.request.counts,
      hours: r.request.hours === null ? null : { ...r.request.hours, text: partTimeText(r.request.hours) },
    },
    books: setup.books.map(bookJson),
    formation: setup.formation,
    autoscaled: setup.autoscaled,
    sizeMappings: table.mappings,
    rows: table.rows,
    skipped: table.skipped,
    ranges: autoscaleRanges(table),
    asRun: r.asRun,
    curve: { process: setup.process, points: r.curve },
    needsRun: setup.needsRun,
    notes: allNotes(r),
  };
}

/** cost.json: indented, ending in a newline. */
export function costJson(r: CostResult): string {
  return JSON.stringify(costJsonObject(r), null, 2) + '\n';
}

function bookJson(b: PlatformProfile): unknown {
  return {
    name: b.name,
    pricePer: b.billing.pricePer,
    freeHoursPerMonth: b.billing.freeHoursPerMonth,
    monthHours: monthHours(b),
    sizes: Object.values(b.sizes).map((z) => ({ name: z.name, memoryMb: z.memoryMb, priceUsd: z.priceUsd, freeHoursWeight: z.freeHoursWeight, onePerProcessType: z.onePerProcessType })),
  };
}
