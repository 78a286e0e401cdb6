/**
 * Rate expressions: a mathjs formula of the run's clock (`t`, `minute`) and the local
 * calendar (`hour`, `day`), with the named helpers of helpers.ts, giving requests per
 * second. mathjs is loaded only when a scenario has such a rate.
 *
 * An expression is compiled once: parsed, checked (unknown names, helper arity, random
 * functions, assignments), then rewritten so that an evaluation does as little as possible.
 * Constant parts, units included (`30 min`, `100/min`), are evaluated at compile time, and a
 * constant unit that meets a variable or a helper becomes seconds or per second; a
 * helper call whose arguments are constants is converted, checked and bound to a closure
 * once; the local hour and day are computed only when something reads them. An
 * evaluation then runs plain closures when the rest is arithmetic on numbers (native.ts),
 * or fills one reused scope and runs the tree mathjs compiled.
 */
import type { ConstantNode, FunctionNode, MathNode, OperatorNode, SymbolNode, Unit } from 'mathjs';
import type { Calendar } from '../calendar.ts';
import type { RateFunction } from '../arrivals/varyingRate.ts';
import { HELPERS, type Helper, type Moment, type ParamKind } from './helpers.ts';
import { nativeEvaluator, type Evaluator } from './native.ts';
import { didYouMean } from '../../../engine/suggest.ts';

type MathJs = typeof import('mathjs');

/** What a compiled rate expression gives; a string is a one-line complaint about the text. */
export type RateCompiler = (text: string) => RateFunction | string;

/** The variables of a rate expression. */
export const RATE_VARIABLES: readonly string[] = ['t', 'minute', 'hour', 'day'];

/** Unit names mathjs lacks that dynosim's durations use. */
const UNIT_ALIASES: Readonly<Record<string, string>> = { d: 'day' };

/** Functions that would make a run depend on more than its seed, or that reach outside the formula. */
const RANDOM_FUNCTIONS = new Set(['random', 'randomInt', 'pickRandom']);
const META_FUNCTIONS = new Set([
  'import', 'createUnit', 'evaluate', 'parse', 'compile', 'simplify', 'simplifyConstant', 'simplifyCore',
  'derivative', 'resolve', 'rationalize', 'leafCount', 'symbolicEqual', 'reviver', 'replacer', 'config', 'chain', 'help', 'typed',
]);

const KIND_TEXT: Readonly<Record<ParamKind, string>> = {
  rate: 'a rate (a number per second, or a unit such as 100/min)',
  time: 'a time (a number of seconds, or a duration such as 30 min)',
  factor: 'a plain number',
  clockHour: 'an hour of the day (a number such as 14)',
};

export interface RateCompilerOptions {
  /**
   * Evaluate plain arithmetic as JavaScript closures instead of through mathjs (native.ts).
   * On by default; off, every expression goes through mathjs, which tests compare against.
   */
  readonly nativeArithmetic?: boolean;
}

/** Thrown inside the compiler to stop at the first problem. */
class RateProblem extends Error {}

/**
 * A compiler of rate expressions on a calendar. The functions it returns take seconds since
 * the start of the run and give requests per second (NaN where the expression has no rate,
 * which the arrival process reports with the time).
 */
export async function rateCompiler(calendar: Calendar, options: RateCompilerOptions = {}): Promise<RateCompiler> {
  const math = await import('mathjs');
  const units = { second: math.unit(1, 's'), hertz: math.unit(1, 'Hz') };
  return (text: string) => {
    try {
      return compileRate(math, units, calendar, text, options);
    } catch (e) {
      if (e instanceof RateProblem) return e.message;
      throw e;
    }
  };
}

interface BaseUnits {
  readonly second: Unit;
  readonly hertz: Unit;
}

