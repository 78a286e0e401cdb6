/**
 * The bill of a month without a simulation: formations described by how their dynos are
 * up (occupancy.ts), turned into the usages a run would have and priced by `bill`, the
 * very function a run's bill comes from, in every price book given. So a fixed formation
 * costs here, to the cent, what `dynosim run` reports as its monthly bill.
 *
 * Each alternative is priced in each book twice: by the book's rules (2013: the month's
 * 750 free dyno-hours taken off first) and with no free hours at all. A size from another
 * book is priced as its equivalent (sizes.ts) when the line allows it; a size asked for by
 * name is priced only in the books that have it.
 *
 * Pure: no files, no clock, no scenario; the same input gives the same table.
 */
import { bill, type CostReport, type DynoUsage } from '../../model/billing/bill.ts';
import type { DynoSize, PlatformProfile } from '../../model/platform/profile.ts';
import { peakDynos, usagesOf, type Occupancy } from './occupancy.ts';
import { equivalentSize } from './sizes.ts';

/** The apps' dynos per app at most (Heroku's limit). */
export const MAX_DYNOS_PER_APP = 100;

/** One process type (or one-off task) of a formation. */
export interface ProcessLine {
  readonly processType: string;
  /** The size, as a size of `book`. */
  readonly size: DynoSize;
  readonly book: string;
  /** True: priced in other books as their equivalent size; false: only in books that have a size of this name. */
  readonly mapSize: boolean;
  readonly occupancy: Occupancy;
  /** The figures are expectations (one-off dynos: mean boot and run times), not exact. */
  readonly estimate: boolean;
}

export type AlternativeKind = 'as-written' | 'min' | 'max' | 'what-if';

/** A formation to price. */
export interface Alternative {
  readonly name: string;
  readonly kind: AlternativeKind;
  readonly lines: readonly ProcessLine[];
}

export interface CostFigures {
  /** Dynos of the formation (the most up at once, by name); one-off runs are counted in `runs`. */
  readonly dynos: number;
  readonly runs: number;
  /** Wall-clock dyno-hours in the month. */
  readonly dynoHours: number;
  /** Free-allowance hours used (2013: a 2X hour uses 2). */
  readonly freeHours: number;
  /** Wall-clock hours left to pay for. */
  readonly billableHours: number;
  /** The month's bill by the book's rules, US dollars. */
  readonly monthlyUsd: number;
  /** The same without any free hours. */
  readonly monthlyUsdNoFree: number;
  /** monthlyUsd / dynoHours, or null with no dyno-hours. */
  readonly usdPerDynoHour: number | null;
}

export interface CostRowLine extends CostFigures {
  readonly processType: string;
  readonly size: string;
  /** The size of the formation this one stands in for, with the rule, when it was mapped. */
  readonly mappedFrom: { readonly size: string; readonly book: string; readonly rule: string } | null;
  readonly oneOff: boolean;
  readonly estimate: boolean;
}

export interface CostRow extends CostFigures {
  readonly alternative: string;
  readonly kind: AlternativeKind;
  readonly book: string;
  readonly estimate: boolean;
  /** One per process type and size, in the formation's order (one-offs last). */
  readonly lines: readonly CostRowLine[];
}

/** An alternative a book cannot price, and why. */
export interface SkippedRow {
  readonly alternative: string;
  readonly book: string;
  /** The book has no size of this name (a size asked for by name), or null for another reason. */
  readonly missingSize: string | null;
  readonly reason: string;
}

export interface SizeMappingUsed {
  readonly from: string;
  readonly fromBook: string;
  readonly to: string;
  readonly book: string;
  readonly rule: string;
}

export interface CostTable {
  /** Alternative by alternative, book by book (in the order given). */
  readonly rows: readonly CostRow[];
  readonly skipped: readonly SkippedRow[];
  /** Every size mapping used, once each, in order of first use. */
  readonly mappings: readonly SizeMappingUsed[];
}

const HOUR_US = 3_600_000_000;

