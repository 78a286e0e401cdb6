/**
 * "Did you mean …?": the known word nearest to one a user wrote, for every message that
 * names a word dynosim does not know (a field, a size, a policy, a distribution, a
 * variable). A word that differs only in case is the strongest suggestion; otherwise the
 * nearest within a third of the word's length, counted in letters inserted, deleted,
 * replaced or swapped with their neighbour (Damerau–Levenshtein, the optimal string
 * alignment distance), case ignored.
 */

/** Edits between two words: insertions, deletions, substitutions and transpositions of neighbours. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0]!.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]!.push(d);
    }
  }
  return rows[a.length]![b.length]!;
}

/** The known word nearest to `word`, or undefined when none is near enough or two are as near (heroku-2099: 2013 or 2025?). */
export function nearest(word: string, known: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const most = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  let tied = false;
  for (const k of known) {
    if (k === word) continue;
    const d = editDistance(w, k.toLowerCase());
    if (d > most || d > bestDistance) continue;
    tied = d === bestDistance;
    if (!tied) [best, bestDistance] = [k, d];
  }
  return tied ? undefined : best;
}

/** " (did you mean X?)" for the word nearest to `word`, or "" when none is near enough. */
export function didYouMean(word: unknown, known: Iterable<string>): string {
  if (typeof word !== 'string' || word === '') return '';
  const s = nearest(word, known);
  return s === undefined ? '' : ` (did you mean ${s}?)`;
}
