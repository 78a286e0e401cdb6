/**
 * Charts to files without a browser: vega-lite compiles the spec, vega draws it headless to
 * SVG (text measured by vega's own estimates, so no canvas is needed), resvg rasterises the
 * SVG to PNG with the DejaVu Sans font shipped in node_modules, never the system's fonts,
 * so the same spec gives the same bytes on any machine.
 *
 * vega and vega-lite load on first use, resvg on the first PNG: commands that draw nothing do
 * not pay for them, and drawing SVG alone (a notebook) never loads resvg's native addon.
 */
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Chart, VlSpec } from './chart.ts';
import { compactSvg } from './svgCompact.ts';

/** Where charts go: a results folder (OutputDir) or anything with the same `write`. */
export interface ChartSink {
  write(name: string, content: string | Uint8Array): void;
}

export interface RenderOptions {
  /** Also draw PNGs (default true). */
  png?: boolean;
  /** PNG pixels per SVG pixel (default 2: sharp on a high-density screen and in slides). */
  scale?: number;
}

interface Vega {
  compile: (spec: VlSpec, warnings: string[]) => { spec: unknown };
  vega: typeof import('vega');
}

interface Raster {
  Resvg: typeof import('@resvg/resvg-js').Resvg;
  fontFiles: string[];
}

let vegaLibraries: Promise<Vega> | null = null;
let rasterLibraries: Promise<Raster> | null = null;

/** vega-lite and vega, for SVG. */
function loadVega(): Promise<Vega> {
  vegaLibraries ??= (async () => {
    const [vl, vega] = await Promise.all([import('vega-lite'), import('vega')]);
    return { compile: (spec, warnings) => vl.compile(spec as never, { logger: collector(warnings) as never }), vega };
  })();
  return vegaLibraries;
}

/** resvg (a native addon) and the fonts, for PNG only. */
function loadRaster(): Promise<Raster> {
  rasterLibraries ??= (async () => {
    const resvg = await import('@resvg/resvg-js');
    const require = createRequire(import.meta.url);
    const fontDir = require.resolve('dejavu-fonts-ttf/package.json').replace(/package\.json$/, 'ttf/');
    return { Resvg: resvg.Resvg, fontFiles: ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf'].map((f) => fontDir + f) };
  })();
  return rasterLibraries;
}

/** The spec as written to `<name>.vl.json`: indented JSON ending in a newline. */
export function specJson(spec: VlSpec): string {
  return JSON.stringify(spec, null, 2) + '\n';
}

/** A vega-lite logger that keeps warnings instead of printing them. */
function collector(warnings: string[]) {
  let level = 2;
  const keep = (...args: unknown[]): void => void warnings.push(args.map(String).join(' '));
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error(...args: unknown[]) {
      throw new Error(args.map(String).join(' '));
    },
    warn: (...args: unknown[]) => (keep(...args), logger),
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/**
 * Draws one vega-lite spec to SVG text. Throws if vega-lite or vega reject the spec;
 * their warnings go into `warnings` when given (they are never printed).
 */
export async function renderSvg(spec: VlSpec, warnings: string[] = []): Promise<string> {
  const { compile, vega } = await loadVega();
  const view = new vega.View(vega.parse(compile(spec, warnings).spec as never), { renderer: 'none', logger: collector(warnings) as never, logLevel: vega.Warn });
  try {
    return (await view.toSVG()) + '\n';
  } finally {
    view.finalize();
  }
}

/** Rasterises SVG text to PNG bytes, `scale` pixels per SVG pixel, on white. */
export async function renderPng(svg: string, scale = 2): Promise<Uint8Array> {
  const { Resvg, fontFiles } = await loadRaster();
  const r = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { fontFiles, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return r.render().asPng();
}

let gc: (() => void) | null | undefined;

/**
 * A full garbage collection, before the first PNG and after each, so that memory the run
 * no longer holds is reused rather than added to. A drawing's fonts, tree and pixels
 * (some 10 MB at scale 2) are resvg's, outside the JavaScript heap, and freed only when
 * the small objects holding them are collected, which the heap alone would not ask for:
 * the canonical run's six charts took its peak from 154 MB without PNGs to 210 MB, and
 * take it to 194 MB with these collections, for about 0.03 s. Node exposes `gc` when
 * asked for it at run time; where it does not, this does nothing.
 */
function collectGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}

/**
 * Writes each chart as `<name>.vl.json`, `<name>.svg` (vega's drawing with its path data
 * compacted: svgCompact.ts) and (unless `png: false`) `<name>.png` (drawn from vega's SVG as
 * it is); returns the file names written.
 */
export async function writeCharts(charts: readonly Chart[], sink: ChartSink, opts: RenderOptions = {}): Promise<string[]> {
  const names: string[] = [];
  if (opts.png !== false) collectGarbage();
  for (const c of charts) {
    sink.write(`${c.name}.vl.json`, specJson(c.spec));
    const svg = await renderSvg(c.spec);
    sink.write(`${c.name}.svg`, compactSvg(svg));
    names.push(`${c.name}.vl.json`, `${c.name}.svg`);
    if (opts.png !== false) {
      sink.write(`${c.name}.png`, await renderPng(svg, opts.scale ?? 2));
      names.push(`${c.name}.png`);
      collectGarbage();
    }
  }
  return names;
}