/** Prices every alternative in every book. */
export function costTable(books: readonly PlatformProfile[], alternatives: readonly Alternative[]): CostTable {
  const rows: CostRow[] = [];
  const skipped: SkippedRow[] = [];
  const mappings = new Map<string, SizeMappingUsed>();
  for (const alt of alternatives) {
    for (const book of books) {
      const priced = priceIn(alt, book);
      if ('reason' in priced) {
        skipped.push({ alternative: alt.name, book: book.name, ...priced });
        continue;
      }
      rows.push(priced.row);
      for (const m of priced.mappings) mappings.set(`${m.fromBook}\u0000${m.from}\u0000${m.book}`, m);
    }
  }
  return { rows, skipped, mappings: [...mappings.values()] };
}

/** A book without free hours: what the same month costs when none are given. */
export function withoutFreeHours(book: PlatformProfile): PlatformProfile {
  return { ...book, billing: { ...book.billing, freeHoursPerMonth: 0 } };
}

interface LineIn {
  readonly line: ProcessLine;
  readonly size: DynoSize;
  readonly mappedFrom: CostRowLine['mappedFrom'];
}

/** The row of one alternative in one book, or why the book cannot price it. */
function priceIn(alt: Alternative, book: PlatformProfile): { row: CostRow; mappings: SizeMappingUsed[] } | { missingSize: string | null; reason: string } {
  const missing = (size: string) => ({ missingSize: size, reason: `${book.name} has no size ${size}` });
  const ins: LineIn[] = [];
  const mappings: SizeMappingUsed[] = [];
  for (const line of alt.lines) {
    const own = Object.hasOwn(book.sizes, line.size.name) ? book.sizes[line.size.name]! : undefined;
    if (line.book === book.name || (own !== undefined && !line.mapSize)) {
      if (own === undefined) return missing(line.size.name);
      ins.push({ line, size: own, mappedFrom: null });
    } else if (!line.mapSize) {
      return missing(line.size.name);
    } else {
      const m = equivalentSize(line.size, book);
      const mappedFrom = { size: line.size.name, book: line.book, rule: m.rule };
      ins.push({ line, size: m.size, mappedFrom });
      mappings.push({ from: line.size.name, fromBook: line.book, to: m.size.name, book: book.name, rule: m.rule });
    }
  }
  let total = 0;
  for (const { line, size } of ins) {
    if (line.occupancy.kind === 'one-off') continue;
    const peak = peakDynos(line.occupancy);
    total += peak;
    if (size.onePerProcessType && peak > 1) return { missingSize: null, reason: `${size.name} runs one dyno per process type` };
  }
  if (total > MAX_DYNOS_PER_APP) return { missingSize: null, reason: `more than Heroku's ${MAX_DYNOS_PER_APP} dynos per app` };

  const monthUs = book.billing.monthUs;
  const usages: DynoUsage[] = [];
  const nextOneOff = new Map<string, number>();
  for (const { line, size } of ins) {
    const first = nextOneOff.get(line.processType) ?? 1;
    const us = usagesOf(line.processType, size.name, line.occupancy, monthUs, first);
    if (line.occupancy.kind === 'one-off') nextOneOff.set(line.processType, first + line.occupancy.runs.length);
    usages.push(...us);
  }
  const asBilled = bill(usages, book, monthUs);
  const noFree = book.billing.freeHoursPerMonth > 0 ? bill(usages, withoutFreeHours(book), monthUs) : asBilled;

  const lines = groupLines(ins, asBilled, noFree);
  const sum = (f: (l: CostRowLine) => number): number => lines.reduce((s, l) => s + f(l), 0);
  const row: CostRow = {
    alternative: alt.name,
    kind: alt.kind,
    book: book.name,
    estimate: lines.some((l) => l.estimate),
    dynos: sum((l) => l.dynos),
    runs: sum((l) => l.runs),
    dynoHours: asBilled.dynoHours,
    freeHours: asBilled.freeHours,
    billableHours: asBilled.billableHours,
    monthlyUsd: asBilled.monthlyUsd,
    monthlyUsdNoFree: noFree.monthlyUsd,
    usdPerDynoHour: perHour(asBilled.monthlyUsd, asBilled.dynoHours),
    lines,
  };
  return { row, mappings };
}

