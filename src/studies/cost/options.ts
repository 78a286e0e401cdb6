/** The what-if options of `dynosim cost`: `--counts 1..10` or `2,4,8`, `--hours 8/day`. */
import { CostInputError } from './CostInputError.ts';
import { MAX_DYNOS_PER_APP } from './costTable.ts';

/** Dynos each up this many hours a day, a week or a month. */
export interface PartTime {
  readonly hours: number;
  readonly per: 'day' | 'week' | 'month';
}

/** `1..10`, `2,4,8` or a mix (`1,2,4..8`): counts from 0 to 100, ascending, each once. */
export function parseCounts(text: string): number[] {
  const counts = new Set<number>();
  const fail = (detail: string): never => {
    throw new CostInputError(`--counts ${JSON.stringify(text)}: expected dyno counts from 0 to ${MAX_DYNOS_PER_APP}, as a range such as 1..10 or a list such as 2,4,8${detail}`);
  };
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:\.\.\s*(\d+)\s*)?$/.exec(part);
    if (m === null) fail(`, got ${JSON.stringify(part.trim())}`);
    const from = Number(m![1]);
    const to = m![2] === undefined ? from : Number(m![2]);
    if (to > MAX_DYNOS_PER_APP) fail(` (Heroku's limit per app), got ${to}`);
    if (to < from) fail(`, got the empty range ${part.trim()}`);
    for (let n = from; n <= to; n++) counts.add(n);
  }
  return [...counts].sort((a, b) => a - b);
}

const PER_LIMIT: Readonly<Record<PartTime['per'], number>> = { day: 24, week: 168, month: 744 };
const PER_NAMES: Readonly<Record<string, PartTime['per']>> = { d: 'day', day: 'day', w: 'week', wk: 'week', week: 'week', mo: 'month', month: 'month' };

/** `8/day`, `8h/day`, `40h/week`, `200h/month`: hours each dyno is up. */
export function parseHours(text: string): PartTime {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*h?\s*\/\s*([a-z]+)\s*$/i.exec(text);
  const per = m === null ? undefined : PER_NAMES[m[2]!.toLowerCase()];
  const hours = m === null ? NaN : Number(m[1]);
  if (per === undefined || !(hours > 0) || hours > PER_LIMIT[per]) {
    const range = per === undefined ? '' : ` (at most ${PER_LIMIT[per]} a ${per})`;
    throw new CostInputError(`--hours ${JSON.stringify(text)}: expected the hours each dyno is up, such as 8/day, 40h/week or 200h/month, above 0${range}`);
  }
  return { hours, per };
}

/** `8 h a day`. */
export function partTimeText(p: PartTime): string {
  return `${p.hours} h a ${p.per}`;
}
