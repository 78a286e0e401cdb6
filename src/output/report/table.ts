/**
 * Aligned tables for the text dynosim prints: every column padded to its widest cell
 * (measured without escape codes, so styled cells line up), numbers right-aligned, text
 * left-aligned, an optional header row, no trailing spaces. Styles are applied after
 * padding, so a table reads the same with and without colour.
 */
import { padVisible, PLAIN, visibleWidth, type StyleFormat, type Styler } from './style.ts';

export type Align = 'left' | 'right';

export interface Column {
  /** The header row's cell (the header row is shown when some column has one). */
  readonly header?: string;
  /** 'left' for text (the default), 'right' for numbers. */
  readonly align?: Align;
  /** A style for every body cell of the column (a cell's own style wins). */
  readonly style?: StyleFormat;
  /** The column is at least this wide. */
  readonly minWidth?: number;
  /** The last column only: word-wrap its cells so that lines fit `width`, continuing under the column. */
  readonly wrap?: boolean;
}

/** A cell: its text, or its text with a style of its own. */
export type Cell = string | { readonly text: string; readonly style?: StyleFormat | undefined };

export interface TableOptions {
  /** Spaces between columns (2). */
  readonly gap?: number;
  /** Before every line: spaces or a string (''). */
  readonly indent?: number | string;
  /** Style of the header row ('bold'). */
  readonly headerStyle?: StyleFormat;
  /** The styling (plain unless given): styles apply only when it is on. */
  readonly styler?: Styler;
  /** Lines a wrapping column keeps within (100). */
  readonly width?: number;
}

/** The text of a cell, without its style. */
export function cellText(c: Cell): string {
  return typeof c === 'string' ? c : c.text;
}

/** Lays out `rows` under `columns`; lines joined by '\n', without a final newline. */
export function formatTable(columns: readonly Column[], rows: readonly (readonly Cell[])[], opts: TableOptions = {}): string {
  return tableLines(columns, rows, opts).join('\n');
}

/** formatTable's lines. */
export function tableLines(columns: readonly Column[], rows: readonly (readonly Cell[])[], opts: TableOptions = {}): string[] {
  const st = opts.styler ?? PLAIN;
  const gap = ' '.repeat(opts.gap ?? 2);
  const indent = typeof opts.indent === 'number' ? ' '.repeat(opts.indent) : (opts.indent ?? '');
  const hasHeader = columns.some((c) => c.header !== undefined && c.header !== '');
  const headerStyle = opts.headerStyle ?? 'bold';
  const body: { text: string; style: StyleFormat | undefined }[][] = rows.map((r) =>
    r.map((c, i) => (typeof c === 'string' ? { text: c, style: columns[i]?.style } : { text: c.text, style: c.style ?? columns[i]?.style })),
  );
  const all = hasHeader ? [columns.map((c) => ({ text: c.header ?? '', style: headerStyle as StyleFormat | undefined })), ...body] : body;
  const n = Math.max(columns.length, ...all.map((r) => r.length));
  const last = n - 1;
  const wraps = columns[last]?.wrap === true;
  const widths: number[] = [];
  for (let i = 0; i < n; i++) {
    widths[i] = Math.max(columns[i]?.minWidth ?? 0, ...all.map((r) => (wraps && i === last && r !== all[0] ? 0 : visibleWidth(r[i]?.text ?? ''))));
  }
  const lines: string[] = [];
  for (const r of all) {
    // Cells past the last one with text add nothing but spaces.
    let end = n - 1;
    while (end > 0 && (r[end]?.text ?? '') === '') end--;
    const parts: string[] = [];
    let at = indent.length;
    for (let i = 0; i <= end; i++) {
      const cell = r[i] ?? { text: '', style: undefined };
      const align = columns[i]?.align ?? 'left';
      if (i === end && align === 'left') {
        if (i === last && wraps) {
          const room = Math.max(20, (opts.width ?? 100) - at);
          const [first, ...rest] = wrapWords(cell.text, room);
          parts.push(st(cell.style, first ?? ''));
          lines.push(indent + parts.join(gap));
          for (const more of rest) lines.push(' '.repeat(at) + st(cell.style, more));
          parts.length = 0;
          break;
        }
        parts.push(st(cell.style, cell.text));
      } else {
        const padded = padVisible(cell.text, widths[i]!, align);
        // Style the text, not the padding.
        const lead = padded.length - padded.trimStart().length;
        const text = padded.trim();
        parts.push(padded.slice(0, lead) + st(cell.style, text) + padded.slice(lead + text.length));
      }
      at += widths[i]! + gap.length;
    }
    if (parts.length > 0) lines.push((indent + parts.join(gap)).trimEnd());
  }
  return lines;
}

/** Words of `text` in lines of at most `width` columns (a longer word has a line of its own). */
export function wrapWords(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') out.push(line);
  return out.length === 0 ? [''] : out;
}