/** One line per process type and size, in the formation's order (one-offs last), lines of no usage (0 dynos) kept. */
function groupLines(ins: readonly LineIn[], asBilled: CostReport, noFree: CostReport): CostRowLine[] {
  const key = (type: string, size: string): string => `${type}\u0000${size}`;
  const groups = new Map<string, { type: string; size: string; dynos: number; runs: number; oneOff: boolean; estimate: boolean; mappedFrom: CostRowLine['mappedFrom'] }>();
  for (const { line, size, mappedFrom } of ins) {
    const k = key(line.processType, size.name);
    const g = groups.get(k) ?? { type: line.processType, size: size.name, dynos: 0, runs: 0, oneOff: false, estimate: false, mappedFrom };
    const oneOff = line.occupancy.kind === 'one-off';
    if (oneOff) g.runs += peakDynos(line.occupancy);
    g.oneOff ||= oneOff;
    g.estimate ||= line.estimate;
    groups.set(k, g);
  }
  const billed = new Map(asBilled.lines.map((l) => [key(l.processType, l.size), l]));
  const billedNoFree = new Map(noFree.lines.map((l) => [key(l.processType, l.size), l]));
  return [...groups.entries()].map(([k, g]) => {
    const b = billed.get(k);
    const dynoHours = b?.dynoHours ?? 0;
    const monthlyUsd = b?.monthlyUsd ?? 0;
    return {
      processType: g.type,
      size: g.size,
      mappedFrom: g.mappedFrom,
      oneOff: g.oneOff,
      estimate: g.estimate,
      dynos: g.oneOff ? 0 : (b?.dynos ?? 0),
      runs: g.runs,
      dynoHours,
      freeHours: b?.freeHours ?? 0,
      billableHours: b?.billableHours ?? 0,
      monthlyUsd,
      monthlyUsdNoFree: billedNoFree.get(k)?.monthlyUsd ?? 0,
      usdPerDynoHour: perHour(monthlyUsd, dynoHours),
    };
  });
}

function perHour(usd: number, hours: number): number | null {
  return hours > 0 ? Math.round((usd / hours) * 1e6) / 1e6 : null;
}

/** One point of the cost-by-count curve. */
export interface CurvePoint {
  /** Dynos of the varied process type. */
  readonly count: number;
  readonly book: string;
  /** The varied type's size in that book. */
  readonly size: string;
  readonly monthlyUsd: number;
  readonly monthlyUsdNoFree: number;
}

/**
 * The month's bill as one process type's count varies, the rest of `base` kept: for each
 * size (a line template whose occupancy is replaced) and each count, in every book that can
 * price it.
 */
export function costCurve(
  books: readonly PlatformProfile[],
  base: Alternative,
  templates: readonly ProcessLine[],
  counts: readonly number[],
  occupancyOf: (count: number) => Occupancy,
): CurvePoint[] {
  const points: CurvePoint[] = [];
  for (const template of templates) {
    const alternatives: Alternative[] = counts.map((n) => ({
      name: `${n}`,
      kind: 'what-if',
      lines: base.lines.map((l) => (l.processType === template.processType && l.occupancy.kind !== 'one-off' ? { ...template, occupancy: occupancyOf(n) } : l)),
    }));
    for (const r of costTable(books, alternatives).rows) {
      const line = r.lines.find((l) => l.processType === template.processType && !l.oneOff);
      points.push({ count: Number(r.alternative), book: r.book, size: line?.size ?? template.size.name, monthlyUsd: r.monthlyUsd, monthlyUsdNoFree: r.monthlyUsdNoFree });
    }
  }
  return points;
}

/** Hours in a book's billing month. */
export function monthHours(book: PlatformProfile): number {
  return book.billing.monthUs / HOUR_US;
}