function compileRate(math: MathJs, units: BaseUnits, calendar: Calendar, text: string, options: RateCompilerOptions): RateFunction {
  const quoted = JSON.stringify(text);
  let root: MathNode;
  try {
    root = math.parse(text);
  } catch (e) {
    throw new RateProblem(`the rate expression ${quoted} does not parse: ${oneLine(e)}`);
  }
  checkTree(math, root, quoted);

  // What an evaluation fills in: the moment the helpers read, and the scope mathjs reads.
  const moment: Moment = { tS: 0, hour: 0, day: 0 };
  const scope = new Map<string, unknown>();
  const uses = { t: false, minute: false, hour: false, day: false };
  let bound = 0;
  const boundHelpers = new Map<string, Evaluator>();

  const constant = (value: unknown): ConstantNode => new math.ConstantNode(value as number);

  /** A helper's arguments in seconds, per second and hours; `written` is how they read in the text, for messages. */
  const convert = (helper: Helper, values: readonly unknown[], written?: readonly string[]): number[] => {
    const out: number[] = [];
    helper.params.forEach((param, i) => {
      const v = i < values.length ? values[i] : param.default;
      const n = asNumber(math, units, param.kind, v);
      if (n === undefined) throw new RateProblem(`${helper.usage}: ${param.name} must be ${KIND_TEXT[param.kind]}, got ${written?.[i] ?? show(math, v)}`);
      out.push(n);
    });
    const complaint = helper.check(out);
    if (complaint !== undefined) throw new RateProblem(`${helper.usage}: ${complaint}`);
    return out;
  };

  const rewrite = (node: MathNode, path: string): MathNode => {
    if (math.isSymbolNode(node)) {
      if (path === 'fn') return node;
      const name = node.name;
      if (RATE_VARIABLES.includes(name)) {
        uses[name as keyof typeof uses] = true;
        return node;
      }
      if (typeof (math as Record<string, unknown>)[name] === 'number') return constant((math as Record<string, unknown>)[name]);
      return constant(new math.Unit(null as unknown as number, UNIT_ALIASES[name] ?? name));
    }
    if (math.isFunctionNode(node) && HELPERS.has(node.fn.name)) {
      const helper = HELPERS.get(node.fn.name)!;
      if (helper.reads !== 'run') uses[helper.reads] = true;
      const args = node.args.map((a, i) => rewrite(a, `args[${i}]`));
      if (args.every((a) => math.isConstantNode(a))) {
        const fn = helper.bind(convert(helper, args.map((a) => (a as ConstantNode).value), node.args.map((a) => a.toString())));
        const id = `${helper.name}#${bound++}`;
        boundHelpers.set(id, fn);
        scope.set(id, () => fn(moment));
        return new math.FunctionNode(new math.SymbolNode(id), []);
      }
      // Arguments that change with time: converted and checked at every evaluation.
      scope.set(helper.name, (...values: unknown[]) => helper.bind(convert(helper, values))(moment));
      return new math.FunctionNode(node.fn, args);
    }
    const out = node.map((child, childPath) => rewrite(child, childPath));
    if (!math.isConstantNode(out) && constantChildren(math, out)) {
      try {
        return constant(out.compile().evaluate(new Map()));
      } catch (e) {
        throw new RateProblem(`the rate expression ${quoted} cannot be evaluated: ${oneLine(e)} (in ${out.toString()})`);
      }
    }
    // Where a constant unit meets something that changes (t, hour, a helper), it becomes a
    // number in the units the variables are in: seconds, or per second.
    return out.map((child, childPath) =>
      childPath !== 'fn' && math.isConstantNode(child) && math.isUnit(child.value) ? constant(plainNumber(units, child.value)) : child,
    );
  };
  const tree = rewrite(root, '');

  const fillMoment = (tS: number): void => {
    moment.tS = tS;
    if (uses.hour) moment.hour = calendar.hourOfDay(tS);
    if (uses.day) moment.day = calendar.dayOfWeek(tS);
  };
  const toRate = (v: unknown): number =>
    typeof v === 'number' ? v : math.isUnit(v) && v.equalBase(units.hertz) ? v.toNumber('Hz') : NaN;

  // mathjs evaluates every expression at t = 0, for its messages; plain arithmetic then
  // runs as closures.
  let throughMathjs: (tS: number) => unknown;
  if (math.isConstantNode(tree)) {
    const value = tree.value as unknown;
    throughMathjs = () => value;
  } else {
    const code = tree.compile();
    throughMathjs = (tS) => {
      fillMoment(tS);
      if (uses.t) scope.set('t', tS);
      if (uses.minute) scope.set('minute', tS / 60);
      if (uses.hour) scope.set('hour', moment.hour);
      if (uses.day) scope.set('day', moment.day);
      return code.evaluate(scope);
    };
  }
  let first: unknown;
  try {
    first = throughMathjs(0);
  } catch (e) {
    throw new RateProblem(`the rate expression ${quoted} cannot be evaluated: ${oneLine(e)}`);
  }
  if (Number.isNaN(toRate(first))) {
    throw new RateProblem(`the rate expression ${quoted} gives ${show(math, first)} at t = 0, which is not a rate (expected a number per second, or a unit such as 100/min)`);
  }
  const native = options.nativeArithmetic === false ? undefined : nativeEvaluator(math, tree, boundHelpers);
  if (native !== undefined) {
    return (tS: number): number => {
      fillMoment(tS);
      return native(moment);
    };
  }
  if (math.isConstantNode(tree)) {
    const perS = toRate(first);
    return () => perS;
  }
  return (tS: number): number => {
    try {
      return toRate(throughMathjs(tS));
    } catch {
      return NaN;
    }
  };
}

