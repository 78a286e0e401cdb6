/**
 * A dyno size of one price book stood in for by a size of another. Each era has its own
 * sizes (1X, 2X, PX in 2013; eco … performance-l today), so pricing a formation in the
 * other book needs an equivalent: the size with the same memory, else the next larger;
 * among sizes of that memory, one that can run several dynos of a type (standard rather
 * than eco or basic), then one as dedicated as the original, then the CPU share nearest
 * at or above it, then the cheaper. This is Heroku's own history: 1X became standard-1x,
 * 2X standard-2x, PX performance-l. When no size of the book has as much memory, the
 * largest stands in, and the rule says so.
 */
import type { DynoSize, PlatformProfile } from '../../model/platform/profile.ts';

export interface SizeMapping {
  /** The size in the target book. */
  readonly size: DynoSize;
  /** How it was chosen: `same memory (512 MB)`, `next larger memory (6 GB → 14 GB)`, … */
  readonly rule: string;
}

/** The size of `book` standing in for `size` (a size of another book); see the file comment for the rule. */
export function equivalentSize(size: DynoSize, book: PlatformProfile): SizeMapping {
  const all = Object.values(book.sizes);
  if (all.length === 0) throw new RangeError(`price book ${book.name} has no sizes`);
  const larger = all.filter((s) => s.memoryMb >= size.memoryMb);
  const pool = larger.length > 0 ? larger : all;
  const memory = larger.length > 0 ? Math.min(...pool.map((s) => s.memoryMb)) : Math.max(...pool.map((s) => s.memoryMb));
  const candidates = pool.filter((s) => s.memoryMb === memory).sort((a, b) => preference(size, a, b));
  const chosen = candidates[0]!;
  const rule =
    chosen.memoryMb === size.memoryMb
      ? `same memory (${memoryText(size.memoryMb)})`
      : chosen.memoryMb > size.memoryMb
        ? `next larger memory (${memoryText(size.memoryMb)} → ${memoryText(chosen.memoryMb)})`
        : `the largest size, smaller (${memoryText(size.memoryMb)} → ${memoryText(chosen.memoryMb)}: none as large)`;
  return { size: chosen, rule };
}

/** Sort order among sizes of equal memory: scalable, as dedicated, CPU share at or above and nearest, cheaper, name. */
function preference(original: DynoSize, a: DynoSize, b: DynoSize): number {
  const cpuRank = (s: DynoSize): number => (s.cpuShare >= original.cpuShare ? s.cpuShare - original.cpuShare : 1e6 + original.cpuShare - s.cpuShare);
  return (
    Number(a.onePerProcessType) - Number(b.onePerProcessType) ||
    Number(a.dedicated !== original.dedicated) - Number(b.dedicated !== original.dedicated) ||
    cpuRank(a) - cpuRank(b) ||
    a.priceUsd - b.priceUsd ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/** 512 MB, 1 GB, 2.5 GB, 14 GB. */
export function memoryText(mb: number): string {
  if (mb < 1024) return `${Math.round(mb)} MB`;
  const gb = mb / 1024;
  return `${Number.isInteger(gb) ? gb : Number(gb.toFixed(2))} GB`;
}