/** Rejects what cannot be a rate formula, naming the first problem. */
function checkTree(math: MathJs, root: MathNode, quoted: string): void {
  let problem: string | undefined;
  const complain = (message: string): void => {
    problem ??= message;
  };
  root.traverse((node, path, parent) => {
    if (math.isAssignmentNode(node) || math.isFunctionAssignmentNode(node) || math.isBlockNode(node)) {
      complain(`the rate expression ${quoted} assigns a name or holds several statements; a rate is one formula`);
    } else if (math.isFunctionNode(node)) {
      if (!math.isSymbolNode(node.fn)) {
        complain(`the rate expression ${quoted} calls something other than a named function: ${node.toString()}`);
        return;
      }
      checkCall(math, node as FunctionNode, quoted, complain);
    } else if (math.isSymbolNode(node) && !(path === 'fn' && parent !== null && math.isFunctionNode(parent))) {
      const name = node.name;
      if (RATE_VARIABLES.includes(name) || typeof (math as Record<string, unknown>)[name] === 'number') return;
      if (UNIT_ALIASES[name] !== undefined || math.Unit.isValuelessUnit(name)) return;
      if (HELPERS.has(name)) complain(`${name} in the rate expression ${quoted} is a helper to call: ${HELPERS.get(name)!.usage}`);
      else complain(`unknown variable ${name} in the rate expression ${quoted}${didYouMean(name, RATE_VARIABLES)} (the variables are ${RATE_VARIABLES.join(', ')}; units are written as in 30 min or 100/min)`);
    } else if (math.isOperatorNode(node)) {
      const op = node as OperatorNode;
      const [left, right] = op.args;
      if (op.implicit && op.fn === 'multiply' && math.isConstantNode(left) && math.isSymbolNode(right) && ['hour', 'day', 'minute'].includes(right.name)) {
        const unit = { hour: 'h', day: 'd', minute: 'min' }[right.name]!;
        const what = { hour: 'the local hour of day', day: 'the local day of week', minute: 'the minutes since the start' }[right.name]!;
        complain(`"${op.toString()}" in the rate expression ${quoted} multiplies by ${right.name}, ${what}; write a duration as ${String((left as ConstantNode).value)} ${unit}`);
      }
    }
  });
  if (problem !== undefined) throw new RateProblem(problem);
}

function checkCall(math: MathJs, node: FunctionNode, quoted: string, complain: (message: string) => void): void {
  const name = (node.fn as SymbolNode).name;
  const helper = HELPERS.get(name);
  if (helper !== undefined) {
    const n = node.args.length;
    const most = helper.params.length;
    const least = helper.params.filter((p) => p.default === undefined).length;
    if (n < least || n > most) {
      const expected = least === most ? `${most}` : most === least + 1 ? `${least} or ${most}` : `${least} to ${most}`;
      const noun = name === 'hourly' ? 'rates, one per local hour from 0 to 23' : 'arguments';
      complain(`${name} expects ${expected} ${noun}, got ${n}: ${helper.usage}`);
    }
  } else if (RANDOM_FUNCTIONS.has(name)) {
    complain(`${name} cannot be used in a rate expression: a run is reproducible from its seed, so its rate draws no random numbers (arrivals are already random)`);
  } else if (META_FUNCTIONS.has(name) || typeof (math as Record<string, unknown>)[name] !== 'function') {
    complain(`unknown function ${name} in the rate expression ${quoted}${didYouMean(name, HELPERS.keys())} (helpers: ${[...HELPERS.keys()].join(', ')}; or a mathjs function such as sin, exp, min, max)`);
  }
}

/** True when a node is an operation whose operands are all constants, so it can be evaluated now. */
function constantChildren(math: MathJs, node: MathNode): boolean {
  if (math.isSymbolNode(node)) return false;
  let all = true;
  node.forEach((child, path) => {
    if (path === 'fn') return;
    if (!math.isConstantNode(child)) all = false;
  });
  return all;
}

/** A helper argument in dynosim's units (seconds, per second, hours of the day), or undefined when it is not of its kind. */
function asNumber(math: MathJs, units: BaseUnits, kind: ParamKind, v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (!math.isUnit(v) || kind === 'factor') return undefined;
  if (kind === 'rate') return v.equalBase(units.hertz) ? v.toNumber('Hz') : undefined;
  if (!v.equalBase(units.second)) return undefined;
  return kind === 'time' ? v.toNumber('s') : v.toNumber('h');
}

/** A time in seconds or a rate per second as a plain number; any other unit stays as it is. */
function plainNumber(units: BaseUnits, v: Unit): Unit | number {
  if (v.equalBase(units.second)) return v.toNumber('s');
  if (v.equalBase(units.hertz)) return v.toNumber('Hz');
  return v;
}

function show(math: MathJs, v: unknown): string {
  if (v === undefined) return 'nothing';
  try {
    return math.format(v, { precision: 6 });
  } catch {
    return String(v);
  }
}

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ');
}
